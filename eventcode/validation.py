"""Validate hand-coded rows against the schema: pandera for each column, checks.py across columns.

Why pandera: the column rules (types, empty required cells, closed vocabularies, patterns, bounds, unique
ids) are declared once from the schema file and run lazily, so every failure in every column comes back in
one table; eventcode's job is to turn that table into problems a coder can act on (spreadsheet row number,
the value as written, a message and a suggestion).

`validate(source)` accepts a path, a list of paths, Sheets from `eventcode.read`, or a pandas DataFrame
(its index is taken as 0-based, so index 0 is spreadsheet row 2).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from . import checks, suggest
from .coerce import PANDAS_TYPES, PARALLEL_ROWS, cells_as_written, coerce
from .errors import InputError
from .report import Report
from .schema import Column, Schema, load_schema

HEADER_ROW = 1
DATAFRAME_NAME = "<DataFrame>"


@dataclass
class ValidationResult:
    """The report, the typed rows (schema columns in order, RangeIndex) and which rows had no problem."""

    report: Report
    data: pd.DataFrame
    valid_rows: pd.Series

    @property
    def valid(self) -> bool:
        return self.report.valid


@dataclass
class _Input:
    """The parts of a reading.Sheet that validation uses (a DataFrame is wrapped in one of these)."""

    path: str
    sheet: str | None
    frame: pd.DataFrame
    formulas: dict[tuple[int, str], str]
    notes: list[str]


def validate(source: Any, schema: Schema | str | os.PathLike | None = None,
             sheet: str | None = None) -> ValidationResult:
    """Validate every row of `source`; raises InputError for unreadable input or missing required columns."""
    loaded = schema if isinstance(schema, Schema) else load_schema(schema)
    inputs = _inputs(source, loaded, sheet)
    results = [_validate_one(item, loaded) for item in inputs]
    problems = [r[0] for r in results]
    notes = [note for item, r in zip(inputs, results, strict=True) for note in _prefixed(item, r[3])]
    frames = [r[1] for r in results]
    data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    for name in data.columns:
        if loaded.by_name[name].type == "category" and not isinstance(data[name].dtype, pd.CategoricalDtype):
            data[name] = data[name].astype("category")
    valid_rows = pd.concat([r[2] for r in results], ignore_index=True).astype(bool)
    files = list(dict.fromkeys(_label(i) for i in inputs))
    report = Report(pd.concat(problems, ignore_index=True), notes=notes, files=files, rows=len(data))
    return ValidationResult(report=report, data=data, valid_rows=valid_rows)


def _label(item: _Input) -> str:
    return f"{item.path} [{item.sheet}]" if item.sheet else item.path


def _prefixed(item: _Input, notes: list[str]) -> list[str]:
    return [f"{_label(item)}: {n}" for n in notes]


def _inputs(source: Any, schema: Schema, sheet: str | None) -> list[_Input]:
    if isinstance(source, pd.DataFrame):
        return [_from_dataframe(source)]
    if isinstance(source, (str, os.PathLike)):
        source = [source]
    items = list(source)
    if not items:
        raise InputError("(no input)", "nothing to validate: give at least one file")
    if all(hasattr(s, "frame") and hasattr(s, "path") for s in items):
        sheets = items
    elif all(isinstance(s, (str, os.PathLike)) for s in items):
        from .reading import read

        sheets = read([str(s) for s in items], sheet=sheet, schema=schema, categorical=True)
    else:
        raise TypeError("validate() takes a path, a list of paths, a list of Sheets or a DataFrame")
    return [_Input(str(s.path), getattr(s, "sheet", None), s.frame, dict(getattr(s, "formulas", {}) or {}),
                   list(getattr(s, "notes", []) or [])) for s in sheets]


def _from_dataframe(frame: pd.DataFrame) -> _Input:
    """A notebook's DataFrame: index 0 is the first data row, i.e. spreadsheet row 2."""
    index = frame.index
    zero_based = len(index) == 0 or index.min() >= 0
    if pd.api.types.is_integer_dtype(index.dtype) and index.is_unique and zero_based:
        rows = index.to_numpy(dtype=np.int64) + 2
    else:
        rows = np.arange(len(frame), dtype=np.int64) + 2
    out = frame.copy(deep=False)
    out.index = pd.Index(rows, name="row")
    return _Input(DATAFRAME_NAME, None, out, {}, [])


# -- one sheet --------------------------------------------------------------------------------------
def _validate_one(item: _Input, schema: Schema) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, list[str]]:
    raw = item.frame
    raw = raw.rename(columns=lambda c: str(c).strip())
    if not raw.index.is_unique:
        raw = raw.reset_index(drop=True)
        raw.index = raw.index + 2
    repeated = sorted(set(raw.columns[raw.columns.duplicated()]))
    if repeated:
        raise InputError(item.path, f"column(s) {', '.join(map(repr, repeated))} appear more than once: keep "
                                    "one of each", where="header")
    known = [c for c in raw.columns if c in schema.by_name]
    unknown = [c for c in raw.columns if c not in schema.by_name]
    _require(item, schema, raw.columns, unknown)
    found = [_tagged(_unknown_columns(unknown, schema), "header"), _tagged(_formula_cells(item), "header")]

    coerced = coerce(raw[known], schema)
    typed = _complete(coerced.frame, schema)
    found.append(_tagged(coerced.problems, "coerce"))
    if len(typed) >= PARALLEL_ROWS:  # pandera and the cross-column checks only read `typed`: run both at once
        with ThreadPoolExecutor(max_workers=2) as pool:
            column_level = pool.submit(run_pandera, typed, schema)
            cross = checks.run_checks(typed, schema)
            found.append(_tagged(column_level.result(), "column"))
    else:
        found.append(_tagged(run_pandera(typed, schema), "column"))
        cross = checks.run_checks(typed, schema)
    found.extend(_tagged(p, "cross") for p in cross)

    problems = _deduplicate(pd.concat([f for f in found if not f.empty] or [found[0]], ignore_index=True))
    problems = _values_as_written(problems, raw)
    problems.insert(0, "file", item.path)
    problems.insert(1, "sheet", item.sheet)
    valid = np.ones(len(typed), dtype=bool)
    bad = _positions(typed.index, problems["row"].to_numpy(dtype=np.int64))
    valid[bad[bad >= 0]] = False
    valid_rows = pd.Series(valid, index=typed.index)
    return problems, typed, valid_rows, [*item.notes, *coerced.notes]  # Report() tidies the columns


def _require(item: _Input, schema: Schema, present: Sequence[str], unknown: list[str]) -> None:
    """Missing required columns make the file unusable: say which, and which header was probably meant."""
    missing = [c.name for c in schema.columns if c.required and c.name not in present]
    if not missing:
        return
    hints = []
    for name in missing:
        near = suggest.nearest(name, unknown, cutoff=75)
        if near is not None:
            hints.append(f'"{near}" for {name}?')
    reason = f"missing required column(s): {', '.join(missing)}"
    if hints:
        reason += "; did you mean " + ", ".join(hints)
    where = f"sheet {item.sheet}: header" if item.sheet else "header"
    raise InputError(item.path, reason, where=where)


def _unknown_columns(unknown: list[str], schema: Schema) -> pd.DataFrame:
    rows = []
    for name in unknown:
        near = suggest.nearest(name, schema.names, cutoff=75)
        rows.append({"row": HEADER_ROW, "column": name, "value": name, "check": "unknown-column",
                     "message": "not a column of the schema; it is left out of the data",
                     "suggestion": f'did you mean "{near}"?' if near else None})
    return _empty_if_none(rows)


def _formula_cells(item: _Input) -> pd.DataFrame:
    cells = sorted(item.formulas.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
    rows = [{"row": row, "column": column, "value": text, "check": "formula-cell",
             "message": "cell holds a formula; eventcode never evaluates formulas",
             "suggestion": "paste the values (Paste Special > Values) instead of the formula"}
            for (row, column), text in cells]
    return _empty_if_none(rows)


def _empty_if_none(rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = ["row", "column", "value", "check", "message", "suggestion"]
    return pd.DataFrame(rows, columns=columns)


def _complete(typed: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """All ACLED columns in schema order (absent optional ones empty), evidence columns only if present."""
    out = {}
    for col in schema.columns:
        if col.name in typed.columns:
            out[col.name] = typed[col.name]
        elif not col.evidence:
            out[col.name] = pd.Series(pd.NA, index=typed.index, dtype=_empty_dtype(col))
    return pd.DataFrame(out, index=typed.index, copy=False)


def _empty_dtype(col: Column) -> Any:
    if col.type == "category":
        return pd.CategoricalDtype(pd.Index([], dtype="string"))
    return PANDAS_TYPES[col.type]


def _tagged(problems: pd.DataFrame, stage: str) -> pd.DataFrame:
    return problems.assign(_stage=stage)


STAGE_ORDER = {"header": 0, "coerce": 1, "column": 2, "cross": 3}


def _deduplicate(problems: pd.DataFrame) -> pd.DataFrame:
    """One cell that cannot be read is one problem: later stages stay quiet about cells already reported.

    A cell emptied by coercion would otherwise also be "missing", a bad value also "not allowed" and a
    cross-column mismatch; later stages only add problems for cells earlier stages passed.
    """
    if problems.empty:
        return problems.drop(columns="_stage", errors="ignore")
    stage = problems["_stage"].map(STAGE_ORDER).fillna(0).to_numpy(dtype=np.int64)
    column_codes, _ = pd.factorize(problems["column"].fillna(""))
    cell, _ = pd.factorize(problems["row"].to_numpy(dtype=np.int64) * (column_codes.max() + 1) + column_codes)
    first = np.full(cell.max() + 1, len(STAGE_ORDER), dtype=np.int64)
    np.minimum.at(first, cell, stage)  # each cell's earliest stage
    keep = (stage == first[cell]) | (stage == 0)
    return problems[keep].drop(columns="_stage").reset_index(drop=True)


def _positions(index: pd.Index, rows: np.ndarray) -> np.ndarray:
    """Where each row number sits in the frame, -1 where it has none (the header, a dropped blank row).

    Row numbers ascend, so a binary search finds them without a hash table over a million-row index.
    """
    if not index.is_monotonic_increasing or not pd.api.types.is_integer_dtype(index.dtype):
        return index.get_indexer(rows)
    numbers = index.to_numpy()
    if len(numbers) == 0:
        return np.full(len(rows), -1, dtype=np.int64)
    at = np.clip(np.searchsorted(numbers, rows), 0, len(numbers) - 1)
    return np.where(numbers[at] == rows, at, -1)


def _values_as_written(problems: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    """Show each cell as the spreadsheet holds it (before typing), which is what the coder will search for.

    Formula cells keep their formula text, header problems their header.
    """
    if problems.empty:
        return problems
    problems = problems.copy()
    positions = _positions(raw.index, problems["row"].to_numpy(dtype=np.int64))
    cells = (problems["row"].to_numpy() > HEADER_ROW) & problems["check"].ne("formula-cell").to_numpy() \
        & (positions >= 0)
    columns = problems["column"].to_numpy(dtype=object)
    values = problems["value"].to_numpy(dtype=object).copy()
    for column in pd.unique(columns[cells]):
        if column not in raw.columns:
            continue
        take = cells & (columns == column)
        values[take] = cells_as_written(raw[column].iloc[positions[take]]).to_numpy()
    problems["value"] = values
    return problems


# -- pandera ----------------------------------------------------------------------------------------
def pandera_schema(schema: Schema, columns: Sequence[str] | None = None,
                   check_types: bool = True) -> pa.DataFrameSchema:
    """The pandera schema for the typed frame: one Column per schema column, checks in a known order.

    The order of each column's checks is the order of `column_checks`, so a failure's check_number maps
    back to eventcode's code. `check_types=False` leaves the dtypes unchecked: validation passes it
    because coerce() has just produced every column in its schema type (and reported the cells it
    could not type), so only the values remain to check.
    """
    wanted = set(columns) if columns is not None else None
    pa_columns = {}
    for col in schema.columns:
        if wanted is not None and col.name not in wanted:
            continue
        pa_columns[col.name] = pa.Column(
            PANDAS_TYPES[col.type] if check_types else None,
            checks=[c for _, c in column_checks(col)],
            nullable=col.nullable,
            unique=col.unique,
            required=False,
            coerce=False,
        )
    return pa.DataFrameSchema(pa_columns, strict=False, name=f"{schema.name} {schema.version}")


def column_checks(col: Column) -> list[tuple[str, pa.Check]]:
    """(eventcode code, pandera check) for one column, in the order pandera numbers them."""
    out: list[tuple[str, pa.Check]] = []
    if col.allowed is not None:
        out.append(("not-allowed", pa.Check.isin(list(col.allowed))))
    if col.pattern is not None:
        out.append(("pattern-mismatch", pa.Check.str_matches(col.pattern)))
    if col.min is not None:
        out.append(("out-of-range:min", pa.Check.ge(col.min)))
    if col.max is not None:
        out.append(("out-of-range:max", pa.Check.le(col.max)))
    return out


def run_pandera(typed: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Run the pandera schema lazily and turn its failure cases into problem rows."""
    key = ("pandera", tuple(typed.columns))
    if key not in schema.derived:
        schema.derived[key] = pandera_schema(schema, typed.columns, check_types=False)
    pa_schema = schema.derived[key]
    try:
        pa_schema.validate(typed, lazy=True, inplace=True)
    except SchemaErrors as errors:
        return _failures_to_problems(errors.failure_cases, typed, schema)
    return _empty_if_none([])


def _failures_to_problems(failures: pd.DataFrame, typed: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    parts: dict[str, list[Any]] = {"row": [], "column": [], "check": [], "message": [], "suggestion": []}
    failures = failures[failures["column"].isin(typed.columns) & failures["index"].notna()]
    for (column, check), group in failures.groupby(["column", "check"], sort=False, dropna=False):
        col = schema.by_name[column]
        rows = pd.Index(group["index"].astype("int64").to_numpy())
        code = _code_of(col, str(check), group["check_number"].iloc[0])
        message, hint = _explain(code, col, typed[column].reindex(rows), typed, schema)
        parts["row"].append(rows.to_numpy())
        parts["column"].append(np.full(len(rows), column, dtype=object))
        parts["check"].append(np.full(len(rows), code.split(":")[0], dtype=object))
        parts["message"].append(_array(message, len(rows)))
        parts["suggestion"].append(_array(hint, len(rows)))
    if not parts["row"]:
        return _empty_if_none([])
    out = pd.DataFrame({name: np.concatenate(arrays) for name, arrays in parts.items()})
    out.insert(2, "value", None)
    return out


def _array(value: Any, n: int) -> np.ndarray:
    if isinstance(value, pd.Series):
        return value.astype(object).where(value.notna(), None).to_numpy()
    return np.full(n, value, dtype=object)


def _code_of(col: Column, check: str, number: Any) -> str:
    if check == "not_nullable":
        return "missing-value"
    if check == "field_uniqueness":
        return "duplicate-value"
    if number is not None and not pd.isna(number):
        return column_checks(col)[int(number)][0]
    return "not-allowed"


def _explain(code: str, col: Column, values: pd.Series, typed: pd.DataFrame,
             schema: Schema) -> tuple[Any, Any]:
    """Message and suggestion for one kind of column failure (per row where it helps)."""
    if code == "missing-value":
        return "required cell is empty", None
    if code == "not-allowed":
        allowed = [str(a) for a in col.allowed or ()]
        hint = suggest.did_you_mean(suggest.nearest_many(values.astype("string"), allowed))
        listed = ", ".join(allowed) if len(allowed) <= 8 else f"see the {col.name} list in the schema"
        return f"not an allowed {col.name} ({listed})", hint
    if code == "pattern-mismatch":
        text = values.astype("string")
        cleaned = text.str.upper().str.replace(r"\s+", "", regex=True)
        fits = cleaned.str.fullmatch(col.pattern).fillna(False).astype(bool) & (cleaned != text)
        hint = ("did you mean " + cleaned + "?").astype(object).where(fits, None)
        example = " (e.g. KAZ1234)" if col.name == "event_id_cnty" else ""
        return f"does not match the pattern {col.pattern}{example}", hint
    if code == "duplicate-value":
        rows = pd.Series(values.index, index=values.index)
        groups = rows.groupby(values.astype("string").to_numpy())
        listed = groups.transform(lambda r: ", ".join(map(str, r.iloc[:4])) + (" ..." if len(r) > 4 else ""))
        count = groups.transform("size").astype(str)
        message = "appears " + count + " times in this file (rows " + listed + ")"
        return message, "give each event its own id"
    if code.startswith("out-of-range"):
        hint: Any = None
        if col.name in ("latitude", "longitude") and {"latitude", "longitude"} <= set(typed.columns):
            needed = [c for c in ("latitude", "longitude", "country") if c in typed.columns]
            hint = checks.swap_hint(typed.loc[values.index, needed], schema)
        if code.endswith("min"):
            return f"below the minimum {_number(col.min)}", hint
        return f"above the maximum {_number(col.max)}", hint
    return f"fails the {col.name} check", None


def _number(value: float | None) -> str:
    return str(int(value)) if value is not None and float(value).is_integer() else str(value)
