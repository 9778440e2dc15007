"""The Aho-Corasick matcher: whole words, prefixes, gaps, sentence limits."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from eventcode.coding.codebook import Codebook, Cue, Rule, parse_pattern
from eventcode.coding.matching import CUE, RULE, Matcher, lexicon, lower_same_length


def matcher(*patterns: str, cue: str | None = None) -> Matcher:
    rule = Rule(id="r", sub_event_type="Arrests", event_type="Strategic developments",
                patterns=tuple(parse_pattern(p) for p in patterns))
    cues = [Cue(id="c", kind="cancel", patterns=(parse_pattern(cue),))] if cue else []
    return Matcher.from_codebook(Codebook(id="t", version="1", rules=[rule], cues=cues))


def found(m: Matcher, text: str, lo: int = 0, hi: int | None = None) -> list[str]:
    low = lower_same_length(text)
    hits = m.scan(low)
    return [text[x.start:x.end] for x in m.find(hits, low, lo, len(text) if hi is None else hi)]


def test_whole_words_only():
    m = matcher("arrested")
    assert found(m, "Police Arrested two men; the unarrested man fled.") == ["Arrested"]


def test_prefix():
    assert found(matcher("arrest*"), "arrests and arresting, not prearrest") == ["arrests", "arresting"]


def test_gap_within_limit_and_not_across_commas():
    m = matcher("blew|blown * up")
    assert found(m, "A man blew himself up.") == ["blew himself up"]
    assert found(m, "He blew the old bridge up.") == ["blew the old bridge up"]
    assert found(m, "He blew a very large old steel bridge up.") == []
    assert found(m, "He blew, they say, up.") == []


def test_phrase_limited_to_the_sentence_span():
    m = matcher("blew * up")
    text = "He blew it. Then up it went."
    assert found(m, text, 0, 11) == []


def test_alternatives_multiword_and_cues_share_one_pass():
    m = matcher("took|taken into custody", cue="no one")
    low = lower_same_length("No one was taken into custody.")
    matches = m.find(m.scan(low), low, 0, len(low))
    assert [(x.group, x.owner) for x in matches] == [(CUE, "c"), (RULE, "r")]


def test_offsets_survive_case_folding():
    text = "İstanbul: police arrested two men."
    assert found(matcher("arrested"), text) == ["arrested"]


def test_lexicon_lists_literals():
    m = matcher("blew|blown * up", "arrested")
    assert m.size == 4
    book = Codebook(id="t", version="1", rules=[Rule(id="r", sub_event_type="Arrests", event_type="x",
                                                     patterns=(parse_pattern("blew * up"),))], cues=[])
    assert lexicon(book) == ["blew", "up"]


WORDS = ["police", "arrested", "arrest", "men", "in", "osh", "blew", "up", "himself", "the", "bomb"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(WORDS + [",", ".", "-", "  "]), min_size=1, max_size=30),
       st.lists(st.sampled_from(WORDS), min_size=1, max_size=2))
def test_automaton_agrees_with_a_regular_expression(tokens, phrase):
    """One automaton pass finds exactly what a whole-word regular expression finds, overlapping
    occurrences included ("police police" twice in "police police police")."""
    text = " ".join(tokens)
    pattern = " ".join(phrase)
    expected = [m.group(1) for m in re.finditer(rf"(?=(?<!\w)({re.escape(pattern)})(?!\w))", text)]
    assert found(matcher(pattern), text) == expected
