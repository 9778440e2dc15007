"""`eventcode convert --datapackage`: a Frictionless descriptor beside the Parquet, never replaced unasked."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_parquet_io import events

from eventcode.cli.convert_cmd import convert
from eventcode.schema import load_schema


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.csv"
    events().to_csv(path, index=False)
    return path


def run(*args):
    return CliRunner().invoke(convert, [str(a) for a in args])


def test_descriptor_is_written_beside_the_parquet(good, tmp_path):
    out = tmp_path / "archive" / "events.parquet"
    result = run(good, "-o", out, "--datapackage", "--meta", "coder=team-a")
    assert result.exit_code == 0, result.output
    descriptor = out.parent / "datapackage.json"
    assert f"{descriptor}: data package descriptor written" in result.stderr
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    (resource,) = package["resources"]
    assert resource["path"] == "events.parquet"
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    schema = load_schema()
    assert fields["event_type"]["constraints"]["enum"] == list(schema.by_name["event_type"].allowed)
    assert package["eventcode"]["coder"] == "team-a"


def test_no_descriptor_without_the_flag(good, tmp_path):
    assert run(good, "-o", tmp_path / "events.parquet").exit_code == 0
    assert not (tmp_path / "datapackage.json").exists()


def test_existing_descriptor_needs_force_and_nothing_is_written_before(good, tmp_path):
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text("{}", encoding="utf-8")
    out = tmp_path / "events.parquet"
    refused = run(good, "-o", out, "--datapackage")
    assert refused.exit_code == 2
    assert refused.stderr.strip() == f"Error: {descriptor}: already exists; pass --force to replace it"
    assert not out.exists() and descriptor.read_text(encoding="utf-8") == "{}"
    forced = run(good, "-o", out, "--datapackage", "--force")
    assert forced.exit_code == 0, forced.output
    assert json.loads(descriptor.read_text(encoding="utf-8"))["resources"][0]["path"] == "events.parquet"


def test_a_partitioned_directory_is_a_usage_error(good, tmp_path):
    result = run(good, "-o", tmp_path / "events", "--partition-by", "country", "--datapackage")
    assert result.exit_code == 2
    assert "--datapackage" in result.output and not (tmp_path / "events").exists()
