"""`eventcode schema` and `eventcode template`: documented, write atomically, exit codes 0 and 2."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from eventcode.cli import cli
from eventcode.schema import load_schema


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("command", ["schema", "template"])
def test_help_documents_the_command_with_an_example(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and f"eventcode {command}" in result.output


def test_schema_prints_markdown_to_stdout(runner):
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"# {load_schema().title}")
    assert "| event_type | category | yes |" in result.stdout


def test_schema_writes_json_to_a_file_and_keeps_it_without_force(runner, tmp_path):
    out = tmp_path / "dictionary.json"
    result = runner.invoke(cli, ["schema", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [c["name"] for c in json.loads(out.read_text())["columns"]] == load_schema().names
    again = runner.invoke(cli, ["schema", "-o", str(out)])
    assert again.exit_code == 2
    assert "already exists; pass --force" in again.stderr and "Traceback" not in again.output
    assert runner.invoke(cli, ["schema", "-o", str(out), "--force"]).exit_code == 0
    assert out.read_text().startswith("# ")


def test_schema_with_a_broken_schema_file_is_a_one_line_error(runner, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\ncolumns: [\n")
    result = runner.invoke(cli, ["schema", "--schema", str(broken)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {broken}: line") and len(result.stderr.splitlines()) == 1


def test_template_writes_a_workbook(runner, tmp_path):
    out = tmp_path / "coding.xlsx"
    result = runner.invoke(cli, ["template", str(out), "--rows", "20"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert [c.value for c in book["events"][1]] == load_schema().acled_names
    ranges = {str(v.sqref) for v in book["events"].data_validations.dataValidation}
    assert "F2:F21" in ranges  # event_type, for the 20 rows asked for
    again = runner.invoke(cli, ["template", str(out)])
    assert again.exit_code == 2 and "already exists" in again.stderr
