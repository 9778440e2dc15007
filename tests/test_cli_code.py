"""`eventcode code` and `eventcode codebook` through click's CliRunner."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from eventcode.cli import cli

ARTICLE = """Title: Raids in Karaganda
Source: Test Wire
Published: 2016-07-04

In Karaganda Province in June, authorities arrested six members of a banned group. Authorities made eight \
arrests. One extremist blew himself up during the raids.

Officials said the group had been plotting to attack a police station in Astana.
"""


@pytest.fixture()
def article(tmp_path):
    path = tmp_path / "karaganda.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_code_to_parquet_passes_validation(tmp_path, article):
    out = tmp_path / "events.parquet"
    result = run("code", article, "-o", out)
    assert result.exit_code == 0, result.output
    rows = pd.read_parquet(out)
    assert rows["sub_event_type"].astype(str).tolist() == ["Arrests", "Suicide bomb"]
    assert set(rows["article_id"]) == {"karaganda"}
    assert (rows["evidence_start"] < rows["evidence_end"]).all()
    from eventcode.validation import validate

    assert validate(out).valid
    meta = json.loads(__import__("pyarrow.parquet").parquet.read_schema(out).metadata[b"eventcode"])
    assert meta["codebook_id"] == "acled"


def test_same_input_gives_identical_rows(tmp_path, article):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("code", article, "-o", a).exit_code == 0
    assert run("code", article, "-o", b, "--jobs", "2").exit_code == 0
    assert a.read_text() == b.read_text()


def test_refuses_to_overwrite_without_force(tmp_path, article):
    out = tmp_path / "events.csv"
    out.write_text("keep")
    result = run("code", article, "-o", out)
    assert result.exit_code == 2 and "already exists" in result.output
    assert out.read_text() == "keep"
    assert run("code", article, "-o", out, "--force").exit_code == 0


def test_xlsx_and_stdout(tmp_path, article):
    out = tmp_path / "events.xlsx"
    assert run("code", article, "-o", out).exit_code == 0
    assert len(pd.read_excel(out, engine="openpyxl")) == 2
    result = run("code", article, "-o", "-")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("event_id_cnty,event_date")


def test_input_errors_are_one_line(tmp_path):
    undated = tmp_path / "undated.txt"
    undated.write_text("Police arrested two men in Osh.")
    result = run("code", undated, "-o", tmp_path / "x.csv", "--strict-input")
    assert result.exit_code == 2
    assert "undated.txt" in result.output and "--published" in result.output
    assert "Traceback" not in result.output
    unsourced = run("code", undated, "-o", tmp_path / "x.csv", "--published", "2020-01-01", "--strict-input")
    assert unsourced.exit_code == 2 and "undated.txt" in unsourced.output and "--source" in unsourced.output
    assert not (tmp_path / "x.csv").exists()
    assert run("code", undated, "-o", tmp_path / "x.csv", "--published", "2020-01-01",
               "--source", "Osh Daily").exit_code == 0
    bad = run("code", undated, "-o", tmp_path / "x.json")
    assert bad.exit_code == 2 and "unknown output type" in bad.output


def test_codebook_check_and_show(tmp_path):
    ok = run("codebook", "check")
    assert ok.exit_code == 0, ok.output
    assert "no problems" in ok.output
    shown = run("codebook", "show", "--format", "json")
    data = json.loads(shown.output)
    assert {"arrests", "suicide-bomb"} <= {r["id"] for r in data["rules"]}
    assert "arrests" in run("codebook", "show").output
    bad = tmp_path / "bad.yaml"
    rules = "rules:\n  - id: x\n    sub_event_type: Arest\n    patterns: [arrested]\n"
    (tmp_path / "rules.yaml").write_text(rules)
    bad.write_text("id: t\nversion: '1'\ninclude: [rules.yaml]\n")
    result = run("codebook", "check", bad)
    assert result.exit_code == 2 and "rules.yaml: line 2" in result.output


def test_explain_lists_dropped_candidates(tmp_path):
    path = tmp_path / "plot.txt"
    path.write_text("Published: 2019-11-20\nSource: Osh Daily\n\n"
                    "Police in Osh arrested a would-be suicide bomber on Monday.\n")
    result = run("code", path, "-o", tmp_path / "x.csv", "--explain")
    assert result.exit_code == 0
    assert "plot: " in result.output and "suicide-bomb: cancel:plan:" in result.output


def test_datapackage_beside_coded_parquet(tmp_path, article):
    out = tmp_path / "events.parquet"
    result = run("code", article, "-o", out, "--datapackage")
    assert result.exit_code == 0, result.output
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    fields = descriptor["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields][:3] == ["event_id_cnty", "event_date", "year"]
    again = run("code", article, "-o", tmp_path / "other.parquet", "--datapackage")
    assert again.exit_code == 2 and "datapackage.json" in again.output and "--force" in again.output
    csv = run("code", article, "-o", tmp_path / "x.csv", "--datapackage")
    assert csv.exit_code == 2 and "Parquet" in csv.output


BINARY = bytes(range(256)) * 4
FEED = ('{"id": "a1", "text": "Police arrested two men in Osh on Monday.", "source": "X", "published": '
        '"2020-01-01"}\n{"id": "a2", "text": "Police arrested two men in Bishkek.", "source": "X"}\n')


def _one_line_error(result, *needles):
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in result.output
    assert all(n in lines[0] for n in needles), lines[0]


BAD_ARTICLES = [
    ("empty.txt", b"", 1, ["empty.txt", "the article is empty"]),
    ("blank.txt", b"Published: 2020-01-01\nSource: X\n\n  \n", 1, ["blank.txt", "the article is empty"]),
    ("binary.txt", BINARY, 1, ["binary.txt", "binary file"]),
    ("feed.jsonl", FEED.encode(), 1,
     ["feed.jsonl", "line 2 (article a2)", "no publication date", "--published"]),
    # in worker processes too: the reading error reaches this process, no worker hangs
    ("feed.jsonl", FEED.encode(), 2, ["feed.jsonl", "line 2 (article a2)", "no publication date"]),
]


@pytest.mark.parametrize(("name", "content", "jobs", "needles"), BAD_ARTICLES)
def test_bad_articles_are_one_line_errors_with_strict_input(tmp_path, name, content, jobs, needles):
    path = tmp_path / name
    path.write_bytes(content)
    result = run("code", path, "-o", tmp_path / "out.csv", "--jobs", jobs, "--strict-input")
    _one_line_error(result, *needles)
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(("name", "content", "jobs", "needles"), BAD_ARTICLES)
def test_bad_articles_are_skipped_and_reported(tmp_path, name, content, jobs, needles):
    path = tmp_path / name
    path.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Published: 2020-01-01\nSource: X\n\nPolice arrested two men in Osh on Monday.\n")
    result = run("code", good, path, "-o", tmp_path / "out.csv", "--jobs", jobs)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (skipped,) = [line for line in result.output.splitlines() if line.startswith("Skipped: ")]
    assert all(n in skipped for n in needles), skipped
    coded = 2 if name == "feed.jsonl" else 1  # the good file, and the feed's good line
    assert f"Coded {coded} article(s), 1 record(s) skipped:" in result.output
    rows = pd.read_csv(tmp_path / "out.csv")
    assert len(rows) == coded and "good" in set(rows["article_id"])


@pytest.mark.parametrize(("files", "needles"), [
    ({"cb.yaml": b"id: t\nversion: '1'\ninclude: [r.yaml]\n", "r.yaml": b"rules: [a\n"},
     ["r.yaml: line", "not valid YAML"]),
    ({"cb.yaml": BINARY}, ["cb.yaml", "not UTF-8"]),
    ({"cb.yaml": b""}, ["cb.yaml: line 1", "mapping"]),
    ({"cb.yaml": b"id: t\nversion: '1'\nrules: 5\n"}, ["cb.yaml: line 3", "rules must be a list"]),
    ({"cb.yaml": b"id: t\nversion: '1'\ndisable: x\n"}, ["cb.yaml: line 3", "disable must be a list"]),
    ({"cb.yaml": b"id: t\nversion: '1'\ninclude: [nope.yaml]\n"}, ["cb.yaml", "'nope.yaml' not found"]),
    ({"cb.yaml": b"id: t\nversion: '1'\ncues:\n  - id: c\n    kind: maybe\n    patterns: [x]\n"},
     ["cb.yaml: line 4", "cue c: kind must be one of"]),
    ({"cb.yaml": b"id: t\nversion: '1'\nfatalities: [1]\n"},
     ["cb.yaml: line 3", "fatalities must be a mapping"]),
])
def test_malformed_codebooks_are_one_line_errors(tmp_path, files, needles):
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    article = tmp_path / "a.txt"
    article.write_text("Published: 2020-01-01\nSource: X\n\nPolice arrested two men in Osh on Monday.\n")
    result = run("code", article, "-o", tmp_path / "out.csv", "--codebook", tmp_path / "cb.yaml")
    _one_line_error(result, *needles)
    assert not (tmp_path / "out.csv").exists()


def test_a_codebook_a_stage_refuses_fails_once_under_jobs(tmp_path):
    """The fatalities stage refuses the section: one error, not workers failing and respawning."""
    book = tmp_path / "cb.yaml"
    book.write_text("id: t\nversion: '1'\nfatalities: {colour: red}\n")
    article = tmp_path / "a.txt"
    article.write_text("Published: 2020-01-01\nSource: X\n\nPolice arrested two men in Osh on Monday.\n")
    result = run("code", article, "-o", tmp_path / "out.csv", "--codebook", book, "--jobs", 2)
    _one_line_error(result, "cb.yaml", "fatalities: unknown key(s) colour")


def test_a_worker_that_cannot_build_its_coder_reports_why():
    from eventcode.coding import coder
    from eventcode.coding.codebook import Codebook
    from eventcode.errors import CodebookError

    bad = Codebook(id="t", version="1", rules=[], cues=[], fatalities={"colour": "red"})
    coder._init_worker(bad)  # must not raise: a pool would replace the worker forever
    try:
        with pytest.raises(CodebookError, match="unknown key"):
            coder._code_in_worker(None)
    finally:
        coder._WORKER, coder._WORKER_ERROR = None, None


UNPLACED = """Source: Test Wire
Published: 2023-03-14

On Monday, soldiers clashed with militants in Zzyxtown, in northern Burkina Faso, leaving three soldiers dead.

Police in Ouagadougou said no one was arrested.
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_summary_counts_rows_without_a_place_and_candidates_not_written(tmp_path, jobs):
    """Nothing is left out without a word: rows placed only by their country are counted and tagged,
    candidates not written are counted by reason (with --jobs as without)."""
    path = tmp_path / "unplaced.txt"
    path.write_text(UNPLACED, encoding="utf-8")
    out = tmp_path / "events.csv"
    result = run("code", path, "-o", out, "--jobs", jobs)
    assert result.exit_code == 0, result.output
    assert "1 event(s) written" in result.output
    assert "(1 placed only at country level, tagged 'eventcode: place unresolved')" in result.output
    assert "Candidates not written: 1 (1 cancel); --explain gives each one" in result.output
    rows = pd.read_csv(out)
    assert rows["tags"].tolist() == ["eventcode: place unresolved"]
    assert rows["admin1"].isna().all() and rows["geo_precision"].tolist() == [3]
