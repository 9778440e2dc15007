"""datapackage.json beside a Parquet file: every field described from the schema, valid for Frictionless."""

from __future__ import annotations

import datetime as dt
import json

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eventcode.datapackage import build_descriptor, field_descriptor, package_name, write_datapackage
from eventcode.errors import InputError, OutputExistsError
from eventcode.schema import load_schema

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
           "country", "admin1", "latitude", "fatalities", "source"]


def write_events(path, fatalities=(0, 3), extra=False):
    schema = load_schema()
    data = {
        "event_id_cnty": ["KAZ1", "KAZ2"], "event_date": [dt.date(2022, 1, 5), dt.date(2022, 1, 6)],
        "year": [2022, 2022], "time_precision": [1, 2], "event_type": ["Protests", "Battles"],
        "sub_event_type": ["Peaceful protest", "Armed clash"], "country": ["Kazakhstan", "Kazakhstan"],
        "admin1": ["Mangystau", None], "latitude": [43.3, 43.2], "fatalities": list(fatalities),
        "source": ["Reuters; Vlast.kz", "Azattyq"],
    }
    table = pa.table(data, schema=schema.arrow_schema(COLUMNS))
    if extra:
        table = table.append_column("coder_note", pa.array(["ok", "check"]))
    provenance = json.dumps({"schema": "acled", "coder": "team A"}).encode()
    meta = {**table.schema.metadata, b"eventcode": provenance}
    pq.write_table(table.replace_schema_metadata(meta), path)
    return path


def test_descriptor_describes_every_column_from_the_schema(tmp_path):
    descriptor = build_descriptor(write_events(tmp_path / "Events 2022.parquet", extra=True), load_schema())
    resource = descriptor["resources"][0]
    assert descriptor["name"] == resource["name"] == "events-2022"
    assert resource["path"] == "Events 2022.parquet" and resource["format"] == "parquet"
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert list(fields) == [*COLUMNS, "coder_note"]
    assert fields["event_id_cnty"]["constraints"] == {"required": True, "pattern": "[A-Z]{3}[0-9]+",
                                                      "unique": True}
    assert fields["event_date"]["type"] == "date"
    assert fields["time_precision"]["constraints"]["enum"] == [1, 2, 3]
    assert fields["year"]["constraints"]["minimum"] == 1997 and fields["year"]["type"] == "integer"
    assert fields["latitude"]["type"] == "number"
    assert "Armed clash" in fields["sub_event_type"]["constraints"]["enum"]
    assert "constraints" not in fields["admin1"] and fields["admin1"]["description"]
    assert "separated by" in fields["source"]["description"]
    assert fields["coder_note"] == {"name": "coder_note", "type": "string"}
    assert resource["schema"]["primaryKey"] == ["event_id_cnty"]
    assert descriptor["eventcode"] == {"schema": "acled", "coder": "team A"}
    assert len(resource["eventcode"]["sha256"]) == 64


def test_written_package_is_valid_frictionless_and_checks_data(tmp_path):
    target = write_datapackage(write_events(tmp_path / "events.parquet"), load_schema())
    assert target == tmp_path / "datapackage.json"
    package = frictionless.Package(str(target))
    assert package.resources[0].name == "events"
    assert frictionless.Package.validate_descriptor(json.loads(target.read_text())).valid
    assert frictionless.validate(str(target)).valid

    write_events(tmp_path / "events.parquet", fatalities=(0, -1))
    report = frictionless.validate(str(target))
    assert not report.valid
    assert report.flatten(["type"]) == [["constraint-error"]]


def test_existing_descriptor_needs_force(tmp_path):
    events = write_events(tmp_path / "events.parquet")
    write_datapackage(events, load_schema())
    with pytest.raises(OutputExistsError):
        write_datapackage(events, load_schema())
    write_datapackage(events, load_schema(), name="Renamed", force=True)
    assert json.loads((tmp_path / "datapackage.json").read_text())["name"] == "renamed"


def test_bad_inputs(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        write_datapackage(tmp_path / "absent.parquet", load_schema())
    with pytest.raises(InputError, match="partitioned directory"):
        write_datapackage(tmp_path, load_schema())
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 nonsense")
    with pytest.raises(InputError, match="not a readable Parquet"):
        write_datapackage(broken, load_schema())
    assert not (tmp_path / "datapackage.json").exists()


def test_helpers():
    assert package_name("ACLED events (2022)") == "acled-events-2022"
    assert package_name("###") == "events"
    field = field_descriptor(load_schema().by_name["inter2"])
    assert field["type"] == "string" and "required" not in field.get("constraints", {})
