"""Events -> rows: derived columns from the schema, stable ids, ACLED-style notes."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from eventcode.coding.model import Actor, DateSpan, Event, Place
from eventcode.coding.rows import events_to_frame, note
from eventcode.schema import load_schema

EVIDENCE = "On 29 August 2016, police arrested 11 suspected extremists in Aktobe province, officials said."


def event(**changes) -> Event:
    base = dict(
        article_id="aktobe", rule_id="arrests", event_type="Strategic developments", sub_event_type="Arrests",
        date=DateSpan(date(2016, 8, 29), date(2016, 8, 29), 1, date(2016, 8, 29), "29 August 2016", 3, 17),
        place=Place("Kazakhstan", "Aktobe", location="Aktobe", latitude=50.28, longitude=57.17,
                    geo_precision=1),
        actor1=Actor("Police Forces of Kazakhstan (2019-)", "State forces"), actor2=None, fatalities=0,
        evidence=EVIDENCE, evidence_start=0, evidence_end=len(EVIDENCE), source="Test Wire",
    )
    base.update(changes)
    return Event(**base)


def test_note_is_acled_style():
    assert note(event()) == "On 29 August 2016, police arrested 11 suspected extremists in Aktobe province."


def test_note_for_month_precision_and_fatalities():
    span = DateSpan(date(2016, 6, 1), date(2016, 6, 30), 3, date(2016, 6, 15), "", 0, 0)
    text = note(event(date=span, fatalities=2, evidence="Gunmen killed two villagers near Aktobe."))
    assert text == "In June 2016, gunmen killed two villagers near Aktobe. [2 fatalities]"


@pytest.mark.parametrize("dateline", ["AKTOBE -- ", "AKTOBE, Kazakhstan - ", "AKTOBE, Aug 30 (Reuters) - ",
                                      "AKTOBE: ", "ALMATY, Aug. 30 (Interfax) \u2013 "])
def test_note_leaves_out_the_dateline(dateline):
    """Where the story was filed is no part of what happened, in any of the wire's forms."""
    undated = DateSpan(date(2016, 8, 29), date(2016, 8, 29), 1, date(2016, 8, 29), "", 0, 0)
    text = note(event(date=undated, evidence=dateline + "Police arrested 11 suspected extremists."))
    assert text == "On 29 August 2016, police arrested 11 suspected extremists."


def test_derived_columns_and_order():
    attack = event(rule_id="attack-civilians", event_type="Violence against civilians",
                   sub_event_type="Attack",
                   actor1=Actor("Unidentified Armed Group (Kazakhstan)", "Political militia"),
                   actor2=Actor("Civilians (Kazakhstan)", "Civilians"), fatalities=3, evidence_start=90)
    frame = events_to_frame([event(), attack])
    schema = load_schema()
    assert list(frame.columns) == schema.names
    first, second = frame.iloc[0], frame.iloc[1]
    assert (first.disorder_type, first.interaction, first.iso, first.region, first.year) == (
        "Strategic developments", "State forces only", 398, "Caucasus and Central Asia", 2016)
    assert second.interaction == "Political militia-Civilians"
    assert second.civilian_targeting == "Civilian targeting" and pd.isna(first.civilian_targeting)
    assert first.event_id_cnty.startswith("KAZ") and first.event_id_cnty != second.event_id_cnty


def test_ids_are_deterministic_and_pass_validation():
    from eventcode.validation import validate

    a, b = events_to_frame([event()]), events_to_frame([event()])
    assert a.event_id_cnty.tolist() == b.event_id_cnty.tolist()
    assert validate(a).valid


def test_empty_frame_has_every_column():
    frame = events_to_frame([])
    assert list(frame.columns) == load_schema().names and frame.empty
