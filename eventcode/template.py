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


def _width(column: Column) -> float:
    longest = max([len(column.name)] + [len(str(v)) for v in column.allowed or ()])
    return min(MAX_WIDTH, max(12, longest + 3))


def _events_sheet(sheet: Worksheet, lists: Worksheet, schema: Schema, rows: int) -> None:
    columns = [schema.by_name[name] for name in schema.acled_names]
    last_row = rows + 1
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position, value=column.name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        note = column.description + (" (required)" if column.required else "")
        cell.comment = Comment(note, "eventcode", width=300, height=110)
        sheet.column_dimensions[letter].width = _width(column)
        if column.allowed is not None:
            validation = _list_validation(column, lists)
        elif column.type == "date":
            validation = _date_validation(column, schema)
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
            for (date_cell,) in sheet.iter_rows(min_row=2, max_row=last_row, min_col=position,
                                                max_col=position):
                date_cell.number_format = DATE_FORMAT
        elif column.is_numeric:
            validation = _range_validation(column)
        else:
            validation = None
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last_row}")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"


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
