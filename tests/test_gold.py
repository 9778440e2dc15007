"""Gold codings from YAML files and spreadsheets become one gold frame; malformed files are input errors."""

from __future__ import annotations

import pandas as pd
import pytest
from _event_rows import GOLD_YAML, rows, write_gold

from eventcode.errors import InputError
from eventcode.gold import (
    GOLD_COLUMNS,
    gold_files,
    gold_from_rows,
    load_gold,
    read_gold_yaml,
    read_table,
    row_numbers,
)


def test_yaml_gold_file_becomes_a_gold_frame(tmp_path):
    gold = read_gold_yaml(write_gold(tmp_path))
    assert list(gold.columns) == list(GOLD_COLUMNS)
    assert gold["gold_id"].tolist() == ["E1", "E2", "E3", "O1"]
    assert gold["article_id"].unique().tolist() == ["a1"]
    assert gold["required"].tolist() == [True, True, True, False]
    assert gold.at[0, "sub_event_type"] == ["Peaceful protest", "Protest with intervention"]
    days = gold[["date_lo", "date_hi"]].apply(lambda c: c.dt.strftime("%Y-%m-%d"))
    assert days.values.tolist() == [["2022-01-05", "2022-01-05"], ["2022-01-05", "2022-01-06"],
                                    ["2022-01-01", "2022-01-31"], ["2022-01-04", "2022-01-04"]]
    assert gold["day"].notna().tolist() == [True, False, False, True]
    assert gold["fatalities"].tolist()[:3] == [0, 4, 0]


RIOT = "article: a\nevents:\n  - {event_type: Riots, sub_event_type: Mob violence, "


@pytest.mark.parametrize(("text", "reason"), [
    ("article: a\nevents: [{id: E1}]\n", "missing event_type"),
    ("article: a\nevents:\n  - {event_type: Protests, sub_event_type: Riot, date: 2022-01-01, country: X}\n",
     "does not belong to 'Protests'"),
    ("article: a\nevents:\n  - {event_type: Protest, sub_event_type: Riot, date: 2022-01-01, country: X}\n",
     "event_type 'Protest' is not one of"),
    (RIOT + "date: 2022-13, country: X}\n",
     "month '2022-13'"),
    (RIOT + "date: [2022-01-03, 2022-01-01],"
     " country: X}\n", "ends before it starts"),
    (RIOT + "date: 2022-01-01, country: X,"
     " fatalities: -1}\n", "fatalities"),
    (RIOT + "date: 2022-01-01, country: X,"
     " colour: red}\n", "unknown field"),
    ("events: []\n", "mapping with 'article'"),
    ("article: [unclosed\n", "not valid YAML"),
])
def test_malformed_yaml_is_an_input_error(tmp_path, text, reason):
    path = write_gold(tmp_path, text)
    with pytest.raises(InputError, match=reason) as info:
        read_gold_yaml(path)
    assert str(path) in str(info.value)


def test_gold_from_rows_uses_time_precision_windows():
    frame = rows({"time_precision": 1}, {"time_precision": 3, "event_id_cnty": "KAZ2"})
    frame["event_id_cnty"] = ["KAZ1", "KAZ2"]
    gold = gold_from_rows(frame, file="sheet.csv")
    assert gold["gold_id"].tolist() == ["KAZ1", "KAZ2"]
    assert gold["date_hi"].dt.strftime("%Y-%m-%d").tolist() == ["2022-01-05", "2022-01-31"]
    assert gold.at[0, "admin1"] == ["Mangystau"] and gold["required"].all()


def test_load_gold_reads_directories_and_spreadsheets(tmp_path):
    folder = tmp_path / "gold"
    folder.mkdir()
    write_gold(folder)
    write_gold(folder, GOLD_YAML.replace("a1.txt", "a2.txt"), "a2.yml")
    (folder / "notes.txt").write_text("not gold")
    sheet = tmp_path / "ref.csv"
    rows({}).to_csv(sheet, index=False)
    assert [p.name for p in gold_files([folder])] == ["a1.yaml", "a2.yml"]
    gold = load_gold([folder, sheet])
    assert gold["article_id"].value_counts().to_dict() == {"a1": 5, "a2": 4}


def test_missing_inputs_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_gold([tmp_path / "absent.yaml"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no .yaml gold files"):
        load_gold([empty])
    header_only = tmp_path / "header.csv"
    header_only.write_text("event_type,country\n")
    with pytest.raises(InputError, match="header.csv"):
        read_table(header_only)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not parquet")
    with pytest.raises(InputError, match="broken.parquet"):
        read_table(broken)


def test_read_table_reads_csv_xlsx_and_parquet(tmp_path):
    frame = rows({}, {"location": "Aktau"})
    frame.to_csv(tmp_path / "r.csv", index=False)
    frame.to_excel(tmp_path / "r.xlsx", index=False)
    frame.to_parquet(tmp_path / "r.parquet")
    for name in ("r.csv", "r.xlsx", "r.parquet"):
        got = read_table(tmp_path / name)
        assert got["location"].tolist() == ["Zhanaozen", "Aktau"], name
        assert row_numbers(got).tolist() == [2, 3]
    assert row_numbers(pd.DataFrame({"a": [1]}, index=[7])).tolist() == [2]


def test_read_table_reads_dates_day_first_like_validation(tmp_path):
    path = tmp_path / "dates.csv"
    rows({"event_date": "05/01/2022"}, {"event_date": "29 August 2016"}, {"event_date": "junk"}).to_csv(
        path, index=False)
    dates = read_table(path)["event_date"]
    assert dates.dt.strftime("%Y-%m-%d").tolist()[:2] == ["2022-01-05", "2016-08-29"]
    assert dates.isna().tolist() == [False, False, True]
