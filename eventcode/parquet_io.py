"""Typed Parquet output that R (arrow) and pandas read with the right types and the dataset's provenance.

Why typed by the schema rather than by pandas' inference: categories must arrive as factors in R and as
categoricals in pandas, dates as dates (not strings or timestamps), counts as int32 (R has no int64), and
the same file must look the same whichever tool wrote it. Provenance (schema, eventcode version, creation
time, codebook) travels inside the file so a Parquet file found on a shared drive explains itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from . import __version__
from .atomic import atomic_path, check_writable
from .errors import InputError, InvalidDataError
from .schema import Column, Schema, load_schema
from .tabular_out import write_csv, write_xlsx

if TYPE_CHECKING:
    from .report import Report

METADATA_KEY = "eventcode"
RESERVED_KEYS = frozenset({"schema", "schema_version", "eventcode_version", "created", "partitioning"})
COMPRESSION = "zstd"
INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_PANDAS_INTS = {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}

Source = str | os.PathLike


# -- DataFrame -> Arrow ---------------------------------------------------------------------------------
def output_columns(data: pd.DataFrame, schema: Schema) -> list[str]:
    """Schema order; every ACLED column (a missing optional one becomes nulls), evidence ones if present.

    Columns the schema does not know are dropped: the Parquet file carries the schema's row, nothing else.
    """
    repeated = sorted({str(c) for c in data.columns[data.columns.duplicated()]})
    if repeated:
        raise InvalidDataError(f"column(s) {', '.join(repeated)} appear more than once")
    missing = [c.name for c in schema.columns if c.required and c.name not in data.columns]
    if missing:
        raise InvalidDataError(f"missing required column(s): {', '.join(missing)}")
    return [c.name for c in schema.columns if c.name in data.columns or not c.evidence]


def to_arrow(data: pd.DataFrame, schema: Schema | None = None) -> pa.Table:
    """The DataFrame as an Arrow table typed by `schema.arrow_schema()`, in schema order.

    Values are converted, never silently lost: a cell that cannot become its column's type (a date that
    is not a date, 2.5 fatalities) raises InvalidDataError naming the column, the row and the value.
    """
    schema = schema or load_schema()
    names = output_columns(data, schema)
    arrow_schema = schema.arrow_schema(names)
    arrays = []
    for name in names:
        column = schema.by_name[name]
        if name in data.columns:
            series = data[name].reset_index(drop=True)
            labels = data.index
        else:
            series = pd.Series([None] * len(data), dtype=object)
            labels = data.index
        array = _to_array(series, column, schema.arrow_type(column), labels)
        if not arrow_schema.field(name).nullable and array.null_count:
            first = labels[int(np.flatnonzero(array.is_null().to_numpy(zero_copy_only=False))[0])]
            raise InvalidDataError(f"column {name!r}: {array.null_count} empty value(s) in a required "
                                   f"column, first at row label {first!r}")
        arrays.append(array)
    table = pa.Table.from_arrays(arrays, schema=arrow_schema)
    return table.replace_schema_metadata({**(arrow_schema.metadata or {}),
                                          b"pandas": _pandas_metadata(table)})


def _to_array(series: pd.Series, column: Column, arrow_type: pa.DataType, labels: pd.Index) -> pa.Array:
    missing = series.isna().to_numpy()
    if column.type == "category":
        return _category_array(_text_array(series), column)
    if column.type == "string":
        return _text_array(series)
    if column.type == "date":
        return _date_array(series, column, missing, labels)
    if column.type in INT_RANGES and pd.api.types.is_integer_dtype(series):
        ints = series.astype("Int64")  # exact: no detour through float for large int64 values
        low, high = INT_RANGES[column.type]
        _raise_bad(series, column, ((ints < low) | (ints > high)).fillna(False).to_numpy(bool), labels,
                   f"a whole number that fits {column.type}")
        return pa.array(ints, type=arrow_type, from_pandas=True)
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        numbers = series
    else:
        numbers = pd.to_numeric(series.astype(object).where(~missing, None), errors="coerce")
    values = numbers.astype("float64").to_numpy(dtype="float64", na_value=np.nan)
    nan = np.isnan(values)
    bad = nan & ~missing
    if column.type in INT_RANGES:
        low, high = INT_RANGES[column.type]
        with np.errstate(invalid="ignore"):
            bad |= ~nan & ((values != np.floor(values)) | (values < low) | (values > high))
        _raise_bad(series, column, bad, labels, f"a whole number ({column.type})")
        ints = np.where(nan, 0, values).astype(arrow_type.to_pandas_dtype())
        return pa.array(ints, type=arrow_type, mask=nan)
    _raise_bad(series, column, bad, labels, "a number")
    return pa.array(values, type=pa.float64(), mask=nan)


def _text_array(series: pd.Series) -> pa.Array:
    """Any column as an Arrow string array, through Arrow (fast) unless the objects are mixed."""
    try:
        array = pa.array(series, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed Python objects: str() each one
        text = series.astype(object).where(series.notna(), None).map(str, na_action="ignore")
        return pa.array(text, type=pa.string(), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), pa.string())
    return array if array.type == pa.string() else array.cast(pa.string())


def _category_array(text: pa.Array, column: Column) -> pa.DictionaryArray:
    """Dictionary-encoded with the schema's allowed values as levels (R factor levels, in schema order);
    values outside the list (data not validated) are kept, as extra levels after the allowed ones."""
    levels = pa.array([str(v) for v in column.allowed or ()], type=pa.string())
    indices = pc.index_in(text, value_set=levels)
    unknown = pc.and_(pc.is_null(indices), pc.is_valid(text))
    if pc.any(unknown).as_py():
        extra = pc.unique(text.filter(unknown)).sort()
        levels = pa.concat_arrays([levels, extra])
        indices = pc.index_in(text, value_set=levels)
    return pa.DictionaryArray.from_arrays(indices.cast(pa.int32()), levels)


def _date_array(series: pd.Series, column: Column, missing: np.ndarray, labels: pd.Index) -> pa.Array:
    if pd.api.types.is_datetime64_any_dtype(series):
        stamps = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
    else:
        text = _text_array(series).to_pandas(types_mapper=pd.ArrowDtype)
        stamps = pd.to_datetime(text, errors="coerce", format="ISO8601")
    parsed = stamps.isna().to_numpy()
    _raise_bad(series, column, parsed & ~missing, labels, "a date (YYYY-MM-DD)")
    days = stamps.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    return pa.array(days, type=pa.date32(), mask=parsed)


def _raise_bad(series: pd.Series, column: Column, bad: np.ndarray, labels: pd.Index, expected: str) -> None:
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InvalidDataError(f"column {column.name!r}: {int(bad.sum())} value(s) are not {expected}, "
                               f"first {series.iloc[first]!r} at row label {labels[first]!r}")


def _pandas_metadata(table: pa.Table, drop: Iterable[str] = ()) -> bytes:
    """pandas' own metadata, so pandas reads integers as nullable Int32/Int64 rather than float64.

    Built from an empty frame: cheap, and exactly what pyarrow would write for the typed DataFrame.
    Partition columns are left out (`drop`) because readers infer their types from the directory names.
    """
    empty = table.slice(0, 0).to_pandas(types_mapper=_PANDAS_INTS.get)
    meta = json.loads(pa.Table.from_pandas(empty, schema=table.schema, preserve_index=False)
                      .schema.metadata[b"pandas"])
    meta["columns"] = [c for c in meta["columns"] if c["name"] not in set(drop)]
    return json.dumps(meta).encode()


# -- writing --------------------------------------------------------------------------------------------
def dataset_metadata(schema: Schema, metadata: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The provenance object stored under the "eventcode" key; caller metadata adds keys (codebook id
    and version, coder, project) but cannot overwrite eventcode's own."""
    payload: dict[str, Any] = {
        "schema": schema.name,
        "schema_version": schema.version,
        "eventcode_version": __version__,
        "created": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }
    clash = sorted(str(key) for key in metadata or {} if str(key) in RESERVED_KEYS)
    if clash:
        raise ValueError(f"metadata key(s) {', '.join(clash)} are set by eventcode; choose other names")
    payload.update({str(key): value for key, value in (metadata or {}).items()})
    return payload


def write_parquet(
    data: pd.DataFrame | Source | list[Source],
    path: Source,
    schema: Schema | str | os.PathLike | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    partition_by: list[str] | None = None,
    force: bool = False,
    sheet: str | None = None,
    keep_invalid: bool = False,
    rejects: Source | None = None,
    validate: bool | None = None,
) -> Path:
    """Write `data` as typed, zstd-compressed Parquet at `path` and return the path.

    `data` is one or more input files (CSV, XLSX, Parquet) or a DataFrame. Files are validated first,
    exactly as `eventcode convert` does: invalid rows refuse the whole write (InvalidDataError carrying
    the report) unless `keep_invalid`, which writes the valid rows and puts the others in a rejects CSV
    (`rejects`, default OUT.rejects.csv). A DataFrame is written as is, typed by the schema (it comes
    from `eventcode.validate` or the coder), unless `validate=True` asks for the same checks.
    `partition_by=["country", "year"]` writes a hive-partitioned directory instead of one file.
    The write is atomic and never replaces an existing output unless `force`.

        >>> write_parquet("coded.xlsx", "events.parquet", metadata={"coder": "team A"})
    """
    if validate is None:
        validate = not isinstance(data, pd.DataFrame)
    if validate:
        return convert(data, path, schema, metadata=metadata, partition_by=partition_by, force=force,
                       sheet=sheet, keep_invalid=keep_invalid, rejects=rejects).path
    schema = _schema(schema)
    table = to_arrow(data, schema)
    return write_table(table, path, schema, metadata=metadata, partition_by=partition_by, force=force)


def write_parquet_batches(frames: Iterable[pd.DataFrame], path: Source, schema: Schema, *,
                          metadata: Mapping[str, Any] | None = None, force: bool = False) -> int:
    """Stream batches into one Parquet file typed as to_arrow types them, with the dataset metadata.

    Why batches: the coder writes rows as articles are coded, so memory stays flat in corpus size.
    At least one batch is needed (it fixes the file's schema); returns the number of rows.
    """
    payload = json.dumps(dataset_metadata(schema, metadata), ensure_ascii=False, default=str).encode()
    rows = 0
    with atomic_path(path, force=force) as tmp:
        writer = None
        try:
            for frame in frames:
                table = to_arrow(frame, schema)
                if writer is None:
                    arrow_schema = table.schema.with_metadata({**(table.schema.metadata or {}),
                                                               METADATA_KEY.encode(): payload})
                    writer = pq.ParquetWriter(tmp, arrow_schema, compression=COMPRESSION)
                writer.write_table(table.cast(writer.schema))
                rows += len(frame)
        finally:
            if writer is not None:
                writer.close()
    return rows


def write_table(table: pa.Table, path: Source, schema: Schema, *, metadata: Mapping[str, Any] | None = None,
                partition_by: list[str] | None = None, force: bool = False) -> Path:
    """Write an Arrow table from `to_arrow` (single file, or hive-partitioned directory)."""
    target = Path(path)
    payload = json.dumps(dataset_metadata(schema, metadata), ensure_ascii=False, default=str).encode()
    if not partition_by:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               METADATA_KEY.encode(): payload})
        with atomic_path(target, force=force) as tmp:
            pq.write_table(table, tmp, compression=COMPRESSION)
        return target
    unknown = [name for name in partition_by if name not in table.column_names]
    if unknown:
        raise InputError(target, f"cannot partition by {', '.join(map(repr, unknown))}: not a column "
                                 f"of the data (columns: {', '.join(table.column_names)})")
    # Every file carries the provenance, plus what a reader needs to restore the partition columns'
    # exact types (generic readers infer them from directory names). No `_common_metadata` file: polars
    # refuses a directory holding anything but data files.
    info = dataset_metadata(schema, metadata)
    info["partitioning"] = {"flavor": "hive", "columns": table.column_names,
                            "types": {name: schema.by_name[name].type for name in partition_by
                                      if name in schema.by_name}}
    files = table.replace_schema_metadata({
        **(table.schema.metadata or {}),
        b"pandas": _pandas_metadata(table, drop=partition_by),
        METADATA_KEY.encode(): json.dumps(info, ensure_ascii=False, default=str).encode(),
    })
    options = ds.ParquetFileFormat().make_write_options(compression=COMPRESSION)
    # Sorted, each partition's rows arrive together: one file per directory even when more partitions
    # exist than files may be open at once; pyarrow's default cap of 1024 partitions (243 countries x
    # 28 years exceeds it) is lifted to the number actually present.
    keys = pa.table({name: _sort_key(files.column(name)) for name in partition_by})
    files = files.take(pc.sort_indices(keys, [(name, "ascending") for name in partition_by]))
    count = keys.group_by(partition_by).aggregate([]).num_rows
    with atomic_path(target, force=force, directory=True) as tmp:
        ds.write_dataset(files, tmp, format="parquet", partitioning=partition_by, partitioning_flavor="hive",
                         file_options=options, basename_template="part-{i}.parquet",
                         existing_data_behavior="overwrite_or_ignore", max_partitions=max(1024, count))
    return target


def _sort_key(column: pa.ChunkedArray) -> pa.Array:
    """A sortable stand-in for a column: a dictionary column's indices (Arrow cannot sort dictionaries)."""
    combined = column.combine_chunks()
    return combined.indices if pa.types.is_dictionary(combined.type) else combined


def _schema(schema: Schema | str | os.PathLike | None) -> Schema:
    return schema if isinstance(schema, Schema) else load_schema(schema)


# -- reading back ---------------------------------------------------------------------------------------
def read_metadata(path: Source) -> dict[str, Any]:
    """The provenance object embedded by write_parquet (file or partitioned directory); {} if none."""
    source = Path(path)
    if not source.exists():
        raise InputError(source, "no such file or directory")
    if source.is_dir():
        source = next(iter(sorted(source.rglob("*.parquet"))), None)
        if source is None:
            raise InputError(path, "no Parquet files in this directory")
    try:
        file_schema = pq.read_schema(source)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(source, f"not a readable Parquet file ({exc})") from None
    raw = (file_schema.metadata or {}).get(METADATA_KEY.encode())
    return json.loads(raw) if raw else {}


def read_table(path: Source) -> pa.Table:
    """Read a file or partitioned directory written here, with the exact written types and order.

    Why: generic readers infer hive partition columns from directory names (pandas makes `year` a
    category, polars an Int64); the embedded partitioning record restores int32 years and dictionary
    countries.
    """
    target = Path(path)
    if not target.is_dir():
        return pq.read_table(target)
    record = read_metadata(target).get("partitioning")
    if not record:
        return ds.dataset(target, format="parquet", partitioning="hive").to_table()
    arrow_type = load_schema().arrow_type  # the schema's type words -> Arrow types, one mapping
    types = {name: arrow_type(Column(name, kind)) for name, kind in record["types"].items()}
    plain = pa.schema([pa.field(name, _plain(kind)) for name, kind in types.items()])
    partitioning = ds.partitioning(plain, flavor="hive")
    table = ds.dataset(target, format="parquet", partitioning=partitioning).to_table()
    for name, kind in types.items():
        position = table.column_names.index(name)
        table = table.set_column(position, table.schema.field(name).with_type(kind),
                                 table.column(name).cast(kind))
    return table.select([name for name in record["columns"] if name in table.column_names])


def _plain(arrow_type: pa.DataType) -> pa.DataType:
    return arrow_type.value_type if pa.types.is_dictionary(arrow_type) else arrow_type


# -- validate, then write (the library side of `eventcode convert`) --------------------------------------
@dataclass
class ConvertResult:
    """What a validated write did: the output, rows written and set aside, the rejects file, the report."""

    path: Path
    written: int
    rejected: int
    rejects: Path | None
    report: Report

    def summary(self) -> str:
        line = f"{self.path}: {self.written:,} rows written"
        if self.rejected:
            line += f"; {self.rejected:,} invalid rows set aside in {self.rejects}"
        elif not self.report.valid:
            line += f"; {len(self.report):,} problems outside the rows (see the report)"
        return line


def convert(
    sources: pd.DataFrame | Source | list[Source],
    path: Source,
    schema: Schema | str | os.PathLike | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    partition_by: list[str] | None = None,
    force: bool = False,
    sheet: str | None = None,
    keep_invalid: bool = False,
    rejects: Source | None = None,
) -> ConvertResult:
    """Validate input files (or a DataFrame) and write their rows as one typed Parquet dataset.

    Invalid rows refuse the whole write (InvalidDataError carrying the report) unless `keep_invalid`:
    then the valid rows are written and the others go to a rejects file (default: OUT.rejects.csv; an
    .xlsx name gives a workbook) with their file, spreadsheet row number, problems and cells as written,
    spreadsheet-safe. Nothing is written when an input cannot be read or no row is valid.
    """
    from .reading import read
    from .validation import validate

    schema = _schema(schema)
    target = Path(path)
    rejects_path = Path(rejects) if rejects is not None else target.with_name(target.name + ".rejects.csv")
    if not force:  # fail before a long validation, not after it
        check_writable(target, force=False)
        if keep_invalid:
            check_writable(rejects_path, force=False)
    if isinstance(sources, pd.DataFrame):
        tables = [_Table("<DataFrame>", None, sources, _frame_rows(sources))]
        result = validate(sources, schema=schema)
    else:
        sheets = read(sources, sheet=sheet, schema=schema, categorical=True)
        tables = [_Table(s.path, s.sheet, s.frame, s.frame.index.to_numpy()) for s in sheets]
        result = validate(sheets, schema=schema)
    report, valid = _across_files(result, tables, schema)
    if not report.valid and not keep_invalid:
        raise InvalidDataError(f"{report.headline()}; nothing written (--keep-invalid, or keep_invalid=True, "
                               "writes the valid rows and sets the others aside)", report)
    if not valid.any():
        raise InvalidDataError(f"{report.headline()}; no valid row to write", report)
    table = to_arrow(result.data[valid], schema)
    bad = _rejected_rows(tables, ~valid, report)
    if not len(bad):
        write_table(table, target, schema, metadata=metadata, partition_by=partition_by, force=force)
        return ConvertResult(target, table.num_rows, 0, None, report)
    # The rejects file appears only if the dataset was written too: one is useless without the other.
    with atomic_path(rejects_path, force=force) as pending:
        if rejects_path.suffix.lower() == ".xlsx":
            write_xlsx(bad, pending, force=True, sheet_name="rejects")
        else:
            write_csv(bad, pending, force=True)
        write_table(table, target, schema, metadata=metadata, partition_by=partition_by, force=force)
    return ConvertResult(target, table.num_rows, len(bad), rejects_path, report)


def _across_files(result: Any, tables: list[_Table], schema: Schema) -> tuple[Report, np.ndarray]:
    """Validation checks unique columns within each file; one dataset needs them unique across files too.

    A repeat in a later file is reported (and its row made invalid) pointing at the first occurrence.
    """
    from .report import Report, problem_frame

    valid = result.valid_rows.to_numpy(dtype=bool).copy()
    unique = [c.name for c in schema.columns if c.unique and c.name in result.data.columns]
    if len(tables) < 2 or not unique:
        return result.report, valid
    source = np.repeat(np.arange(len(tables)), [len(t.frame) for t in tables])
    rows = np.concatenate([t.rows for t in tables])
    found = []
    for name in unique:
        values = result.data[name].astype("string")
        frame = pd.DataFrame({"value": values.to_numpy(), "source": source, "row": rows}).dropna()
        first = frame.groupby("value", sort=False).transform("first")
        repeat = frame[first["source"].to_numpy() != frame["source"].to_numpy()]
        if repeat.empty:
            continue
        origin = first.loc[repeat.index]
        where = [tables[s].label for s in origin["source"]]
        found.append(pd.DataFrame({
            "file": [tables[s].path for s in repeat["source"]],
            "sheet": [tables[s].sheet for s in repeat["source"]],
            "row": repeat["row"].to_numpy(), "column": name, "value": repeat["value"].to_numpy(),
            "check": "duplicate-value",
            "message": [f"already used in {w}, row {r}" for w, r in zip(where, origin["row"], strict=True)],
            "suggestion": "give each event its own id",
        }))
        valid[repeat.index.to_numpy()] = False
    if not found:
        return result.report, valid
    report = result.report
    problems = problem_frame(pd.concat([report.to_frame(), *found], ignore_index=True))
    return Report(problems, notes=report.notes, files=report.files, rows=report.rows), valid


@dataclass
class _Table:
    path: str
    sheet: str | None
    frame: pd.DataFrame  # the cells as read, before typing
    rows: np.ndarray     # the spreadsheet row number of each row

    @property
    def label(self) -> str:
        return f"{self.path} [{self.sheet}]" if self.sheet else self.path


def _frame_rows(frame: pd.DataFrame) -> np.ndarray:
    """Row numbers validation gives a DataFrame: index + 2 for a clean integer index, else position + 2."""
    index = frame.index
    clean = pd.api.types.is_integer_dtype(index.dtype) and index.is_unique
    if clean and (len(index) == 0 or index.min() >= 0):
        return index.to_numpy(dtype=np.int64) + 2
    return np.arange(len(frame), dtype=np.int64) + 2


def _rejected_rows(tables: list[_Table], invalid: np.ndarray, report: Report) -> pd.DataFrame:
    """The invalid rows as written, led by file, sheet, row and their problems in one cell."""
    pieces, offset = [], 0
    for item in tables:
        take = invalid[offset: offset + len(item.frame)]
        offset += len(item.frame)
        if take.any():
            cells = item.frame[take].reset_index(drop=True)
            lead = pd.DataFrame({"file": item.path, "sheet": item.sheet or "", "row": item.rows[take]})
            pieces.append(pd.concat([lead, cells], axis=1))
    if not pieces:
        return pd.DataFrame()
    out = pd.concat(pieces, ignore_index=True)
    problems = report.to_frame()
    text = problems["column"].fillna("(row)") + ": " + problems["message"].fillna("")
    hint = problems["suggestion"].fillna("")
    problems["text"] = text.where(hint == "", text + " (" + hint + ")")
    problems["sheet"] = problems["sheet"].fillna("")
    joined = problems.groupby(["file", "sheet", "row"])["text"].agg("; ".join).rename("problems")
    out = out.join(joined, on=["file", "sheet", "row"])
    out["file"] = out["file"].replace({"-": "(stdin)"})  # "-" alone reads as a minus sign in a spreadsheet
    if not out["sheet"].astype(bool).any():
        out = out.drop(columns="sheet")
    lead = [c for c in ("file", "sheet", "row", "problems") if c in out.columns]
    return out[lead + [c for c in out.columns if c not in lead]]
