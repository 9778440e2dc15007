"""Read CSV, XLSX and Parquet inputs into Sheets whose cells stay exactly as the user wrote them.

Why strings: the validator must report "12/08/2016" or " Arrests " as written, with the row number the
spreadsheet shows, so CSV and XLSX cells are kept as text (pandas string dtype, empty cells NA) and
type coercion happens in validation. Parquet is already typed and is kept as read.

Row numbers (the frame's index) are the ones a person sees: the header is row 1 and the first data row 2.
For CSV a row is a *record*: a quoted value spanning several lines is one row, as in Excel, so the
numbers match what the file shows when opened in a spreadsheet (not the text editor's line numbers).
Blank rows are dropped but keep their number. Parquet rows are numbered the same way (first row 2),
so a file converted between formats reports the same row numbers.

CSV is read by pyarrow with every column as string (memory-mapped, multithreaded): about the time of
pyarrow's own read_csv. Ragged rows are set aside by pyarrow with their record numbers and repaired
(short rows filled with empty cells; long rows refused, naming the row). Python's csv module reads the
whole file only when pyarrow cannot frame it at all (blank lines before the header, say).
Encodings: UTF-8 (with or without BOM), UTF-16/32 with BOM, else charset-normalizer's guess, with a note.
UTF-8 with a few stray bytes of another encoding is decoded line by line (the stray bytes read as cp1252),
with a note naming the lines: never a guess over the whole file that turns every "Zürich" into mojibake.

XLSX is read by python-calamine when no worksheet holds a formula, else by openpyxl (read-only, with
defusedxml), which alone reports formula text; a DTD anywhere in the workbook's XML is refused first.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import io
import itertools
import os
import re
import stat
import sys
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .encodings import UTF8_MULTIBYTE, decode_lines, line_list
from .errors import InputError
from .legacy import normalise_legacy

if TYPE_CHECKING:
    from .schema import Schema

STRING = pd.StringDtype("pyarrow")
TEXT = pa.large_string()       # what pandas' pyarrow strings hold: converting to pandas is zero-copy
DICTIONARY = pa.dictionary(pa.int32(), TEXT)
STDIN = "-"

EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
              ".parquet": "parquet", ".pq": "parquet"}
DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 1 << 16
REPAIRED = "utf-8, repaired"  # UTF-8 with stray bytes of another encoding, decoded line by line
BLOCK_SIZE = 1 << 22           # 4 MB: measured faster than pyarrow's 1 MB default on large files
MULTILINE_BLOCK_SIZE = 1 << 20  # with newlines_in_values, pyarrow's 1 MB default measured fastest
CHUNK = 1 << 16               # records per Arrow chunk in the csv-module fallback
MAX_XML_PART = 4 << 30         # refuse workbook parts that would decompress beyond 4 GB

# Signatures of files people give by mistake, so the message can say what the file is.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"PAR1", "parquet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "an old Excel .xls file (or a password-protected workbook); save it unprotected as .xlsx or CSV"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"\x1f\x8b", "a gzip archive"), (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!", "a RAR archive"), (b"\x7fELF", "a program"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"{\\rtf", "an RTF document"),
)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in a text spreadsheet (tab, LF, CR excluded).
_CONTROL = {c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127]}


@dataclass
class Sheet:
    """One table read from an input: a CSV or Parquet file, or one worksheet of a workbook.

    `frame` holds the cells as written (text for CSV and workbooks; with `read(categorical=True)`, a CSV's
    category columns as categoricals of that text), indexed by the row number the spreadsheet shows.
    """

    path: str
    sheet: str | None
    fmt: str
    frame: pd.DataFrame
    formulas: dict[tuple[int, str], str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    encoding: str | None = None

    @property
    def label(self) -> str:
        """How reports name this table: the path, plus the worksheet for workbooks."""
        return f"{self.path} [{self.sheet}]" if self.sheet else self.path


def read(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], sheet: str | None = None,
         schema: Schema | None = None, categorical: bool = False) -> list[Sheet]:
    """Read each path ("-" is stdin) into Sheets, normalising older ACLED exports to the current one.

    Raises InputError (naming the file and place) for anything that cannot be read as a table.
    `sheet` picks one worksheet of each workbook; CSV and Parquet inputs ignore it. `categorical=True`
    reads a CSV's category columns (event_type ...) as pandas categoricals of the same text, which is
    what validation wants: pyarrow hashes them while parsing, so nothing has to again.
    """
    if schema is None:
        from .schema import load_schema

        schema = load_schema()
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    sheets: list[Sheet] = []
    for item in items:
        for one in read_one(os.fspath(item), sheet=sheet, schema=schema, categorical=categorical):
            one.frame, notes = normalise_legacy(one.frame, schema)
            one.notes.extend(notes)
            sheets.append(one)
    return sheets


def read_one(path: str, sheet: str | None = None, schema: Schema | None = None,
             categorical: bool = False) -> list[Sheet]:
    """Read one input without legacy normalisation (every sheet of a workbook, or only `sheet`).

    With a schema, a workbook's hidden worksheets and worksheets whose header names no schema column
    (a data dictionary, dropdown lists, a summary) are skipped with a note, as long as some worksheet
    does look like event rows.
    """
    source = _Source.open(path)
    fmt, notes = _detect_format(source)
    if fmt == "csv":
        columns = schema.columns if schema is not None and categorical else ()
        result = [_read_csv(source, frozenset(c.name for c in columns if c.type == "category"))]
    elif fmt == "xlsx":
        known = None
        if schema is not None:
            known = {*schema.names, *schema.legacy_drop, "iso3"}
        result = _read_xlsx(source, sheet, known=known)
    else:
        result = [_read_parquet(source)]
    if notes:
        result[0].notes[:0] = notes
    return result


# -- sources --------------------------------------------------------------------------------------------
@dataclass
class _Source:
    """A file on disk or the bytes of stdin, with the name used in messages."""

    path: str
    label: str
    data: bytes | None = None
    repaired: list[int] = field(default_factory=list)  # lines not UTF-8, their stray bytes read as cp1252

    @classmethod
    def open(cls, path: str) -> _Source:
        if path == STDIN:
            data = sys.stdin.buffer.read()
            if not data:
                raise InputError("<stdin>", "empty input (0 bytes)")
            return cls(path, "<stdin>", data)
        target = Path(path)
        try:
            if target.is_dir():
                raise InputError(path, "is a directory, not a file")
            info = target.stat()
            # A pipe or device (<(command), /dev/stdin) has no size and cannot be re-read: buffer it.
            data = None if stat.S_ISREG(info.st_mode) else target.read_bytes()
        except FileNotFoundError:
            raise InputError(path, "no such file") from None
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
        if (info.st_size if data is None else len(data)) == 0:
            raise InputError(path, "empty file (0 bytes)")
        return cls(path, path, data)

    @property
    def suffix(self) -> str:
        return "" if self.path == STDIN else Path(self.path).suffix.lower()

    def head(self, size: int = SAMPLE_BYTES) -> bytes:
        if self.data is not None:
            return self.data[:size]
        with self.binary() as handle:
            return handle.read(size)

    def read_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        with self.binary() as handle:
            return handle.read()

    def size(self) -> int:
        return len(self.data) if self.data is not None else Path(self.path).stat().st_size

    def fileobj(self) -> Any:
        """What zipfile can read: the path, or a buffer over bytes already read."""
        return self.path if self.data is None else io.BytesIO(self.data)

    def binary(self) -> Any:
        """A binary file object to use as a context manager (readers that refuse unknown extensions)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise InputError(self.label, f"cannot read: {exc.strerror or exc}") from None

    def fail(self, reason: str, where: str | None = None) -> InputError:
        return InputError(self.label, reason, where)


def _detect_format(source: _Source) -> tuple[str, list[str]]:
    """The format from the magic bytes when they are decisive, else from the extension, else CSV."""
    head = source.head(64)
    kind = next((name for magic, name in MAGIC if head.startswith(magic)), None)
    by_ext = EXTENSIONS.get(source.suffix)
    if kind in ("zip", "parquet"):
        fmt = "xlsx" if kind == "zip" else "parquet"
        notes = []
        if by_ext and by_ext != fmt:
            notes.append(f"the file is named {source.suffix} but is {fmt.upper()}; read as {fmt.upper()}")
        return fmt, notes
    if kind is not None:
        raise source.fail(f"is {kind}, not a spreadsheet (CSV, XLSX or Parquet)")
    if by_ext in ("xlsx", "parquet"):
        raise source.fail(f"is not a valid {by_ext.upper()} file (its first bytes are not a "
                          f"{'ZIP archive' if by_ext == 'xlsx' else 'Parquet header'}); "
                          "if it is CSV text, rename it .csv")
    return "csv", []


# -- header and frame -----------------------------------------------------------------------------------
def _letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_ref(index: int, fmt: str) -> str:
    return f"column {_letter(index)}" if fmt == "xlsx" else f"column {index + 1} ({_letter(index)})"


def _clean_name(raw: Any) -> str:
    return "" if raw is None else str(raw).replace("\ufeff", "").strip()


def _text_frame(source: _Source, table: pa.Table, header: list[Any], rows: np.ndarray, fmt: str,
                where: str) -> tuple[pd.DataFrame, list[int]]:
    """Turn a table of string columns into the Sheet frame: checked header, blank rows dropped.

    Returns the frame and, for each kept column, its position in the input (for formula lookup).
    """
    names = [_clean_name(h) for h in header]
    keep: list[int] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        column = table.column(i)
        if not name:
            if column.null_count < len(column):
                first = int(rows[pc.index(pc.is_valid(column), True).as_py()])
                raise source.fail(f"{_column_ref(i, fmt)} has no header but holds data (first in row "
                                  f"{first}); give it a name or delete it", where)
            continue
        if name in seen:
            raise source.fail(f"column {name!r} appears twice in the header ({_column_ref(seen[name], fmt)} "
                              f"and {_column_ref(i, fmt)}); rename or remove one", where)
        seen[name] = i
        keep.append(i)
    if not keep:
        raise source.fail("the header row is empty", where)
    table = table.select(keep)
    if all(c.null_count for c in table.columns):  # else no row can be blank: skip a full pass
        filled = functools.reduce(pc.or_, [pc.is_valid(c) for c in table.columns])
        table = table.filter(filled)
        rows = rows[np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)]
    if table.num_rows == 0:
        raise source.fail("no data rows (only a header)", where if fmt == "xlsx" else None)
    frame = table.to_pandas(types_mapper=_string_mapper)
    frame.columns = [names[i] for i in keep]
    frame.index = pd.Index(rows, name="row")
    return frame, keep


def _string_mapper(dtype: pa.DataType) -> Any:
    return STRING if dtype in (pa.string(), pa.large_string()) else None


# -- CSV ------------------------------------------------------------------------------------------------
class _NotUtf8(Exception):
    """pyarrow found bytes that are not UTF-8: detect the encoding and transcode."""


def _read_csv(source: _Source, categorical: frozenset[str] = frozenset()) -> Sheet:
    """A CSV file as text cells; the `categorical` columns come dictionary-encoded (pandas categoricals).

    Why dictionary-encode while parsing: a category column holds a handful of distinct values, so pyarrow
    hashes them in its parsing threads and nothing downstream has to again.
    """
    head = source.head()
    encoding = next((enc for mark, enc in BOMS if head.startswith(mark)), None)
    if encoding is None and b"\x00" in head:
        encoding = _utf16_without_bom(head)
        if encoding is None:
            raise source.fail("looks like binary data (it contains NUL bytes), not CSV text")
    encoding = encoding or "utf-8"
    notes: list[str] = []
    text: str | None = None
    table: _ArrowCSV | _Fallback | None = None
    if encoding in ("utf-8", "utf-8-sig") and _utf8_prefix(head):
        # Fast path: pyarrow reads the file itself (memory-mapped) and checks it is UTF-8 throughout.
        sample = codecs.getincrementaldecoder("utf-8")().decode(head, final=False).lstrip("\ufeff")
        _refuse_control(source, sample)
        delimiter, header, skip = _sniff(source, sample, truncated=source.size() > len(head))
        try:
            table = _arrow_csv(source.path if source.data is None else pa.py_buffer(source.data),
                               delimiter, header, source.size(), skip, categorical)
        except _NotUtf8:
            table = None
    if table is None:
        text, encoding = _text_of(source, encoding)
        _refuse_control(source, text[:SAMPLE_BYTES])
        delimiter, header, skip = _sniff(source, text[:SAMPLE_BYTES], truncated=len(text) > SAMPLE_BYTES)
        data = text.encode("utf-8")
        table = _arrow_csv(pa.py_buffer(data), delimiter, header, len(data), skip, categorical)
    if isinstance(table, _Fallback):
        if text is None:
            text, encoding = _text_of(source, encoding)
            _refuse_control(source, text[:SAMPLE_BYTES])
        body, header, rows = _python_csv(source, text, table.delimiter, skip)
    else:
        header = [table.table.column(i)[0].as_py() for i in range(table.table.num_columns)]
        body, rows = _repair_ragged(source, table, delimiter)
    frame, _ = _text_frame(source, body, header, rows, "csv", "row 1 (header)")
    if encoding == REPAIRED:
        notes.append(f"not valid UTF-8 on line {line_list(source.repaired)} of the file: repaired, the stray "
                     "bytes read as cp1252 (the other lines are UTF-8); check those lines and save the file "
                     "as UTF-8")
        encoding = "utf-8"
    elif encoding not in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        notes.append(f"text encoding detected as {encoding} (not UTF-8); check accented letters "
                     "and save the file as UTF-8 to be sure")
    return Sheet(path=source.path, sheet=None, fmt="csv", frame=frame, notes=notes,
                 encoding="utf-8" if encoding == "utf-8-sig" else encoding)


@dataclass
class _Fallback:
    """pyarrow could not read the file as a rectangle: re-read with the csv module for exact rows."""

    delimiter: str


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM has NUL as every other byte (for Latin text); binary data does not."""
    half = max(1, len(head) // 2)
    even, odd = head[0::2].count(0) / half, head[1::2].count(0) / half
    if odd > 0.3 and even < 0.02:
        return "utf-16-le"
    if even > 0.3 and odd < 0.02:
        return "utf-16-be"
    return None


def _text_of(source: _Source, encoding: str) -> tuple[str, str]:
    """The whole file as text, and the encoding used: a UTF-8 BOM is trusted, no BOM means detect.

    UTF-8 with a few stray bytes (REPAIRED) is decoded line by line: the UTF-8 lines as they are, the
    stray bytes of the others read as cp1252; source.repaired has those lines' numbers.
    """
    if encoding == "utf-8-sig":
        try:
            source.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            encoding = REPAIRED
    elif encoding == "utf-8":
        encoding = _detect_encoding(source)
    return _decode(source, encoding), encoding


def _utf8_prefix(head: bytes) -> bool:
    """Whether the sample is UTF-8 (a sequence cut at the sample's end is fine)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _refuse_control(source: _Source, sample: str) -> None:
    """Refuse text that is mostly control characters: binary data that happened to decode."""
    if "\x00" in sample:
        raise source.fail("looks like binary data (it contains NUL characters), not CSV text")
    controls = len(sample) - len(sample.translate(_CONTROL))
    if controls > max(2, len(sample) // 100):
        raise source.fail(f"looks like binary data ({controls} control characters in the first "
                          f"{len(sample):,} characters), not CSV text")


def _detect_encoding(source: _Source) -> str:
    """The encoding of a file that is not UTF-8, preferring cp1252 when it is as good as the best guess.

    Why prefer cp1252: it is what Excel on Windows writes, and on short texts charset-normalizer often
    ranks a sibling code page (cp1250, cp1258) equally, which would turn "à" into "ŕ".
    """
    from charset_normalizer import from_bytes

    data = source.read_bytes()
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # real UTF-8 text in the file: UTF-8 with stray bytes in another encoding, repaired line by line
        if not data[: exc.start].isascii() or UTF8_MULTIBYTE.search(data, exc.start):
            return REPAIRED
    matches = list(from_bytes(data))
    if not matches:
        _undecodable(source, data, "utf-8")
        raise source.fail("cannot detect the text encoding; save the file as UTF-8")
    best = matches[0]
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos:
            return "cp1252"
    if best.encoding in ("utf_8", "ascii"):
        _undecodable(source, data, "utf-8")
    return str(best.encoding)


def _decode(source: _Source, encoding: str) -> str:
    data = source.read_bytes()
    if encoding == REPAIRED:
        text, source.repaired = decode_lines(data)
        return text.lstrip("\ufeff")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        _undecodable(source, data, encoding)
        raise source.fail(f"cannot decode the text as {encoding}; save the file as UTF-8") from None
    return text.lstrip("\ufeff")


def _undecodable(source: _Source, data: bytes, encoding: str) -> None:
    """Raise an InputError naming the line of the first byte that is not valid in `encoding`."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start:exc.start + 1].hex()
        raise source.fail(f"undecodable byte 0x{bad} at byte {exc.start:,}: not valid {encoding}, and "
                          "the file mixes encodings; save it as UTF-8", f"line {line}") from None
    except LookupError:
        pass


def _sniff(source: _Source, sample: str, truncated: bool) -> tuple[str, list[str], int]:
    """The delimiter, the header cells and how many lines precede the header (Excel's "sep=" hint).

    The delimiter is the candidate that splits the header into several cells and the most sample rows
    into the same number of cells (then the most cells): a header rarely contains a delimiter, so a
    semicolon file with decimal commas, or a comma file with "; " lists in cells, is not confused.
    """
    if truncated and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    hint = re.match(r"sep=([^\r\n])\r?\n", sample)
    if hint:  # Excel's own delimiter line; Excel hides it, so the header is still row 1
        rest = sample[hint.end():]
        try:
            header = next((r for r in csv.reader(io.StringIO(rest, newline=""), delimiter=hint[1]) if r), [])
        except csv.Error as exc:
            raise source.fail(f"cannot parse the header as CSV: {exc}", "row 1") from None
        return hint[1], header, 1
    best: tuple[float, int, str] | None = None
    header: list[str] = []
    preferred = "\t" if source.suffix == ".tsv" else ","
    for delimiter in sorted(DELIMITERS, key=lambda d: d != preferred):
        try:
            records = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if r][:50]
        except csv.Error:
            continue
        if not records:
            continue
        width = len(records[0])
        if width < 2:
            continue
        consistent = sum(len(r) == width for r in records) / len(records)
        score = (consistent, width, delimiter)
        if best is None or score[:2] > best[:2]:
            best, header = score, records[0]
    if best is None:  # one column: the delimiter that splits no row, so values may hold any of them
        single = [d for d in sorted(DELIMITERS, key=lambda d: d != preferred)
                  if all(d not in line for line in sample.splitlines()[:50])]
        delimiter = single[0] if single else preferred
        try:
            first = next((r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if r),
                         [])
        except csv.Error as exc:
            raise source.fail(f"cannot parse the header as CSV: {exc}", "row 1") from None
        return delimiter, first, 0
    return best[2], header, 0


@dataclass
class _ArrowCSV:
    """pyarrow's result: the table (header as its first row), each row's record number, and the ragged
    records pyarrow skipped, as (record number, raw text), to be repaired with the csv module."""

    table: pa.Table
    numbers: np.ndarray
    ragged: list[tuple[int, str]]


def _arrow_csv(data: str | pa.Buffer, delimiter: str, header: list[str], size: int, skip: int = 0,
               categorical: frozenset[str] = frozenset()) -> _ArrowCSV | _Fallback:
    """pyarrow's reader, every column string; raises _NotUtf8 for bytes that are not UTF-8.

    The first pass assumes no quoted value spans lines, which lets pyarrow cut the file into blocks at
    any newline (about 25% faster). That is safe to try: when a cut lands inside a quoted value, pyarrow
    reports the parser out of step with its chunker (or a short row) instead of returning wrong rows,
    and the file is read again with newlines_in_values. Ragged rows make a further single-threaded pass
    that skips them and records their record numbers (pyarrow counts records, so a quoted value over
    several lines is one), so a million-row file with one short row still reads at pyarrow's speed.
    Anything else pyarrow cannot read returns _Fallback: the csv module then reads the whole file and
    finds the exact row.
    """
    names = [f"c{i}" for i in range(len(header))]
    if not names:
        return _Fallback(delimiter)
    ragged: list[tuple[int | None, str]] = []

    def keep_aside(row: Any) -> str:
        ragged.append((row.number, row.text))
        return "skip"

    types = {name: DICTIONARY if _clean_name(cell) in categorical else TEXT
             for name, cell in zip(names, header, strict=True)}
    block, threads, multiline = BLOCK_SIZE, True, False
    while True:
        ragged.clear()
        try:
            stream = pa.memory_map(data) if isinstance(data, str) else pa.BufferReader(data)
            with stream:
                table = pacsv.read_csv(
                    stream,
                    read_options=pacsv.ReadOptions(column_names=names, block_size=block, skip_rows=skip,
                                                   use_threads=threads),
                    parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=multiline,
                                                     ignore_empty_lines=False,
                                                     invalid_row_handler=None if threads else keep_aside),
                    convert_options=pacsv.ConvertOptions(
                        column_types=types, null_values=[""],
                        strings_can_be_null=True, quoted_strings_can_be_null=True),
                )
        except pa.ArrowInvalid as exc:
            message = str(exc)
            if "invalid UTF8" in message:
                raise _NotUtf8 from None
            if not multiline:  # whatever failed, the file may have values over several lines: read as such
                block, multiline = MULTILINE_BLOCK_SIZE, True
                continue
            if "straddl" in message and block < size + 1:
                block = min(max(block * 8, size + 1), 2**31 - 1)
                continue
            if threads and re.search(r"Expected \d+ columns, got \d+", message):
                if not _is_utf8(data):  # pyarrow cannot hand such a row to keep_aside: transcode first
                    raise _NotUtf8 from None
                threads = False
                continue
            return _Fallback(delimiter)
        except (pa.ArrowException, OSError):
            return _Fallback(delimiter)
        break
    first = [table.column(i)[0].as_py() if table.num_rows else None for i in range(table.num_columns)]
    if [c or "" for c in first] != header or any(number is None for number, _ in ragged):
        return _Fallback(delimiter)
    numbers = np.arange(1, table.num_rows + len(ragged) + 1)
    bad = [(int(number) - skip, text) for number, text in ragged]  # numbers count the "sep=" line
    if bad:
        numbers = numbers[~np.isin(numbers, [number for number, _ in bad])]
    return _ArrowCSV(table, numbers, bad)


def _is_utf8(data: str | pa.Buffer) -> bool:
    """Whether the whole file is UTF-8 (read in 16 MB pieces; only ragged files pay for this)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream = pa.memory_map(data) if isinstance(data, str) else pa.BufferReader(data)
    with stream:
        try:
            while piece := stream.read(1 << 24):
                decoder.decode(piece, final=False)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _repair_ragged(source: _Source, arrow: _ArrowCSV, delimiter: str) -> tuple[pa.Table, np.ndarray]:
    """Short records get empty cells; long ones lose trailing empty cells, or are an InputError."""
    width = arrow.table.num_columns
    body, numbers = arrow.table.slice(1), arrow.numbers[1:]
    if not arrow.ragged:
        return body, numbers
    body = body.cast(pa.schema([pa.field(f.name, TEXT) for f in body.schema]))  # as the repaired rows
    records = []
    for number, text in arrow.ragged:
        try:
            record = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error as exc:
            raise source.fail(f"cannot parse as CSV: {exc}", f"row {number}") from None
        records.append(_fit(source, record, width, number, delimiter))
    table = pa.concat_tables([body, _text_table(records, width)])
    numbers = np.concatenate([numbers, [number for number, _ in arrow.ragged]])
    order = np.argsort(numbers, kind="stable")
    return table.take(pa.array(order)), numbers[order]


def _fit(source: _Source, record: list[str], width: int, number: int, delimiter: str) -> list[str]:
    """A record cut or padded to the header's width; extra cells holding values are an InputError."""
    if len(record) > width:
        extra = [c for c in record[width:] if c != ""]
        if extra:
            raise source.fail(f"{len(record)} cells but the header has {width} (extra value "
                              f"{extra[0][:40]!r}); quote values that contain {delimiter!r}",
                              f"row {number}")
        return record[:width]
    return record + [""] * (width - len(record))


def _python_csv(source: _Source, text: str, delimiter: str, skip: int = 0
                ) -> tuple[pa.Table, list[Any], np.ndarray]:
    """The exact, slower reader: record numbers as Excel shows them, ragged rows checked one by one.

    Records are turned into Arrow columns every CHUNK rows so a large file does not live as Python lists.
    """
    csv.field_size_limit(2**31 - 1)
    header: list[str] | None = None
    chunks: list[pa.Table] = []
    batch: list[list[str]] = []
    rows: list[int] = []
    number = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(itertools.islice(reader, skip, None), start=1):
            if not record or record == [""]:
                continue
            if header is None:
                header = record
                continue
            batch.append(_fit(source, record, len(header), number, delimiter))
            rows.append(number)
            if len(batch) == CHUNK:
                chunks.append(_text_table(batch, len(header)))
                batch = []
    except csv.Error as exc:
        raise source.fail(f"cannot parse as CSV: {exc}", f"row {number}") from None
    if header is None:
        raise source.fail("no header row (the file holds only blank lines)")
    chunks.append(_text_table(batch, len(header)))
    return pa.concat_tables(chunks), header, np.asarray(rows, dtype=np.int64)


def _text_table(records: list[list[str]], width: int) -> pa.Table:
    """Equal-length records as a table of string columns, "" as null (an empty cell)."""
    columns = list(zip(*records, strict=True)) if records else [()] * width
    arrays = []
    for column in columns:
        array = pa.array(column, type=TEXT)
        arrays.append(pc.if_else(pc.equal(array, ""), pa.scalar(None, TEXT), array))
    return pa.table(arrays, names=[f"c{i}" for i in range(width)])


# -- XLSX -----------------------------------------------------------------------------------------------
# A worksheet as rows: (row number as Excel shows it, cell texts, positions of cells holding formulas).
Rows = Iterator[tuple[int, list[str | None], list[int]]]
XML_BOMB = "refused: the workbook's XML declares entities or a DTD ({}), as XML bombs do"


class _Foreign(InputError):
    """A worksheet that is not event rows: hidden, or no schema column in its header."""


def _read_xlsx(source: _Source, only: str | None, engine: str | None = None,
               known: set[str] | None = None) -> list[Sheet]:
    """Every worksheet with data (or only `only`); the others are skipped with a note.

    Two engines give the same text: python-calamine (Rust, ~25x faster) for workbooks without formulas,
    openpyxl read-only (defusedxml-guarded) when a worksheet holds formulas or error cells, because only
    openpyxl reports a formula's text and an error's code (#N/A). Either way _check_zip has already
    refused DTDs and entity declarations.
    """
    has_formulas = _check_zip(source)
    if engine is None:
        engine = "openpyxl" if has_formulas or not _calamine_available() else "calamine"
    opener = _calamine_book if engine == "calamine" else _openpyxl_book
    from defusedxml import DefusedXmlException

    try:
        with opener(source) as (names, hidden, rows_of):
            if only is not None and only not in names:
                raise source.fail(f"no worksheet named {only!r}; the workbook has "
                                  f"{', '.join(map(repr, names))}")
            wanted = [only] if only is not None else names
            # First only what looks like event rows; if nothing does, every worksheet as it is.
            for filtered in ([True, False] if known and len(wanted) > 1 else [False]):
                sheets: list[Sheet] = []
                skipped: list[str] = []
                for title in wanted:
                    try:
                        if filtered and title in hidden:
                            raise _Foreign(source.label, "hidden worksheet", f"worksheet {title!r}")
                        sheets.append(_worksheet_sheet(source, title, rows_of(title),
                                                       known if filtered else None))
                    except InputError as exc:
                        if isinstance(exc, _Foreign) or (
                                len(wanted) > 1 and exc.reason.startswith(("no data rows", "empty"))):
                            skipped.append(f"worksheet {title!r} skipped: {exc.reason}")
                            continue
                        raise
                if sheets:
                    break
    except InputError:
        raise
    except DefusedXmlException as exc:
        raise source.fail(XML_BOMB.format(type(exc).__name__)) from None
    except Exception as exc:  # both engines raise many kinds for broken workbooks; all mean "cannot read"
        raise source.fail(f"not a readable XLSX workbook ({_short(exc)})") from None
    if not sheets:
        raise source.fail(f"no worksheet has data rows ({', '.join(map(repr, names))})")
    sheets[0].notes.extend(skipped)
    return sheets


def _calamine_available() -> bool:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def _openpyxl_book(source: _Source) -> Iterator[tuple[list[str], set[str], Callable[[str], Rows]]]:
    import openpyxl

    # A file object, not the path: openpyxl refuses paths whose extension it does not know.
    # Its UserWarnings (unsupported extensions, missing styles) say nothing about the user's data.
    with source.binary() as handle, \
            warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=False, keep_links=False)
        try:
            def rows_of(title: str) -> Rows:
                worksheet = workbook[title]
                worksheet.reset_dimensions()  # some writers record wrong dimensions; read every row
                for number, row in enumerate(worksheet.iter_rows(), start=1):
                    values = [_cell_text(getattr(cell, "value", None)) for cell in row]
                    yield number, values, [i for i, c in enumerate(row) if getattr(c, "data_type", "") == "f"]

            hidden = {ws.title for ws in workbook.worksheets if ws.sheet_state != "visible"}
            yield [ws.title for ws in workbook.worksheets], hidden, rows_of
        finally:
            workbook.close()


@contextlib.contextmanager
def _calamine_book(source: _Source) -> Iterator[tuple[list[str], set[str], Callable[[str], Rows]]]:
    import python_calamine

    with source.binary() as handle:
        workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        try:
            sheets = [m for m in workbook.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
            hidden = {m.name for m in sheets if m.visible != python_calamine.SheetVisibleEnum.Visible}

            def rows_of(title: str) -> Rows:
                # skip_empty_area=False: the first list is row 1, so numbers match Excel's.
                for number, row in enumerate(workbook.get_sheet_by_name(title).to_python(
                        skip_empty_area=False), start=1):
                    yield number, [_cell_text(value) for value in row], []

            yield [m.name for m in sheets], hidden, rows_of
        finally:
            workbook.close()


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


def _check_zip(source: _Source) -> bool:
    """Refuse what is not an Excel workbook, and DTDs (entity bombs) before any XML parser sees them.

    Returns whether a worksheet holds a formula or an error cell (#N/A), which decides the engine.
    """
    has_formulas = False
    try:
        with zipfile.ZipFile(source.fileobj()) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "xl/workbook.xml" not in names:
                raise source.fail(_zip_kind(names, archive))
            for member in members:
                if member.file_size > MAX_XML_PART:
                    raise source.fail(f"refused: workbook part {member.filename} would decompress to "
                                      f"{member.file_size / 2**30:.1f} GB")
                if not member.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(member) as handle:
                    dtd, prolog = _declares_dtd(handle.read(4096), handle)
                    if dtd:
                        raise source.fail(f"refused: workbook part {member.filename} declares a DTD or "
                                          "entities (an XML bomb?); Excel never writes these")
                    if member.filename.startswith("xl/worksheets/") and not has_formulas:
                        has_formulas = _holds_formula(prolog, handle)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError, zlib.error) as exc:
        raise source.fail(f"corrupt ZIP archive, not a readable XLSX workbook ({_short(exc)})") from None
    return has_formulas


_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)


def _declares_dtd(start: bytes, handle: Any) -> tuple[bool, bytes]:
    """Whether the XML prolog (before the root element) holds a <!DOCTYPE>, however long the prolog.

    Reads on only while the prolog continues (comments, processing instructions); a prolog longer than
    1 MB is refused too. Returns the verdict and the bytes read, for the formula scan to continue from.
    """
    data = start
    while True:
        text = data.decode("utf-16", errors="replace").encode() if data.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else data.removeprefix(codecs.BOM_UTF8)
        rest = text[_PROLOG.match(text).end():]
        if rest.startswith(b"<!") and not rest.startswith(b"<!--"):
            return True, data
        if rest and not rest.startswith((b"<?", b"<!--")):
            return False, data  # the root element: the prolog is over
        if len(data) > 1 << 20:
            return True, data
        more = handle.read(1 << 16)
        if not more:
            return False, data
        data += more


# A formula element (<f>, or <x:f> with a namespace prefix), or an error cell (t="e"), which
# python-calamine would read as empty. Plain substring tests: several times faster than one regex.
_FORMULA_MARKS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b't="e"', b"t='e'")


def _holds_formula(start: bytes, handle: Any) -> bool:
    """Stream the worksheet XML for a formula or an error cell: cells only openpyxl reads as written."""
    tail = b""
    chunk = start
    while chunk:
        window = tail + chunk
        if any(mark in window for mark in _FORMULA_MARKS):
            return True
        tail = chunk[-64:]
        chunk = handle.read(1 << 20)
    return False


def _zip_kind(names: set[str], archive: zipfile.ZipFile) -> str:
    if "xl/workbook.bin" in names:
        what = "an Excel binary workbook (.xlsb); save it as .xlsx or CSV"
    elif "word/document.xml" in names:
        what = "a Word document"
    elif any(n.startswith("ppt/") for n in names):
        what = "a PowerPoint presentation"
    elif "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
        what = "an OpenDocument spreadsheet (.ods); save it as .xlsx or CSV"
    else:
        shown = ", ".join(sorted(names)[:3]) or "nothing"
        what = f"a ZIP archive of other files ({shown}{', ...' if len(names) > 3 else ''})"
    return f"is {what}, not an Excel workbook (no xl/workbook.xml)"


def _worksheet_sheet(source: _Source, title: str, rows_in: Rows, known: set[str] | None = None) -> Sheet:
    """The header is the first non-empty row; blank rows are dropped, keeping Excel's row numbers.

    With `known` column names, a header naming none of them raises _Foreign before anything else.
    """
    header: list[str | None] | None = None
    header_row = 0
    cells: list[list[str | None]] = []
    rows: list[int] = []
    formulas: dict[tuple[int, int], str] = {}
    where = f"worksheet {title!r}"
    for number, values, formula_cells in rows_in:
        for index in formula_cells:
            if values[index] is not None:
                formulas[(number, index)] = values[index]
        if not any(v is not None for v in values):
            continue
        if header is None:
            header, header_row = values, number
            if known is not None and not known & {_clean_name(v) for v in values}:
                raise _Foreign(source.label, f"no schema column in its header (row {number})",
                               f"worksheet {title!r}")
            continue
        cells.append(values)
        rows.append(number)
    if header is None:
        raise source.fail("empty worksheet", where)
    if not cells:
        raise source.fail("no data rows (only a header)", where)
    width = max([len(header), *map(len, cells)])
    header = header + [None] * (width - len(header))
    columns = [[r[i] if i < len(r) else None for r in cells] for i in range(width)]
    table = pa.table({f"c{i}": pa.array(col, type=TEXT) for i, col in enumerate(columns)})
    frame, kept = _text_frame(source, table, header, np.asarray(rows, dtype=np.int64), "xlsx",
                              f"{where}, row {header_row} (header)")
    name_of = {position: frame.columns[k] for k, position in enumerate(kept)}
    sheet_formulas = {(number, name_of[index]): text for (number, index), text in formulas.items()
                      if number != header_row and index in name_of}
    return Sheet(path=source.path, sheet=title, fmt="xlsx", frame=frame, formulas=sheet_formulas)


def _cell_text(value: Any) -> str | None:
    """A cell as the text a person reads in Excel: whole numbers without ".0", dates as ISO."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        value = float(f"{value:.15g}")  # Excel shows 15 significant digits: 0.1+0.2 is 0.3
        if value.is_integer() and abs(value) < 2**63:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if not value.microsecond else "auto")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    text = getattr(value, "text", None)  # ArrayFormula / DataTableFormula
    return str(text) if text is not None else str(value)


# -- Parquet --------------------------------------------------------------------------------------------
def _read_parquet(source: _Source) -> Sheet:
    """Typed as written: no stringification, the validator handles typed columns."""
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(source.path if source.data is None else pa.BufferReader(source.data)) as parquet:
            names = [_clean_name(c) for c in parquet.schema_arrow.names]
            seen: dict[str, int] = {}
            for i, name in enumerate(names):
                if name and name in seen:
                    raise source.fail(f"column {name!r} appears twice (columns {seen[name] + 1} and {i + 1})")
                seen[name] = i
            table = parquet.read()
        table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
        # pandas stores an unnamed index as __index_level_N__: not data the user wrote.
        keep = [i for i, name in enumerate(names) if name and not re.fullmatch(r"__index_level_\d+__", name)]
        for i in set(range(len(names))) - set(keep):
            if not names[i] and table.column(i).null_count < table.num_rows:
                raise source.fail(f"column {i + 1} has no name but holds data; give it a name")
        frame = table.select(keep).to_pandas(types_mapper=_string_mapper, ignore_metadata=True)
    except InputError:
        raise
    except (pa.ArrowException, OSError, ValueError, TypeError) as exc:
        raise source.fail(f"not a readable Parquet file ({_short(exc)})") from None
    frame.columns = [names[i] for i in keep]
    if len(frame) == 0:
        raise source.fail("no data rows")
    frame.index = pd.Index(np.arange(2, len(frame) + 2), name="row")
    return Sheet(path=source.path, sheet=None, fmt="parquet", frame=frame)
