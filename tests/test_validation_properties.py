"""Property: whatever a coder types into any cell, validation returns a Report and never crashes."""

from __future__ import annotations

import json

import pandas as pd
from _acled_rows import GOOD, GOOD_VAC, FakeSheet, frame, rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcode.report import Report
from eventcode.schema import load_schema
from eventcode.validation import ValidationResult, validate

COLUMNS = load_schema().names
cell_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "nan", "NaN", "inf", "-0", "1e400", "3.0", "3.5", "12/13/2014", "00/00/0000",
                     "29 Februar 2016", "99999", "0", "-1", "=SUM(A1)", "Protests", "Civilians",
                     "State forces", "KAZ", "1" * 30, "\u00a0", "\x00", "2016-02-30", "\n"]),
)
typed_value = st.one_of(st.none(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                        st.booleans(), st.dates(), cell_text)
quick = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_sound(result: ValidationResult, n_rows: int) -> None:
    assert isinstance(result.report, Report)
    assert len(result.data) == n_rows == len(result.valid_rows)
    frame_ = result.report.to_frame()
    assert frame_["row"].between(1, n_rows + 1).all()
    json.loads(result.report.to_json())
    result.report.to_text()
    result.report.to_csv()
    assert result.valid == (len(result.report) == 0)


@quick
@given(changes=st.lists(st.tuples(st.sampled_from(COLUMNS), cell_text), min_size=1, max_size=6),
       base=st.sampled_from([GOOD, GOOD_VAC]))
def test_any_text_in_any_cell_gives_a_report(changes, base):
    records = rows({}, dict(changes), base=base)
    _assert_sound(validate([FakeSheet(frame(records))]), 2)


@quick
@given(column=st.sampled_from(COLUMNS), values=st.lists(typed_value, min_size=3, max_size=3))
def test_any_python_value_in_a_dataframe_column_gives_a_report(column, values):
    data = pd.DataFrame(rows({}, {}, {}))
    data[column] = pd.Series(values, dtype=object)
    _assert_sound(validate(data), 3)


@quick
@given(values=st.lists(cell_text, min_size=2, max_size=8))
def test_a_whole_column_of_odd_dates_gives_a_report(values):
    records = rows(*({"event_date": v} for v in values))
    result = validate([FakeSheet(frame(records))])
    _assert_sound(result, len(values))
    bad_dates = result.report.to_frame()
    assert set(bad_dates.loc[bad_dates["column"] == "event_date", "row"]) <= set(range(2, 2 + len(values)))
