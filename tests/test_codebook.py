"""Codebook loading: includes, extends, errors with file and line, and the lint checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from eventcode.coding.codebook import lint, load_codebook, parse_pattern
from eventcode.errors import CodebookError
from eventcode.schema import load_schema

ROOT = Path(__file__).resolve().parents[1] / "codebooks"


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def book_of(tmp_path: Path, rules: str, extra: str = "") -> Path:
    write(tmp_path / "rules.yaml", rules)
    return write(tmp_path / "cb.yaml", f"""
        id: team
        version: "1"
        include: [rules.yaml]
        {extra}
        """)


def load(path: Path):
    return load_codebook(path, schema=load_schema())


RULE = """
    rules:
      - id: arrests
        sub_event_type: Arrests
        patterns: ["arrested|detained"]
    """


def test_include_and_rule_fields(tmp_path):
    book = load(book_of(tmp_path, RULE))
    (rule,) = book.rules
    assert (rule.id, rule.event_type, rule.line) == ("arrests", "Strategic developments", 2)
    assert rule.file.endswith("rules.yaml")


def test_unknown_sub_event_type_names_file_and_line(tmp_path):
    path = book_of(tmp_path, """
        rules:
          - id: a
            sub_event_type: Arrests
            patterns: [arrested]
          - id: b
            sub_event_type: Arrest
            patterns: [detained]
        """)
    with pytest.raises(CodebookError, match=r"rules.yaml: line 5: rule b: sub_event_type 'Arrest'"):
        load(path)


def test_duplicate_ids_are_refused(tmp_path):
    path = book_of(tmp_path, RULE + """
      - id: arrests
        sub_event_type: Arrests
        patterns: [apprehended]
    """)
    with pytest.raises(CodebookError, match=r"line \d+: rule id 'arrests' is already defined in .*line 2"):
        load(path)


@pytest.mark.parametrize("pattern, reason", [
    ("* arrested", "starts with a gap"), ("arrested *", "ends with a gap"), ("a||b", "empty alternative"),
    ("arrest* men", "prefix"),
])
def test_bad_patterns(tmp_path, pattern, reason):
    path = book_of(tmp_path, f"""
        rules:
          - id: a
            sub_event_type: Arrests
            patterns: ["{pattern}"]
        """)
    with pytest.raises(CodebookError, match=reason):
        load(path)


def test_yaml_syntax_error_has_line(tmp_path):
    path = book_of(tmp_path, "rules:\n  - id: a\n   bad: [\n")
    with pytest.raises(CodebookError, match=r"rules.yaml: line \d+: not valid YAML"):
        load(path)


def test_missing_include(tmp_path):
    path = write(tmp_path / "cb.yaml", "id: x\nversion: '1'\ninclude: [nope.yaml]\n")
    with pytest.raises(CodebookError, match="included file 'nope.yaml' not found"):
        load(path)


def test_extends_overrides_by_id_and_disables(tmp_path):
    base = book_of(tmp_path, RULE + """
      - id: clash
        sub_event_type: Armed clash
        patterns: [gunfight]
    """)
    write(tmp_path / "mine.yaml", """
        rules:
          - id: arrests
            sub_event_type: Arrests
            patterns: [apprehended]
        """)
    team = write(tmp_path / "team.yaml", f"""
        id: team-b
        version: "2"
        extends: {base.name}
        include: [mine.yaml]
        disable: [clash]
        """)
    book = load(team)
    assert (book.id, book.version) == ("team-b", "2")
    assert [r.id for r in book.rules] == ["arrests"]
    assert book.rules[0].patterns[0].source == "apprehended"


def test_extends_cycle(tmp_path):
    write(tmp_path / "a.yaml", "id: a\nversion: '1'\nextends: b.yaml\n")
    write(tmp_path / "b.yaml", "id: b\nversion: '1'\nextends: a.yaml\n")
    with pytest.raises(CodebookError, match="extends itself"):
        load(tmp_path / "a.yaml")


def test_raw_sections_remember_their_file(tmp_path):
    write(tmp_path / "fat.yaml", "fatalities:\n  quantities: {dozens: 12}\n")
    path = write(tmp_path / "cb.yaml", "id: x\nversion: '1'\ninclude: [fat.yaml]\n")
    book = load(path)
    assert book.fatalities == {"quantities": {"dozens": 12}}
    assert book.section_file("fatalities").endswith("fat.yaml")


def test_lint_flags_stop_word_patterns_and_uncovered_types(tmp_path):
    book = load(book_of(tmp_path, """
        rules:
          - id: a
            sub_event_type: Arrests
            patterns: ["the * was"]
        """))
    problems = lint(book)
    assert any("rule a: pattern 'the * was' has only stop-words" in p for p in problems)
    assert any("no rule codes the sub-event type 'Grenade'" in p for p in problems)


def test_bundled_triggers_and_cues_are_clean(tmp_path):
    path = write(tmp_path / "cb.yaml", f"""
        id: acled
        version: "test"
        include: ["{ROOT / 'acled' / 'triggers.yaml'}", "{ROOT / 'acled' / 'cues.yaml'}"]
        """)
    book = load(path)
    assert lint(book) == []
    assert {r.sub_event_type for r in book.rules} == set(load_schema().sub_event_types)
    assert {c.kind for c in book.cues} == {"cancel", "nonevent"}


def test_parse_pattern_segments():
    p = parse_pattern("blew|blown * up")
    assert p.gaps == (4,)
    assert p.literals(0) == [("blew", False), ("blown", False)]
    assert parse_pattern("arrest*").literals(0) == [("arrest", True)]


def test_every_bundled_rule_and_cue_is_documented(tmp_path):
    path = write(tmp_path / "cb.yaml", f"""
        id: acled
        version: "test"
        include: ["{ROOT / 'acled' / 'triggers.yaml'}", "{ROOT / 'acled' / 'cues.yaml'}"]
        """)
    book = load(path)
    undocumented = [x.id for x in [*book.rules, *book.cues] if len(x.description) < 15]
    assert undocumented == []


def test_an_edited_codebook_is_reloaded(tmp_path):
    path = book_of(tmp_path, RULE)
    assert load_codebook(path).rules[0].patterns[0].source == "arrested|detained"
    import os
    import time

    write(tmp_path / "rules.yaml", RULE.replace("arrested|detained", "apprehended"))
    later = time.time() + 5
    os.utime(tmp_path / "rules.yaml", (later, later))
    assert load_codebook(path).rules[0].patterns[0].source == "apprehended"


def test_cue_spares_dated_clause_is_a_flag(tmp_path):
    cue = """
    cues:
      - id: trial
        kind: nonevent
        scope: sentence
        spares_dated_clause: {value}
        patterns: [sentenced]
    """
    book = load(book_of(tmp_path, RULE + cue.format(value="true")))
    assert book.cues[0].spares_dated_clause is True
    with pytest.raises(CodebookError, match=r"rules.yaml: line \d+: cue trial: spares_dated_clause must be"):
        load(book_of(tmp_path, RULE + cue.format(value="sometimes")))
