"""Events -> a DataFrame in the schema's column order, every derived column filled from the schema.

Why derive rather than store: disorder_type, inter codes, interaction, iso and region all follow from
the event type, the actors and the country through the schema's tables, so a variant schema changes
them without code. event_id_cnty is a hash of the article and the event's content, so coding the same
input twice gives identical rows (and ids stay stable when other articles are added to a run).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import pandas as pd

from ..schema import Schema, load_schema
from .datelines import DATELINE
from .model import DateSpan, Event

ID_DIGITS = 12
ATTRIBUTION = re.compile(
    r"(?:,\s*|\s+)(?:(?:the|a|an)\s+)?[^,.;]{0,80}?\b(?:said|says|reported|told\b[^,.;]*|according to[^,.;]*)"
    r"(?:\s+(?:on|in|at|to)\b[^,.;]{0,40})?\s*[.]?\s*$",
    re.IGNORECASE,
)
DATE_LEAD = re.compile(r"\b(?:early|late)?\s*(?:on|in|at|during|from|overnight(?: on)?|by)?\s*(?:the\s+)?$",
                       re.IGNORECASE)
LOWER_FIRST = frozenset(
    "a an the one two three four five six seven eight nine ten several dozens hundreds thousands some "
    "police security government troops soldiers gunmen suspected unidentified unknown armed masked alleged "
    "militants fighters protesters demonstrators residents authorities officers insurgents rebels attackers "
    "assailants jihadists militiamen militia gendarmes army military federal state regional local rival "
    "warplanes aircraft drones opposition angry in on at during after before near".split()
)
DISCOURSE = re.compile(r"^(?:separately|earlier|meanwhile|also|elsewhere|later|in a separate incident|"
                       r"in another incident)\b(?:\s*,)?\s*", re.IGNORECASE)


def event_id(event: Event, iso3: str) -> str:
    """ISO3 + a number derived from the article id and the event's content (deterministic)."""
    key = "|".join([event.article_id, event.rule_id, event.sub_event_type, event.date.event_date.isoformat(),
                    event.place.country, event.place.admin1, event.place.location, str(event.evidence_start)])
    number = int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 10**ID_DIGITS
    return f"{iso3}{number:0{ID_DIGITS}d}"


def date_phrase(span: DateSpan) -> str:
    """'On 12 November 2019', 'Between 14 and 15 November 2019', 'In July 2018' (ACLED note style)."""
    if span.precision == 3:
        return f"In {span.event_date:%B %Y}"
    if span.precision == 2 and span.first != span.last:
        if (span.first.year, span.first.month) == (span.last.year, span.last.month):
            return f"Between {span.first.day} and {span.last:%-d %B %Y}"
        return f"Between {span.first:%-d %B %Y} and {span.last:%-d %B %Y}"
    return f"On {span.event_date:%-d %B %Y}"


def note(event: Event) -> str:
    """An ACLED-style note: the date phrase, then what the evidence says happened (attribution dropped)."""
    text = " ".join(event.evidence.split())
    span = event.date
    if span.text and span.end <= len(event.evidence) and event.evidence[span.start:span.end] == span.text:
        before = " ".join(event.evidence[:span.start].split())
        after = " ".join(event.evidence[span.end:].split())
        before = DATE_LEAD.sub("", before).rstrip(" ,")
        text = f"{before} {after}".strip() if before else after
    text = DATELINE.sub("", text)  # "QUETTA, Pakistan -- "
    text = re.sub(r"^[,;\s]+", "", text)
    text = DISCOURSE.sub("", text)
    text = re.sub(r"^[,;\s]+", "", text)
    text = re.sub(r"\s+,", ",", text)
    text = ATTRIBUTION.sub("", text).rstrip(" ,;.") + "."
    first = text.split(" ", 1)[0]
    if first.lower() in LOWER_FIRST:
        text = text[0].lower() + text[1:]
    if event.fatalities:
        text += f" [{event.fatalities} fatalit{'y' if event.fatalities == 1 else 'ies'}]"
    return f"{date_phrase(span)}, {text}"


def events_to_frame(events: Sequence[Event], schema: Schema | None = None) -> pd.DataFrame:
    """The rows, schema columns in order; an empty frame still has every column."""
    schema = schema or load_schema()
    if not events:
        return _empty(schema)
    records = [{
        "event_date": ev.date.event_date,
        "time_precision": ev.date.precision,
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "actor1": ev.actor1.name,
        "assoc_actor_1": "; ".join(ev.actor1.assoc) or None,
        "inter1": ev.actor1.inter,
        "actor2": ev.actor2.name if ev.actor2 else None,
        "assoc_actor_2": ("; ".join(ev.actor2.assoc) or None) if ev.actor2 else None,
        "inter2": ev.actor2.inter if ev.actor2 else None,
        "country": ev.place.country,
        "admin1": ev.place.admin1 or None,
        "admin2": ev.place.admin2 or None,
        "admin3": ev.place.admin3 or None,
        "location": ev.place.location or ev.place.admin1 or ev.place.country,
        "latitude": ev.place.latitude,
        "longitude": ev.place.longitude,
        "geo_precision": ev.place.geo_precision,
        "source": ev.source or None,
        "notes": ev.notes or note(ev),
        "tags": "; ".join(ev.tags) or None,
        "fatalities": int(ev.fatalities),
        "article_id": ev.article_id,
        "rule_id": ev.rule_id,
        "evidence": ev.evidence,
        "evidence_start": ev.evidence_start,
        "evidence_end": ev.evidence_end,
    } for ev in events]
    frame = pd.DataFrame.from_records(records)
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["year"] = frame["event_date"].dt.year.astype("int32")
    pairs = pd.Series(list(zip(frame["event_type"], frame["sub_event_type"], strict=True)), index=frame.index)
    frame["disorder_type"] = pairs.map(lambda p: schema.disorder_for(*p))
    inter_pairs = list(zip(frame["inter1"], frame["inter2"], strict=True))
    frame["interaction"] = [schema.interaction(a, b if isinstance(b, str) else None) for a, b in inter_pairs]
    targeted = frame["inter2"].eq("Civilians") & frame["event_type"].isin(
        ["Violence against civilians", "Explosions/Remote violence"])
    frame["civilian_targeting"] = targeted.map({True: "Civilian targeting", False: None})
    countries = schema.countries.set_index("country")
    frame["iso"] = frame["country"].map(countries["iso"]).astype("Int32")
    frame["region"] = frame["country"].map(countries["region"])
    iso3 = frame["country"].map(countries["iso3"]).fillna("XXX")
    frame["event_id_cnty"] = [event_id(ev, code) for ev, code in zip(events, iso3, strict=True)]
    for name in ("time_precision", "geo_precision", "fatalities", "evidence_start", "evidence_end"):
        frame[name] = frame[name].astype("int32")
    for name in schema.names:
        if name not in frame.columns:
            frame[name] = None
    return frame[schema.names]


def _empty(schema: Schema) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype=_dtype(schema, name)) for name in schema.names})


def _dtype(schema: Schema, name: str) -> str:
    kind = schema.by_name[name].type
    types = {"date": "datetime64[ns]", "int32": "int32", "int64": "Int64", "float64": "float64"}
    return types.get(kind, "object")
