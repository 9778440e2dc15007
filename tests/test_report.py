"""The report: problems with spreadsheet row numbers, a summary by column and check, three formats."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd

from eventcode.report import FIELDS, Problem, Report


def _problem(row: int, column: str = "fatalities", check: str = "out-of-range", **kw) -> Problem:
    values = {"file": "coded.csv", "sheet": None, "row": row, "column": column, "value": "-1", "check": check,
              "message": "below the minimum 0", "suggestion": None}
    values.update(kw)
    return Problem(**values)


def test_empty_report_is_valid_and_says_so():
    report = Report([], files=["coded.csv"], rows=3)
    assert report.valid
    assert report.to_text() == "coded.csv: 3 rows, 0 problems: valid\n"
    assert json.loads(report.to_json())["valid"] is True
    assert report.to_csv().strip() == ",".join(FIELDS)


def test_problems_are_sorted_by_file_and_row_and_round_trip_as_objects():
    report = Report([_problem(5), _problem(2, column="year", check="year-mismatch")], files=["coded.csv"],
                    rows=4)
    assert not report.valid
    assert [p.row for p in report.problems] == [2, 5]
    assert report.problems[0] == _problem(2, column="year", check="year-mismatch")
    assert len(report) == 2


def test_summary_counts_by_column_and_check_largest_first():
    report = Report([_problem(2), _problem(3), _problem(4, column="year", check="year-mismatch")])
    summary = report.summary()
    assert summary.to_dict("records") == [
        {"column": "fatalities", "check": "out-of-range", "count": 2},
        {"column": "year", "check": "year-mismatch", "count": 1},
    ]


def test_text_puts_the_summary_first_then_the_rows():
    report = Report([_problem(3, suggestion="did you mean 0?")], notes=["a note"], files=["coded.csv"],
                    rows=2)
    text = report.to_text()
    lines = text.splitlines()
    assert lines[0] == "coded.csv: 2 rows, 1 problem: INVALID"
    assert lines[1] == "note: a note"
    assert text.index("count") < text.index("suggestion")
    row_line = next(line for line in lines if line.lstrip().startswith("3 "))
    assert "fatalities" in row_line and "-1" in row_line and "did you mean 0?" in row_line


def test_text_is_capped_unless_asked_for_all():
    report = Report([_problem(r) for r in range(2, 62)])
    capped = report.to_text(limit=10)
    assert "... 50 more" in capped
    assert "... " not in report.to_text(limit=None)
    assert len(report.to_text(limit=None).splitlines()) > len(capped.splitlines()) + 40


def test_text_names_the_file_when_several_files_have_problems():
    report = Report([_problem(2), _problem(2, file="other.xlsx", sheet="March")], files=["coded.csv", "x"])
    assert "other.xlsx [March]" in report.to_text()


def test_long_values_are_clipped_in_text_but_not_in_json():
    report = Report([_problem(2, value="x" * 200 + "\nnext line")])
    assert "x" * 200 not in report.to_text()
    assert json.loads(report.to_json())["problems"][0]["value"] == "x" * 200 + "\nnext line"


def test_json_is_one_object_with_every_part():
    report = Report([_problem(3)], notes=["n"], files=["coded.csv"], rows=7)
    payload = json.loads(report.to_json())
    assert set(payload) == {"valid", "files", "rows", "notes", "summary", "problems"}
    assert payload["rows"] == 7 and payload["notes"] == ["n"]
    assert payload["summary"] == [{"column": "fatalities", "check": "out-of-range", "count": 1}]
    assert payload["problems"][0] == {"file": "coded.csv", "sheet": None, "row": 3, "column": "fatalities",
                                      "value": "-1", "check": "out-of-range",
                                      "message": "below the minimum 0", "suggestion": None}


def test_json_keeps_slashes_backslashes_and_newlines_intact():
    tricky = ["Explosions/Remote violence", "a\\/b", 'quote " and \\', "line\nbreak", "é"]
    report = Report([_problem(i + 2, value=v) for i, v in enumerate(tricky)])
    text = report.to_json()
    assert "Explosions/Remote violence" in text
    assert [p["value"] for p in json.loads(text)["problems"]] == tricky
    assert [p["value"] for p in json.loads(report.to_json(indent=None))["problems"]] == tricky


def test_csv_has_one_row_per_problem():
    report = Report([_problem(3), _problem(4, value='say "hi", then')])
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert [r["row"] for r in rows] == ["3", "4"]
    assert rows[1]["value"] == 'say "hi", then'
    assert list(rows[0]) == list(FIELDS)


def test_report_accepts_a_problem_frame_and_to_frame_returns_a_copy():
    frame = pd.DataFrame([{"file": "a.csv", "row": 2, "column": "year", "check": "x", "message": "m"}])
    report = Report(frame)
    out = report.to_frame()
    assert list(out.columns) == list(FIELDS)
    out.loc[0, "row"] = 99
    assert report.to_frame().loc[0, "row"] == 2


def test_format_dispatches_by_name():
    report = Report([_problem(2)])
    assert report.format("json").startswith("{")
    assert report.format("csv").startswith("file,")
    assert report.format("text").startswith("(no file)")
