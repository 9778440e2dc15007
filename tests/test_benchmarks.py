"""The benchmark's generated rows are what its README says: valid ACLED-style rows, plus planted mistakes
that validation reports (so the figures measure a real report, not a trivially clean file)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from eventcode.validation import validate

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "validate.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_validate", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_rows_without_mistakes_are_valid():
    report = validate(_bench().generate(400, error_rate=0).to_pandas()).report
    assert report.valid, report.to_text()


def test_planted_mistakes_are_reported_where_they_were_planted():
    bench = _bench()
    table = bench.generate(3000, error_rate=0.01, seed=3).to_pandas()
    report = validate(table).report.to_frame()
    planted = {column for column, _ in bench.MISTAKES}
    assert planted <= set(report["column"]) | {"latitude", "longitude"}
    assert {"not-allowed", "invalid-date", "multi-value-separator", "year-mismatch"} <= set(report["check"])
    assert len(report) < 0.05 * len(table)  # mistakes stay rare: most rows are valid
