"""The rules a careful ACLED reviewer applies across columns, each a named, documented, vectorised check.

Column-level rules (types, allowed values, patterns, bounds, uniqueness, empty required cells) are pandera's
job (see validation.py); this module holds the rules that need two or more columns of the same row, plus the
catalogue of every problem code eventcode reports (CODES), so each code is documented in one place.

Each check gets the typed frame (index = spreadsheet row numbers) and the schema and returns problem rows.
A check only judges rows whose inputs are themselves valid: a misspelt event_type is reported once, as
not allowed, and not again as a taxonomy mismatch. Checks over closed vocabularies work per distinct
combination of values (a handful) and broadcast the verdict, so a million rows cost a factorize.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import suggest
from .coerce import as_large_strings, is_arrow_text, problems_for
from .schema import Schema

CheckFunc = Callable[[pd.DataFrame, Schema], list[pd.DataFrame]]

# Codes reported by coercion, by the pandera column checks and by validation itself.
CODES: dict[str, str] = {
    "not-a-number": "A numeric cell holds text that is not a number.",
    "not-a-whole-number": "A count or code column holds a number with a fraction (3.5); 3.0 is read as 3.",
    "invalid-date": "A date cell cannot be read as a date in any accepted spelling, or only in the other "
                    "day/month order than the rest of its column.",
    "out-of-range": "A number lies outside the column's bounds (min/max in the schema).",
    "not-allowed": "A value is not in the column's closed list (event types, regions, inter names ...).",
    "pattern-mismatch": "A value does not match the column's pattern (event_id_cnty: ISO3 code + number).",
    "duplicate-value": "A value repeats in a column that must be unique within a file (event_id_cnty).",
    "missing-value": "A required cell is empty.",
    "unknown-column": "A header the schema does not know (reported on row 1; the column is dropped).",
    "formula-cell": "A spreadsheet cell holds a formula; eventcode never evaluates formulas.",
}


@dataclass(frozen=True)
class Check:
    """A cross-column rule: its stable code, the columns it needs and its documentation."""

    code: str
    columns: tuple[str, ...]
    func: CheckFunc
    doc: str

    def applies(self, frame: pd.DataFrame) -> bool:
        return all(c in frame.columns for c in self.columns)


REGISTRY: dict[str, Check] = {}


def check(code: str, *columns: str) -> Callable[[CheckFunc], CheckFunc]:
    """Register a cross-column check under a stable code (a code can be registered once only)."""

    def register(func: CheckFunc) -> CheckFunc:
        if code in REGISTRY or code in CODES:
            raise ValueError(f"check code {code!r} is registered twice")
        REGISTRY[code] = Check(code, tuple(columns), func, (func.__doc__ or "").strip())
        return func

    return register


def all_codes() -> dict[str, str]:
    """Every problem code eventcode can report, with its description."""
    return {**CODES, **{code: c.doc for code, c in REGISTRY.items()}}


def run_checks(frame: pd.DataFrame, schema: Schema, skip: Sequence[str] = ()) -> list[pd.DataFrame]:
    """Run every registered check whose columns are present."""
    found: list[pd.DataFrame] = []
    for code, rule in REGISTRY.items():
        if code not in skip and rule.applies(frame):
            found.extend(rule.func(frame, schema))
    return found


def today() -> pd.Timestamp:
    """The latest date anywhere on Earth now (UTC+14), so no time zone's today counts as future."""
    return pd.Timestamp(pd.Timestamp.now(tz="Etc/GMT-14").date())


# -- helpers ----------------------------------------------------------------------------------------
Verdict = tuple[str, str | None] | None  # (message, suggestion) for a bad combination, None if fine


def per_combination(frame: pd.DataFrame, columns: Sequence[str], report: str, code: str,
                    judge: Callable[..., Verdict]) -> list[pd.DataFrame]:
    """Judge each distinct combination of `columns` once and report the rows of the bad ones on `report`.

    `judge` gets the values (None for empty) and returns None or (message, suggestion).
    """
    if frame.empty:
        return []
    key, space = np.zeros(len(frame), dtype=np.int64), 1
    uniques = []
    for name in columns:
        codes, values = _codes(frame[name])
        if space * (len(values) + 1) >= 2**62:  # keep the combined key inside int64
            key, distinct_so_far = pd.factorize(key)
            space = len(distinct_so_far)
        key = key * (len(values) + 1) + codes
        space *= len(values) + 1
        uniques.append(values)
    group, distinct = _groups(key, space)
    verdicts: list[Verdict] = []
    for combined in distinct:
        values = []
        rest = int(combined)
        for u in reversed(uniques[1:]):
            rest, part = divmod(rest, len(u) + 1)
            values.append(u[part - 1] if part else None)
        values.append(uniques[0][rest - 1] if rest else None)
        verdicts.append(judge(*reversed(values)))
    bad = np.array([v is not None for v in verdicts], dtype=bool)
    if not bad.any():
        return []
    rows = bad[group]
    messages = np.array([v[0] if v else "" for v in verdicts], dtype=object)[group[rows]]
    hints = np.array([v[1] if v else None for v in verdicts], dtype=object)[group[rows]]
    subset = frame[report][rows]
    return [problems_for(report, subset, code, pd.Series(messages, index=subset.index),
                         pd.Series(hints, index=subset.index))]


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's 1-based position among the column's distinct values (0 = empty), and those values.

    A categorical column already has its codes: no hashing at all.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = np.asarray(values.cat.categories, dtype=object)
        return values.cat.codes.to_numpy().astype(np.int64) + 1, categories
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64) + 1, np.asarray(distinct, dtype=object)


def _groups(key: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """(each row's group number, each group's key). A small key space is counted instead of hashed."""
    if space <= max(1 << 16, 4 * len(key)):
        present = np.flatnonzero(np.bincount(key, minlength=space))
        lookup = np.zeros(space, dtype=np.int64)
        lookup[present] = np.arange(len(present))
        return lookup[key], present
    group, distinct = pd.factorize(key)
    return group, np.asarray(distinct)


def _strings(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A text column as Arrow strings, without a copy when it already is one."""
    return pa.array((values if is_arrow_text(values) else values.astype("string")).array)


def _flag_distinct(values: pd.Series, flag: Callable[[pa.Array], pa.Array]) -> np.ndarray | None:
    """The rows whose text `flag` marks, judged once per distinct value; None when no value is marked.

    Why: text columns such as source and assoc_actor_1 repeat a few thousand values over a million
    rows, and a clean file (the common case) then costs one hash pass.
    """
    text = _strings(values)
    distinct = pc.unique(text).drop_null()
    if isinstance(distinct, pa.ChunkedArray):
        distinct = distinct.combine_chunks()
    marked = flag(distinct).fill_null(False)
    if not pc.any(marked).as_py():
        return None
    return pc.is_in(text, value_set=distinct.filter(marked)).fill_null(False).to_numpy(zero_copy_only=False)


# -- the checks -------------------------------------------------------------------------------------
@check("sub-event-type-mismatch", "event_type", "sub_event_type")
def sub_event_type_belongs(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """sub_event_type is one of event_type's sub-event types (Peaceful protest belongs to Protests)."""

    def judge(event_type: str | None, sub: str | None) -> Verdict:
        owner = schema.event_type_of(sub) if sub else None
        if event_type not in schema.taxonomy or owner is None or owner == event_type:
            return None
        return (f'"{sub}" is a sub-event type of "{owner}", not of "{event_type}"',
                f'event_type "{owner}", or a sub-event type of "{event_type}"')

    return per_combination(frame, ["event_type", "sub_event_type"], "sub_event_type",
                           "sub-event-type-mismatch", judge)


@check("disorder-type-mismatch", "event_type", "sub_event_type", "disorder_type")
def disorder_type_agrees(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """disorder_type is the one ACLED's taxonomy gives the event_type / sub_event_type pair."""

    def judge(event_type: str | None, sub: str | None, disorder: str | None) -> Verdict:
        expected = schema.disorder_for(event_type, sub) if event_type and sub else None
        if expected is None or disorder is None or disorder == expected:
            return None
        return (f'"{event_type}" / "{sub}" is disorder type "{expected}"', f'did you mean "{expected}"?')

    return per_combination(frame, ["event_type", "sub_event_type", "disorder_type"], "disorder_type",
                           "disorder-type-mismatch", judge)


@check("year-mismatch", "year", "event_date")
def year_of_date(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """year equals the year of event_date."""
    date_year = frame["event_date"].dt.year
    bad = (frame["year"].notna() & date_year.notna() & (frame["year"] != date_year)).fillna(False)
    if not bad.any():
        return []
    expected = date_year[bad].astype("Int64").astype(str)
    message = "event_date " + frame["event_date"][bad].dt.strftime("%Y-%m-%d") + " is in " + expected
    hint = "did you mean " + expected + "?"
    return [problems_for("year", frame["year"][bad], "year-mismatch", message, hint)]


# Actor names that reveal the actor's kind (ACLED's naming conventions) -> inter names they allow.
# State forces acting abroad may be coded External/Other forces, so both are accepted for them.
ACTOR_KINDS: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = (
    (("Police Forces of ", "Military Forces of "), "state forces", ("State forces", "External/Other forces")),
    (("Protesters (",), "protesters", ("Protesters",)),
    (("Rioters (",), "rioters", ("Rioters",)),
    (("Civilians (",), "civilians", ("Civilians",)),
)


@check("inter-actor-mismatch", "actor1", "inter1")
def inter_matches_actor(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """inter1/inter2 agree with the kind the actor's name reveals ("Protesters (X)" -> Protesters).

    Only names that reveal their kind are checked: "Police Forces of X (...)" and "Military Forces of X"
    (State forces, or External/Other forces abroad), "Protesters (X)", "Rioters (X)", "Civilians (X)".
    """
    inter_names = set(schema.inter_names)
    found = []
    for actor, inter in (("actor1", "inter1"), ("actor2", "inter2")):
        if actor not in frame.columns or inter not in frame.columns:
            continue

        def judge(name: str | None, kind: str | None, actor: str = actor, inter: str = inter) -> Verdict:
            if name is None or kind not in inter_names:
                return None
            for prefixes, label, allowed in ACTOR_KINDS:
                if str(name).startswith(prefixes):
                    if kind in allowed:
                        return None
                    return (f'{actor} "{name}" names {label}; {inter} should be '
                            + " or ".join(f'"{a}"' for a in allowed), f'did you mean "{allowed[0]}"?')
            return None

        found.extend(per_combination(frame, [actor, inter], inter, "inter-actor-mismatch", judge))
    return found


@check("interaction-mismatch", "inter1", "interaction")
def interaction_agrees(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """interaction is the pair inter1-inter2, smaller code first ("State forces-Civilians"), or "X only"."""
    inter_names = set(schema.inter_names)
    if "inter2" in frame.columns:
        columns = ["inter1", "inter2", "interaction"]
    else:
        columns = ["inter1", "interaction"]

    def judge(*values: str | None) -> Verdict:
        inter1, interaction = values[0], values[-1]
        inter2 = values[1] if len(values) == 3 else None
        if inter1 not in inter_names or (inter2 is not None and inter2 not in inter_names):
            return None
        expected = schema.interaction(inter1, inter2)
        if interaction is None or interaction == expected:
            return None
        pair = (f'inter1 "{inter1}" and inter2 "{inter2}" make' if inter2
                else f'inter1 "{inter1}" with no inter2 makes')
        return f'{pair} interaction "{expected}"', f'did you mean "{expected}"?'

    return per_combination(frame, columns, "interaction", "interaction-mismatch", judge)


@check("actor2-inter2-mismatch", "actor2", "inter2")
def actor2_and_inter2_together(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """actor2 and inter2 are both filled or both empty."""
    actor2, inter2 = frame["actor2"], frame["inter2"]
    found = []
    no_kind = actor2.notna() & inter2.isna()
    if no_kind.any():
        found.append(problems_for("inter2", inter2[no_kind], "actor2-inter2-mismatch",
                                  "actor2 is named but inter2 is empty", "give actor2's kind in inter2"))
    no_actor = actor2.isna() & inter2.notna()
    if no_actor.any():
        found.append(problems_for("actor2", actor2[no_actor], "actor2-inter2-mismatch",
                                  "inter2 is filled but actor2 is empty",
                                  "name actor2, or leave inter2 empty"))
    return found


@check("civilian-targeting-mismatch", "civilian_targeting", "inter2")
def civilian_targeting_needs_civilians(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """civilian_targeting is set only where actor2 is civilians (inter2 "Civilians")."""
    flag = frame["civilian_targeting"]
    bad = (flag.notna() & frame["inter2"].ne("Civilians").fillna(True)).fillna(False).astype(bool)
    if not bad.any():
        return []
    kind = frame["inter2"][bad].astype("string").fillna("empty")
    return [problems_for("civilian_targeting", flag[bad], "civilian-targeting-mismatch",
                         "civilian targeting, but inter2 is " + kind,
                         "leave civilian_targeting empty unless actor2 is civilians")]


@check("coordinates-outside-country", "latitude", "longitude", "country")
def coordinates_in_country(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """latitude and longitude fall inside the named country's bounds (suggests a swap when that fits).

    Coordinates outside -90..90 / -180..180 are reported by the range check instead.
    """
    bounds = _country_bounds(frame["country"], schema)  # rows x (lat_min, lat_max, lon_min, lon_max)
    lat = frame["latitude"].to_numpy(dtype="float64", na_value=np.nan)
    lon = frame["longitude"].to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        judged = ((lat >= -90) & (lat <= 90) & (lon >= -180) & (lon <= 180)
                  & ~np.isnan(bounds[:, 0]) & ~np.isnan(bounds[:, 2]))
        outside = {"latitude": judged & ~((lat >= bounds[:, 0]) & (lat <= bounds[:, 1])),
                   "longitude": judged & ~((lon >= bounds[:, 2]) & (lon <= bounds[:, 3]))}
    found = []
    for name, out in outside.items():
        if not out.any():
            continue
        low, high = (0, 1) if name == "latitude" else (2, 3)
        rows = frame.index[out]
        where = frame["country"][out].astype(str)
        span = (pd.Series(bounds[out, low], index=rows).round(2).astype(str) + " to "
                + pd.Series(bounds[out, high], index=rows).round(2).astype(str))
        message = "outside " + where + f" ({name} " + span + ")"
        fits = suggest.swap_fits(lat[out], lon[out], bounds[out])
        hint = pd.Series(np.where(fits, suggest.SWAP_HINT, None), index=rows, dtype=object)
        found.append(problems_for(name, frame[name][out], "coordinates-outside-country", message, hint))
    return found


def _country_bounds(country: pd.Series, schema: Schema) -> np.ndarray:
    """Each row's country bounds (NaN where the country is empty or unknown), looked up per country."""
    codes, names = _codes(country)
    table = schema.country_table[["lat_min", "lat_max", "lon_min", "lon_max"]]
    per_name = table.reindex(pd.Index(names, dtype=object)).to_numpy(dtype="float64", na_value=np.nan)
    return np.vstack([np.full((1, 4), np.nan), per_name])[codes]  # code 0 (empty) picks the NaN row


def swap_hint(frame: pd.DataFrame, schema: Schema) -> pd.Series:
    """'latitude and longitude swapped?' for rows where swapping fits the country (or the globe)."""
    lat = frame["latitude"].to_numpy(dtype="float64", na_value=np.nan)
    lon = frame["longitude"].to_numpy(dtype="float64", na_value=np.nan)
    if "country" in frame.columns:
        bounds = _country_bounds(frame["country"], schema)
    else:
        bounds = np.full((len(frame), 4), np.nan)
    fits = suggest.swap_fits(lat, lon, bounds)
    return pd.Series(np.where(fits, suggest.SWAP_HINT, None), index=frame.index, dtype=object)


def _country_attribute(frame: pd.DataFrame, schema: Schema, column: str, code: str) -> list[pd.DataFrame]:
    table = schema.country_table[column]

    def judge(country: str | None, value: object) -> Verdict:
        if country is None or value is None or country not in table.index:
            return None
        expected = table[country]
        if pd.isna(expected) or str(expected) == str(value):
            return None
        return f"{country} has {column} {expected}", f"did you mean {expected}?"

    return per_combination(frame, ["country", column], column, code, judge)


@check("iso-mismatch", "iso", "country")
def iso_agrees(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """iso is the ISO 3166 numeric code of country (countries table of the schema)."""
    return _country_attribute(frame, schema, "iso", "iso-mismatch")


@check("region-mismatch", "region", "country")
def region_agrees(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """region is ACLED's region of country (Kazakhstan -> Caucasus and Central Asia)."""
    return _country_attribute(frame, schema, "region", "region-mismatch")


@check("event-id-country-mismatch", "event_id_cnty", "country")
def event_id_prefix(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """event_id_cnty does not start with ANOTHER country's ISO3 code (KGZ1234 on a Kazakhstan row).

    Why not "must equal the country's ISO3": ACLED's own ids keep legacy prefixes for many countries
    (NIG for Nigeria, DRC, BFO for Burkina Faso), which are no country's ISO3 and so are accepted.
    """
    table = schema.country_table["iso3"]
    other_countries = dict(zip(table.dropna().to_numpy(), table.dropna().index, strict=True))
    ids = frame["event_id_cnty"]
    first_three = as_large_strings(pc.utf8_slice_codeunits(_strings(ids), 0, 3))
    prefix = pd.Series(pd.arrays.ArrowStringArray(first_three), index=frame.index)
    work = pd.DataFrame({"prefix": prefix, "country": frame["country"]}, index=frame.index)

    def judge(found: str | None, country: str | None) -> Verdict:
        if found is None or country is None or country not in table.index:
            return None
        expected = table[country]
        if pd.isna(expected) or expected == found or found not in other_countries:
            return None
        return (f'starts with "{found}", the code of {other_countries[found]}, but the row is in {country}',
                f'"{expected}" followed by the number')

    problems = per_combination(work, ["prefix", "country"], "prefix", "event-id-country-mismatch", judge)
    out = []
    for p in problems:
        written = ids.loc[p["row"]]
        p = p[written.str.match(r"[A-Z]{3}[0-9]").fillna(False).to_numpy(dtype=bool)].copy()
        p["column"] = "event_id_cnty"
        p["value"] = ids.loc[p["row"]].to_numpy()
        out.append(p)
    return [p for p in out if not p.empty]


@check("future-date", "event_date")
def no_future_dates(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """event_date is not after today (events are coded after they happen)."""
    dates = frame["event_date"]
    bad = (dates > today()).fillna(False).astype(bool)
    if not bad.any():
        return []
    return [problems_for("event_date", dates[bad], "future-date", "event_date is in the future",
                         "check the year and the day/month order")]


@check("multi-value-separator")
def multi_value_separator(frame: pd.DataFrame, schema: Schema) -> list[pd.DataFrame]:
    """Cells holding several values (assoc_actor_1, source, tags ...) separate them with "; "."""
    found = []
    for col in schema.columns:
        if not col.multi or col.name not in frame.columns:
            continue
        values = frame[col.name]
        marked = _flag_distinct(values, _badly_separated)
        if marked is None:
            continue
        bad = pd.Series(marked, index=values.index)
        fixed = values[bad].str.replace(r" *; *", "; ", regex=True)
        found.append(problems_for(col.name, values[bad], "multi-value-separator",
                                  'values are not separated by "; "', "did you mean " + fixed + "?"))
    return found


def _badly_separated(text: pa.Array) -> pa.Array:
    """Every ";" must be followed by a space and none preceded by one (literal counts: no regex)."""
    return pc.or_(pc.not_equal(pc.count_substring(text, ";"), pc.count_substring(text, "; ")),
                  pc.match_substring(text, " ;"))
