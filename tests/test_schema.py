"""The schema file loads, derives its tables, and rejects malformed variants with a precise message."""

from pathlib import Path

import pyarrow as pa
import pytest

from eventcode.errors import SchemaError
from eventcode.schema import bundled_schema_path, load_schema

ACLED_ORDER = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 "
    "assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country "
    "admin1 admin2 admin3 location latitude longitude geo_precision source source_scale notes fatalities "
    "tags timestamp"
).split()


def test_bundled_schema_has_acled_columns_in_order():
    schema = load_schema()
    assert schema.acled_names == ACLED_ORDER
    assert schema.names[-5:] == ["article_id", "rule_id", "evidence", "evidence_start", "evidence_end"]


def test_taxonomy_has_six_event_types_and_25_sub_event_types():
    schema = load_schema()
    assert len(schema.event_types) == 6
    assert len(schema.sub_event_types) == 25
    assert schema.disorder_for("Protests", "Excessive force against protesters") == (
        "Political violence; Demonstrations")
    assert schema.disorder_for("Riots", "Mob violence") == "Political violence"
    assert schema.event_type_of("Arrests") == "Strategic developments"


def test_interaction_names_put_the_smaller_code_first():
    schema = load_schema()
    assert schema.interaction("Civilians", "State forces") == "State forces-Civilians"
    assert schema.interaction("Protesters", None) == "Protesters only"
    assert "Rebel group-Civilians" in schema.interactions


def test_countries_table_knows_regions_iso_and_bounds():
    countries = load_schema().countries.set_index("country")
    assert countries.loc["Kazakhstan", "region"] == "Caucasus and Central Asia"
    assert countries.loc["Kazakhstan", "iso"] == 398
    assert countries.loc["Nigeria", "lat_min"] < 9 < countries.loc["Nigeria", "lat_max"]
    assert len(countries) == 243


def test_arrow_schema_uses_dictionary_dates_and_int32():
    arrow = load_schema().arrow_schema()
    assert pa.types.is_dictionary(arrow.field("event_type").type)
    assert arrow.field("event_date").type == pa.date32()
    assert arrow.field("fatalities").type == pa.int32()
    assert arrow.field("latitude").type == pa.float64()
    assert arrow.field("fatalities").metadata[b"description"].startswith(b"Reported fatalities")


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = bundled_schema_path().read_text(encoding="utf-8").replace(old, new, 1)
    path = tmp_path / "variant.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "countries.csv").write_bytes((bundled_schema_path().parent / "countries.csv").read_bytes())
    return path


def test_a_variant_schema_loads_without_code_changes(tmp_path):
    path = _variant(tmp_path, "name: acled\n", "name: team-variant\n")
    schema = load_schema(path)
    assert schema.name == "team-variant"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    type: string\n    required: true\n    unique: true", "    type: text\n    required: true",
         "type 'text' is not one of"),
        ("allowed: {from: event_types}", "allowed: {from: nothing}", "allowed.from 'nothing'"),
        ("    min: 1997", "    minimum: 1997", "unknown field(s) ['minimum']"),
        ("columns:\n", "columns: [\n", "not valid YAML"),
    ],
)
def test_malformed_schema_is_named_with_its_place(tmp_path, old, new, message):
    path = _variant(tmp_path, old, new)
    with pytest.raises(SchemaError) as info:
        load_schema(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_a_variant_made_with_replace_does_not_share_derived_objects():
    # validate() caches the pandera schema on the Schema; a variant with other rules must build its own.
    from dataclasses import replace

    schema = load_schema()
    schema.derived["probe"] = object()
    try:
        variant = replace(schema, columns=list(schema.columns))
        assert "probe" not in variant.derived
    finally:
        del schema.derived["probe"]
