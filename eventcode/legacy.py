"""Normalise ACLED's older export (and known legacy spellings) to the current export, with notes.

Why here and not in validation: an older export is not wrong, only older. Researchers still hold
files with event_id_no_cnty/data_id/iso3, numeric inter codes and no disorder_type; converting them
(and saying so once, in a note) lets one validator serve both. Likewise a legacy misspelling that ACLED
itself wrote thousands of times ("Demostrations") gets one note with a count, not a problem per row.

Everything is vectorised (isin/map over the column), so a million-row export costs a few column passes,
and it works on typed Parquet frames (integer inter codes) as well as on text frames.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .coerce import is_arrow_text

if TYPE_CHECKING:
    from .schema import Schema

OLDER = "older ACLED export"
ADDED_EMPTY = ("civilian_targeting", "tags")
INTER_COLUMNS = ("inter1", "inter2")
STRING = pd.StringDtype("pyarrow")


def normalise_legacy(frame: pd.DataFrame, schema: Schema) -> tuple[pd.DataFrame, list[str]]:
    """Return the frame in the current export's form and the notes saying what was changed.

    The input frame is not modified. A frame already in the current form comes back unchanged with
    no notes.
    """
    notes: list[str] = []
    out = frame
    older = _older_columns(frame, schema)
    is_older = bool(older)
    if older:
        out = out.drop(columns=older)
        notes.append(f"{OLDER}: dropped column(s) {', '.join(older)}, which the current export lacks")
    for column in INTER_COLUMNS:
        if column in out.columns and column in schema.by_name:
            converted, count = _map_codes(out[column], _inter_map(schema))
            if count:
                out = _assign(out, column, converted)
                notes.append(f"{OLDER}: {column} codes converted to names in {_rows(count)} "
                             f"(e.g. 1 -> {schema.inter_codes.get(1, '?')}; 0 -> empty)")
    if "interaction" in out.columns and "interaction" in schema.by_name:
        converted, count = _map_codes(out["interaction"], _interaction_map(schema))
        if count:
            out = _assign(out, "interaction", converted)
            example = _interaction_map(schema).get("17", "?")
            notes.append(f"{OLDER}: interaction codes converted to names in {_rows(count)} "
                         f"(e.g. 17 -> {example})")
    if "disorder_type" in schema.by_name and "disorder_type" not in out.columns and \
            {"event_type", "sub_event_type"} <= set(out.columns):
        out = _insert(out, "disorder_type", _derive_disorder(out, schema), schema)
        notes.append(f"{OLDER}: disorder_type derived from event_type and sub_event_type")
        is_older = True
    if is_older:
        missing = [c for c in ADDED_EMPTY if c in schema.by_name and c not in out.columns]
        for column in missing:
            empty = pd.Series(pd.NA, index=out.index, dtype=STRING)
            out = _insert(out, column, empty, schema)
        if missing:
            notes.append(f"{OLDER}: added empty column(s) {', '.join(missing)}")
    for column, spellings in schema.legacy_spellings.items():
        if column not in out.columns:
            continue
        present = _distinct(out[column])
        for wrong, right in spellings.items():
            if wrong not in present:
                continue
            mask = (out[column] == wrong).fillna(False).to_numpy(dtype=bool)
            count = int(mask.sum())
            if count:
                out = _assign(out, column, _replace(out[column], mask, right))
                notes.append(f"{column}: {wrong!r} written {right!r} in {_rows(count)} (a legacy spelling "
                             "found in ACLED's own exports)")
    return out, notes


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def _older_columns(frame: pd.DataFrame, schema: Schema) -> list[str]:
    """Columns only the older export has: the schema's legacy drops, and iso3 (the current export has iso)."""
    candidates = [*schema.legacy_drop, "iso3"]
    return [c for c in frame.columns if c in candidates and c not in schema.by_name]


def _map_codes(series: pd.Series, mapping: dict[str, str | None]) -> tuple[pd.Series, int]:
    """Replace values that are codes in `mapping` ("1", 1, 1.0 or "1.0") by their names; count them."""
    if len(series) == 0:
        return series, 0
    if pd.api.types.is_bool_dtype(series.dtype):
        return series, 0
    # Work out each distinct value's name once (a column of codes holds a handful), then one pass.
    names = {value: mapping[key] for value in _distinct(series) if (key := _code_key(value)) in mapping}
    if not names:
        return series, 0  # a current export
    hit = series.isin(list(names)).fillna(False).to_numpy(dtype=bool)
    result = series.astype(STRING) if not isinstance(series.dtype, pd.StringDtype) else series.copy()
    result[hit] = series[hit].map(names).astype(STRING)
    return result, int(hit.sum())


def _distinct(series: pd.Series) -> set[object]:
    """The column's distinct non-empty values (a column of codes or names holds a handful)."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # its categories (unused ones too: a superset)
        return set(series.cat.categories.tolist())
    if is_arrow_text(series):
        return set(pc.unique(pa.array(series.array)).drop_null().to_pylist())
    return set(series.dropna().unique().tolist())


def _code_key(value: object) -> str | None:
    """The mapping key a cell would have: "1" for 1, 1.0, "1" and "1.0"; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else None
    text = str(value)
    return text[:-2] if text.endswith(".0") else text


def _inter_map(schema: Schema) -> dict[str, str | None]:
    return {str(code): (name or None) for code, name in schema.inter_codes.items()}


def _interaction_map(schema: Schema) -> dict[str, str | None]:
    """Two-digit interaction codes: "17" -> "State forces-Civilians", "10" -> "State forces only"."""
    codes = [c for c in schema.inter_codes if c]
    mapping: dict[str, str | None] = {}
    for first in codes:
        for second in [0, *codes]:
            name = schema.interaction(schema.inter_codes[first], schema.inter_codes.get(second) or None)
            mapping[f"{first}{second}"] = name
    return mapping


def _derive_disorder(frame: pd.DataFrame, schema: Schema) -> pd.Series:
    """disorder_type from the (event_type, sub_event_type) pair; unknown pairs stay empty for validation."""
    pairs = {f"{event}\x1f{sub}": disorder for event, subs in schema.taxonomy.items()
             for sub, disorder in subs.items()}
    # Stripped: a stray space is reported on event_type itself, not again as a missing disorder_type.
    key = frame["event_type"].astype(STRING).str.strip() + "\x1f" + \
        frame["sub_event_type"].astype(STRING).str.strip()
    return key.map(pairs).astype(STRING)


def _replace(series: pd.Series, mask: object, value: str) -> pd.Series:
    if isinstance(series.dtype, pd.CategoricalDtype):
        if value not in series.cat.categories:
            series = series.cat.add_categories([value])
        series = series.copy()
        series[mask] = value
        return series.cat.remove_unused_categories()
    series = series.copy()
    series[mask] = value
    return series


def _assign(frame: pd.DataFrame, column: str, values: pd.Series) -> pd.DataFrame:
    out = frame.copy(deep=False)
    out[column] = values
    return out


def _insert(frame: pd.DataFrame, column: str, values: pd.Series, schema: Schema) -> pd.DataFrame:
    """Insert a column where the schema puts it: after the nearest preceding schema column present."""
    order = schema.names
    position = 0
    if column in order:
        before = order[: order.index(column)]
        present = [i for i, c in enumerate(frame.columns) if c in before]
        position = present[-1] + 1 if present else 0
    out = frame.copy(deep=False)
    out.insert(position, column, values)
    return out
