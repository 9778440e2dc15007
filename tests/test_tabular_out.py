"""CSV and XLSX output: formula-looking text is neutralised, files are atomic, Excel gets real dates."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from eventcode.errors import InputError, OutputExistsError
from eventcode.tabular_out import escape_formulas, write_csv, write_xlsx

RISKY = ["=HYPERLINK(\"http://x\")", "+1+cmd", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tTAB", "\rCR"]
SAFE = ["Reuters", "a=b", "", "-3.35", "+5", "1e-3", "Ünïcödé — ok"]


def frame() -> pd.DataFrame:
    n = len(RISKY) + len(SAFE)
    return pd.DataFrame({
        "notes": RISKY + SAFE,
        "fatalities": list(range(-1, n - 1)),
        "event_date": [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(n)],
        "event_type": pd.Categorical(["=Battles"] * 2 + ["Protests"] * (n - 2)),
        "admin2": pd.array([None] * n, dtype="string"),
    })


def test_escape_prefixes_an_apostrophe_only_to_formula_like_text():
    out = escape_formulas(frame())
    assert out["notes"].tolist() == ["'" + v for v in RISKY] + SAFE
    assert out["fatalities"].tolist() == frame()["fatalities"].tolist()  # numbers stay numbers
    assert out["event_type"].astype(str).tolist()[:3] == ["'=Battles", "'=Battles", "Protests"]
    assert out["admin2"].isna().all()


def test_escape_leaves_the_input_frame_alone():
    data = frame()
    escape_formulas(data)
    assert data["notes"].tolist() == RISKY + SAFE


def test_csv_round_trips_through_the_csv_module(tmp_path):
    path = write_csv(frame(), tmp_path / "out.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["notes"] for r in rows] == ["'" + v for v in RISKY] + SAFE  # "\rCR" stays one cell
    assert rows[0]["event_date"] == "2024-01-01"
    assert rows[0]["fatalities"] == "-1"
    assert rows[0]["admin2"] == ""


def test_csv_to_stdout(capsys):
    assert write_csv(frame().head(2), "-") is None
    out = capsys.readouterr().out
    back = pd.read_csv(io.StringIO(out))
    assert back["notes"].tolist() == ["'" + v for v in RISKY[:2]]


def test_csv_refuses_to_replace_without_force(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("keep me")
    with pytest.raises(OutputExistsError):
        write_csv(frame(), path)
    assert path.read_text() == "keep me"
    write_csv(frame(), path, force=True)
    assert path.read_text().startswith("notes,")


def test_xlsx_holds_text_not_formulas_real_dates_and_a_frozen_header(tmp_path):
    data = frame().assign(notes=lambda d: d["notes"].where(d.index != 8, "bell\x07 inside"))
    path = write_xlsx(data, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path)["events"]
    assert [c.value for c in sheet[1]] == list(data.columns)
    notes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert notes[:len(RISKY)] == ["'" + v for v in RISKY]
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2, max_row=len(RISKY) + 1))
    assert notes[8] == "bell inside"  # a control character XML cannot hold is dropped, not fatal
    date_cell = sheet["C2"]
    assert date_cell.is_date and date_cell.value.date() == dt.date(2024, 1, 1)
    assert date_cell.number_format == "YYYY-MM-DD"
    assert sheet["B2"].value == -1 and sheet["B2"].data_type == "n"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["B"].width >= 8


def test_xlsx_sheet_name_force_and_no_stdout(tmp_path):
    path = write_xlsx(frame(), tmp_path / "out.xlsx", sheet_name="rejects")
    assert openpyxl.load_workbook(path).sheetnames == ["rejects"]
    with pytest.raises(OutputExistsError):
        write_xlsx(frame(), path)
    with pytest.raises(InputError, match="standard output"):
        write_xlsx(frame(), "-")


def test_xlsx_shows_day_only_datetimes_as_dates(tmp_path):
    data = pd.DataFrame({"event_date": pd.to_datetime(["2024-01-05", None]).astype("datetime64[s]"),
                         "timestamp": pd.to_datetime(["2024-01-05 10:30", "2024-01-06 00:00"])})
    sheet = openpyxl.load_workbook(write_xlsx(data, tmp_path / "d.xlsx"))["events"]
    assert sheet["A2"].number_format == "YYYY-MM-DD" and sheet["A2"].value.date() == dt.date(2024, 1, 5)
    assert sheet["A3"].value is None
    assert sheet["B2"].number_format == "YYYY-MM-DD HH:MM:SS" and sheet["B2"].value.hour == 10


def test_xlsx_refuses_cells_and_sheets_excel_cannot_hold(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="column notes, row 3: .*32,767 characters"):
        write_xlsx(pd.DataFrame({"notes": ["ok", "x" * 40_000]}), tmp_path / "long.xlsx")
    monkeypatch.setattr("eventcode.tabular_out.EXCEL_ROWS", 3)
    with pytest.raises(InputError, match="do not fit an Excel sheet"):
        write_xlsx(frame(), tmp_path / "big.xlsx")
    assert list(tmp_path.iterdir()) == []
