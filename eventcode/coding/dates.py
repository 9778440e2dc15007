"""Date expressions in news text, resolved against the publication date to ACLED's time precision.

Why a grammar rather than dateparser.search.search_dates: news needs spans ("August 26-27", "the night
of 3 to 4 May", "last week") and exact offsets. Measured on a development article (13 sentences),
search_dates took about 40 times longer, read "November 14-15" as one day and missed "Last week".
The grammar is compiled regular expressions over calendar words (module constants: they are the
calendar, not coding decisions) and dateutil's relativedelta for month arithmetic.

Conventions (ACLED codebook, "Time precision"; also its summary in mapme.biodiversity's ACLED docs):
- time_precision 1: the day is known; 2: a range of days up to a week, or "the week"/"the weekend";
  3: only the month is known (ACLED: "sometime during a month, i.e. in the past two or three weeks, or
  in January"); longer or vaguer periods (a year, "recently", "in recent months") are also 3, the
  coarsest ACLED has, so the caller can treat earlier-year background as non-events (is_background).
- event_date: the day itself; for a range of days or a week, its middle day (rounded down, so a
  two-day range "14-15 November" or an overnight "3 to 4 May" codes the first day); for a month, the
  month mid-point, the 15th (ACLED: "the month mid-point is chosen"); never after publication.
- A day and month without a year is the most recent such date not after publication (an article of
  5 January saying "28 December" means the previous year). A month without a year likewise.
- A weekday is the most recent such day on or before publication: a daily's "on Tuesday" in a Tuesday
  paper is that same day (wire and daily convention: a week-old event would be "last Tuesday"); with
  "last"/"past" it is the most recent one strictly before publication.
- "recently" and "in recent weeks": precision 3, the 30 days before publication (ACLED's "past two or
  three weeks" is month precision). "in recent days"/"the past few days": precision 2, the 7 days before.
- "last week": the previous Monday-Sunday week; "this week": Monday to publication; "the weekend": the
  most recent Saturday-Sunday starting before publication.
- Future dates (after publication) are not returned: an explicit future date is a plan, not an event.
- Offsets exclude a leading preposition ("since 2014" gives the span "2014"), so the caller can read
  the word before a span to tell "in 2014" from "since 2014".
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .model import DateSpan
from .numbers import UNITS, parse_count

MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
          "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3,
          "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
# A weekday followed by these names a custom, not a date ("during Friday prayers").
NOT_A_DATE_AFTER_WEEKDAY = ("prayer", "prayers", "sermon", "sermons", "service", "services", "market")
DAY_PARTS = r"(?:morning|afternoon|evening|night|overnight|midday|noon)"
PREPOSITIONS = r"(?:on|in|since|during|until|till|by|before|after|from|of|at|throughout|over)"

_BY_LENGTH = sorted(MONTHS, key=len, reverse=True)
_FULL_MONTHS = [k for k in _BY_LENGTH if len(k) > 4 or k in ("may", "june", "july")]
_MON = (r"(?:" + "|".join(_FULL_MONTHS) + r"|(?:" + "|".join(k for k in _BY_LENGTH if k not in _FULL_MONTHS)
        + r")\.?)")
_WD = r"(?:" + "|".join(WEEKDAYS) + r")"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1[89]\d\d|20\d\d)(?!\d)"
_TO = r"\s*(?:-|–|—|/|\bto\b|\band\b|\buntil\b|\btill\b|\bthrough\b|\binto\b)\s*"
_NUMBER_WORD = r"(?:" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"
_NUM = rf"(?:\d+|an?|{_NUMBER_WORD}(?:[\s-]{_NUMBER_WORD})?)"
_VAGUE_NUM = r"(?:a\s+few|several|a\s+couple\s+of|some|few)"


def _g(name: str, body: str) -> str:
    return f"(?P<{name}>{body})"


def _month(token: str | None) -> int | None:
    """A month number, refusing lower-case words that are also verbs ("may", "march")."""
    if not token:
        return None
    word = token.rstrip(".")
    if word[0].islower():
        return None
    return MONTHS.get(word.lower())


def _weekday(token: str) -> int | None:
    return None if token[0].islower() else WEEKDAYS.get(token.lower())


def _day(token: str | None) -> int | None:
    return int(re.match(r"\d+", token).group(0)) if token else None


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


# A yearless date up to this many days after publication is a coming date ("the July 25 election"),
# not last year's: it is dropped rather than moved back a year.
FUTURE_WINDOW_DAYS = 45


def _infer(m: int, d: int, published: date) -> date | None:
    """The most recent (month, day) not after publication; None for a coming date."""
    this_year = _safe(published.year, m, d)
    if this_year and published < this_year <= published + timedelta(days=FUTURE_WINDOW_DAYS):
        return None
    for y in (published.year, published.year - 1, published.year - 4):
        day = _safe(y, m, d)
        if day and day <= published:
            return day
    return None


def _month_span(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _infer_month(m: int, published: date) -> int | None:
    """The year of the most recent such month begun by publication; None for the coming month(s)."""
    if m <= published.month:
        return published.year
    if date(published.year, m, 1) <= published + timedelta(days=FUTURE_WINDOW_DAYS):
        return None
    return published.year - 1


def _last_weekday(wd: int, published: date, strictly_before: bool = False) -> date:
    back = (published.weekday() - wd) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - timedelta(days=back)


def _make(first: date, last: date, published: date, *, month: bool = False) -> DateSpan | None:
    """A DateSpan with precision and representative day; None for a future or inverted span."""
    if first > published or last < first:
        return None
    last = min(last, published)
    days = (last - first).days + 1
    if month:
        precision, event = 3, min(first.replace(day=15), last)
    else:
        precision = 1 if days == 1 else 2 if days <= 7 else 3
        event = first + timedelta(days=(days - 1) // 2)
    return DateSpan(first=first, last=last, precision=precision, event_date=event)


Handler = Callable[[re.Match[str], date, date | None], DateSpan | None]
_RULES: list[tuple[re.Pattern[str], Handler]] = []


# Words a rule cannot match without (each group: one of its words, lower-cased, as a substring). Why:
# two dozen case-insensitive scans per paragraph are most of the date cost, and most paragraphs hold
# no month name, digit or weekday; a rule whose words are absent cannot match, so it is not run.
DIGIT = (re.compile(r"\d"),)  # \d: the rules' digits include other scripts' digits
MONTH = tuple(MONTHS)
WEEKDAY = tuple(WEEKDAYS)
# Letters the case-insensitive rules match as ASCII that casefold() leaves apart (dotless i, the dot of İ).
_FOLD = str.maketrans({"\u0131": "i", "\u0307": None})


def needs(*groups: tuple[str | re.Pattern[str], ...]) -> Callable[[Handler], Handler]:
    """Mark a registered rule with the words it cannot match without (see DIGIT, MONTH, WEEKDAY)."""
    def mark(fn: Handler) -> Handler:
        fn.needs = groups  # type: ignore[attr-defined]
        return fn
    return mark


def fold_case(text: str) -> str:
    """The text case-folded so that a case-insensitive pattern of ASCII words can only match where
    its words occur as substrings (for cheap filters that skip patterns)."""
    return text.casefold().translate(_FOLD)


def _may_match(fn: Handler, folded: str, memo: dict[int, bool]) -> bool:
    """False when a rule's words are absent; `memo` keeps each group's answer for one text (rules
    share groups such as MONTH)."""
    for group in getattr(fn, "needs", ()):
        hit = memo.get(id(group))
        if hit is None:
            hit = memo[id(group)] = any(word in folded if isinstance(word, str) else word.search(folded)
                                        for word in group)
        if not hit:
            return False
    return True


def rule(pattern: str) -> Callable[[Handler], Handler]:
    """Register a pattern (case-insensitive) and the function that resolves its match."""
    def register(fn: Handler) -> Handler:
        _RULES.append((re.compile(pattern, re.IGNORECASE), fn))
        return fn
    return register


# --- explicit calendar dates -------------------------------------------------------------------------

@needs(DIGIT)
@rule(r"(?<![\d-])" + _g("x", r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})") + r"(?![\d-])")
def _iso(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    day = _safe(int(m["y"]), int(m["m"]), int(m["d"]))
    return _make(day, day, published) if day else None


@needs(DIGIT)
@rule(r"(?<![\d./])" + _g("x", r"(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})")
      + r"(?![\d./]\d)")
def _numeric(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    # Day first (international and European news); month first only when the day cannot be a month.
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    day = _safe(y, a, b) if b > 12 >= a else _safe(y, b, a)
    return _make(day, day, published) if day else None


def _dated(y: str | None, mon: int, d: int, published: date) -> date | None:
    return _safe(int(y), mon, d) if y else _infer(mon, d, published)


def _range(m: re.Match[str], published: date) -> DateSpan | None:
    mon2 = _month(m["mon2"])
    mon1 = _month(m["mon1"]) if m["mon1"] else mon2
    if not mon1 or not mon2:
        return None
    last = _dated(m["y"], mon2, _day(m["d2"]), published)
    if not last:
        return None
    first = _safe(last.year, mon1, _day(m["d1"]))
    if first and first > last:
        first = _safe(last.year - 1, mon1, _day(m["d1"]))
    return _make(first, last, published) if first else None


_WD_PREFIX = rf"(?:{_WD},?\s+(?:the\s+)?)?"


@needs(DIGIT, MONTH)
@rule(r"(?:\bbetween\s+|\bfrom\s+|\b(?:the\s+)?night\s+of\s+(?:the\s+)?)?" + _g(
    "x", rf"{_WD_PREFIX}(?P<d1>{_DAY})(?:\s+(?:of\s+)?(?P<mon1>{_MON}))?{_TO}(?:the\s+)?(?P<d2>{_DAY})"
         rf"\s+(?:of\s+)?(?P<mon2>{_MON})(?:,?\s+(?P<y>{_YEAR}))?") + r"(?![\w])")
def _day_range(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    return _range(m, published)


@needs(DIGIT, MONTH)
@rule(r"(?:\bbetween\s+|\bfrom\s+|\b(?:the\s+)?night\s+of\s+)?" + _g(
    "x", rf"{_WD_PREFIX}(?P<mon1>{_MON})\s+(?P<d1>{_DAY}){_TO}(?:(?P<mon2>{_MON})\s+)?(?P<d2>{_DAY})"
         rf"(?:,?\s+(?P<y>{_YEAR}))?") + r"(?![\w])")
def _month_day_range(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    mon1 = _month(m["mon1"])
    mon2 = _month(m["mon2"]) if m["mon2"] else mon1
    if not mon1 or not mon2:
        return None
    last = _dated(m["y"], mon2, _day(m["d2"]), published)
    first = _safe(last.year, mon1, _day(m["d1"])) if last else None
    if first and last and first > last:
        first = _safe(last.year - 1, mon1, _day(m["d1"]))
    return _make(first, last, published) if first and last else None


@needs(DIGIT, MONTH)
@rule(r"(?<![\w-])" + _g("x", rf"{_WD_PREFIX}(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})"
                             rf"(?:,?\s+(?P<y>{_YEAR}))?") + r"(?![\w])")
def _day_month(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    mon = _month(m["mon"])
    day = _dated(m["y"], mon, _day(m["d"]), published) if mon else None
    return _make(day, day, published) if day else None


@needs(DIGIT, MONTH)
@rule(r"(?<![\w-])" + _g("x", rf"{_WD_PREFIX}(?P<mon>{_MON})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?")
      + r"(?![\w:])")
def _month_day(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    return _day_month(m, published, anchor)


_PARTS = {"early": (1, 10), "beginning": (1, 10), "start": (1, 10), "mid": (11, 20), "middle": (11, 20),
          "late": (21, 31), "end": (21, 31)}


@needs(MONTH)
@rule(r"\b" + _g("x", rf"(?:the\s+)?(?P<part>early|mid|late|beginning\s+of|start\s+of|middle\s+of|end\s+of)"
                      rf"[\s-]+(?P<mon>{_MON})(?:,?\s+(?P<y>{_YEAR}))?") + r"(?![\w])")
def _part_of_month(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    mon = _month(m["mon"])
    if not mon:
        return None
    y = int(m["y"]) if m["y"] else _infer_month(mon, published)
    if y is None:
        return None
    lo, hi = _PARTS[m["part"].split()[0].lower()]
    first, end = _month_span(y, mon)
    span = _make(first.replace(day=lo), min(end, first.replace(day=min(hi, end.day))), published)
    return DateSpan(span.first, span.last, 3, span.event_date) if span else None


@needs(DIGIT, MONTH)
@rule(r"(?<![\w-])" + _g("x", rf"(?P<mon>{_MON}),?\s+(?P<y>{_YEAR})") + r"(?![\w])")
def _month_year(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    mon = _month(m["mon"])
    return _make(*_month_span(int(m["y"]), mon), published, month=True) if mon else None


@needs(MONTH)
@rule(rf"(?:\b(?:{PREPOSITIONS}|last|this|early|late|between|and|to)\s+)" + _g("x", rf"(?P<mon>{_MON})")
      + r"(?![\w])|(?<![\w-])" + _g("x2", rf"(?P<mon2>{_MON})") + r"(?='s\b)")
def _month_alone(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    mon = _month(m["mon"] or m["mon2"])
    if not mon:
        return None
    y = _infer_month(mon, published)
    return _make(*_month_span(y, mon), published, month=True) if y else None


@needs(DIGIT)
@rule(r"(?<![\w-])" + _g("x", rf"(?P<y1>{_YEAR})\s*(?:-|–|—|\bto\b)\s*(?P<y2>{_YEAR}|\d\d)") + r"(?![\w-])")
def _year_range(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    y1, y2 = int(m["y1"]), m["y2"]
    y2 = int(y2) if len(y2) == 4 else y1 // 100 * 100 + int(y2)
    return _make(date(y1, 1, 1), date(y2, 12, 31), published) if y2 > y1 else None


# A bare year needs a word that makes it a time ("in 2014"); "over 2000 people", "at 1900 hours" and
# "a crowd of 2000 people" are counts and clock times, so "of" only counts at the end of a phrase.
@needs(DIGIT)
@rule(r"\b(?:(?:in|since|during|until|till|before|after|throughout|early|late|mid-?|the\s+year|between|and)\s+"
      + _g("x", rf"(?P<y>{_YEAR})") + r"|of\s+" + _g("x2", rf"(?P<y2>{_YEAR})") + r"(?=\s*(?:[,.;:)]|$)))"
      + r"(?![\w-]|[./]\d)")
def _year(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    y = int(m["y"] or m["y2"])
    return _make(date(y, 1, 1), date(y, 12, 31), published)


# --- weekdays ------------------------------------------------------------------------------------

@needs(WEEKDAY)
@rule(r"\b(?:overnight\s+|(?:the\s+)?night\s+)?(?:from\s+|between\s+)?" + _g(
    "x", rf"(?P<w1>{_WD})(?:\s+{DAY_PARTS})?\s+(?:to|and|into|until|till|-|–)\s+(?P<w2>{_WD})") + r"\b")
def _weekday_range(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    w1, w2 = _weekday(m["w1"]), _weekday(m["w2"])
    if w1 is None or w2 is None:
        return None
    last = _last_weekday(w2, published)
    first = last - timedelta(days=(last.weekday() - w1) % 7 or 7)
    return _make(first, last, published)


@needs(WEEKDAY)
@rule(r"(?:\b(?P<rel>last|past|previous|this|next|coming)\s+)?"
      + _g("x", rf"(?P<w>{_WD})(?:'s)?(?:\s+{DAY_PARTS})?")
      + r"\b(?!-)")
def _weekday_one(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    w = _weekday(m["w"])
    after = m.string[m.end("w"):m.end("w") + 12].lower().split()
    if w is None or (after and after[0].strip(".,;:") in NOT_A_DATE_AFTER_WEEKDAY):
        return None
    rel = (m["rel"] or "").lower()
    if rel in ("next", "coming") or (rel == "this" and w > published.weekday()):
        return None  # a coming day: a plan, not an event
    day = _last_weekday(w, published, strictly_before=rel in ("last", "past", "previous"))
    return _make(day, day, published)


# --- relative to publication -----------------------------------------------------------------------

def _fixed(back: int) -> Handler:
    def resolve(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
        day = published - timedelta(days=back)
        return _make(day, day, published)
    return resolve


needs(("yesterday",))(rule(r"\b" + _g("x", r"(?:the\s+)?day\s+before\s+yesterday") + r"\b")(_fixed(2)))
needs(("yesterday", "night"))(rule(r"\b" + _g("x", rf"yesterday(?:\s+{DAY_PARTS})?|last\s+night") + r"\b")(
    _fixed(1)))
needs(("today", "this", "tonight"))(rule(
    r"\b" + _g("x", r"(?:earlier\s+|later\s+)?today|this\s+(?:morning|afternoon|evening)|tonight") + r"\b")(
    _fixed(0)))


@needs(("ago",))
@rule(r"\b" + _g("x", rf"(?:(?P<vague>{_VAGUE_NUM})|(?P<n>{_NUM}))\s+(?P<unit>day|week|month)s?\s+ago")
      + r"\b")
def _ago(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    n = parse_count(m["n"]) if m["n"] else None
    unit = m["unit"].lower()
    if m["vague"]:  # "a few days ago": only the recent past is known
        span = {"day": 7, "week": 28, "month": 90}[unit]
        return _make(published - timedelta(days=span), published - timedelta(days=2), published)
    if not n:
        return None
    if unit == "day":
        return _fixed(n)(m, published, anchor)
    if unit == "week":
        mid = published - timedelta(days=7 * n)
        return _make(mid - timedelta(days=3), mid + timedelta(days=3), published)
    first = (published - relativedelta(months=n)).replace(day=1)
    return _make(*_month_span(first.year, first.month), published, month=True)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@needs(("week",))
@rule(r"\b" + _g("x", r"(?P<which>last|this|past|previous)\s+week(?!end)"
                      r"|(?P<earlier>earlier|so\s+far)\s+this\s+week"
                      r"|the\s+(?P<past>past|previous|last)\s+week(?!end)") + r"\b")
def _week(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    if m["earlier"]:
        return _make(_monday(published), published - timedelta(days=1 if m["earlier"] == "earlier" else 0),
                     published) or _make(published, published, published)
    which = (m["which"] or "").lower()
    if which == "this":
        return _make(_monday(published), published, published)
    if which == "last":
        start = _monday(published) - timedelta(days=7)
        return _make(start, start + timedelta(days=6), published)
    return _make(published - timedelta(days=7), published - timedelta(days=1), published)


@needs(("weekend",))
@rule(r"\b" + _g("x", r"(?:(?:over|during|at|on)\s+)?(?:the|this|last|past)\s+weekend") + r"\b")
def _weekend(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    saturday = published - timedelta(days=(published.weekday() - 5) % 7 or 7)
    return _make(saturday, saturday + timedelta(days=1), published)


@needs(("days",))
@rule(r"\b" + _g("x", r"(?:in|over|during)\s+(?:the\s+)?(?:recent|past|last)\s+"
                      r"(?:few\s+|several\s+|couple\s+of\s+)?days|(?:in|over|during)\s+the\s+(?:past|last)\s+(?P<n>\d+|two|three|four|five|six|seven)"
                      r"\s+days") + r"\b")
def _recent_days(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    n = parse_count(m["n"]) if m["n"] else 7
    return _make(published - timedelta(days=n), published - timedelta(days=1), published)


@needs(("recent", "weeks", "month"))
@rule(r"\b" + _g("x", r"recently|(?:in|over|during)\s+(?:the\s+)?(?:recent|past|last)\s+"
                      r"(?:few\s+|several\s+|two\s+|three\s+)?weeks|the\s+past\s+month") + r"\b")
def _recently(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    span = _make(published - timedelta(days=30), published - timedelta(days=1), published)
    return DateSpan(span.first, span.last, 3, span.event_date) if span else None


@needs(("months",))
@rule(r"\b" + _g("x", r"(?:in|over|during)\s+(?:the\s+)?(?:recent|past|last)\s+(?:few\s+|several\s+)?months")
      + r"\b")
def _recent_months(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    return _make(published - timedelta(days=90), published - timedelta(days=1), published)


@needs(("month",))
@rule(r"\b" + _g("x", r"(?P<which>last|previous)\s+month|(?P<this>(?:earlier|so\s+far)\s+)?this\s+month")
      + r"\b")
def _rel_month(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    if m["which"]:
        prev = published.replace(day=1) - timedelta(days=1)
        return _make(*_month_span(prev.year, prev.month), published, month=True)
    last = published - timedelta(days=1) if (m["this"] or "").lower().startswith("earlier") else published
    first = published.replace(day=1)
    return _make(first, max(first, last), published, month=True)


@needs(("year",))
@rule(r"\b" + _g("x", r"(?P<which>last|previous)\s+year|(?:(?:earlier|so\s+far)\s+)?this\s+year") + r"\b")
def _rel_year(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    y = published.year - 1 if m["which"] else published.year
    return _make(date(y, 1, 1), date(y, 12, 31), published)


# --- relative to an earlier date in the passage (needs an anchor) ----------------------------------

_ANCHORED = {"previous day": -1, "day before": -1, "day earlier": -1, "previous night": -1,
             "night before": -1, "next day": 1, "following day": 1, "day after": 1, "day later": 1,
             "same day": 0, "that day": 0, "next morning": 1, "following morning": 1}


@needs(("day", "night", "morning"))
@rule(r"\b" + _g("x", r"(?:the|a|that|later\s+that|on\s+the)\s+"
                      # "a day after gunmen opened fire" dates another event: only a phrase-final
                      # "the day before/after" is relative to the passage's date
                      r"(?P<rel>previous\s+day|day\s+(?:before|after)(?=\s*(?:[,.;:)]|$))|day\s+earlier|"
                      r"previous\s+night|night\s+before|next\s+day|following\s+day|day\s+later|"
                      r"same\s+day|next\s+morning|following\s+morning|day)") + r"\b")
def _anchored(m: re.Match[str], published: date, anchor: date | None) -> DateSpan | None:
    rel = " ".join(m["rel"].lower().split())
    if anchor is None or rel not in _ANCHORED and not m["x"].lower().startswith(("that", "later")):
        return None
    day = anchor + timedelta(days=_ANCHORED.get(rel, 0))
    return _make(day, day, published)


def find_dates(text: str, published: date, anchor: date | None = None) -> list[DateSpan]:
    """Every date expression in `text`, resolved against `published`, left to right.

    `anchor` is the day of the event stated earlier in the passage; it resolves "the previous day",
    "the next day" and "that day", which are skipped without it. Overlapping readings keep the longest
    (so "August 26-27" is one range, not two days).
    """
    found: list[tuple[int, int, DateSpan]] = []
    folded = fold_case(text)
    memo: dict[int, bool] = {}
    for regex, resolve in _RULES:
        if not _may_match(resolve, folded, memo):
            continue
        for m in regex.finditer(text):
            span = resolve(m, published, anchor)
            if span is None:
                continue
            group = "x" if m["x"] is not None else "x2"
            start, end = m.span(group)
            found.append((start, end, DateSpan(span.first, span.last, span.precision, span.event_date,
                                               text[start:end], start, end)))
    # longest first, each kept unless it overlaps one kept already; the kept ones are disjoint, so sorted
    # by start they are sorted by end too and only the one starting just before `end` can overlap
    starts: list[int] = []
    kept: list[tuple[int, int, DateSpan]] = []
    for start, end, span in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        at = bisect.bisect_left(starts, end)
        if at and kept[at - 1][1] > start:
            continue
        starts.insert(at, start)
        kept.insert(at, (start, end, span))
    return [span for _, _, span in kept]


def is_background(span: DateSpan, published: date, *, max_age_days: int = 365,
                  same_year_days: int = 90) -> bool:
    """True when the span is background rather than news: it ended over `max_age_days` before
    publication, or lies in an earlier calendar year and ended over `same_year_days` before it.

    The second test keeps "on 28 December" in a 5 January article as news while "in 2010" or
    "in September 2015" are background the cue stage should not code as events.
    """
    age = (published - span.last).days
    return age > max_age_days or (span.last.year < published.year and age > same_year_days)
