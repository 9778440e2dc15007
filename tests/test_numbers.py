"""parse_count: the conservative figure a quantity phrase states."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventcode.coding.numbers import Quantities, find_counts, parse_count
from eventcode.errors import CodebookError

CASES = [
    ("1,200", 1200), ("12", 12), ("twelve", 12), ("Eleven bodies", 11), ("two hundred and five", 205),
    ("one hundred and twenty-eight", 128), ("twenty-one", 21), ("a dozen", 12), ("two dozen", 24),
    ("dozens of insurgents", 12), ("tens", 10), ("hundreds", 100), ("thousands", 1000),
    ("tens of thousands", 10000), ("hundreds of thousands", 100000), ("several hundred", 300),
    ("several", 3), ("a few", 2), ("some people", 2), ("a number of soldiers", 3),
    ("seven or eight", 7), ("7-8", 7), ("11 or 12", 11), ("seven to ten", 7), ("between 10 and 15", 10),
    ("from 5 to 7", 5), ("at least 12", 12), ("more than 12", 12), ("about 200", 200), ("some 20 people", 20),
    ("nearly 400 prisoners", 400), ("up to 30", 30), ("a soldier", 1), ("an officer", 1), ("one", 1),
    ("a hundred", 100), ("both", 2), ("no one", 0), ("nobody", 0), ("no one else", 0), ("none", 0),
    ("a 68-year-old woman", 1), ("3 million", 3_000_000),
]


@pytest.mark.parametrize(("phrase", "value"), CASES, ids=[c[0] for c in CASES])
def test_parse_count(phrase, value):
    assert parse_count(phrase) == value


@pytest.mark.parametrize("phrase", ["the army", "police said", "9 pm", "3 km away", "", "killed"])
def test_no_count(phrase):
    assert parse_count(phrase) is None


def test_find_counts_offsets():
    text = "killing three policemen and a passer-by, and wounding more than 150 at 9:30 am"
    counts = find_counts(text)
    assert [(c.value, c.text) for c in counts] == [(3, "three"), (1, "a"), (150, "more than 150")]
    assert all(text[c.start:c.end] == c.text for c in counts)


def test_vague_values_come_from_the_table():
    q = Quantities({"dozens": 24, "several": 5})
    assert q.parse("dozens") == 24 and q.parse("several") == 5 and q.parse("seven") == 7


@pytest.mark.parametrize("mapping", [{}, {"dozens": -1}, {"dozens": "12"}, {"": 3}, ["dozens"], {"a": True}])
def test_bad_table(mapping):
    with pytest.raises(CodebookError, match=r"^book\.yaml: fatalities\.quantities"):
        Quantities.from_mapping(mapping, "book.yaml", "fatalities.quantities")


@given(st.integers(0, 999_999), st.integers(0, 999_999))
def test_digits_and_ranges(a, b):
    assert parse_count(f"{a:,}") == a
    assert parse_count(f"{a} or {b}") == min(a, b)
    assert parse_count(f"between {a} and {b}") == min(a, b)


@given(st.integers(0, 999_999))
def test_number_words_round_trip(n):
    ones = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
           "sixteen seventeen eighteen nineteen".split()
    tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()

    def words(x: int) -> str:
        if x < 20:
            return ones[x]
        if x < 100:
            return tens[x // 10 - 2] + ("-" + ones[x % 10] if x % 10 else "")
        if x < 1000:
            return ones[x // 100] + " hundred" + (" and " + words(x % 100) if x % 100 else "")
        return words(x // 1000) + " thousand" + (" " + words(x % 1000) if x % 1000 else "")

    assert parse_count(words(n)) == n
