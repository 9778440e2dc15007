"""Decide which trigger matches survive the codebook's cancel and non-event cues.

Why scopes: "planning to attack" cancels the attack but not the arrest earlier in the same sentence,
while "since the beginning of the year" turns every count in its sentence into an aggregate. Each cue
says how far it reaches (codebooks/acled/cues.yaml); this module only applies that data.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .codebook import Codebook, Cue
from .matching import CUE, Match, count_words

# A cue before a trigger governs it only when no determiner starts a new noun phrase between them:
# "would be arrested" is future; "would investigate the killing of five civilians" reports a killing.
DETERMINER = re.compile(r"\b(?:the|a|an|this|that|these|those|his|her|their|its|our)\b")
# Clause boundaries inside a sentence: punctuation that separates clauses or quotations.
CLAUSE_BREAK = re.compile(r"[;:,()\"\u201c\u201d\u2014]|\s[-\u2013]\s")


@dataclass(frozen=True)
class Decision:
    """A trigger match kept or dropped, with the cue that dropped it (for explanations)."""

    match: Match
    kept: bool
    cue: str = ""
    kind: str = ""


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

    def apply(self, text: str, lo: int, hi: int, triggers: list[Match],
              matches: list[Match]) -> list[Decision]:
        """One decision per trigger; `matches` holds every match in the sentence (cues among them)."""
        cue_hits = [(m, self.cues[m.owner]) for m in sorted(matches, key=lambda m: (m.start, -m.end))
                    if m.group == CUE and m.owner in self.cues]
        if not cue_hits:
            return [Decision(t, True) for t in triggers]
        breaks = clause_bounds(text, lo, hi)
        out = []
        for trig in triggers:
            hit = next((cue for m, cue in cue_hits if self._reaches(cue, m, trig, text, breaks)), None)
            out.append(Decision(trig, hit is None, hit.id if hit else "", hit.kind if hit else ""))
        return out

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
