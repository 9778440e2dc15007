"""The data dictionary lists every schema column and the taxonomy, from the schema itself."""

from __future__ import annotations

import json

import pytest

from eventcode.dictionary import SHORT_LIST, data_dictionary, taxonomy_table
from eventcode.schema import load_schema


def _rows(markdown: str, heading: str) -> list[list[str]]:
    section = markdown.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[1:]]


def test_markdown_lists_every_column_in_schema_order():
    schema = load_schema()
    rows = _rows(data_dictionary(schema), "Columns")
    assert [r[0] for r in rows] == schema.names
    by_name = {r[0]: r for r in rows}
    assert by_name["event_type"][1:3] == ["category", "yes"]
    assert "`Battles`" in by_name["event_type"][3] and "`Riots`" in by_name["event_type"][3]
    assert by_name["country"][3].startswith(f"{len(schema.allowed('country'))} values, e.g.")
    assert by_name["fatalities"][4] == ">= 0"
    assert by_name["admin1"][2] == "no"
    assert by_name["fatalities"][5] == schema.by_name["fatalities"].description


def test_markdown_has_the_taxonomy_with_disorder_types():
    rows = _rows(data_dictionary(), "Event types, sub-event types and disorder types")
    assert len(rows) == 25
    assert ["Protests", "Excessive force against protesters", "Political violence; Demonstrations"] in rows
    assert ["Riots", "Mob violence", "Political violence"] in rows


def test_json_has_full_allowed_lists_and_the_taxonomy():
    schema = load_schema()
    payload = json.loads(data_dictionary(schema, fmt="json"))
    assert payload["schema"] == "acled" and payload["version"] == schema.version
    columns = {c["name"]: c for c in payload["columns"]}
    assert list(columns) == schema.names
    assert columns["country"]["allowed"] == schema.allowed("country")
    assert columns["country"]["allowed_count"] > SHORT_LIST
    assert columns["latitude"]["min"] == -90 and columns["latitude"]["max"] == 90
    assert columns["article_id"]["evidence"] is True
    assert payload["taxonomy"] == taxonomy_table(schema).to_dict(orient="records")
    assert payload["inter_codes"]["7"] == "Civilians"


def test_a_variant_schema_gets_its_own_dictionary(tmp_path):
    source = load_schema().path
    text = open(source, encoding="utf-8").read().replace("name: acled\n", "name: team-b\n", 1).replace(
        "  - name: tags\n    type: string\n", "  - name: tags\n    type: string\n    required: true\n", 1)
    variant = tmp_path / "team.yaml"
    variant.write_text(text, encoding="utf-8")
    (tmp_path / "countries.csv").write_bytes((load_schema().countries.to_csv(index=False)).encode())
    schema = load_schema(variant)
    markdown = data_dictionary(schema)
    assert "Schema `team-b`" in markdown
    assert {r[0]: r for r in _rows(markdown, "Columns")}["tags"][2] == "yes"


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="markdown or json"):
        data_dictionary(fmt="html")
