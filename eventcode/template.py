"""An Excel workbook for hand coders, built from the schema: the right headers, dropdowns, notes.

Why: most validation problems in hand-coded sheets are typos in closed lists ("Demostrations"),
dates typed as text and misspelt headers. A template whose cells offer only the allowed values prevents
them at the source; the same schema then validates what comes back.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .atomic import atomic_path
from .dictionary import column_table, taxonomy_table
from .schema import Column, Schema, load_schema

INLINE_LIMIT = 255  # Excel's limit on an inline list ("a,b,c") in a data validation
DATE_FORMAT = "yyyy-mm-dd"
LISTS_SHEET = "lists"
MAX_WIDTH = 40
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _inline_list(values: list[str]) -> str | None:
    """The inline formula for a short list, or None when Excel cannot take it inline."""
    if any("," in v or '"' in v for v in values):
        return None
    formula = '"' + ",".join(values) + '"'
    return formula if len(formula) - 2 <= INLINE_LIMIT else None


def _list_validation(column: Column, lists: Worksheet) -> DataValidation:
    values = [str(v) for v in column.allowed or ()]
    formula = _inline_list(values)
    if formula is None:  # long list: one column of the hidden lists sheet, referenced by range
        letter = get_column_letter(lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1)
        lists[f"{letter}1"] = column.name
        for offset, value in enumerate(values, start=2):
            lists[f"{letter}{offset}"] = value
        formula = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    return DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                          errorTitle=f"Invalid {column.name}",
                          error=f"Pick a {column.name} from the list (see the dictionary sheet).")


def _range_validation(column: Column) -> DataValidation | None:
    """Whole numbers or decimals within the schema's bounds, so "three" or -1 fatalities are refused."""
    kind = "decimal" if column.type == "float64" else "whole"
    if column.min is not None and column.max is not None:
        operator, first, second = "between", column.min, column.max
    elif column.min is not None:
        operator, first, second = "greaterThanOrEqual", column.min, None
    elif column.max is not None:
        operator, first, second = "lessThanOrEqual", column.max, None
    else:
        return None
    return DataValidation(type=kind, operator=operator, formula1=f"{first:g}",
                          formula2=f"{second:g}" if second is not None else None, allow_blank=True,
                          showErrorMessage=True, errorTitle=f"Invalid {column.name}",
                          error=f"{column.name}: {column.description}")


def _date_validation(column: Column, schema: Schema) -> DataValidation:
    first_year = int(schema.by_name["year"].min) if "year" in schema.by_name and schema.by_name[
        "year"].min is not None else 1900
    return DataValidation(type="date", operator="greaterThanOrEqual", formula1=f"DATE({first_year},1,1)",
                          allow_blank=True, showErrorMessage=True, errorTitle=f"Invalid {column.name}",
                          error=f"Enter a date (YYYY-MM-DD) from {first_year} on.")


def column_width(column: Column) -> float:
    """Wide enough for the header and the longest allowed value, so a dropdown's choices are readable."""
    longest = max([len(column.name)] + [len(str(v)) for v in column.allowed or ()])
    return min(MAX_WIDTH, max(12, longest + 3))


def column_validation(column: Column, schema: Schema, lists: Worksheet) -> DataValidation | None:
    """The data validation a column's cells get: a dropdown for a closed list, a range for numbers,
    a date from the schema's first year; None for free text."""
    if column.allowed is not None:
        return _list_validation(column, lists)
    if column.type == "date":
        return _date_validation(column, schema)
    if column.is_numeric:
        return _range_validation(column)
    return None


def style_header(sheet: Worksheet, columns: list[Column]) -> None:
    """Row 1: bold shaded names with each column's description as a note, frozen, with a filter.

    Shared by the template and the review workbook, so both read the same to a coder.
    """
    for position, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position, value=column.name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        note = column.description + (" (required)" if column.required else "")
        cell.comment = Comment(note, "eventcode", width=300, height=110)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"


def add_validations(sheet: Worksheet, lists: Worksheet, schema: Schema, columns: list[Column],
                    last_row: int) -> None:
    """Dropdowns, bounds and date checks on rows 2..last_row; `columns` are the sheet's columns in order.

    Long lists go to `lists` (a sheet the caller hides), since Excel limits inline lists to 255 characters.
    """
    for position, column in enumerate(columns, start=1):
        validation = column_validation(column, schema, lists)
        if validation is not None:
            letter = get_column_letter(position)
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last_row}")


def _events_sheet(sheet: Worksheet, lists: Worksheet, schema: Schema, rows: int) -> None:
    columns = [schema.by_name[name] for name in schema.acled_names]
    last_row = rows + 1
    style_header(sheet, columns)
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = column_width(column)
        if column.type == "date":
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
            for (date_cell,) in sheet.iter_rows(min_row=2, max_row=last_row, min_col=position,
                                                max_col=position):
                date_cell.number_format = DATE_FORMAT
    add_validations(sheet, lists, schema, columns, last_row)


def _dictionary_sheet(sheet: Worksheet, schema: Schema) -> None:
    """The data dictionary beside the data, so a coder offline still has the definitions."""
    table = column_table(schema, separator="\n")
    taxonomy = taxonomy_table(schema)
    sheet.append([f"{schema.title} (schema {schema.name} {schema.version})"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([])
    blocks = [(table, [24, 10, 10, 34, 30, 70]), (taxonomy, [30, 36, 34])]
    for frame, _ in blocks:
        sheet.append(list(frame.columns))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        for row in frame.itertuples(index=False):
            sheet.append(list(row))
        sheet.append([])
    for position, width in enumerate(blocks[0][1], start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"


def write_template(path: str | os.PathLike, schema: Schema | str | os.PathLike | None = None,
                   force: bool = False, rows: int = 1000) -> Path:
    """Write the hand-coding workbook: sheet "events" (headers, notes, dropdowns for `rows` rows),
    sheet "dictionary" (every column and the taxonomy) and a hidden sheet "lists" for long dropdowns.
    """
    if rows < 1:
        raise ValueError(f"rows must be at least 1, not {rows}")
    schema = schema if isinstance(schema, Schema) else load_schema(schema)
    book = Workbook()
    events = book.active
    events.title = "events"
    dictionary = book.create_sheet("dictionary")
    lists = book.create_sheet(LISTS_SHEET)
    _events_sheet(events, lists, schema, rows)
    _dictionary_sheet(dictionary, schema)
    lists.sheet_state = "hidden"
    target = Path(path)
    with atomic_path(target, force=force) as tmp:
        book.save(tmp)
    return target
