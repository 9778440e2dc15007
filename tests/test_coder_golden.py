"""Golden cases: short invented articles (tests/cases/*.yaml) and the rows the coder must produce.

A case file holds one article (`text`, `published`, `source`, `expect`) or a list of them under
`cases:`. `expect` lists the rows in article order; each lists only the fields it checks (a list
value accepts any of its items). `expect: []`, or no `expect`, means no row may appear.
Adding a phenomenon is adding a YAML file, not test code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from eventcode.coding.articles import repair
from eventcode.coding.coder import code_text
from eventcode.validation import validate

CASES = Path(__file__).parent / "cases"


def _load_cases() -> list:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data.get("cases") or [data]):
            name = f"{path.stem}:{case.get('name', i)}"
            params.append(pytest.param(case, id=name))
    return params


def _value(row: pd.Series, field: str) -> object:
    value = row[field]
    if field == "event_date":
        return pd.Timestamp(value).date().isoformat()
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _accepts(expected: object, actual: object) -> bool:
    options = expected if isinstance(expected, list) else [expected]
    return any(str(o) == str(actual) for o in options)


@pytest.mark.parametrize("case", _load_cases())
def test_golden_case(case):
    rows = code_text(case["text"], published=str(case["published"]), source=case.get("source", "Test Wire"),
                     article_id="case")
    rows = rows.sort_values("evidence_start", kind="stable").reset_index(drop=True)
    expected = case.get("expect") or []
    shown = rows[["event_date", "sub_event_type", "country", "admin1", "fatalities", "rule_id", "evidence"]]
    assert len(rows) == len(expected), f"expected {len(expected)} row(s), got:\n{shown.to_string()}"
    for i, want in enumerate(expected):
        got = {field: _value(rows.iloc[i], field) for field in want}
        wrong = {f: (want[f], got[f]) for f in want if not _accepts(want[f], got[f])}
        assert not wrong, f"row {i}: (expected, got) {wrong}\n{shown.to_string()}"
    spans = zip(rows["evidence_start"], rows["evidence_end"], strict=True)
    coded = repair(case["text"])  # offsets point into the text as coded: after ftfy's repairs
    assert rows["evidence"].tolist() == [coded[a:b] for a, b in spans]  # offsets point at the evidence
    if len(rows):
        assert validate(rows).valid, validate(rows).report.to_text()


def test_every_case_file_is_used():
    assert len(_load_cases()) >= 20


def test_every_rule_has_a_case_that_fires():
    """A rule no case expects is untested: deleting one of its patterns would turn nothing red."""
    from eventcode.coding.codebook import load_codebook

    expected = {row.get("rule_id") for p in _load_cases() for row in (p.values[0].get("expect") or [])}
    untested = sorted(r.id for r in load_codebook().rules if r.id not in expected)
    assert not untested, f"rules with no golden case expecting them: {untested}"
