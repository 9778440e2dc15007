"""`eventcode evaluate`: text and JSON reports; gold as YAML files, a directory or a spreadsheet; exit 2."""

from __future__ import annotations

import json

from _event_rows import GOLD_YAML, rows, write_gold
from click.testing import CliRunner

from eventcode.cli.evaluate_cmd import evaluate


def coded(tmp_path, suffix=".csv"):
    frame = rows({}, {"event_type": "Battles", "sub_event_type": "Armed clash", "admin1": "Almaty",
                      "event_date": "2022-01-06", "fatalities": 4},
                 {"admin1": "Aktobe"})
    path = tmp_path / f"coded{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_parquet(path)
    return path


def test_text_report_against_a_gold_directory(tmp_path):
    folder = tmp_path / "gold"
    folder.mkdir()
    write_gold(folder)
    result = CliRunner().invoke(evaluate, [str(coded(tmp_path)), str(folder)])
    assert result.exit_code == 0, result.output
    assert "precision 0.667  recall 0.667" in result.output
    assert "E3" in result.output  # the missed arrest is listed


def test_json_report_for_parquet_and_xlsx(tmp_path):
    gold = write_gold(tmp_path)
    for suffix in (".parquet", ".xlsx"):
        result = CliRunner().invoke(evaluate, [str(coded(tmp_path, suffix)), str(gold), "--format", "json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert (data["tp"], data["fp"], data["fn"]) == (2, 1, 1), suffix


def test_spreadsheet_gold_and_several_yaml_files(tmp_path):
    reference = tmp_path / "reference.csv"
    rows({}).to_csv(reference, index=False)
    result = CliRunner().invoke(evaluate, [str(coded(tmp_path)), str(reference), "--format", "json"])
    assert json.loads(result.output)["tp"] == 1
    second = write_gold(tmp_path, GOLD_YAML.replace("a1.txt", "a2.txt"), "a2.yaml")
    result = CliRunner().invoke(evaluate, [str(coded(tmp_path)), str(write_gold(tmp_path)), str(second),
                                           "--format", "json"])
    assert json.loads(result.output)["fn"] == 4  # a2's row is in Aktobe, not Mangystau


def test_unreadable_inputs_exit_2_with_one_line(tmp_path):
    gold = write_gold(tmp_path)
    result = CliRunner().invoke(evaluate, [str(tmp_path / "absent.csv"), str(gold)])
    assert result.exit_code == 2 and "absent.csv: no such file" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    bad = write_gold(tmp_path, "article: a\nevents: [{id: E1}]\n", "bad.yaml")
    result = CliRunner().invoke(evaluate, [str(coded(tmp_path)), str(bad)])
    assert result.exit_code == 2 and "bad.yaml: events[0] (E1): missing" in result.stderr
    result = CliRunner().invoke(evaluate, [str(coded(tmp_path))])
    assert result.exit_code == 2


def test_rows_are_reported_with_spreadsheet_numbers(tmp_path):
    path = coded(tmp_path)
    header, *lines = path.read_text().splitlines()
    blank = "," * header.count(",")
    path.write_text("\n".join([header, blank, *lines]) + "\n")  # a blank row 2 keeps its number
    data = json.loads(CliRunner().invoke(evaluate, [str(path), str(write_gold(tmp_path)), "--format",
                                                    "json"]).output)
    assert [r["row"] for r in data["extra_rows"]] == [5]
    found = {e["gold_id"]: e["coded_row"] for e in data["gold_events"]}
    assert found["E1"] == 3 and found["E3"] is None


def test_articles_without_gold_are_not_scored(tmp_path):
    path = tmp_path / "coded.csv"
    rows({}, {"article_id": "unscored", "admin1": "Aktobe"}).to_csv(path, index=False)
    data = json.loads(CliRunner().invoke(evaluate, [str(path), str(write_gold(tmp_path)), "--format",
                                                    "json"]).output)
    assert (data["tp"], data["fp"]) == (1, 0)
    assert any("without a gold coding were not scored" in note for note in data["notes"])
