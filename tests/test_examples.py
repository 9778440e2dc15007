"""The examples stay true: their outputs are what the commands produce now, and the analysis scripts run."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from eventcode.cli.code_cmd import code
from eventcode.cli.validate_cmd import validate
from eventcode.coding.articles import read_articles

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
EVENTS = EXAMPLES / "events.parquet"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# The mistakes planted in hand_coded.csv, each of which the report must keep showing.
PLANTED = ["not-allowed", "coordinates-outside-country", "year-mismatch", "future-date", "duplicate-value"]
REGENERATE = "run `bash examples/make_examples.sh` and commit the result"


def load_analysis():
    spec = importlib.util.spec_from_file_location("examples_analysis", EXAMPLES / "analysis.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_counts() -> pd.DataFrame:
    """Events per (month, event type) counted from the Parquet file, independently of the script."""
    events = pd.read_parquet(EVENTS)
    month = events["event_date"].astype("datetime64[s]").dt.strftime("%Y-%m")
    return events.groupby([month, events["event_type"].astype(str)]).size().unstack(fill_value=0)


def test_articles_are_complete_and_each_reports_an_event():
    articles = list(read_articles([EXAMPLES / "articles"]))
    assert len(articles) >= 5
    assert all(a.title and a.source and a.published for a in articles)
    assert len({a.source for a in articles}) == len(articles)  # different outlets, different countries
    coded = pd.read_parquet(EVENTS)
    assert set(coded["article_id"]) == {a.id for a in articles}
    assert coded["country"].nunique() == len(articles)


def test_events_parquet_is_what_the_coder_produces_now(tmp_path):
    fresh = tmp_path / "events.parquet"
    result = CliRunner().invoke(code, [str(EXAMPLES / "articles"), "-o", str(fresh)])
    assert result.exit_code == 0, result.output
    now = pd.read_parquet(fresh)
    committed = pd.read_parquet(EVENTS)
    assert len(now) == len(committed), REGENERATE
    pd.testing.assert_frame_equal(now, committed, obj=f"examples/events.parquet ({REGENERATE})")


def test_hand_coded_report_is_what_validate_prints_now(monkeypatch):
    monkeypatch.chdir(REPO)  # the report names the file as the script gives it
    result = CliRunner().invoke(validate, ["examples/hand_coded.csv"])
    assert result.exit_code == 1, result.output
    report = (EXAMPLES / "hand_coded.report.txt").read_text(encoding="utf-8")
    assert result.stdout == report, REGENERATE
    for code_name in PLANTED:
        assert code_name in report


def test_analysis_prints_the_table_and_saves_the_chart(tmp_path):
    png = tmp_path / "plots" / "per_month.png"
    png.parent.mkdir()
    run = subprocess.run([sys.executable, str(EXAMPLES / "analysis.py"), str(png)], capture_output=True,
                         text=True, check=False, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert png.read_bytes()[:8] == PNG_MAGIC and png.stat().st_size > 5000
    table = load_analysis().monthly_counts(pd.read_parquet(EVENTS))
    expected = expected_counts()
    assert table.to_numpy().tolist() == expected.to_numpy().tolist()
    assert list(table.index) == list(expected.index) and list(table.columns) == list(expected.columns)
    assert run.stdout == table.to_string() + "\n"
    assert int(table.to_numpy().sum()) == len(pd.read_parquet(EVENTS))


def test_analysis_takes_another_data_file(tmp_path):
    subset = pd.read_parquet(EVENTS).head(2)
    data = tmp_path / "two.parquet"
    subset.to_parquet(data)
    run = subprocess.run([sys.executable, str(EXAMPLES / "analysis.py"), str(tmp_path / "two.png"),
                          "--data", str(data)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout == load_analysis().monthly_counts(subset).to_string() + "\n"


def _r_reads_parquet() -> bool:
    if shutil.which("Rscript") is None:
        return False
    readable = 'requireNamespace("nanoparquet", quietly = TRUE) || requireNamespace("arrow", quietly = TRUE)'
    probe = subprocess.run(["Rscript", "-e", f"quit(status = if ({readable}) 0 else 1)"], capture_output=True,
                           check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _r_reads_parquet(), reason="needs Rscript with the nanoparquet or arrow package")
def test_r_analysis_gives_the_same_table(tmp_path):
    out = tmp_path / "counts.csv"
    run = subprocess.run(["Rscript", str(EXAMPLES / "analysis.R"), str(EVENTS), str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    counts = pd.read_csv(out).set_index("month")
    expected = expected_counts()
    assert counts.to_numpy().tolist() == expected.to_numpy().tolist()
    assert list(counts.index) == list(expected.index) and list(counts.columns) == list(expected.columns)


@pytest.mark.skipif(shutil.which("eventcode") is None, reason="needs the installed eventcode command")
def test_the_script_regenerates_the_same_outputs(tmp_path):
    """make_examples.sh on a copy of the examples: same rows, same report, a chart."""
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy, ignore=shutil.ignore_patterns("events.parquet", "*.report.txt", "*.png"))
    env = {**os.environ, "MPLBACKEND": "Agg"}
    run = subprocess.run(["bash", str(copy / "make_examples.sh")], capture_output=True, text=True,
                         check=False, env=env)
    assert run.returncode == 0, run.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(copy / "events.parquet"), pd.read_parquet(EVENTS))
    assert (copy / "hand_coded.report.txt").read_text(encoding="utf-8") == (
        EXAMPLES / "hand_coded.report.txt").read_text(encoding="utf-8")
    assert (copy / "events_per_month.png").read_bytes()[:8] == PNG_MAGIC
