"""Inter-coder reliability between hand-coded spreadsheets of the same articles.

Why units first: Krippendorff's alpha and Cohen's kappa compare the values coders gave to the *same*
unit, but coders write events, not units. Events are aligned into units with the one-to-one matcher of
eventcode.matching_events (same article, country, admin1 and overlapping date windows, where each coder's
window follows its time_precision; events agreeing on event and sub-event type are paired first, then
those agreeing on everything else, so a type disagreement shows up as one).

With three or more coders, the first coder's events are the first units; each further coder is matched
against the units found so far (each represented by the row of the first coder who coded it), and its
unmatched events become new units. The order of coders can therefore change the alignment slightly.

An event some coders found and others did not is a disagreement on the field "event_present" (1 found,
0 not). For every other field only the coders who coded the unit give a value; an empty cell in a coded
event counts as the value "empty" (no actor2 is a claim that can be disagreed with).

Alpha comes from the maintained `krippendorff` package (nominal for categories and text, ratio for
fatalities). Cohen's kappa (two coders, nominal fields) is the textbook formula in a few lines of numpy:
scikit-learn, which has it, is far too heavy a dependency for one function.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import krippendorff
import numpy as np
import pandas as pd

from .errors import InputError
from .gold import row_numbers
from .matching_events import match_events, normalise_place, normalise_text

MATCH_COLUMNS = ("event_type", "sub_event_type", "country", "event_date")
# Field -> level of measurement. Places are compared normalised, other text casefolded.
FIELDS: dict[str, str] = {
    "event_type": "nominal", "sub_event_type": "nominal", "event_date": "nominal",
    "time_precision": "nominal", "actor1": "nominal", "inter1": "nominal", "actor2": "nominal",
    "inter2": "nominal", "civilian_targeting": "nominal", "admin1": "nominal", "admin2": "nominal",
    "location": "nominal", "geo_precision": "nominal", "fatalities": "ratio",
}
PLACE_FIELDS = {"admin1", "admin2", "admin3", "location"}
PRESENT = "event_present"


@dataclass
class Agreement:
    """Reliability figures per field, with the units behind them and how events were aligned."""

    coders: list[str]
    fields: pd.DataFrame
    units: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields.astype(object).where(self.fields.notna(), None)
        units = self.units.astype(object).where(self.units.notna(), None)
        return {
            "coders": self.coders,
            "fields": [{k: _plain(v) for k, v in r.items()} for r in fields.to_dict("records")],
            "units": [{k: _plain(v) for k, v in r.items()} for r in units.to_dict("records")],
            "notes": self.notes,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str)

    def to_text(self) -> str:
        shown = self.fields.copy()
        for name in ("alpha", "kappa", "agreement"):
            shown[name] = shown[name].map(lambda v: "-" if pd.isna(v) else f"{v:.3f}")
        both = int(self.units[self.coders].notna().all(axis=1).sum())
        lines = [f"Coders: {', '.join(self.coders)}",
                 f"Units (aligned events): {len(self.units)}, coded by every coder: {both}",
                 "", shown.to_string(index=False), ""]
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines).rstrip()


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    return round(value, 4) if isinstance(value, float) else value


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Cohen's kappa of two coders' labels for the same units; None when chance agreement is total."""
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    if len(a) != len(b):
        raise ValueError("both coders need one label per unit")
    if len(a) == 0:
        return None
    _, codes = np.unique(np.concatenate([a, b]).astype(str), return_inverse=True)
    ia, ib = codes[: len(a)], codes[len(a):]
    size = int(codes.max()) + 1
    table = np.zeros((size, size))
    np.add.at(table, (ia, ib), 1)
    n = len(a)
    observed = np.trace(table) / n
    expected = float(table.sum(axis=1) @ table.sum(axis=0)) / n**2
    if np.isclose(expected, 1.0):
        return None
    return float((observed - expected) / (1 - expected))


def owners(units: pd.DataFrame) -> np.ndarray:
    """For each unit, the first coder who coded it (its representative)."""
    return units.notna().to_numpy().argmax(axis=1)


def representatives(frames: Sequence[pd.DataFrame], units: pd.DataFrame) -> pd.DataFrame:
    """Each unit's row from its first coder, in unit order (index = unit number)."""
    owner = owners(units)
    parts = []
    for c in np.unique(owner):
        mask = owner == c
        part = frames[c].iloc[units.loc[mask, c].to_numpy(dtype=int)]
        parts.append(part.set_axis(np.flatnonzero(mask)))
    return pd.concat(parts).sort_index() if parts else frames[0].iloc[0:0]


def align_units(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """One row per unit, one column per coder (0, 1, ...) holding that coder's row position or <NA>."""
    units = pd.DataFrame({0: pd.array(np.arange(len(frames[0])), dtype="Int64")})
    for k in range(1, len(frames)):
        reps = representatives(frames, units).reset_index(drop=True)
        matching = match_events(frames[k].reset_index(drop=True), reps, near=True,
                                left_precision=True, right_precision=True)
        column = pd.array([pd.NA] * len(units), dtype="Int64")
        column[matching.pairs["right"].to_numpy(dtype=int)] = matching.pairs["left"].to_numpy(dtype=int)
        units[k] = column
        extra = np.asarray(matching.unmatched_left, dtype=int)
        units = pd.concat([units, pd.DataFrame({k: pd.array(extra, dtype="Int64")})], ignore_index=True)
    return units.astype("Int64")


def _rows_of(positions: pd.Series, numbers: np.ndarray) -> pd.Series:
    """A unit column of row positions as the spreadsheet row numbers they stand for."""
    present = positions.notna().to_numpy()
    out = pd.Series(pd.NA, index=positions.index, dtype="Int64")
    out[present] = numbers[positions[present].to_numpy(dtype=int)]
    return out


def _values(frame: pd.DataFrame, name: str, level: str) -> pd.Series:
    """One coder's comparable values of a field: numbers for ratio fields, normalised text otherwise."""
    if name not in frame.columns:
        return pd.Series(np.nan if level != "nominal" else "", index=frame.index, dtype=object)
    column = frame[name]
    if level != "nominal":
        return pd.to_numeric(column, errors="coerce")
    if name == "event_date":
        days = pd.to_datetime(column, errors="coerce", format="mixed")
        return days.dt.strftime("%Y-%m-%d").fillna("").astype(object)
    numeric = pd.to_numeric(column, errors="coerce")
    if name.endswith("precision") and numeric.notna().all():
        return numeric.astype("Int64").astype(str).astype(object)
    return (normalise_place if name in PLACE_FIELDS else normalise_text)(column)


def reliability_matrix(frames: Sequence[pd.DataFrame], units: pd.DataFrame, name: str,
                       level: str) -> np.ndarray:
    """Coders x units: each coder's value for each unit (NaN where the coder has no such event).

    Nominal values become integer codes shared by all coders so krippendorff can compare them.
    """
    rows = []
    for k, frame in enumerate(frames):
        positions = units[k]
        present = positions.notna().to_numpy()
        if name == PRESENT:
            rows.append(present.astype(float).astype(object))
            continue
        values = _values(frame.reset_index(drop=True), name, level).to_numpy(dtype=object)
        row = np.full(len(units), np.nan, dtype=object)
        row[present] = values[positions[present].to_numpy(dtype=int)]
        rows.append(row)
    matrix = np.vstack(rows) if rows else np.zeros((0, 0), dtype=object)
    if level == "nominal" and name != PRESENT:
        missing = pd.isna(matrix)
        codes, _ = pd.factorize(pd.Series(matrix[~missing].astype(str)))
        out = np.full(matrix.shape, np.nan)
        out[~missing] = codes
        return out
    return matrix.astype(float)


def _field_figures(matrix: np.ndarray, level: str, coders: int) -> dict[str, Any]:
    counts = (~np.isnan(matrix)).sum(axis=0)
    pairable = matrix[:, counts >= 2]
    same = np.nanmin(pairable, axis=0) == np.nanmax(pairable, axis=0) if pairable.size else np.zeros(0)
    figures: dict[str, Any] = {"units": int(pairable.shape[1]),
                               "agreement": float(same.mean()) if len(same) else np.nan}
    try:
        figures["alpha"] = float(krippendorff.alpha(reliability_data=pairable, level_of_measurement=level))
    except ValueError:  # fewer than two distinct values: alpha is undefined
        figures["alpha"] = np.nan
    figures["kappa"] = np.nan
    if coders == 2 and level == "nominal":
        both = pairable[:, ~np.isnan(pairable).any(axis=0)]
        kappa = cohen_kappa(both[0], both[1]) if both.shape[1] else None
        figures["kappa"] = np.nan if kappa is None else kappa
    return figures


def agreement(frames: Sequence[pd.DataFrame], coders: Sequence[str] | None = None,
              fields: dict[str, str] | None = None) -> Agreement:
    """Krippendorff's alpha (and Cohen's kappa for two coders) per field, over aligned event units."""
    if len(frames) < 2:
        raise ValueError("agreement needs at least two coders")
    coders = list(coders) if coders is not None else [f"coder {i + 1}" for i in range(len(frames))]
    for frame, name in zip(frames, coders, strict=True):
        missing = [c for c in MATCH_COLUMNS if c not in frame.columns]
        if missing:
            raise InputError(name, f"missing column(s) {', '.join(missing)} needed to match events")
    numbers = [row_numbers(f) for f in frames]
    frames = [f.reset_index(drop=True) for f in frames]
    wanted = fields if fields is not None else FIELDS
    shared = {n: lvl for n, lvl in wanted.items() if all(n in f.columns for f in frames)}
    notes = []
    skipped = sorted(set(wanted) - set(shared))
    if skipped:
        notes.append(f"not compared (missing in some file): {', '.join(skipped)}")
    units = align_units(frames)
    rows = []
    for name, level in {PRESENT: "nominal", **shared}.items():
        matrix = reliability_matrix(frames, units, name, level)
        rows.append({"field": name, "level": level, **_field_figures(matrix, level, len(frames))})
    table = pd.DataFrame(rows, columns=["field", "level", "units", "alpha", "kappa", "agreement"])
    if table["alpha"].isna().any():
        notes.append("alpha '-': undefined, because every coder gave every unit the same value (no "
                     "variation) or no unit was coded by two coders; see the agreement column")
    if len(frames) > 2:
        notes.append("events aligned by matching each coder to the units of the coders before it; "
                     "kappa is given for two coders only")
    notes.append("units: events coded by at least two coders (all units for event_present); "
                 "agreement: share of those units on which all their coders agree")
    shown = pd.DataFrame({name: _rows_of(units[k], numbers[k]) for k, name in enumerate(coders)})
    reps = representatives(frames, units)
    if "article_id" in reps.columns:
        shown.insert(0, "article_id", reps["article_id"].to_numpy())
    return Agreement(coders=coders, fields=table, units=shown, notes=notes)
