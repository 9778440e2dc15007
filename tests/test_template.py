"""The hand-coding template: headers, notes, dropdowns that reference the schema's values, date format."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from eventcode.errors import OutputExistsError
from eventcode.schema import load_schema
from eventcode.template import write_template


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = write_template(tmp_path_factory.mktemp("t") / "coding.xlsx", rows=50)
    return openpyxl.load_workbook(path)


def _validations(sheet) -> dict[str, object]:
    """Column name -> its data validation, for validations covering rows 2..51 of one column."""
    header = {get_column_letter(i): c.value for i, c in enumerate(sheet[1], start=1)}
    out = {}
    for validation in sheet.data_validations.dataValidation:
        (cells,) = validation.sqref.ranges
        letter = get_column_letter(cells.min_col)
        assert (cells.min_col, cells.min_row, cells.max_row) == (cells.max_col, 2, 51)
        out[header[letter]] = validation
    return out


def _list_values(book, validation) -> list[str]:
    formula = validation.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet_name, cells = formula.split("!")
    sheet = book[sheet_name.strip("'")]
    return [row[0].value for row in sheet[cells.replace("$", "")]]


def test_sheets_headers_and_notes(book):
    schema = load_schema()
    assert book.sheetnames == ["events", "dictionary", "lists"]
    assert book["lists"].sheet_state == "hidden"
    events = book["events"]
    assert [c.value for c in events[1]] == schema.acled_names  # no evidence columns for hand coders
    assert events["A1"].comment.text.startswith(schema.by_name["event_id_cnty"].description)
    assert events.freeze_panes == "A2"
    assert all(events.column_dimensions[get_column_letter(i)].width >= 12
               for i in range(1, len(schema.acled_names) + 1))


def test_every_closed_list_column_has_a_dropdown_with_the_schema_values(book):
    schema = load_schema()
    validations = _validations(book["events"])
    closed = [c.name for c in schema.columns if not c.evidence and c.allowed is not None]
    assert {"event_type", "sub_event_type", "country", "time_precision", "geo_precision"} <= set(closed)
    for name in closed:
        validation = validations[name]
        assert validation.type == "list" and validation.showErrorMessage
        assert _list_values(book, validation) == [str(v) for v in schema.allowed(name)], name


def test_long_lists_live_on_the_hidden_sheet_and_short_ones_inline(book):
    validations = _validations(book["events"])
    assert validations["country"].formula1.startswith("'lists'!$")
    assert validations["sub_event_type"].formula1.startswith("'lists'!$")
    assert validations["event_type"].formula1.startswith('"Battles,')
    assert all(len(v.formula1) <= 257 for v in validations.values() if v.formula1.startswith('"'))


def test_numbers_and_dates_are_checked_and_dates_formatted(book):
    events = book["events"]
    validations = _validations(events)
    fatalities = validations["fatalities"]
    assert (fatalities.type, fatalities.operator, fatalities.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert (validations["latitude"].type, validations["latitude"].formula1,
            validations["latitude"].formula2) == ("decimal", "-90", "90")
    assert validations["event_date"].type == "date"
    assert events["B2"].number_format == "yyyy-mm-dd" and events["B51"].number_format == "yyyy-mm-dd"
    assert "actor1" not in validations and "notes" not in validations


def test_dictionary_sheet_describes_every_column_and_the_taxonomy(book):
    values = [row for row in book["dictionary"].iter_rows(values_only=True)]
    names = {row[0] for row in values}
    assert set(load_schema().acled_names) <= names
    assert ("Riots", "Mob violence", "Political violence") in [tuple(r[:3]) for r in values]


def test_existing_template_is_kept_without_force(tmp_path):
    path = tmp_path / "coding.xlsx"
    path.write_bytes(b"old")
    with pytest.raises(OutputExistsError):
        write_template(path)
    assert path.read_bytes() == b"old"
    write_template(path, force=True, rows=5)
    assert openpyxl.load_workbook(path)["events"].max_row >= 1


def test_a_filled_template_validates_and_converts(tmp_path):
    """The round trip a hand coder makes: template, one row typed in, validate and convert the sheet."""
    from eventcode.parquet_io import convert
    from eventcode.validation import validate

    path = write_template(tmp_path / "coding.xlsx", rows=20)
    book = openpyxl.load_workbook(path)
    sheet = book["events"]
    row = {"event_id_cnty": "KAZ77", "event_date": dt.date(2024, 1, 5), "year": 2024, "time_precision": 1,
           "disorder_type": "Demonstrations", "event_type": "Protests", "sub_event_type": "Peaceful protest",
           "actor1": "Protesters (Kazakhstan)", "inter1": "Protesters", "interaction": "Protesters only",
           "iso": 398, "region": "Caucasus and Central Asia", "country": "Kazakhstan", "location": "Almaty",
           "latitude": 43.25, "longitude": 76.95, "geo_precision": 1, "source": "Reuters", "fatalities": 0}
    for position, cell in enumerate(sheet[1], start=1):
        if cell.value in row:
            sheet.cell(row=2, column=position, value=row[cell.value])
    book.save(path)
    result = validate(path, sheet="events")
    assert result.valid, result.report.to_text()
    assert len(result.data) == 1  # formatted but empty template rows are not rows
    out = convert(path, tmp_path / "events.parquet", sheet="events")
    assert out.written == 1
