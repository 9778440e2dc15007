"""Plain data passed between the coder's stages.

Why a module of its own: each stage (articles, sentences, matching, cues, dates, places, actors,
fatalities, assembly, rows) is written and tested alone against these types.
All character offsets are into `Article.text` (the article body, after the header lines, as coded: the
reader repairs its encoding with ftfy first, so offsets are into the repaired text, not the file's bytes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Article:
    """One news article: body text and what we know about it."""

    id: str
    text: str
    title: str = ""
    source: str = ""
    published: date | None = None
    url: str = ""
    path: str = ""


@dataclass(frozen=True)
class Sentence:
    """A sentence with its character offsets into the article body and its paragraph number."""

    start: int
    end: int
    text: str
    paragraph: int
    index: int


@dataclass(frozen=True)
class DateSpan:
    """A date expression resolved to a range of days and a time_precision (1 day, 2 range or week, 3 month).

    `event_date` is the representative day coded for the event. `start`/`end` are offsets of the
    expression in the text that was searched.
    """

    first: date
    last: date
    precision: int
    event_date: date
    text: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Place:
    """A resolved location, ready for the row: names as ACLED writes them, coordinates, geo_precision 1-3."""

    country: str
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 3
    text: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Actor:
    """An actor named ACLED's way with its kind (inter name, e.g. "State forces")."""

    name: str
    inter: str
    assoc: tuple[str, ...] = ()


@dataclass
class Event:
    """One coded event before it becomes a row: everything a row needs plus its evidence."""

    article_id: str
    rule_id: str
    event_type: str
    sub_event_type: str
    date: DateSpan
    place: Place
    actor1: Actor
    actor2: Actor | None
    fatalities: int
    evidence: str
    evidence_start: int
    evidence_end: int
    source: str = ""
    notes: str = ""
    extra_evidence: list[tuple[int, int]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # ACLED's tags column, "; "-separated
