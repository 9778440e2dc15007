"""Coercion: cells as written become typed values; cells that cannot are problems, never exceptions."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventcode.coerce import as_text, coerce, coerce_dates, coerce_floats, coerce_ints
from eventcode.schema import load_schema


def _column(values: list, dtype: object = object) -> pd.Series:
    return pd.Series(values, index=pd.RangeIndex(2, 2 + len(values)), dtype=dtype)


def _problems(found: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["row", "check"])


@pytest.mark.parametrize("text", ["2016-08-29", " 2016-08-29 ", "29/08/2016", "29.08.2016", "29-08-2016",
                                  "29 August 2016", "29 august 2016", "29 Aug 2016", "29-Aug-2016",
                                  "August 29, 2016", "Aug 29, 2016", "42611", "2016-08-29 00:00:00",
                                  "2016-08-29T13:45:00", "29/08/16"])
@pytest.mark.parametrize("dtype", [object, "string"])
def test_usual_date_spellings_are_read(text, dtype):
    days, found, _ = coerce_dates(_column([text], dtype), "event_date")
    assert not found
    assert days.iloc[0] == pd.Timestamp("2016-08-29")


def test_ambiguous_numeric_dates_are_read_day_first_with_a_note():
    days, found, notes = coerce_dates(_column(["12/08/2016", "03/04/2017"]), "event_date")
    assert not found
    assert list(days) == [pd.Timestamp("2016-08-12"), pd.Timestamp("2017-04-03")]
    assert any("read as day/month (2016-08-12)" in n and "2 date(s)" in n for n in notes)


def test_a_column_that_only_fits_month_first_is_read_month_first():
    days, found, notes = coerce_dates(_column(["08/29/2016", "12/08/2016"]), "event_date")
    assert not found
    assert list(days) == [pd.Timestamp("2016-08-29"), pd.Timestamp("2016-12-08")]
    assert any("month/day/year" in n for n in notes)


def test_a_date_that_only_fits_the_other_order_is_a_problem_with_the_reading():
    days, found, _ = coerce_dates(_column(["29/08/2016", "08/30/2016"]), "event_date")
    problems = _problems(found)
    assert problems[["row", "check", "value"]].values.tolist() == [[3, "invalid-date", "08/30/2016"]]
    assert problems["suggestion"].iloc[0] == "2016-08-30 (read as month/day)"
    assert pd.isna(days.iloc[1])


def test_excel_serial_numbers_are_read_with_a_note():
    days, found, notes = coerce_dates(_column(["42611"]), "event_date")
    assert days.iloc[0] == pd.Timestamp("2016-08-29") and not found
    assert any("Excel serial" in n for n in notes)


@pytest.mark.parametrize("text", ["garbage", "31/02/2016", "2016-13-01", "2016-02-30", "12", "yesterday",
                                  "99999999"])
@pytest.mark.parametrize("dtype", [object, "string"])
def test_unreadable_dates_are_problems(text, dtype):
    days, found, _ = coerce_dates(_column(["2016-08-29", text], dtype), "event_date")
    problems = _problems(found)
    assert problems[["row", "check", "value"]].values.tolist() == [[3, "invalid-date", text]]
    assert pd.isna(days.iloc[1]) and days.iloc[0] == pd.Timestamp("2016-08-29")


def test_typed_dates_pass_through():
    typed = _column([dt.date(2016, 8, 29), None])
    days, found, _ = coerce_dates(typed, "event_date")
    assert days.iloc[0] == pd.Timestamp("2016-08-29") and pd.isna(days.iloc[1]) and not found
    stamps = pd.Series(pd.to_datetime(["2016-08-29 10:00"]))
    assert coerce_dates(stamps, "event_date")[0].iloc[0] == pd.Timestamp("2016-08-29")


@pytest.mark.parametrize("dtype", [object, "string"])
def test_ints_accept_whole_numbers_written_as_decimals_and_refuse_fractions(dtype):
    clean, found, _ = coerce_ints(_column(["1", "2", None], dtype), "year", "int32")
    assert clean.tolist()[:2] == [1, 2] and pd.isna(clean.iloc[2]) and not found
    numbers, found, _ = coerce_ints(_column(["3", "3.0", " 4 ", "3.5", "three", None, "", "1e20"], dtype),
                                    "fatalities", "int32")
    assert numbers.dtype == "Int32"
    assert list(numbers[:3]) == [3, 3, 4]
    problems = _problems(found).sort_values("row")
    assert problems[["row", "check"]].values.tolist() == [
        [5, "not-a-whole-number"], [6, "not-a-number"], [9, "out-of-range"]]
    assert numbers.isna().tolist()[3:] == [True] * 5


def test_typed_ints_pass_through_and_typed_floats_must_be_whole():
    numbers, found, _ = coerce_ints(_column([1, 2], dtype="int64"), "fatalities", "int32")
    assert list(numbers) == [1, 2] and numbers.dtype == "Int32" and not found
    numbers, found, _ = coerce_ints(_column([1.0, 2.5], dtype="float64"), "fatalities", "int32")
    assert numbers.iloc[0] == 1 and _problems(found)["row"].tolist() == [3]


def test_floats_read_text_and_suggest_a_dotted_decimal_comma():
    numbers, found, _ = coerce_floats(_column(["43.25", "43,25", "north", "inf"]), "latitude")
    assert numbers.iloc[0] == 43.25
    problems = _problems(found).sort_values("row")
    assert problems["row"].tolist() == [3, 4, 5]
    assert problems["suggestion"].iloc[0] == "did you mean 43.25?"


def test_text_is_stripped_and_empty_becomes_missing():
    text = as_text(_column(["  Arrests ", "\u00a0Riots\u00a0", "", "   ", None, 7]))
    assert text.tolist()[:2] == ["Arrests", "Riots"]
    assert text.isna().tolist() == [False, False, True, True, True, False]
    assert text.iloc[5] == "7"


def test_coerce_types_the_schema_columns_and_notes_legacy_spellings():
    schema = load_schema()
    frame = pd.DataFrame({"disorder_type": ["Demostrations", "Demonstrations"], "fatalities": ["1", "x"],
                          "not_a_column": ["a", "b"]}, index=[2, 3])
    out = coerce(frame, schema)
    assert list(out.frame.columns) == ["disorder_type", "fatalities"]
    assert out.frame["disorder_type"].tolist() == ["Demonstrations", "Demonstrations"]
    assert isinstance(out.frame["disorder_type"].dtype, pd.CategoricalDtype)
    assert any("'Demostrations'" in n for n in out.notes)
    assert out.problems[["row", "column", "check"]].values.tolist() == [[3, "fatalities", "not-a-number"]]


_edge_text = st.one_of(st.none(), st.text(alphabet=st.sampled_from(
    ["a", "é", "Ж", " ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\u200b", "\x1f", ";", "ا"]), max_size=6))


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(_edge_text, min_size=1, max_size=30), cuts=st.lists(st.integers(0, 30), max_size=3),
       lead=st.integers(0, 3))
def test_the_clean_column_shortcut_strips_exactly_as_arrow_does(cells, cuts, lead):
    # Arrow chunks that are slices of larger buffers (non-zero offsets) are what the CSV reader gives.
    import pyarrow as pa

    from eventcode import coerce as coerce_module

    whole = pa.array(["pad"] * lead + cells, pa.large_string()).slice(lead)
    bounds = sorted({0, len(cells), *(c for c in cuts if c <= len(cells))})
    chunked = pa.chunked_array([whole.slice(a, b - a) for a, b in itertools.pairwise(bounds)] or [whole],
                               pa.large_string())
    column = pd.Series(pd.arrays.ArrowStringArray(chunked))
    fast = as_text(column).tolist()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(coerce_module, "_already_stripped", lambda arr: False)
        slow = as_text(column).tolist()
    assert fast == slow


@pytest.mark.parametrize("kind", ["categorical", "arrow", "object"])
def test_categories_merge_when_stripping_makes_two_values_one(kind):
    from eventcode.coerce import as_category

    cells = [" Arrests ", "Arrests", None, "  ", "Attack", "Demostrations"]
    values = {"categorical": pd.Series(pd.Categorical(cells)),
              "arrow": pd.Series(cells, dtype="string[pyarrow]"),
              "object": pd.Series(cells, dtype=object)}[kind]
    typed, counts = as_category(values, {"Demostrations": "Demonstrations"})
    assert typed.astype(object).where(typed.notna(), None).tolist() == \
        ["Arrests", "Arrests", None, None, "Attack", "Demonstrations"]
    assert sorted(typed.cat.categories) == ["Arrests", "Attack", "Demonstrations"]
    assert counts == {"Demostrations": 1}
