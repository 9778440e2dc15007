"""find_dates: explicit, relative and ranged date expressions resolved against publication."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventcode.coding.dates import find_dates, is_background

WED = date(2019, 11, 20)  # a Wednesday
D = date.fromisoformat

# (text, published, first, last, precision, event_date)
CASES = [
    ("on June 27", WED, "2019-06-27", "2019-06-27", 1, "2019-06-27"),
    ("27 June", WED, "2019-06-27", "2019-06-27", 1, "2019-06-27"),
    ("June 27, 2016", WED, "2016-06-27", "2016-06-27", 1, "2016-06-27"),
    ("on 12 November", WED, "2019-11-12", "2019-11-12", 1, "2019-11-12"),
    ("the 3rd of March 2018", WED, "2018-03-03", "2018-03-03", 1, "2018-03-03"),
    ("Sept. 3", WED, "2019-09-03", "2019-09-03", 1, "2019-09-03"),
    ("August 26-27", WED, "2019-08-26", "2019-08-27", 2, "2019-08-26"),
    ("November 14-15", WED, "2019-11-14", "2019-11-15", 2, "2019-11-14"),
    ("between 3 and 5 May", WED, "2019-05-03", "2019-05-05", 2, "2019-05-04"),
    ("between May 3 and May 5", WED, "2019-05-03", "2019-05-05", 2, "2019-05-04"),
    ("from 30 April to 2 May", WED, "2019-04-30", "2019-05-02", 2, "2019-05-01"),
    ("May 30 to June 2", WED, "2019-05-30", "2019-06-02", 2, "2019-05-31"),
    ("on the night of 3 to 4 May", WED, "2019-05-03", "2019-05-04", 2, "2019-05-03"),
    ("between 1 and 20 October", WED, "2019-10-01", "2019-10-20", 3, "2019-10-10"),
    ("in February", WED, "2019-02-01", "2019-02-28", 3, "2019-02-15"),
    ("in April 2014", WED, "2014-04-01", "2014-04-30", 3, "2014-04-15"),
    ("in mid-July", WED, "2019-07-11", "2019-07-20", 3, "2019-07-15"),
    ("in 2010", WED, "2010-01-01", "2010-12-31", 3, "2010-07-02"),
    ("the 1999-2003 conflict", WED, "1999-01-01", "2003-12-31", 3, "2001-07-01"),
    ("on Tuesday", WED, "2019-11-19", "2019-11-19", 1, "2019-11-19"),
    ("on Wednesday", WED, "2019-11-20", "2019-11-20", 1, "2019-11-20"),
    ("last Wednesday", WED, "2019-11-13", "2019-11-13", 1, "2019-11-13"),
    ("Sunday night", WED, "2019-11-17", "2019-11-17", 1, "2019-11-17"),
    ("on Monday afternoon", WED, "2019-11-18", "2019-11-18", 1, "2019-11-18"),
    ("Thursday's attack", WED, "2019-11-14", "2019-11-14", 1, "2019-11-14"),
    ("overnight from Tuesday to Wednesday", D("2020-01-30"), "2020-01-28", "2020-01-29", 2, "2020-01-28"),
    ("on Wednesday, 6 November", WED, "2019-11-06", "2019-11-06", 1, "2019-11-06"),
    ("yesterday", WED, "2019-11-19", "2019-11-19", 1, "2019-11-19"),
    ("yesterday morning", WED, "2019-11-19", "2019-11-19", 1, "2019-11-19"),
    ("today", WED, "2019-11-20", "2019-11-20", 1, "2019-11-20"),
    ("the day before yesterday", WED, "2019-11-18", "2019-11-18", 1, "2019-11-18"),
    ("3 days ago", WED, "2019-11-17", "2019-11-17", 1, "2019-11-17"),
    ("three days ago", WED, "2019-11-17", "2019-11-17", 1, "2019-11-17"),
    ("a few days ago", WED, "2019-11-13", "2019-11-18", 2, "2019-11-15"),
    ("two weeks ago", WED, "2019-11-03", "2019-11-09", 2, "2019-11-06"),
    ("last week", WED, "2019-11-11", "2019-11-17", 2, "2019-11-14"),
    ("the past week", WED, "2019-11-13", "2019-11-19", 2, "2019-11-16"),
    ("this week", WED, "2019-11-18", "2019-11-20", 2, "2019-11-19"),
    ("earlier this week", WED, "2019-11-18", "2019-11-19", 2, "2019-11-18"),
    ("over the weekend", WED, "2019-11-16", "2019-11-17", 2, "2019-11-16"),
    ("in recent days", WED, "2019-11-13", "2019-11-19", 2, "2019-11-16"),
    ("last month", WED, "2019-10-01", "2019-10-31", 3, "2019-10-15"),
    ("earlier this month", WED, "2019-11-01", "2019-11-19", 3, "2019-11-15"),
    ("earlier this month", D("2019-11-06"), "2019-11-01", "2019-11-05", 3, "2019-11-05"),
    ("recently", WED, "2019-10-21", "2019-11-19", 3, "2019-11-04"),
    ("last year", WED, "2018-01-01", "2018-12-31", 3, "2018-07-02"),
    ("2016-08-29", WED, "2016-08-29", "2016-08-29", 1, "2016-08-29"),
    ("29.08.2016", WED, "2016-08-29", "2016-08-29", 1, "2016-08-29"),
    ("on 28 December", D("2019-01-05"), "2018-12-28", "2018-12-28", 1, "2018-12-28"),
    ("in December", D("2019-01-05"), "2018-12-01", "2018-12-31", 3, "2018-12-15"),
    ("September 2015", WED, "2015-09-01", "2015-09-30", 3, "2015-09-15"),
    ("the unrest of 2010.", WED, "2010-01-01", "2010-12-31", 3, "2010-07-02"),
]


@pytest.mark.parametrize(("text", "published", "first", "last", "precision", "event"), CASES,
                         ids=[c[0] for c in CASES])
def test_expression(text, published, first, last, precision, event):
    spans = find_dates(text, published)
    assert len(spans) == 1, spans
    s = spans[0]
    assert (s.first, s.last, s.precision, s.event_date) == (D(first), D(last), precision, D(event))
    assert text[s.start:s.end] == s.text


@pytest.mark.parametrize(("text", "published"), [
    ("during Friday prayers", WED), ("Theresa May said", WED), ("they may march on", WED),
    ("the July 25 election", D("2018-07-14")), ("elections in December", WED), ("on 12 December 2019", WED),
    ("killing 11 people", WED), ("more than 2,000 people", WED), ("at 9:30 am", WED),
    ("the previous day", WED), ("next Monday", WED), ("this Friday", WED), ("killed over 2000 people", WED),
    ("a crowd of 2000 people", WED), ("at 1900 hours", WED)])
def test_not_a_past_date(text, published):
    """Custom names, verbs, coming dates, counts and times are not dates of past events."""
    assert find_dates(text, published) == []


def test_offsets_exclude_the_preposition_and_keep_order():
    text = "Since 2014 the group has attacked; on Monday and on 3 May police arrested two."
    spans = find_dates(text, WED)
    assert [s.text for s in spans] == ["2014", "Monday", "3 May"]
    assert text[spans[0].start - 6:spans[0].start] == "Since "


def test_anchor_resolves_the_previous_day():
    text = "The previous day, dozens of residents blocked the road."
    (span,) = find_dates(text, D("2019-07-16"), anchor=D("2019-07-14"))
    assert span.event_date == D("2019-07-13") and span.text == "The previous day"


@pytest.mark.parametrize(("text", "expected"), [
    ("A day later, troops arrived.", [("A day later", "2019-07-15")]),
    ("The army responded the day before.", [("the day before", "2019-07-13")]),
    ("Later that day, police arrested two.", [("Later that day", "2019-07-14")]),
    ("It came a day after gunmen attacked on Friday.", [("Friday", "2019-07-12")]),
])
def test_anchored_phrases(text, expected):
    spans = find_dates(text, D("2019-07-16"), anchor=D("2019-07-14"))
    assert [(s.text, s.event_date.isoformat()) for s in spans] == expected


def test_background():
    assert is_background(find_dates("in 2010", WED)[0], WED)
    assert is_background(find_dates("September 2015", WED)[0], WED)
    assert not is_background(find_dates("on 28 December", D("2019-01-05"))[0], D("2019-01-05"))
    assert not is_background(find_dates("In July", WED)[0], WED)


MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
ABBR = {1: "Jan.", 2: "Feb.", 3: "Mar.", 4: "Apr.", 8: "Aug.", 9: "Sept.", 10: "Oct.", 11: "Nov.", 12: "Dec."}
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"]


def _suffix(d: int) -> str:
    return "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")


def spellings(day: date, published: date) -> list[str]:
    """Ways news writes `day`, each of which must resolve to exactly that day."""
    m = MONTH_NAMES[day.month - 1]
    out = [f"{day.day} {m} {day.year}", f"{m} {day.day}, {day.year}",
           f"{day.day}{_suffix(day.day)} of {m} {day.year}", day.isoformat(),
           f"{day.day:02d}.{day.month:02d}.{day.year}"]
    if day.month in ABBR:
        out.append(f"{ABBR[day.month]} {day.day}, {day.year}")
    back = (published - day).days
    if back <= 300:  # a yearless date is the most recent one; news uses it for recent events only
        out += [f"{day.day} {m}", f"{m} {day.day}"]
    if back <= 6:
        out.append(WEEKDAY_NAMES[day.weekday()])
    if 1 <= back <= 11:
        out += [f"{back} days ago", f"{WORDS[back]} days ago"]
    if back == 1:
        out.append("yesterday")
    return out


@settings(max_examples=300, deadline=None)
@given(published=st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 12, 31)),
       back=st.one_of(st.integers(0, 12), st.integers(0, 300), st.integers(0, 9000)), data=st.data())
def test_spellings_round_trip(published, back, data):
    day = published - timedelta(days=back)
    text = data.draw(st.sampled_from(spellings(day, published)))
    sentence = f"Gunmen attacked the village on {text}, officials said."
    spans = find_dates(sentence, published)
    assert len(spans) == 1, (sentence, spans)
    s = spans[0]
    assert (s.first, s.last, s.precision, s.event_date) == (day, day, 1, day), sentence
    assert sentence[s.start:s.end] == s.text == text


VOCAB = MONTH_NAMES + WEEKDAY_NAMES + ["on", "in", "the", "of", "to", "and", "last", "this", "week", "month",
                                       "year", "weekend", "night", "days", "ago", "yesterday", "today", "-",
                                       "recently", "earlier", "between", "since", ",", "2019", "2031", "1999",
                                       "3", "12", "27", "31", "2020-02-30", "29.02.2019", "12.13.2020"]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(VOCAB), max_size=14),
       published=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
def test_never_after_publication(words, published):
    text = " ".join(words)
    for s in find_dates(text, published):
        assert s.first <= s.event_date <= s.last <= published, (text, s)
        assert s.precision in (1, 2, 3)
        assert text[s.start:s.end] == s.text


# Every case text plus words the rules' word filter must not be fooled by (case, other scripts' letters).
FILTER_WORDS = sorted({w for text, *_ in CASES for w in text.split()} | {
    "MAY", "Tonİght", "tonıght", "YESTERDAY", "ſunday", "٢٠١٩-٠٥-١٢", "3", "2019", "weeks", "ago", "the",
    "day", "before", "after", "previous", "night", "recent", "month", "year", "last", "this", ",", "."})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FILTER_WORDS), max_size=12), st.dates(date(2000, 1, 1), date(2030, 1, 1)))
def test_word_filter_never_changes_the_dates_found(words, published):
    """The filter that skips rules whose words are absent only saves time: with every rule run, the
    same spans are found."""
    from eventcode.coding import dates

    text = " ".join(words)
    filtered = find_dates(text, published, published)
    original = dates._may_match
    dates._may_match = lambda fn, folded, memo: True
    try:
        assert find_dates(text, published, published) == filtered
    finally:
        dates._may_match = original
