"""`eventcode validate`: exit codes 0/1/2, three formats, --report written atomically, stdin."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from _acled_rows import GOOD, GOOD_VAC, rows
from click.testing import CliRunner

from eventcode.cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _csv(tmp_path: Path, records: list[dict], name: str) -> Path:
    path = tmp_path / name
    pd.DataFrame(records).to_csv(path, index=False)
    return path


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return _csv(tmp_path, rows({}, base=GOOD) + rows({}, base=GOOD_VAC), "good.csv")


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    return _csv(tmp_path, rows({}, {"event_type": "Protest"}, {"fatalities": "-1"}), "bad.csv")


def test_help_documents_the_command_with_an_example(runner):
    result = runner.invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0
    assert "eventcode validate coded.xlsx" in result.output
    for option in ("--sheet", "--schema", "--format", "--report", "--force", "--all"):
        assert option in result.output


def test_valid_file_exits_0(runner, good):
    result = runner.invoke(cli, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{good}: 2 rows, 0 problems: valid")


def test_invalid_file_exits_1_with_summary_then_rows(runner, bad):
    result = runner.invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1
    out = result.output
    assert out.startswith(f"{bad}: 3 rows, 2 problems: INVALID")
    assert out.index("count") < out.index('did you mean "Protests"?')
    assert "below the minimum 0" in out


def test_unreadable_input_exits_2_with_one_line(runner, tmp_path):
    result = runner.invoke(cli, ["validate", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "missing.csv" in result.stderr
    assert "Traceback" not in result.output


def test_missing_required_column_exits_2(runner, tmp_path):
    records = rows({})
    del records[0]["event_date"]
    result = runner.invoke(cli, ["validate", str(_csv(tmp_path, records, "x.csv"))])
    assert result.exit_code == 2 and "event_date" in result.stderr


def test_no_file_is_a_usage_error(runner):
    assert runner.invoke(cli, ["validate"]).exit_code == 2
    assert runner.invoke(cli, ["validate", "x.csv", "--format", "xml"]).exit_code == 2


def test_json_format_is_one_object_on_stdout(runner, bad):
    result = runner.invoke(cli, ["validate", str(bad), "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is False and payload["rows"] == 3
    assert [p["row"] for p in payload["problems"]] == [3, 4]
    assert "INVALID" in result.stderr


def test_csv_format_has_one_row_per_problem(runner, bad):
    result = runner.invoke(cli, ["validate", str(bad), "--format", "csv"])
    assert result.exit_code == 1
    problems = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(p["row"], p["column"], p["check"]) for p in problems] == [
        ("3", "event_type", "not-allowed"), ("4", "fatalities", "out-of-range")]


def test_report_file_is_written_and_not_overwritten_without_force(runner, bad, tmp_path):
    target = tmp_path / "problems.json"
    result = runner.invoke(cli, ["validate", str(bad), "--format", "json", "--report", str(target)])
    assert result.exit_code == 1
    assert result.stdout.strip() == f"{bad}: 3 rows, 2 problems: INVALID (report: {target})"
    assert json.loads(target.read_text(encoding="utf-8"))["valid"] is False
    again = runner.invoke(cli, ["validate", str(bad), "--report", str(target)])
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = runner.invoke(cli, ["validate", str(bad), "--report", str(target), "--force"])
    assert forced.exit_code == 1
    assert target.read_text(encoding="utf-8").startswith(f"{bad}: 3 rows")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_text_report_is_capped_unless_all(runner, tmp_path):
    many = _csv(tmp_path, rows(*[{"fatalities": "-1"}] * 60), "many.csv")
    capped = runner.invoke(cli, ["validate", str(many)])
    assert capped.exit_code == 1 and "... 10 more" in capped.output
    full = runner.invoke(cli, ["validate", str(many), "--all"])
    assert "more" not in full.output and full.output.count("below the minimum 0") == 60
    report = tmp_path / "all.txt"
    runner.invoke(cli, ["validate", str(many), "--report", str(report)])
    assert report.read_text(encoding="utf-8").count("below the minimum 0") == 60


def test_stdin_is_read_with_a_dash(runner, good):
    result = runner.invoke(cli, ["validate", "-"], input=good.read_bytes())
    assert result.exit_code == 0, result.output + result.stderr
    assert "2 rows, 0 problems: valid" in result.output


def test_several_files_are_validated_together(runner, good, bad):
    result = runner.invoke(cli, ["validate", str(good), str(bad), "--format", "json"])
    payload = json.loads(result.stdout)
    assert result.exit_code == 1 and payload["rows"] == 5
    assert payload["files"] == [str(good), str(bad)]


def test_a_variant_schema_is_used(runner, bad, tmp_path):
    from eventcode.schema import bundled_schema_path

    text = bundled_schema_path().read_text(encoding="utf-8")
    text = text.replace("    min: 0\n    description: Reported", "    min: -5\n    description: Reported")
    variant = tmp_path / "variant.yaml"
    variant.write_text(text, encoding="utf-8")
    (tmp_path / "countries.csv").write_bytes((bundled_schema_path().parent / "countries.csv").read_bytes())
    result = runner.invoke(cli, ["validate", str(bad), "--schema", str(variant), "--format", "csv"])
    assert [p["check"] for p in csv.DictReader(io.StringIO(result.stdout))] == ["not-allowed"]
