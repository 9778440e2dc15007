"""Turn a sheet's cells (text as written, or typed Parquet values) into the schema's types.

Why not raise: a reviewer wants every unreadable cell at once, so each cell that fails becomes a problem
row (the cell is then left empty in the typed frame) and the rest of the column is still typed and checked.
Everything is column-wise: a million rows cost a few vectorised passes per column, never a Python loop.

Dates. Accepted spellings, tried in this order on what is still unread: ISO (2016-08-29, with or without a
time), day/month/year with /, . or - (29/08/2016, 29.08.16), "29 August 2016", "29 Aug 2016",
"29-Aug-2016", "August 29, 2016", "Aug 29, 2016", and Excel serial day numbers (42611 = 2016-08-29).
What is left and has a month name ("Aug 29th 2016") is offered to dateparser (absolute dates only, day
before month), once per distinct value.

Day/month order: ACLED and most coders outside the United States write day first, and ACLED's own older
exports spell dates "29 August 2016", so 12/08/2016 is read as 12 August 2016. A column is read month
first only when its numeric dates fit no other way (some have a second number above 12 and none a first
number above 12). Ambiguous dates are not errors: the report notes how they were read (with an example),
and a date that fits only the other order than its column's is an error whose suggestion gives that reading.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import suggest
from .schema import Column, Schema

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_SERIAL = (367, 73050)  # 1901-01-01 .. 2099-12-31: beyond that a number is not a plausible day
INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
PANDAS_TYPES = {"int32": "Int32", "int64": "Int64", "float64": "float64", "string": "string",
                "category": "category", "date": "datetime64[s]"}

_NUMERIC_DATE = r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})$"
_NAMED_FORMATS = ("%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%d-%B-%Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y",
                  "%b %d %Y", "%d-%b-%y")
_DATEPARSER_MAX_LEN = 40
DISTINCT_DATES_FROM = 4096  # from this many cells, parse distinct dates (a dataset spans a few thousand days)
PARALLEL_ROWS = 20_000  # below this, threads cost about what they save (measured on 2 cores)


@dataclass
class Coerced:
    """A typed frame, the cells that could not be typed (as problem rows) and notes for the report."""

    frame: pd.DataFrame
    problems: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def problems_for(column: str, values: pd.Series, check: str, message: str | pd.Series,
                 suggestion: str | pd.Series | None = None) -> pd.DataFrame:
    """Problem rows for the cells in `values` (index = spreadsheet row numbers)."""
    if isinstance(suggestion, pd.Series):
        suggestion = suggestion.astype(object).where(suggestion.notna(), None).to_numpy()
    return pd.DataFrame({
        "row": values.index.to_numpy(),
        "column": column,
        "value": cells_as_written(values).to_numpy(),
        "check": check,
        "message": message.to_numpy() if isinstance(message, pd.Series) else message,
        "suggestion": suggestion,
    })


def cells_as_written(values: pd.Series) -> pd.Series:
    """Cell values as text for the report, unstripped (None for empty); typed values in their usual form."""
    present = values.notna().to_numpy(dtype=bool)
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(values.dtype):
        text = values.dt.strftime("%Y-%m-%d")
    elif isinstance(values.dtype, (pd.StringDtype, pd.CategoricalDtype)) or (
            pd.api.types.is_integer_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)):
        text = values.astype("string")
    elif pd.api.types.is_float_dtype(values.dtype):
        numbers = values.astype("float64")
        whole = (numbers % 1 == 0) & np.isfinite(numbers) & (numbers.abs() < 2**53)
        as_int = numbers.where(whole, 0).astype("int64").astype("string")
        text = numbers.astype("string").where(~whole, as_int)
    else:  # object: text as is, anything else (a notebook's numbers, dates) through str()
        is_str = values.map(type, na_action="ignore").eq(str).to_numpy(dtype=bool)
        text = values.astype(object)
        others = present & ~is_str
        if others.any():
            text = text.copy()
            text[others] = [_text_of(v) for v in values[others]]
    cells = np.where(present, text.astype(object).to_numpy(), None)
    return pd.Series(cells, index=values.index, dtype=object)


def _text_of(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_text(values: pd.Series) -> pd.Series:
    """Cells as stripped strings with empty -> NA (the form every text check starts from)."""
    return pd.Series(pd.arrays.ArrowStringArray(_arrow_text(values)), index=values.index, name=values.name)


def is_arrow_text(values: pd.Series) -> bool:
    """Whether the column is pandas text backed by Arrow (its Arrow array can be used without a copy)."""
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def _arrow_text(values: pd.Series) -> pa.Array:
    """The column as an Arrow string array, stripped, empty -> null (Arrow kernels: no Python per cell)."""
    if is_arrow_text(values):
        arr = pa.array(values.array)
    else:
        if values.dtype == object:
            is_str = values.map(type, na_action="ignore").eq(str) | values.isna()
            text = values if is_str.all() else values.where(is_str, values.map(_text_of, na_action="ignore"))
        else:
            text = values.astype(object).map(_text_of, na_action="ignore")
        arr = pa.array(text.astype(object).where(text.notna(), None).to_numpy(), type=pa.large_string())
    arr = as_large_strings(arr)
    if _already_stripped(arr):
        return arr
    arr = pc.ascii_trim_whitespace(arr)  # works chunk by chunk: no copy to one buffer first
    wide = pc.invert(pc.string_is_ascii(arr)).fill_null(False)
    if pc.any(wide).as_py():  # non-ASCII spaces (no-break space ...) only where the text is not ASCII
        if isinstance(arr, pa.ChunkedArray):
            arr, wide = arr.combine_chunks(), wide.combine_chunks()
        arr = pc.replace_with_mask(arr, wide, pc.utf8_trim_whitespace(arr.filter(wide)))
    if pc.min(pc.binary_length(arr)).as_py() == 0:
        arr = pc.if_else(pc.equal(pc.binary_length(arr), 0).fill_null(False),
                         pa.scalar(None, pa.large_string()), arr)
    return arr


def as_large_strings(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Arrow strings with 64-bit offsets, what pandas' Arrow-backed text holds (no copy if already so)."""
    return arr if pa.types.is_large_string(arr.type) else arr.cast(pa.large_string())


def _already_stripped(arr: pa.Array | pa.ChunkedArray) -> bool:
    """Whether stripping would change nothing: no cell is empty or begins or ends with a space.

    Why: most text columns are clean, and stripping copies every string. Looking only at each cell's
    first and last byte (in the Arrow buffers, with numpy) costs the same for a short actor name as for
    a long note. A non-ASCII first or last byte that could belong to a Unicode space counts as a space.
    """
    first_bytes, last_bytes = _space_edge_bytes()
    for chunk in arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]:
        if len(chunk) == chunk.null_count:
            continue
        _, offsets, data = chunk.buffers()
        bounds = np.frombuffer(offsets, dtype=np.int64)[chunk.offset:chunk.offset + len(chunk) + 1]
        starts, ends = bounds[:-1], bounds[1:]
        if chunk.null_count:
            present = chunk.is_valid().to_numpy(zero_copy_only=False)
            starts, ends = starts[present], ends[present]
        if data is None or (ends <= starts).any():
            return False
        content = np.frombuffer(data, dtype=np.uint8)
        if first_bytes[content[starts]].any() or last_bytes[content[ends - 1]].any():
            return False
    return True


@functools.cache
def _space_edge_bytes() -> tuple[np.ndarray, np.ndarray]:
    """Which bytes begin, and which end, a character that Arrow's whitespace trimming removes.

    Asked of Arrow itself (over every space-like character in the Basic Multilingual Plane, the only
    plane with spaces), so this stays true to whatever Arrow strips.
    """
    candidates = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000
                  and (chr(c).isspace() or unicodedata.category(chr(c)) in ("Zs", "Zl", "Zp", "Cc", "Cf"))]
    stripped = pc.utf8_trim_whitespace(pa.array(candidates, pa.large_string())).to_pylist()
    first, last = np.zeros(256, dtype=bool), np.zeros(256, dtype=bool)
    for char, rest in zip(candidates, stripped, strict=True):
        if rest == "":
            encoded = char.encode("utf-8")
            first[encoded[0]] = last[encoded[-1]] = True
    return first, last


def as_category(values: pd.Series, spellings: dict[str, str] | None = None
                ) -> tuple[pd.Series, dict[str, int]]:
    """Stripped text as a pandas categorical, with `spellings` (old -> new) applied.

    Why factorize first: a category column holds a handful of distinct values, so stripping and
    respelling the distinct values instead of a million cells makes this one hash pass.
    Returns the column and how many cells each respelt value had.
    """
    if is_arrow_text(values):
        encoded = pa.array(values.array).dictionary_encode()
        if isinstance(encoded, pa.ChunkedArray):  # one dictionary for all chunks, then only indices copied
            encoded = encoded.unify_dictionaries().combine_chunks() if encoded.num_chunks else \
                pa.array([], pa.dictionary(pa.int32(), pa.large_string()))
        codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        clean = as_text(pd.Series(pd.arrays.ArrowStringArray(encoded.dictionary.cast(pa.large_string()))))
    elif isinstance(values.dtype, pd.CategoricalDtype):  # read dictionary-encoded: the codes are there
        codes = values.cat.codes.to_numpy()
        clean = as_text(pd.Series(np.asarray(values.cat.categories, dtype=object)))
    else:
        codes, distinct = pd.factorize(as_text(values), use_na_sentinel=True)
        clean = as_text(pd.Series(np.asarray(distinct, dtype=object)))
    counts: dict[str, int] = {}
    if spellings:
        hit = clean.isin(list(spellings)).to_numpy(dtype=bool)
        if hit.any():
            tally = np.bincount(codes[codes >= 0], minlength=len(clean))
            for position in np.flatnonzero(hit):
                old = clean.iloc[position]
                counts[old] = counts.get(old, 0) + int(tally[position])
            clean = clean.where(~hit, clean.map(spellings))
    new_codes, categories = pd.factorize(clean, use_na_sentinel=True)
    if not np.array_equal(new_codes, np.arange(len(new_codes))):  # values merged or emptied by stripping
        codes = np.append(new_codes, -1)[codes]  # code -1 (empty) picks the appended -1
    cat = pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype="string"), validate=False)
    return pd.Series(cat, index=values.index, name=values.name), counts


# -- per-type coercion ------------------------------------------------------------------------------
def coerce(frame: pd.DataFrame, schema: Schema) -> Coerced:
    """Type every schema column present in `frame`; other columns are left out."""
    typed: dict[str, pd.Series] = {}
    problems: list[pd.DataFrame] = []
    notes: list[str] = []
    names = [name for name in frame.columns if name in schema.by_name]
    # Columns are independent and Arrow's kernels release the GIL, so big sheets use every core.
    workers = min(len(names), os.cpu_count() or 1) if len(frame) >= PARALLEL_ROWS else 1
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda n: coerce_column(frame[n], schema.by_name[n], schema), names))
    else:
        results = [coerce_column(frame[n], schema.by_name[n], schema) for n in names]
    for name, (series, found, said) in zip(names, results, strict=True):
        typed[name] = series
        problems.extend(found)
        notes.extend(said)
    out = pd.DataFrame(typed, index=frame.index, copy=False)
    frame_problems = (pd.concat(problems, ignore_index=True) if problems
                      else problems_for("", pd.Series([], dtype=object), "", ""))
    return Coerced(out, frame_problems, notes)


def coerce_column(values: pd.Series, col: Column, schema: Schema
                  ) -> tuple[pd.Series, list[pd.DataFrame], list[str]]:
    if col.type == "date":
        return coerce_dates(values, col.name)
    if col.type in ("int32", "int64"):
        return coerce_ints(values, col.name, col.type)
    if col.type == "float64":
        return coerce_floats(values, col.name)
    return coerce_text(values, col, schema)


def coerce_text(values: pd.Series, col: Column, schema: Schema
                ) -> tuple[pd.Series, list[pd.DataFrame], list[str]]:
    """Strip whitespace; normalise known legacy spellings with a note instead of a problem per row."""
    legacy = schema.legacy_spellings.get(col.name) or {}
    if col.type == "category":
        typed, counts = as_category(values, legacy)
    else:
        typed = as_text(values)
        counts = {}
        if legacy:
            hit = typed.isin(list(legacy))
            if hit.any():
                counts = typed[hit].value_counts().to_dict()
                typed = typed.where(~hit, typed.map(legacy))
    notes = [f"{col.name}: {n:,} cell(s) spelled {old!r} (a known spelling in older ACLED exports) "
             f"read as {legacy[old]!r}" for old, n in counts.items()]
    return typed, [], notes


def coerce_ints(values: pd.Series, name: str, kind: str) -> tuple[pd.Series, list[pd.DataFrame], list[str]]:
    """Whole numbers: "3" and "3.0" are 3; "3.5" and "three" are problems."""
    low, high = INT_RANGES[kind]
    target = PANDAS_TYPES[kind]
    if pd.api.types.is_integer_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.astype("Float64") if kind == "int32" else None
        if numbers is None or not (numbers.lt(low) | numbers.gt(high)).any():
            return values.astype(target), [], []
    if is_arrow_text(values):
        try:  # fast path: a clean column of whole numbers parses in one Arrow pass, range-checked
            arr = pa.array(values.array)
            parsed = pc.cast(arr, pa.int32() if kind == "int32" else pa.int64())
            if parsed.null_count == arr.null_count:
                typed = parsed.to_pandas(types_mapper={parsed.type: pd.api.types.pandas_dtype(target)}.get)
                return pd.Series(typed.array, index=values.index, name=values.name), [], []
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
            pass
    numbers, unreadable = _to_numbers(values)
    problems = []
    if unreadable.any():
        problems.append(problems_for(name, values[unreadable], "not-a-number", "not a whole number"))
    finite = numbers.notna() & np.isfinite(numbers.to_numpy(dtype="float64", na_value=np.nan))
    bad_inf = numbers.notna() & ~finite
    fraction = finite & (numbers.where(finite, 0) % 1 != 0)
    if fraction.any():
        problems.append(problems_for(name, values[fraction], "not-a-whole-number",
                                     "not a whole number (a count or code has no fraction)"))
    too_big = finite & ~fraction & (numbers.lt(low) | numbers.gt(high))
    if too_big.any():
        problems.append(problems_for(name, values[too_big], "out-of-range",
                                     f"too large for a {kind} column"))
    if bad_inf.any():
        problems.append(problems_for(name, values[bad_inf], "not-a-number", "not a whole number"))
    keep = finite & ~fraction & ~too_big
    typed = numbers.where(keep).astype(target)
    return typed, problems, []


def coerce_floats(values: pd.Series, name: str) -> tuple[pd.Series, list[pd.DataFrame], list[str]]:
    """Decimal numbers; a decimal comma ("43,25") is a problem with the dotted reading as suggestion."""
    if pd.api.types.is_float_dtype(values.dtype) or (
            pd.api.types.is_integer_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)):
        numbers = values.astype("float64")
        bad = pd.Series(False, index=values.index)
    else:
        numbers, bad = _to_numbers(values)
        numbers = numbers.astype("float64")
    problems = []
    infinite = numbers.notna() & ~np.isfinite(numbers.fillna(0).to_numpy())
    if infinite.any():
        bad = bad | infinite
        numbers = numbers.where(~infinite)
    if bad.any():
        text = as_text(values[bad])
        dotted = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        hint = ("did you mean " + dotted.astype("string") + "?").astype(object).where(
            dotted.notna() & text.str.count(",").eq(1), None)
        problems.append(problems_for(name, values[bad], "not-a-number", "not a number", hint))
    return numbers, problems, []


def _to_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse text as numbers; returns (Float64 numbers, mask of non-empty cells that are not numbers)."""
    if is_arrow_text(values):
        try:  # fast path: Arrow's cast parses a clean column in one C++ pass and refuses a bad one outright
            arr = pa.array(values.array)
            parsed = pc.cast(arr, pa.float64())
            if parsed.null_count == arr.null_count:
                numbers = parsed.to_pandas(types_mapper={pa.float64(): pd.Float64Dtype()}.get)
                return (pd.Series(numbers.array, index=values.index, name=values.name),
                        pd.Series(False, index=values.index))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
            pass
    text = as_text(values)
    numbers = pd.to_numeric(text, errors="coerce")
    numbers = pd.Series(numbers, index=values.index).astype("Float64")
    unreadable = text.notna() & numbers.isna()
    return numbers, unreadable.fillna(False).astype(bool)


# -- dates ------------------------------------------------------------------------------------------
def coerce_dates(values: pd.Series, name: str) -> tuple[pd.Series, list[pd.DataFrame], list[str]]:
    """Dates in the usual spellings (see the module docstring), as datetime64 days."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        days = values.dt.tz_localize(None) if isinstance(values.dtype, pd.DatetimeTZDtype) else values
        return days.dt.normalize().astype(PANDAS_TYPES["date"]), [], []
    notes: list[str] = []
    problems: list[pd.DataFrame] = []
    days = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
    if values.dtype == object:
        # typed values (datetime.date from Parquet, Timestamps from a notebook) are already dates
        typed = values.notna() & ~values.map(type, na_action="ignore").isin([str])
        typed = typed.fillna(False).astype(bool)
        if typed.any():
            parsed = pd.to_datetime(values[typed], errors="coerce", utc=True).dt.tz_localize(None)
            days[typed] = parsed.dt.normalize().astype("datetime64[s]")
    # 1. ISO, the common case, first and on everything as it stands (Arrow's strptime: one C++ pass)
    if is_arrow_text(values):
        days = pd.Series(_arrow_iso_dates(pa.array(values.array)), index=values.index,
                         dtype="datetime64[s]")
        todo = values.notna() & days.isna()
        if not todo.any():
            return days, [], []
        text = as_text(values[todo])
    else:
        text = as_text(values)
        text = text[text.notna() & days.isna()]
    # from here on `text` holds only the cells still unread, usually a handful

    def attempt(fmt: str, subset: pd.Series) -> pd.Series:
        return pd.to_datetime(subset, format=fmt, errors="coerce")

    def still_unread(cells: pd.Series) -> pd.Series:
        return cells[days.loc[cells.index].isna().to_numpy(dtype=bool)]

    if len(text):
        iso = attempt("%Y-%m-%d", text)
        days[iso.index] = iso.dt.normalize()
        text = still_unread(text)
    if len(text):
        looks_iso = text.str.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]").fillna(False).astype(bool)
        if looks_iso.any():
            iso = pd.to_datetime(text[looks_iso], format="ISO8601", errors="coerce", utc=True)
            days[iso.index] = iso.dt.tz_localize(None).dt.normalize()
            text = still_unread(text)
    # 2. numeric day/month/year, with the column's order
    if len(text):
        found, said = _numeric_dates(text, days, name)
        problems.extend(found)
        notes.extend(said)
        text = still_unread(text)
        if found:
            text = text[~text.index.isin(pd.concat(found)["row"])]
    # 3. month names (only cells with letters can hold one)
    worded = len(text) > 0 and bool(text.str.contains("[A-Za-z]", regex=True).fillna(False).any())
    for fmt in _NAMED_FORMATS if worded else ():
        if not len(text):
            break
        named = attempt(fmt, text).dropna()
        days[named.index] = named
        text = still_unread(text)
    # 4. Excel serial day numbers
    if len(text):
        serial = text.str.fullmatch(r"[0-9]{3,5}(?:[.][0-9]+)?").fillna(False).astype(bool)
        if serial.any():
            number = pd.to_numeric(text[serial], errors="coerce")
            plausible = number.between(*EXCEL_SERIAL)
            number = number[plausible]
            if len(number):
                read = EXCEL_EPOCH + pd.to_timedelta(np.floor(number.to_numpy(dtype="float64")), unit="D")
                days[number.index] = pd.Series(read, index=number.index).dt.normalize()
                first = number.index[0]
                notes.append(f"{name}: {len(number):,} Excel serial day number(s) read as dates "
                             f"(e.g. row {first}: {text[first]} -> {days[first]:%Y-%m-%d})")
                text = still_unread(text)
    # 5. anything else with a word in it: dateparser, once per distinct value
    if worded and len(text):
        parsed = _dateparser(text)
        if parsed.notna().any():
            got = parsed.dropna()
            days[got.index] = got
            first = got.index[0]
            notes.append(f"{name}: {len(got):,} date(s) in other spellings read by dateparser "
                         f"(e.g. row {first}: {text[first]!r} -> {got[first]:%Y-%m-%d})")
        text = still_unread(text)
    if len(text):
        problems.append(problems_for(name, values.loc[text.index], "invalid-date",
                                     "not a date eventcode can read (write YYYY-MM-DD)"))
    return days.astype(PANDAS_TYPES["date"]), problems, notes


def _arrow_iso_dates(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """YYYY-MM-DD cells as datetime64[s], others NaT, in a few Arrow passes.

    Arrow's strptime rolls 2016-02-30 over to 2016-03-01, so a day written 29-31 that comes back as an
    early day of the next month is refused here and left for the stricter pandas parsers.
    """
    if len(arr) >= DISTINCT_DATES_FROM:  # a column repeats its dates: parse each distinct one once
        encoded = arr.dictionary_encode()
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.unify_dictionaries().combine_chunks() if encoded.num_chunks else None
        if encoded is not None and len(encoded.dictionary) <= len(arr) // 4:
            parsed = _arrow_iso_dates(encoded.dictionary)
            codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
            return np.append(parsed, np.datetime64("NaT", "s"))[codes]  # code -1 (empty) picks NaT
    stamps = pc.strptime(arr, format="%Y-%m-%d", unit="s", error_is_null=True)
    late = pc.is_in(pc.utf8_slice_codeunits(arr, 8, 10), value_set=pa.array(["29", "30", "31"]))
    rolled = pc.and_(late, pc.less(pc.day(stamps), 29))
    keep = pc.and_(pc.equal(pc.binary_length(arr), 10), pc.invert(rolled)).fill_null(False)
    stamps = pc.if_else(keep, stamps, pa.scalar(None, pa.timestamp("s")))
    return stamps.to_numpy(zero_copy_only=False).astype("datetime64[s]")


def _numeric_dates(text: pd.Series, days: pd.Series, name: str) -> tuple[list[pd.DataFrame], list[str]]:
    """Read 12/08/2016-style dates day first (or month first where the column can only mean that)."""
    parts = text.str.extract(_NUMERIC_DATE)
    hit = parts[0].notna()
    if not hit.any():
        return [], []
    parts = parts[hit]
    first = parts[0].astype(int)
    second = parts[1].astype(int)
    year = parts[2].astype(int)
    year = year.where(parts[2].str.len() == 4, np.where(year < 70, 2000 + year, 1900 + year))
    day_first = _assemble(year, second, first)
    month_first = _assemble(year, first, second)
    only_month_first = day_first.isna() & month_first.notna()
    only_day_first = month_first.isna() & day_first.notna()
    order, reading, other, other_order = "day/month", day_first, month_first, "month/day"
    notes: list[str] = []
    if only_month_first.any() and not only_day_first.any():
        order, reading, other, other_order = "month/day", month_first, day_first, "day/month"
        notes.append(f"{name}: numeric dates read as month/day (month/day/year): none fits day/month/year "
                     f"(e.g. row {only_month_first.idxmax()}: {text[only_month_first.idxmax()]})")
    good = reading.dropna()
    days[good.index] = good
    ambiguous = reading.notna() & other.notna() & (reading != other)
    if ambiguous.any():
        row = ambiguous.idxmax()
        notes.append(f"{name}: {int(ambiguous.sum()):,} date(s) such as {text[row]!r} (row {row}) could be "
                     f"day/month or month/day; read as {order} ({reading[row]:%Y-%m-%d}). "
                     f"Write YYYY-MM-DD to remove the doubt.")
    problems = []
    wrong_order = reading.isna() & other.notna()
    if wrong_order.any():
        problems.append(problems_for(
            name, text[wrong_order.index[wrong_order]], "invalid-date",
            f"not a date when read {order} like the rest of the column",
            suggest.readings(other[wrong_order], other_order)))
    return problems, notes


def _assemble(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """Dates from parts; impossible ones (month 13, 31 April) become NaT."""
    frame = pd.DataFrame({"year": year, "month": month, "day": day})
    return pd.to_datetime(frame, errors="coerce").astype("datetime64[s]")


def _dateparser(text: pd.Series) -> pd.Series:
    """Last resort for odd spellings: absolute dates only, day before month, no guessing of missing parts."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    # only spellings with a month name: numeric ones are read above, where the day/month order is known
    candidates = text[text.str.len().le(_DATEPARSER_MAX_LEN) & text.str.contains(r"[0-9]", regex=True)
                      & text.str.contains(r"[A-Za-z]{3}", regex=True)]
    if candidates.empty:
        return out
    import dateparser  # slow to import and rarely needed

    settings = {"DATE_ORDER": "DMY", "STRICT_PARSING": True, "PARSERS": ["absolute-time"],
                "REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False}
    lookup: dict[str, pd.Timestamp] = {}
    for value in pd.unique(candidates):
        try:
            got = dateparser.parse(str(value), languages=["en"], settings=settings)
        except Exception:  # dateparser raises assorted errors on odd text; such a cell is just unreadable
            got = None
        if got is not None and 1000 <= got.year <= 2999:
            lookup[value] = pd.Timestamp(got.date())
    if lookup:
        mapped = candidates.astype(object).map(lookup)
        mapped = pd.to_datetime(mapped.dropna()).astype("datetime64[s]")
        out[mapped.index] = mapped
    return out
