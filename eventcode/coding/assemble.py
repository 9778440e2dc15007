"""Turn one article into Events: triggers -> cues -> date -> place -> actors -> fatalities -> merge.

Why this order: cues are cheap and remove most candidates before the costlier stages run; the date
decides whether a report is background (an earlier year); the place and date a passage states once
carry to its following sentences; duplicates (the same arrest told twice) become one event whose
evidence lists every mention.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .codebook import Codebook, Rule
from .cues import CueFilter
from .datelines import DATELINE
from .matching import EXCLUDES, REQUIRES, RULE, Match, Matcher, lower_same_length
from .model import Article, DateSpan, Event, Place, Sentence
from .sentences import paragraphs, split_paragraph
from .truecase import TrueCaser, caseless

UNIT_BREAK = re.compile(r";\s")
# The tag of a row whose place the text names only by its country (or no place at all, in an article
# about one country): written at the level that is known, geo_precision 3 and no admin1, for review.
PLACE_UNRESOLVED = "eventcode: place unresolved"
# The tag of a row placed only by the article's dateline (where the story was filed): a fallback to review.
PLACE_FROM_DATELINE = "eventcode: place from dateline"
NEEDS_PLACE = (PLACE_UNRESOLVED, PLACE_FROM_DATELINE)
WHITESPACE = re.compile(r"[\n\r\t\u00a0]")
SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*$")
HEADING_WORDS = 20
HEADING_PLACE_WORDS = 8
# "in Kisumu and Homa Bay", "in Osh, Jalal-Abad and Naryn": places named together after a locative word
_PLACE_NAME = r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}"
COORDINATED = re.compile(
    rf"\b(?:in|at|across)\s+((?:{_PLACE_NAME},\s*)*{_PLACE_NAME},?\s+and\s+{_PLACE_NAME})")
# A line standing alone or closed by a colon, not a bullet: a section heading of a situation report.
HEADING_LINE = re.compile(r"^[ \t]*([^\s\-\u2022*\d][^\n]{0,80}?):?[ \t]*$", re.MULTILINE)
TOPIC_CHANGE = re.compile(
    r"(?:separately|elsewhere|meanwhile|in a separate|in another|also on|earlier|later)\b", re.IGNORECASE)
# Date words that only mean something relative to a date stated before them.
ANCHORED = re.compile(r"\b(?:previous|next|following|same|that)\s+(?:day|night|morning|evening)|"
                      r"\bday\s+(?:before|earlier|after|later)\b|\bnight\s+before\b", re.IGNORECASE)


@dataclass
class Candidate:
    """A trigger that survived the cues in one unit (sentence, or ';'-clause of it)."""

    rule: Rule
    match: Match
    sentence: Sentence
    unit_start: int
    unit_end: int
    following: str = ""
    # Set when a sentence-wide cue spared the trigger's own dated clause: only that clause dates it.
    date_region: tuple[int, int] | None = None
    # The words the sides are read around: the trigger, or for a label ("Looting: ...") the unit's
    # best trigger that is no label.
    verb: Match | None = None


@dataclass
class Dropped:
    """A trigger that produced no row, and why: 'cancel:<cue>', 'nonevent:<cue>', 'date:background',
    'place:none', 'merge:duplicate' ... (shown by `eventcode code --explain`)."""

    rule_id: str
    sentence: str
    start: int
    reason: str


@dataclass
class Result:
    """An article's events and the candidates that produced none."""

    events: list[Event] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


class Assembler:
    """The coder's pipeline for one codebook; build once, then `code(article)` per article."""

    def __init__(self, codebook: Codebook, *, places: Any = None, actors: Any = None, fatalities: Any = None,
                 find_dates: Callable[..., list[DateSpan]] | None = None,
                 is_background: Callable[..., bool] | None = None):
        self.codebook = codebook
        self.matcher = Matcher.from_codebook(codebook)
        self.cues = CueFilter.from_codebook(codebook)
        self.rules = codebook.rules_by_id
        if find_dates is None or is_background is None:
            from . import dates

            find_dates = find_dates or dates.find_dates
            is_background = is_background or dates.is_background
        self.find_dates = find_dates
        self.is_background = is_background
        if fatalities is None:
            from .fatalities import FatalityCounter

            fatalities = FatalityCounter.from_codebook(codebook.fatalities,
                                                       codebook.section_file("fatalities"))
        self.fatalities = fatalities
        if places is None:
            from .places import PlaceResolver

            places = PlaceResolver.default()
        self.places = places
        if actors is None:
            from .actors import ActorResolver

            actors = ActorResolver.from_codebook(codebook)
        self.actors = actors
        self._truecaser: TrueCaser | None = None

    # -- stage 1: candidates --------------------------------------------------------------------------
    def candidates(self, text: str, result: Result, published: date | None = None) -> list[Candidate]:
        """The best surviving trigger of each unit, in reading order (`published` lets a dated clause
        escape a sentence-wide cue; without it no clause does)."""
        lowered = WHITESPACE.sub(" ", lower_same_length(text))
        hits = self.matcher.scan(lowered)
        entries = self.matcher.entries
        # where a rule's pattern can begin (a later segment's "at" or "by" begins nothing)
        rule_positions = sorted(r[0] for r in hits.rows if r[3] == 0 and entries[r[2]].group == RULE)
        if not rule_positions:
            return []
        out: list[Candidate] = []
        index = 0
        spans = paragraphs(text)
        for number, (lo, hi) in enumerate(spans):
            first = bisect.bisect_left(rule_positions, lo)
            if first == len(rule_positions) or rule_positions[first] >= hi:
                continue
            sents = split_paragraph(text, lo, hi, number, index)
            index += len(sents)
            seen: set[str] = set()  # rules whose `requires` an earlier sentence of the paragraph met
            found = [self._sentence_candidates(text, lowered, hits, sent, result, seen, published)
                     for sent in sents]
            if number == 0 and len(spans) > 1 and _is_heading(text[lo:hi]):
                for cands, _ in found:
                    result.dropped += [Dropped(c.rule.id, c.sentence.text, c.match.start, "heading:title")
                                       for c in cands]
                continue
            for i, (cands, _) in enumerate(found):
                if cands:
                    cands[-1].following = _following(sents, found, i)
                out += cands
        return out

    def _sentence_candidates(self, text: str, lowered: str, hits: Any, sent: Sentence, result: Result,
                             seen: set[str], published: date | None = None) -> tuple[list[Candidate], bool]:
        """The sentence's candidates, and whether it held any trigger at all (even a cancelled one)."""
        if not hits.any_from(sent.start, sent.end):
            return [], False
        matches = self.matcher.find(hits, lowered, sent.start, sent.end)
        required = {m.owner for m in matches if m.group == REQUIRES}
        in_paragraph = {owner for owner in seen if self.rules[owner].requires_scope == "paragraph"}
        seen |= required
        required |= in_paragraph
        triggers = [m for m in matches if m.group == RULE]
        if not triggers:
            return [], False
        excluded = {m.owner for m in matches if m.group == EXCLUDES}
        usable = []
        for m in triggers:
            rule = self.rules[m.owner]
            if rule.requires and m.owner not in required:
                continue
            if m.owner in excluded:
                continue
            if rule.opens_line and not _is_label(text, m):
                continue
            usable.append(m)
        dated = None if published is None else lambda a, b: bool(self.find_dates(text[a:b], published))
        decisions = self.cues.apply(lowered, sent.start, sent.end, usable, matches, dated)
        kept = [d.match for d in decisions if d.kept]
        regions = {d.match: d.region for d in decisions if d.kept and d.region}
        for d in decisions:
            if not d.kept:
                result.dropped.append(Dropped(d.match.owner, sent.text, d.match.start, f"{d.kind}:{d.cue}"))
        out: list[Candidate] = []

        def rank(m: Match) -> tuple[int, int, int]:
            return self.rules[m.owner].priority, -m.start, m.end - m.start

        for lo, hi in _units(text, sent):
            inside = [m for m in kept if lo <= m.start < hi]
            if not inside:
                if out:  # a clause reporting no act of its own tells more of the one before it
                    out[-1].unit_end = hi
                continue
            best = max(inside, key=rank)
            verbs = [m for m in inside if not self.rules[m.owner].opens_line]
            verb = max(verbs, key=rank) if verbs else best
            out.append(Candidate(self.rules[best.owner], best, sent, lo, hi, date_region=regions.get(best),
                                 verb=verb))
        return out, True

    # -- stages 2-6 -----------------------------------------------------------------------------------
    def code(self, article: Article) -> Result:
        """Every event the article reports, duplicates merged.

        A text without case (all lower-case, or all capitals) is coded with its capitals restored
        (eventcode.coding.truecase); offsets do not move, and the evidence is quoted as written."""
        gazetteer = getattr(self.places, "gaz", None)
        if gazetteer is None or not caseless(article.text):
            return self._code(article)
        if self._truecaser is None:
            self._truecaser = TrueCaser(gazetteer, getattr(self.actors, "acronyms", frozenset()))
        restore = self._truecaser.restore
        title = restore(article.title) if caseless(article.title) else article.title
        result = self._code(replace(article, text=restore(article.text), title=title))
        for event in result.events:
            event.evidence = article.text[event.evidence_start:event.evidence_end]
        return result

    def _code(self, article: Article) -> Result:
        result = Result()
        published = article.published or date.today()
        text = article.text
        cands = self.candidates(text, result, published)
        if not cands:
            return result
        dates = _ArticleDates(text, published, self.find_dates)
        dateline = DATELINE.match(text)
        dates.dateline_end = dateline.end() if dateline else 0
        country: list[str | None] = []  # the article's country, found when a candidate first needs it
        carried_place: Place | None = None
        carried_at = 0  # where the carried place was stated
        carried_dateline = False  # whether it is the dateline's city
        headings: list[tuple[int, Place]] | None = None  # section headings that name a place
        events: list[Event] = []
        for cand in cands:
            sent = cand.sentence
            # a clause spared by a sentence-wide cue is its own report: its own place and toll
            lo, hi = cand.date_region or (cand.unit_start, cand.unit_end)
            unit_text = text[lo:hi]
            span, stated = self._date(sent, cand, dates, published, events[-1] if events else None)
            if span is None:
                result.dropped.append(Dropped(cand.rule.id, sent.text, cand.match.start, "date:none"))
                continue
            if span.first > published or self.is_background(span, published):
                result.dropped.append(Dropped(cand.rule.id, sent.text, cand.match.start, "date:background"))
                continue
            if not country:
                country.append(self.places.article_country(article))
            if headings is None:
                headings = self._headings(text)
            heading = _last_before(headings, sent.start)
            if heading is not None and heading[0] > carried_at:  # a new section: its place, not the last
                carried_at, carried_place = heading
                carried_dateline = False
            fallback = heading[1].country if heading is not None else country[0]
            if unit_text == sent.text:
                place = self.places.resolve(unit_text, country=country[0], carried=carried_place)
            else:  # a clause naming no place takes one its own sentence names before what came earlier
                place = self.places.resolve(unit_text, country=country[0], carried=None) or \
                    self.places.resolve(sent.text, country=country[0], carried=carried_place)
            unresolved = place is None or not place.admin1
            if place is None and fallback:
                place = self.places.country_place(fallback)
            if place is None:  # no country either: nothing an ACLED row could say where
                result.dropped.append(Dropped(cand.rule.id, sent.text, cand.match.start, "place:none"))
                continue
            # the sentence names no place but the dateline's city (or carries it on): a fallback, tagged
            if place is carried_place:
                from_dateline = carried_dateline
            else:
                from_dateline = not unresolved and bool(place.text) and \
                    sent.start + place.start < dates.dateline_end
                if place.location.isupper() and len(place.location) > 3:  # "LAMITAN CITY" as written
                    place = replace(place, location=place.location.title())
            if not unresolved:
                carried_place, carried_at, carried_dateline = place, sent.start, from_dateline
            verb = cand.verb or cand.match
            actor1, actor2 = self.actors.resolve(
                sent.text, verb.start - sent.start, verb.end - sent.start,
                sub_event_type=cand.rule.sub_event_type, country=place.country, event_date=span.event_date,
                roles=cand.rule.roles,
            )
            sub_event_type, event_type = cand.rule.types_for(actor1.inter, actor2.inter if actor2 else None)
            event = Event(
                article_id=article.id, rule_id=cand.rule.id, event_type=event_type,
                sub_event_type=sub_event_type, date=span, place=place, actor1=actor1, actor2=actor2,
                fatalities=0 if cand.rule.no_fatalities else self._fatalities(unit_text, cand.following),
                evidence=sent.text,
                evidence_start=sent.start, evidence_end=sent.end, source=article.source,
                tags=[PLACE_UNRESOLVED] if unresolved else [PLACE_FROM_DATELINE] if from_dateline else [],
            )
            if cand.rule.elaboration and not stated and events and events[-1].date.first == span.first:
                events[-1].extra_evidence.append((sent.start, sent.end))
                result.dropped.append(Dropped(cand.rule.id, sent.text, cand.match.start, "merge:elaboration"))
                continue
            others = [] if unresolved else self._also_in(unit_text, place, country[0])
            # "in Kisumu and Homa Bay": one row per place; the toll stays with the first (never counted twice)
            for extra in [event] + [replace(event, place=p, fatalities=0, extra_evidence=[], tags=[])
                                    for p in others]:
                target = _same_event(events, extra, stated)
                if target is not None:
                    combined = self.fatalities.count(f"{target.evidence} {extra.evidence}") \
                        if extra is event else 0  # the places after the first carry no toll of their own
                    _merge(target, extra, self.rules)
                    target.fatalities = max(target.fatalities, int(combined))
                    result.dropped.append(Dropped(cand.rule.id, sent.text, cand.match.start,
                                                  "merge:duplicate"))
                    continue
                events.append(extra)
        result.events = events
        return result

    def _also_in(self, text: str, place: Place, country: str | None) -> list[Place]:
        """The other places of a coordination naming the event's place: "in Kisumu and Homa Bay",
        "in Osh, Jalal-Abad and Naryn"; each resolved on its own, at town or province level."""
        out: list[Place] = []
        for m in COORDINATED.finditer(text):
            names = [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group(1))]
            if place.text not in names:
                continue
            for name in names:
                if name == place.text:
                    continue
                other = self.places.resolve(f"in {name}", country=country or place.country)
                if other is not None and other.admin1 and other.country == place.country and \
                        _place_key(other) != _place_key(place) and \
                        all(_place_key(other) != _place_key(o) for o in out):
                    out.append(other)
        return out

    def _headings(self, text: str) -> list[tuple[int, Place]]:
        """Section headings that name a country or province ("Niger - Tillaberi region:", "MALI"), with
        where each ends: each sets the place of what follows it, until the next."""
        found = []
        for m in HEADING_LINE.finditer(text):
            line = m.group(1)
            if len(line.split()) > HEADING_PLACE_WORDS or SENTENCE_END.search(line):
                continue
            place = self.places.resolve(line, country=None)
            if place is not None:
                found.append((m.end(), place))
        return found

    def _fatalities(self, unit: str, following: str) -> int:
        """Deaths the event's clause reports, or the sentences after it that report no act of their own
        ("Six soldiers and 20 assailants were killed in the fighting"): the larger, never their sum,
        since a later sentence often repeats the toll."""
        count = int(self.fatalities.count(unit))
        if following:
            count = max(count, int(self.fatalities.count(following)))
        return count

    def _date(self, sent: Sentence, cand: Candidate, dates: _ArticleDates, published: date,
              previous: Event | None) -> tuple[DateSpan | None, bool]:
        """The sentence's own date nearest the trigger; else the date the passage carries: the last one
        stated earlier in the paragraph, else the previous event's, else the last stated before."""
        in_para = dates.paragraph(sent.paragraph)

        def carried() -> DateSpan | None:  # only when needed: it may search earlier paragraphs
            before = [d for d in in_para if d.end <= sent.start]
            return before[-1] if before else previous.date if previous else dates.last_before(sent.paragraph)

        if ANCHORED.search(sent.text):  # "the previous day": resolved against the carried date
            anchor = carried()
            own = self.find_dates(sent.text, published, anchor.event_date if anchor else None)
        else:  # the paragraph's dates inside this sentence, offsets made relative to it
            own = [replace(d, start=d.start - sent.start, end=d.end - sent.start) for d in in_para
                   if sent.start <= d.start and d.end <= sent.end]
        if dates.dateline_end > sent.start:  # the dateline's date dates the event only when nothing else does
            after = [d for d in own if d.start + sent.start >= dates.dateline_end]
            own = after or own
        if cand.date_region is not None:  # a clause spared by a sentence-wide cue: only its own dates
            lo, hi = cand.date_region[0] - sent.start, cand.date_region[1] - sent.start
            own = [d for d in own if lo <= d.start and d.end <= hi]
        if own:
            pos = cand.match.start - sent.start
            best = min(own, key=lambda d: (_distance(d, pos), d.start))
            return best, True
        span = carried()
        if span is not None:
            return span, False
        return DateSpan(published, published, 1, published, "", 0, 0), False


class _ArticleDates:
    """Date expressions per paragraph, found only for the paragraphs the coder needs (offsets into the
    article): the costly date search runs on event passages, not on whole articles."""

    def __init__(self, text: str, published: date, find: Callable[..., list[DateSpan]]):
        self.text, self.published, self.find = text, published, find
        self.spans = paragraphs(text)
        self.cache: dict[int, list[DateSpan]] = {}
        self.dateline_end = 0  # where the article's wire dateline ends (0: none)

    def paragraph(self, number: int) -> list[DateSpan]:
        found = self.cache.get(number)
        if found is None:
            lo, hi = self.spans[number]
            found = [replace(d, start=d.start + lo, end=d.end + lo)
                     for d in self.find(self.text[lo:hi], self.published)]
            self.cache[number] = found
        return found

    def last_before(self, number: int) -> DateSpan | None:
        """The last date stated in the paragraphs before paragraph `number`."""
        for earlier in range(number - 1, -1, -1):
            found = self.paragraph(earlier)
            if found:
                return found[-1]
        return None


def _merge(target: Event, event: Event, rules: dict[str, Rule]) -> None:
    """Fold a repeated mention into the event: the most specific report (highest rule priority) becomes
    the row's type and evidence, every mention stays in the evidence, the conservative toll is the
    largest stated by one mention (mentions repeat deaths, they do not add them), and a place the
    text resolves replaces one known only by its country."""
    fatalities = max(target.fatalities, event.fatalities)
    if any(t in NEEDS_PLACE for t in target.tags) and not any(t in NEEDS_PLACE for t in event.tags):
        target.place = event.place
        target.tags = [t for t in target.tags if t not in NEEDS_PLACE]
    if rules[event.rule_id].priority > rules[target.rule_id].priority:
        extra = [(target.evidence_start, target.evidence_end), *target.extra_evidence]
        for name in ("rule_id", "event_type", "sub_event_type", "actor1", "actor2", "evidence",
                     "evidence_start", "evidence_end"):
            setattr(target, name, getattr(event, name))
        target.extra_evidence = extra
    else:
        target.extra_evidence.append((event.evidence_start, event.evidence_end))
    target.fatalities = fatalities


def _following(sents: list[Sentence], found: list[tuple[list[Candidate], bool]], i: int) -> str:
    """The sentences after sentence i in its paragraph that hold no trigger of their own (reported or
    cancelled) and do not turn to another matter ("Separately, ...")."""
    parts = []
    for sent, (_, had_trigger) in zip(sents[i + 1:], found[i + 1:], strict=True):
        if had_trigger or TOPIC_CHANGE.match(sent.text):
            break
        parts.append(sent.text)
    return " ".join(parts)


def _is_heading(paragraph: str) -> bool:
    """A first paragraph that is one short line with no sentence-final punctuation: the headline
    repeated at the head of the body ("Kenya: 12 protesters arrested in Kisumu"). Like an article's
    title it is not coded: ACLED codes from the body, which reports the act with its date and place
    (a headline states no date, so it would add a duplicate dated by publication)."""
    line = paragraph.strip()
    return ("\n" not in line and len(line.split()) <= HEADING_WORDS
            and not SENTENCE_END.search(line))


def _is_label(text: str, match: Match) -> bool:
    """Whether a match opens its line and a colon follows it: "Property destruction: On 19 April ..."."""
    line_start = text.rfind("\n", 0, match.start) + 1
    opens = not text[line_start:match.start].strip(" \t-*\u2022")
    return opens and text[match.end:match.end + 3].lstrip().startswith(":")


def _last_before(headings: list[tuple[int, Place]], pos: int) -> tuple[int, Place] | None:
    """The last heading that ends at or before `pos`."""
    i = bisect.bisect_right([end for end, _ in headings], pos)
    return headings[i - 1] if i else None


def _distance(span: DateSpan, pos: int) -> int:
    return 0 if span.start <= pos < span.end else min(abs(span.start - pos), abs(span.end - pos))


def _units(text: str, sent: Sentence) -> list[tuple[int, int]]:
    """A sentence's ';'-separated clauses: each may report an event of its own."""
    bounds = [sent.start] + [m.end() for m in UNIT_BREAK.finditer(text, sent.start, sent.end)] + [sent.end]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def _place_key(place: Place) -> tuple[str, str, str]:
    return (place.country, place.admin1, place.location)


# Event types one gathering can move between as a passage goes on: a march that turns violent or is
# dispersed is one event, coded as its most serious moment ("Thousands marched ... Some threw stones").
GATHERINGS = {"Protests", "Riots"}


def _same_event(events: list[Event], event: Event, stated: bool) -> Event | None:
    """An earlier event this one repeats: same type, day(s), place and kind of actor (one event per
    date, place and actor pair); or, when this mention states no date of its own, same type (or both a
    protest or riot), day(s) and province (a passage elaborating the event it follows, whoever it names)."""
    for prev in reversed(events):
        same_type = prev.event_type == event.event_type
        gathering = {prev.event_type, event.event_type} <= GATHERINGS
        if not (same_type or (gathering and not stated)):
            continue
        if (prev.date.first, prev.date.last) != (event.date.first, event.date.last):
            continue
        same_province = (prev.place.country, prev.place.admin1) == (event.place.country, event.place.admin1)
        if not stated and same_province:
            return prev
        if same_type and prev.place.country == event.place.country and \
                PLACE_UNRESOLVED in prev.tags + event.tags:  # "Highlights: nine killed ..." then the report
            return prev
        if not same_type:
            continue
        same_actor = prev.actor1.name == event.actor1.name or prev.actor1.inter == event.actor1.inter
        if _place_key(prev.place) == _place_key(event.place) and same_actor:
            return prev
    return None

