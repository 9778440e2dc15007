"""Cue scopes, applied to the bundled cues: what cancels a trigger and what does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventcode.coding.codebook import load_codebook
from eventcode.coding.cues import CueFilter
from eventcode.coding.matching import RULE, Matcher, lower_same_length
from eventcode.schema import load_schema

ROOT = Path(__file__).resolve().parents[1] / "codebooks" / "acled"


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    entry = tmp_path_factory.mktemp("cb") / "cb.yaml"
    entry.write_text(f"id: t\nversion: '1'\ninclude: ['{ROOT / 'triggers.yaml'}', '{ROOT / 'cues.yaml'}']\n")
    book = load_codebook(entry, schema=load_schema())
    return Matcher.from_codebook(book), CueFilter.from_codebook(book)


def decide(parts, text):
    matcher, cues = parts
    low = lower_same_length(text)
    matches = matcher.find(matcher.scan(low), low, 0, len(low))
    triggers = [m for m in matches if m.group == RULE]
    decisions = cues.apply(low, 0, len(low), triggers, matches)
    return {(low[d.match.start:d.match.end], d.kept, d.cue) for d in decisions}


def kept(parts, text):
    return {t for t, k, _ in decide(parts, text) if k}


def cancelled(parts, text):
    return {(t, cue) for t, k, cue in decide(parts, text) if not k}


def test_plan_cancels_the_planned_act_not_the_arrest(parts):
    text = "Police arrested a would-be suicide bomber who was planning to attack a mosque."
    assert "arrested" in kept(parts, text)
    assert ("suicide bomber", "plan") in cancelled(parts, text)


@pytest.mark.parametrize("text, cue", [
    ("Anyone blocking roads would be arrested.", "future"),
    ("No one was detained.", "negation"),
    ("They demanded the release of a detained journalist.", "participle-adjective"),
    ("Nikopol is shelled almost daily.", "habitual"),
    ("Since January, police have arrested 57 people.", "aggregate-period"),
    ("A court sentenced two men who had attacked a police station.", "trial"),
    ("At a press conference, he said troops killed 20 militants.", "press-conference"),
    ("The ministry denies that its jets bombed the market.", "denial"),
    ("The militants threatened to ambush army patrols.", "threat"),
])
def test_each_cue_drops_its_trigger(parts, text, cue):
    assert not kept(parts, text)
    assert {c for _, c in cancelled(parts, text)} == {cue}


def test_clause_scope_stops_at_the_comma(parts):
    text = "If the rains come, farmers will plant; on Monday gunmen ambushed a patrol."
    assert "ambushed" in kept(parts, text)


def test_before_window_is_limited(parts):
    near = "The militants were planning to attack the army post."
    far = "The plan to hold talks failed and on Monday gunmen in the hills near the town ambushed a patrol."
    assert not kept(parts, near)
    assert "ambushed" in kept(parts, far)


def test_a_cue_does_not_reach_past_a_new_noun_phrase(parts):
    text = "The army said it would investigate the killing of five civilians by soldiers."
    assert kept(parts, text)
