"""validate(): files, Sheets and DataFrames in; a report with spreadsheet row numbers, typed data out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _acled_rows import GOOD, GOOD_VAC, FakeSheet, frame, rows

import eventcode
from eventcode.errors import InputError
from eventcode.schema import load_schema
from eventcode.validation import pandera_schema, validate


def _csv(tmp_path: Path, records: list[dict], name: str = "coded.csv") -> Path:
    path = tmp_path / name
    pd.DataFrame(records).to_csv(path, index=False)
    return path


def test_a_valid_csv_gives_typed_data_in_schema_order(tmp_path):
    path = _csv(tmp_path, rows({}, base=GOOD) + rows({}, base=GOOD_VAC))
    result = validate(path)
    assert result.valid and result.report.valid
    assert result.report.files == [str(path)] and result.report.rows == 2
    schema = load_schema()
    assert list(result.data.columns) == schema.acled_names
    assert result.data["event_date"].iloc[0] == pd.Timestamp("2022-01-05")
    assert result.data["fatalities"].dtype == "Int32"
    assert isinstance(result.data["event_type"].dtype, pd.CategoricalDtype)
    assert result.valid_rows.tolist() == [True, True]


def test_problems_carry_the_spreadsheet_row_and_the_value_as_written(tmp_path):
    path = _csv(tmp_path, rows({}, {"fatalities": " -3 "}, {}))
    result = validate(str(path))
    problem = result.report.problems[0]
    assert (problem.file, problem.row, problem.column, problem.value, problem.check) == (
        str(path), 3, "fatalities", " -3 ", "out-of-range")
    assert result.valid_rows.tolist() == [True, False, True]
    assert not result.valid


def test_a_dataframe_index_is_zero_based():
    data = pd.DataFrame(rows({}, {"year": "1990"}))
    result = validate(data)
    assert result.report.problems[0].row == 3
    assert result.report.files == ["<DataFrame>"]


def test_a_typed_dataframe_passes_through():
    typed = validate(pd.DataFrame(rows({}, base=GOOD_VAC))).data
    again = validate(typed)
    assert again.valid, again.report.to_text()
    pd.testing.assert_frame_equal(again.data, typed)


def test_several_sheets_are_checked_separately_and_concatenated():
    one = FakeSheet(frame(rows({})), path="a.csv")
    two = FakeSheet(frame(rows({"year": "2000"})), path="b.xlsx", sheet="March", fmt="xlsx")
    result = validate([one, two])
    assert result.report.files == ["a.csv", "b.xlsx [March]"]
    assert len(result.data) == 2 and result.valid_rows.tolist() == [True, False]
    problem = result.report.problems[0]
    assert (problem.file, problem.sheet, problem.row) == ("b.xlsx", "March", 2)
    assert isinstance(result.data["country"].dtype, pd.CategoricalDtype)


def test_ids_may_repeat_across_files_but_not_within_one():
    result = validate([FakeSheet(frame(rows({})), path="a.csv"), FakeSheet(frame(rows({})), path="b.csv")])
    assert result.valid


def test_missing_required_columns_are_an_input_error_with_a_near_miss(tmp_path):
    records = rows({})
    records[0]["Event Date"] = records[0].pop("event_date")
    path = _csv(tmp_path, records)
    with pytest.raises(InputError) as caught:
        validate(path)
    message = str(caught.value)
    assert str(path) in message and "event_date" in message and '"Event Date" for event_date?' in message
    assert caught.value.exit_code == 2


def test_a_repeated_column_is_an_input_error():
    data = pd.DataFrame(rows({}))
    data.insert(3, "year ", "2022")  # a header that differs only by a trailing space
    with pytest.raises(InputError, match="'year' appear more than once"):
        validate(data)


def test_unknown_columns_are_reported_on_the_header_row_and_dropped(tmp_path):
    records = rows({})
    records[0]["fatalites_note"] = "x"
    records[0]["assoc_actor1"] = "y"
    result = validate(_csv(tmp_path, records))
    problems = result.report.to_frame().set_index("column")
    assert set(problems["check"]) == {"unknown-column"} and set(problems["row"]) == {1}
    assert problems.loc["assoc_actor1", "suggestion"] == 'did you mean "assoc_actor_1"?'
    assert "assoc_actor1" not in result.data.columns
    assert result.valid_rows.tolist() == [True]


def test_optional_columns_may_be_absent_and_evidence_columns_are_kept_when_present():
    records = rows({})
    for column in ("tags", "timestamp", "admin3"):
        del records[0][column]
    records[0]["article_id"] = "aktobe"
    result = validate([FakeSheet(frame(records))])
    assert result.valid, result.report.to_text()
    assert result.data["tags"].isna().all()
    assert list(result.data.columns)[-1] == "article_id"


def test_formula_cells_are_reported_never_evaluated():
    sheet = FakeSheet(frame(rows({}, {})), path="coded.xlsx", fmt="xlsx",
                      formulas={(3, "fatalities"): "=SUM(A1:A2)"})
    problems = validate([sheet]).report.to_frame()
    assert problems[["row", "column", "value", "check"]].values.tolist() == [
        [3, "fatalities", "=SUM(A1:A2)", "formula-cell"]]


def test_sheet_notes_and_coercion_notes_reach_the_report():
    sheet = FakeSheet(frame(rows({"event_date": "05/01/2022"})), notes=["older ACLED export: converted"])
    notes = validate([sheet]).report.notes
    assert notes[0] == "coded.csv: older ACLED export: converted"
    assert any("read as day/month" in n for n in notes)


def test_an_older_export_csv_is_normalised_by_reading_and_validates(tmp_path):
    record = dict(rows({}, base=GOOD_VAC)[0])
    del record["disorder_type"], record["civilian_targeting"], record["tags"]
    record.update({"inter1": "1", "inter2": "7", "interaction": "17", "data_id": "9", "iso3": "NGA",
                   "event_id_no_cnty": "2002", "event_date": "14 March 2021"})
    result = validate(_csv(tmp_path, [record]))
    assert result.valid, result.report.to_text()
    assert result.data.loc[0, "interaction"] == "State forces-Civilians"
    assert result.data.loc[0, "disorder_type"] == "Political violence"
    assert any("older ACLED export" in n for n in result.report.notes)


def test_parquet_typed_input_validates(tmp_path):
    typed = validate(pd.DataFrame(rows({}, base=GOOD))).data
    path = tmp_path / "typed.parquet"
    pq.write_table(pa.Table.from_pandas(typed, preserve_index=False), path)
    result = validate(path)
    assert result.valid, result.report.to_text()
    assert result.data["event_date"].iloc[0] == pd.Timestamp("2022-01-05")


def test_the_public_api_exports_validate(tmp_path):
    assert eventcode.validate is validate


def test_pandera_schema_is_derived_from_the_schema_file():
    pa_schema = pandera_schema(load_schema())
    event_id = pa_schema.columns["event_id_cnty"]
    assert event_id.unique and not event_id.nullable
    assert pa_schema.columns["actor2"].nullable
    assert [c.name for c in pa_schema.columns["fatalities"].checks] == ["greater_than_or_equal_to"]


def test_typed_data_has_exactly_the_schema_dtypes_so_pandera_need_not_check_them(tmp_path):
    # validate() runs pandera with check_types=False, trusting coerce() for the types: hold it to that,
    # for text input (CSV) and for typed input with the wrong types (Parquet).
    schema = load_schema()
    good = frame(rows({}, base=GOOD))
    good.reset_index(drop=True).to_csv(tmp_path / "good.csv", index=False)
    wrong = good.reset_index(drop=True).assign(fatalities=1.0, year=lambda f: f["year"].astype("float64"),
                                               latitude=lambda f: f["latitude"].astype("string"))
    wrong.to_parquet(tmp_path / "wrong.parquet")
    for path in (tmp_path / "good.csv", tmp_path / "wrong.parquet"):
        data = validate(path).data
        pandera_schema(schema, data.columns, check_types=True).validate(data, lazy=True)


def test_unreadable_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        validate(tmp_path / "nope.csv")
    with pytest.raises(InputError):
        validate([])


def test_an_xlsx_formula_is_one_problem_and_dates_typed_by_excel_are_read(tmp_path):
    import datetime as dt

    import openpyxl

    records = rows({}, {})
    columns = list(records[0])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "March"
    sheet.append(columns)
    for record in records:
        sheet.append([record[c] for c in columns])
    sheet.cell(row=3, column=columns.index("fatalities") + 1, value="=1+1")
    sheet.cell(row=2, column=columns.index("event_date") + 1).value = dt.date(2022, 1, 5)
    path = tmp_path / "coded.xlsx"
    book.save(path)
    result = validate(path)
    problems = result.report.to_frame()
    assert problems[["sheet", "row", "column", "value", "check"]].values.tolist() == [
        ["March", 3, "fatalities", "=1+1", "formula-cell"]]
    assert result.data["event_date"].tolist() == [pd.Timestamp("2022-01-05")] * 2


def test_big_sheets_use_threads_and_get_the_same_report(monkeypatch):
    import eventcode.coerce as coerce_module
    import eventcode.validation as validation_module

    changes = [{}, {"year": "1990"}, {"event_type": "Riot"}, {"latitude": "52.86", "longitude": "43.34"},
               {"fatalities": "2.5"}, {"source": "a;b"}, {"event_date": "12/08/2021", "year": "2021"}] * 9
    sheet = FakeSheet(frame(rows(*changes)))
    sequential = validate([sheet])
    monkeypatch.setattr(coerce_module, "PARALLEL_ROWS", 1)
    monkeypatch.setattr(validation_module, "PARALLEL_ROWS", 1)
    threaded = validate([sheet])
    pd.testing.assert_frame_equal(threaded.report.to_frame(), sequential.report.to_frame())
    pd.testing.assert_frame_equal(threaded.data, sequential.data)
    assert threaded.report.notes == sequential.report.notes
    assert len(sequential.report) == 5 * 9 and any("day/month" in n for n in sequential.report.notes)
