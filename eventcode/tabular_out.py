"""CSV and XLSX output that is safe to open in a spreadsheet program.

Why escape: news text and actor names are written by strangers; a cell such as `=HYPERLINK(...)` or
`@SUM(...)` would run as a formula when a coder opens the file in Excel or LibreOffice (CSV injection).
Following OWASP's advice, a text cell starting with = + - @, a tab or a carriage return gets a leading
apostrophe ("'=1+1"), in CSV and XLSX alike, so both formats hold the same text. The apostrophe is part
of the stored value: a program reading these files back sees "'=1+1" and should strip one leading
apostrophe from text cells whose second character is one of those six if it wants the original.
Numbers are never escaped, and neither is text that is a plain number ("-3.35" in a text column, as
in rejected rows kept as written): a spreadsheet reads it as the number it is, and escaping it would
turn a valid longitude into an invalid one when the file is fixed and read again.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from .atomic import atomic_path
from .errors import InputError

FORMULA_START = r"^[=+\-@\t\r]"
PLAIN_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"  # "-3.35" is a number, not a formula
DATE_FORMAT = "YYYY-MM-DD"
LINE_END = "\r\n"
EXCEL_ROWS = 1_048_576  # rows in a sheet, header included
EXCEL_CELL_CHARS = 32_767
MAX_WIDTH = 60
MIN_WIDTH = 8


def _text_columns(data: pd.DataFrame) -> list[str]:
    return [name for name in data.columns
            if pd.api.types.is_object_dtype(data[name]) or pd.api.types.is_string_dtype(data[name])
            or isinstance(data[name].dtype, pd.CategoricalDtype)]


def _escape(values: pd.Series) -> pd.Series:
    """Prefix an apostrophe to text that a spreadsheet would read as a formula (vectorised)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        if pd.api.types.is_string_dtype(categories) or pd.api.types.is_object_dtype(categories):
            return values.cat.rename_categories(_escape(pd.Series(categories.astype(object))).tolist())
        return values
    text = values.astype(object)
    is_text = text.map(type).eq(str)
    strings = text.where(is_text, "")
    risky = is_text & strings.str.contains(FORMULA_START, regex=True) & ~strings.str.match(PLAIN_NUMBER)
    if not risky.any():
        return values
    out = text.copy()
    out[risky] = "'" + text[risky]
    return out


def escape_formulas(data: pd.DataFrame) -> pd.DataFrame:
    """A copy of `data` whose text cells cannot be mistaken for formulas by a spreadsheet program."""
    out = data.copy()
    for name in _text_columns(out):
        out[name] = _escape(out[name])
    return out


def write_csv(data: pd.DataFrame, path_or_dash: str | os.PathLike, force: bool = False) -> Path | None:
    """Write UTF-8 CSV (dates as YYYY-MM-DD, empty cells for missing values); "-" writes to stdout.

    Lines end in CRLF as RFC 4180 says: with a bare LF, Python's csv writer leaves a cell holding a
    carriage return unquoted, which splits the row for every reader.
    Atomic for files: a reader never sees half a file, and an existing file is kept unless `force`.
    """
    write_csv_batches([data], path_or_dash, force=force)
    return None if str(path_or_dash) == "-" else Path(path_or_dash)


def write_csv_batches(frames: Iterable[pd.DataFrame], path_or_dash: str | os.PathLike,
                      force: bool = False) -> int:
    """Stream batches into one CSV exactly as write_csv writes a frame (header once); returns the rows.

    Why batches: the coder writes rows as articles are coded, so memory stays flat in corpus size.
    """
    rows = 0

    def write(handle: TextIO) -> None:
        nonlocal rows
        for i, frame in enumerate(frames):
            escape_formulas(frame).to_csv(handle, index=False, header=i == 0, lineterminator=LINE_END,
                                          date_format="%Y-%m-%d")
            rows += len(frame)

    if str(path_or_dash) == "-":
        write(sys.stdout)
        sys.stdout.flush()
        return rows
    with atomic_path(path_or_dash, force=force) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        write(fh)
    return rows


def write_xlsx(data: pd.DataFrame, path: str | os.PathLike, force: bool = False,
               sheet_name: str = "events") -> Path:
    """Write an Excel workbook: frozen header row, readable column widths, dates as real Excel dates."""
    if str(path) == "-":
        raise InputError("-", "an Excel workbook cannot be written to standard output; give a file name")
    if len(data) >= EXCEL_ROWS:
        raise InputError(path, f"{len(data):,} rows do not fit an Excel sheet ({EXCEL_ROWS - 1:,} at most); "
                               "write CSV or Parquet instead")
    safe = _excel_cells(escape_formulas(data), path)
    target = Path(path)
    with atomic_path(target, force=force) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl", date_format=DATE_FORMAT,
                            datetime_format=f"{DATE_FORMAT} HH:MM:SS") as writer:
            safe.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            sheet.freeze_panes = "A2"
            for position, width in enumerate(column_widths(safe), start=1):
                sheet.column_dimensions[get_column_letter(position)].width = width
    return target


def _excel_cells(safe: pd.DataFrame, path: str | os.PathLike) -> pd.DataFrame:
    """What Excel can hold: no XML-forbidden characters, text within the cell limit, day-only datetimes
    as dates (so they show as 2024-01-05, not 2024-01-05 00:00:00)."""
    for name in safe.columns:
        column = safe[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            if column.dt.tz is None and column.dropna().eq(column.dropna().dt.normalize()).all():
                safe[name] = column.dt.date.astype(object).where(column.notna(), None)
            continue
        if name not in _text_columns(safe) or isinstance(column.dtype, pd.CategoricalDtype):
            continue
        column = column.astype(object)
        is_text = column.map(type).eq(str)
        text = column.where(is_text, "")
        too_long = text.str.len() > EXCEL_CELL_CHARS
        if too_long.any():
            row = int(too_long.to_numpy().nonzero()[0][0]) + 2
            raise InputError(path, f"a cell holds more than Excel's {EXCEL_CELL_CHARS:,} characters; "
                                   "write CSV instead", where=f"column {name}, row {row}")
        safe[name] = column.where(~is_text, text.str.replace(ILLEGAL_CHARACTERS_RE, "", regex=True))
    return safe


def column_widths(data: pd.DataFrame, sample: int = 1000) -> list[float]:
    """Widths that fit the header and most values (90th percentile of a sample), within sane bounds."""
    head = data.head(sample)
    widths = []
    for name in data.columns:
        lengths = head[name].astype(object).where(head[name].notna(), "").astype(str).str.len()
        typical = float(lengths.quantile(0.9)) if len(lengths) else 0.0
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, len(str(name)) + 2, typical + 2)))
    return widths
