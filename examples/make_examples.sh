#!/usr/bin/env bash
# Regenerate the example outputs from the example inputs with the real commands, so they never go stale.
# Run from anywhere: bash examples/make_examples.sh   (tests/test_examples.py checks the outputs are current)
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. Code the example articles into typed Parquet (one row per event, with its evidence).
eventcode code examples/articles -o examples/events.parquet --force

# 2. Validate the hand-coded sheet; it holds deliberate mistakes, so validate exits 1 and prints the report.
status=0
eventcode validate examples/hand_coded.csv > examples/hand_coded.report.txt || status=$?
if [ "$status" -ne 1 ]; then
    echo "expected 'eventcode validate' to find the planted mistakes (exit 1), got exit $status" >&2
    exit 1
fi

# 3. The analysis: events per month by event type (table on stdout, bar chart as PNG).
python examples/analysis.py examples/events_per_month.png
