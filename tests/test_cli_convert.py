"""`eventcode convert` and its library side: validate, then write typed Parquet, or refuse, or set aside."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from test_parquet_io import events

import eventcode
from eventcode.cli import cli
from eventcode.errors import InvalidDataError
from eventcode.parquet_io import read_metadata


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.csv"
    events().to_csv(path, index=False)
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """Rows 3 and 5 (spreadsheet numbering) are invalid; row 4 holds a formula-looking note."""
    frame = events().astype(object)
    frame.loc[1, "event_type"] = "Battle"
    frame.loc[3, "fatalities"] = -1
    frame.loc[3, "notes"] = "=HYPERLINK(\"http://x\")"
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    return path


def run(runner: CliRunner, *args: object):
    return runner.invoke(cli, ["convert", *map(str, args)])


def test_help_documents_the_command_with_examples(runner):
    result = runner.invoke(cli, ["convert", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "--keep-invalid" in result.output


def test_valid_input_is_written_as_typed_parquet(runner, good, tmp_path):
    out = tmp_path / "events.parquet"
    result = run(runner, good, "-o", out, "--meta", "coder=team-a")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == f"{out}: 4 rows written"
    back = pd.read_parquet(out)
    assert back["event_id_cnty"].tolist() == events()["event_id_cnty"].tolist()
    assert isinstance(back["event_type"].dtype, pd.CategoricalDtype)
    assert str(back["fatalities"].dtype) == "Int32"
    meta = read_metadata(out)
    assert meta["coder"] == "team-a" and meta["schema"] == "acled"


def test_invalid_rows_refuse_the_whole_write_with_the_report(runner, bad, tmp_path):
    out = tmp_path / "events.parquet"
    result = run(runner, bad, "-o", out)
    assert result.exit_code == 1
    assert not out.exists() and not (tmp_path / "events.parquet.rejects.csv").exists()
    lines = result.stdout.splitlines()
    assert lines[0] == f"{bad}: 4 rows, 2 problems: INVALID"
    assert any(line.split()[:3] == ["3", "event_type", "Battle"] for line in lines)
    assert any(line.split()[:3] == ["5", "fatalities", "-1"] for line in lines)
    assert result.stderr.startswith("Error: ") and "nothing written" in result.stderr


def test_json_report_for_machines(runner, bad, tmp_path):
    result = run(runner, bad, "-o", tmp_path / "x.parquet", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert sorted(p["row"] for p in payload["problems"]) == [3, 5]


def test_keep_invalid_writes_valid_rows_and_sets_the_others_aside(runner, bad, tmp_path):
    out = tmp_path / "events.parquet"
    result = run(runner, bad, "-o", out, "--keep-invalid")
    assert result.exit_code == 0, result.output
    assert pd.read_parquet(out)["event_id_cnty"].tolist() == ["KAZ1", "NGA3"]
    rejects_path = tmp_path / "events.parquet.rejects.csv"
    assert f"2 invalid rows set aside in {rejects_path}" in result.stderr
    rejects = pd.read_csv(rejects_path, dtype=str, keep_default_na=False)
    assert list(rejects.columns[:4]) == ["file", "row", "problems", "event_id_cnty"]
    assert rejects["row"].tolist() == ["3", "5"]
    assert rejects["file"].tolist() == [str(bad)] * 2
    assert rejects["problems"][0].startswith("event_type: not an allowed event_type")
    assert "Battles" in rejects["problems"][0]
    assert rejects["problems"][1] == "fatalities: below the minimum 0"
    assert rejects["event_type"][0] == "Battle"  # cells as written, to fix and convert again
    assert rejects["fatalities"][1] == "-1"  # a plain number is not escaped
    assert rejects["notes"][1] == "'=HYPERLINK(\"http://x\")"  # spreadsheet-safe


def test_rejects_path_and_its_guard(runner, bad, tmp_path):
    rejects = tmp_path / "fix_these.csv"
    result = run(runner, bad, "-o", tmp_path / "e.parquet", "--keep-invalid", "--rejects", rejects)
    assert result.exit_code == 0 and rejects.exists()
    alone = run(runner, bad, "-o", tmp_path / "f.parquet", "--rejects", tmp_path / "r.csv")
    assert alone.exit_code == 2 and "--keep-invalid" in alone.stderr


def test_row_numbers_survive_blank_lines(runner, tmp_path):
    frame = events().astype(object)
    frame.loc[2, "country"] = "Nigria"
    text = frame.to_csv(index=False).splitlines()
    path = tmp_path / "gaps.csv"
    path.write_text("\n".join(text[:2] + ["", ""] + text[2:]) + "\n")  # two blank rows after row 2
    result = run(runner, path, "-o", tmp_path / "e.parquet", "--keep-invalid")
    assert result.exit_code == 0, result.output
    rejects = pd.read_csv(tmp_path / "e.parquet.rejects.csv", dtype=str)
    assert rejects["row"].tolist() == ["6"] and rejects["event_id_cnty"].tolist() == ["NGA3"]


def test_several_inputs_and_a_worksheet_become_one_dataset(runner, good, tmp_path):
    book = tmp_path / "team.xlsx"
    with pd.ExcelWriter(book) as writer:
        events().head(1).assign(event_id_cnty="KAZ9").to_excel(writer, sheet_name="notes", index=False)
        events().tail(2).assign(event_id_cnty=["NGA7", "NGA8"]).to_excel(writer, sheet_name="coded",
                                                                         index=False)
    out = tmp_path / "all.parquet"
    result = run(runner, good, book, "--sheet", "coded", "-o", out)
    assert result.exit_code == 0, result.output
    assert pd.read_parquet(out)["event_id_cnty"].tolist() == ["KAZ1", "KAZ2", "NGA3", "NGA4", "NGA7", "NGA8"]


def test_partitioned_output(runner, good, tmp_path):
    out = tmp_path / "events"
    result = run(runner, good, "-o", out, "--partition-by", "country,year")
    assert result.exit_code == 0, result.output
    assert (out / "country=Nigeria" / "year=2023").is_dir()
    assert len(pd.read_parquet(out)) == 4
    bad_column = run(runner, good, "-o", tmp_path / "other", "--partition-by", "province")
    assert bad_column.exit_code == 2 and "cannot partition by 'province'" in bad_column.stderr


def test_existing_output_needs_force(runner, good, tmp_path):
    out = tmp_path / "events.parquet"
    out.write_bytes(b"old")
    result = run(runner, good, "-o", out)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert out.read_bytes() == b"old"
    assert run(runner, good, "-o", out, "--force").exit_code == 0
    assert pq.read_table(out).num_rows == 4


def test_unreadable_input_is_a_one_line_error(runner, tmp_path):
    missing = tmp_path / "nope.csv"
    result = run(runner, missing, "-o", tmp_path / "e.parquet")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {missing}") and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "e.parquet").exists()


def test_no_valid_row_writes_nothing(runner, tmp_path):
    path = tmp_path / "all_bad.csv"
    events().assign(fatalities=-1).to_csv(path, index=False)
    result = run(runner, path, "-o", tmp_path / "e.parquet", "--keep-invalid")
    assert result.exit_code == 1 and "no valid row" in result.stderr
    assert not (tmp_path / "e.parquet").exists()


# -- the library has the same power ---------------------------------------------------------------------
def test_library_write_parquet_validates_files(bad, tmp_path):
    with pytest.raises(InvalidDataError) as caught:
        eventcode.write_parquet(bad, tmp_path / "e.parquet")
    assert not caught.value.report.valid and len(caught.value.report) == 2
    path = eventcode.write_parquet([bad], tmp_path / "e.parquet", keep_invalid=True,
                                   rejects=tmp_path / "r.csv", partition_by=["country"])
    assert len(pd.read_parquet(path)) == 2 and (tmp_path / "r.csv").exists()


def test_library_write_parquet_validates_a_dataframe_on_request(tmp_path):
    frame = events()
    frame.loc[0, "latitude"] = 143.25
    with pytest.raises(InvalidDataError):
        eventcode.write_parquet(frame, tmp_path / "e.parquet", validate=True)
    eventcode.write_parquet(frame, tmp_path / "e.parquet", validate=True, keep_invalid=True)
    assert len(pd.read_parquet(tmp_path / "e.parquet")) == 3
    rejects = pd.read_csv(tmp_path / "e.parquet.rejects.csv")
    assert rejects["row"].tolist() == [2] and rejects["file"].tolist() == ["<DataFrame>"]


def test_rejects_as_a_workbook(runner, bad, tmp_path):
    rejects = tmp_path / "fix_these.xlsx"
    result = run(runner, bad, "-o", tmp_path / "e.parquet", "--keep-invalid", "--rejects", rejects)
    assert result.exit_code == 0, result.output
    back = pd.read_excel(rejects, sheet_name="rejects", dtype=str, engine="openpyxl")
    assert back["row"].tolist() == ["3", "5"]
    assert back["notes"][1] == "'=HYPERLINK(\"http://x\")"


def test_no_rejects_file_when_the_dataset_cannot_be_written(runner, bad, tmp_path):
    result = run(runner, bad, "-o", tmp_path / "e", "--keep-invalid", "--partition-by", "province")
    assert result.exit_code == 2 and "cannot partition by" in result.stderr
    assert list(tmp_path.iterdir()) == [bad]


def test_event_ids_must_be_unique_across_inputs(runner, good, tmp_path):
    other = tmp_path / "other.csv"
    events().tail(2).assign(event_id_cnty=["NGA9", "NGA3"]).to_csv(other, index=False)
    out = tmp_path / "e.parquet"
    result = run(runner, good, other, "-o", out, "--format", "json")
    assert result.exit_code == 1 and not out.exists()
    (problem,) = json.loads(result.stdout)["problems"]
    assert (problem["file"], problem["row"], problem["column"], problem["value"]) == (
        str(other), 3, "event_id_cnty", "NGA3")
    assert problem["message"] == f"already used in {good}, row 4"
    kept = run(runner, good, other, "-o", out, "--keep-invalid")
    assert kept.exit_code == 0
    assert pd.read_parquet(out)["event_id_cnty"].tolist() == ["KAZ1", "KAZ2", "NGA3", "NGA4", "NGA9"]


def test_standard_input(runner, bad, tmp_path):
    result = runner.invoke(cli, ["convert", "-", "-o", str(tmp_path / "e.parquet"), "--keep-invalid"],
                           input=bad.read_text())
    assert result.exit_code == 0, result.output
    rejects = pd.read_csv(tmp_path / "e.parquet.rejects.csv", dtype=str)
    assert rejects["file"].tolist() == ["(stdin)", "(stdin)"] and rejects["row"].tolist() == ["3", "5"]


def test_meta_must_be_key_value_and_not_reserved(runner, good, tmp_path):
    for bad_meta in ("novalue", "created=yesterday"):
        result = run(runner, good, "-o", tmp_path / "e.parquet", "--meta", bad_meta)
        assert result.exit_code == 2 and "--meta" in result.stderr
    assert not (tmp_path / "e.parquet").exists()
