"""Decide which trigger matches survive the codebook's cancel and non-event cues.

Why scopes: "planning to attack" cancels the attack but not the arrest earlier in the same sentence,
while "since the beginning of the year" turns every count in its sentence into an aggregate. Each cue
says how far it reaches (codebooks/acled/cues.yaml); this module only applies that data.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from .codebook import Codebook, Cue
from .matching import CUE, Match, count_words

# A cue before a trigger governs it only when no determiner starts a new noun phrase between them:
# "would be arrested" is future; "would investigate the killing of five civilians" reports a killing.
DETERMINER = re.compile(r"\b(?:the|a|an|this|that|these|those|his|her|their|its|our)\b")
# Clause boundaries inside a sentence: punctuation that separates clauses or quotations.
CLAUSE_BREAK = re.compile(r"[;:,()\"\u201c\u201d\u2014]|\s[-\u2013]\s")
# A clause this short ("and on Monday") introduces the clause after it rather than standing alone.
LEAD_IN_WORDS = 4


@dataclass(frozen=True)
class Decision:
    """A trigger match kept or dropped, with the cue that dropped it (for explanations)."""

    match: Match
    kept: bool
    cue: str = ""
    kind: str = ""
    # For a trigger a `spares_dated_clause` cue let through: the clause (offsets) that dates it.
    region: tuple[int, int] | None = None


def clause_bounds(text: str, lo: int, hi: int) -> list[int]:
    """Sorted offsets of clause breaks inside text[lo:hi]."""
    return [m.start() for m in CLAUSE_BREAK.finditer(text, lo, hi)]


def _governs(between: str, window: int) -> bool:
    return count_words(between) <= window and not DETERMINER.search(between)


def _clause_index(breaks: list[int], pos: int) -> int:
    return bisect.bisect_right(breaks, pos)


class CueFilter:
    """Applies cues to the trigger matches of one sentence."""

    def __init__(self, cues: list[Cue]):
        self.cues = {c.id: c for c in cues}

    @classmethod
    def from_codebook(cls, book: Codebook) -> CueFilter:
        return cls(book.cues)

    def apply(self, text: str, lo: int, hi: int, triggers: list[Match], matches: list[Match],
              dated: Callable[[int, int], bool] | None = None) -> list[Decision]:
        """One decision per trigger; `matches` holds every match in the sentence (cues among them).

        `dated(lo, hi)` tells whether text[lo:hi] states a date: a cue marked `spares_dated_clause`
        does not reach a trigger whose own clause states a date and lies outside the cue's clause
        ("a court sentenced two men, while in Naryn police detained four protesters on Tuesday").
        """
        cue_hits = [(m, self.cues[m.owner]) for m in sorted(matches, key=lambda m: (m.start, -m.end))
                    if m.group == CUE and m.owner in self.cues]
        if not cue_hits:
            return [Decision(t, True) for t in triggers]
        breaks = clause_bounds(text, lo, hi)
        out = []
        for trig in triggers:
            region = None
            hit = None
            for m, cue in cue_hits:
                if not self._reaches(cue, m, trig, text, breaks):
                    continue
                spared = self._spared(cue, m, trig, text, lo, hi, breaks, dated)
                if spared is None:
                    hit = cue
                    break
                region = spared
            out.append(Decision(trig, hit is None, hit.id if hit else "", hit.kind if hit else "",
                                None if hit else region))
        return out

    @staticmethod
    def _spared(cue: Cue, m: Match, trig: Match, text: str, lo: int, hi: int, breaks: list[int],
                dated: Callable[[int, int], bool] | None) -> tuple[int, int] | None:
        """The trigger's own dated clause when the cue spares it, else None.

        Why: a sentence-wide cue (a trial, an aggregate, a press conference) describes its own clause;
        another clause with a date of its own reports a separate act. The clause takes in short lead-in
        clauses before it ("and on Monday, gunmen killed ..."), never the cue's.
        """
        if not cue.spares_dated_clause or dated is None:
            return None
        index = _clause_index(breaks, trig.start)
        if index == _clause_index(breaks, m.start):
            return None
        bounds = [lo, *(b + 1 for b in breaks), hi]
        start, end = bounds[index], bounds[index + 1]
        while index > 0 and _clause_index(breaks, m.start) != index - 1 and \
                count_words(text[bounds[index - 1]:bounds[index]]) <= LEAD_IN_WORDS:
            index -= 1
            start = bounds[index]
        if start <= m.start < end or not dated(start, end):
            return None
        return start, end

    @staticmethod
    def _reaches(cue: Cue, m: Match, trig: Match, text: str, breaks: list[int]) -> bool:
        if cue.scope == "sentence":
            return True
        same_clause = _clause_index(breaks, m.start) == _clause_index(breaks, trig.start)
        if not same_clause:
            return False
        if cue.scope == "clause":
            return True
        if cue.scope == "before":
            if m.start > trig.start:
                return False
            return m.end >= trig.start or _governs(text[m.end:trig.start], cue.window)
        # after
        if m.end <= trig.end:
            return False
        return m.start <= trig.end or count_words(text[trig.end:m.start]) <= cue.window
