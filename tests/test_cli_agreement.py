"""`eventcode agreement`: reliability between coders' files as text or JSON; exit 2 on bad input."""

from __future__ import annotations

import json

from _event_rows import rows
from click.testing import CliRunner

from eventcode.cli.agreement_cmd import agreement


def write(tmp_path, name, frame):
    path = tmp_path / name
    if name.endswith(".csv"):
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(path, index=False)
    return str(path)


def test_two_coders_text_and_json(tmp_path):
    a = write(tmp_path, "a.csv", rows({}, {"admin1": "Almaty", "fatalities": 2}))
    b = write(tmp_path, "b.xlsx", rows({}, {"admin1": "Almaty", "fatalities": 3}, {"admin1": "Aktobe"}))
    result = CliRunner().invoke(agreement, [a, b])
    assert result.exit_code == 0, result.output
    assert "Coders: a.csv, b.xlsx" in result.output and "event_present" in result.output
    data = json.loads(CliRunner().invoke(agreement, [a, b, "--format", "json"]).output)
    fields = {f["field"]: f for f in data["fields"]}
    assert fields["event_present"]["units"] == 3
    assert fields["fatalities"]["agreement"] == 0.5


def test_three_coders_with_the_same_file_name(tmp_path):
    frame = rows({}, {"admin1": "Almaty", "sub_event_type": "Protest with intervention"})
    paths = []
    for folder in ("x", "y", "z"):
        (tmp_path / folder).mkdir()
        paths.append(write(tmp_path / folder, "coding.csv", frame))
    data = json.loads(CliRunner().invoke(agreement, [*paths, "--format", "json"]).output)
    assert data["coders"] == paths
    assert all(f["agreement"] == 1.0 for f in data["fields"])


def test_bad_input_exits_2(tmp_path):
    a = write(tmp_path, "a.csv", rows({}))
    result = CliRunner().invoke(agreement, [a])
    assert result.exit_code == 2 and "at least two" in result.output + result.stderr
    result = CliRunner().invoke(agreement, [a, str(tmp_path / "absent.xlsx")])
    assert result.exit_code == 2 and "absent.xlsx: no such file" in result.stderr
    c = write(tmp_path, "c.csv", rows({}).drop(columns="event_type"))
    result = CliRunner().invoke(agreement, [a, c])
    assert result.exit_code == 2 and "c.csv: missing column(s) event_type" in result.stderr
