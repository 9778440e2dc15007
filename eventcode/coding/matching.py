"""Find every codebook phrase in an article with one Aho-Corasick pass.

Why one automaton: a codebook has hundreds of phrases; running one regular expression per rule per
sentence would cost (rules x sentences). The automaton finds every literal word sequence of every
pattern in a single pass over the lower-cased text; phrases with gaps ("blew * up") are then verified
from the literal hits, inside one sentence.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from .codebook import Codebook, Pattern

WORD_RE = re.compile(r"\w+")
# A gap never crosses clause punctuation: "was killed, and six people were injured" is no "killed * people".
GAP_STOP = re.compile(r"[,;:.!?()\"\u201c\u201d]")
# groups of patterns an owner can have
RULE, CUE, REQUIRES, EXCLUDES = "rule", "cue", "requires", "excludes"


@dataclass(frozen=True)
class Match:
    """One pattern found: which owner (rule or cue) and group it belongs to, and where."""

    group: str
    owner: str
    start: int
    end: int
    pattern: str


@dataclass(frozen=True)
class _Entry:
    group: str
    owner: str
    pattern: Pattern


def lower_same_length(text: str) -> str:
    """Lower-case without changing offsets (a few characters lower-case to two) and unify apostrophes."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.replace("\u2019", "'").replace("\u2018", "'")


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


class Matcher:
    """The codebook's lexicon compiled into one automaton; `scan` then `find` per sentence."""

    def __init__(self, entries: list[_Entry]):
        self.entries = entries
        table: dict[str, list[tuple[int, int, bool]]] = defaultdict(list)
        for index, entry in enumerate(entries):
            for seg in range(len(entry.pattern.segments)):
                for literal, is_prefix in entry.pattern.literals(seg):
                    table[literal].append((index, seg, is_prefix))
        self.automaton = ahocorasick.Automaton()
        for literal, values in table.items():
            self.automaton.add_word(literal, (len(literal), tuple(values)))
        if table:
            self.automaton.make_automaton()
        self.size = len(table)

    @classmethod
    def from_codebook(cls, book: Codebook) -> Matcher:
        entries: list[_Entry] = []
        for rule in book.rules:
            entries += [_Entry(RULE, rule.id, p) for p in rule.patterns]
            entries += [_Entry(REQUIRES, rule.id, p) for p in rule.requires]
            entries += [_Entry(EXCLUDES, rule.id, p) for p in rule.excludes]
        for cue in book.cues:
            entries += [_Entry(CUE, cue.id, p) for p in cue.patterns]
        return cls(entries)

    def scan(self, lowered: str) -> Hits:
        """All literal hits on whole-word boundaries, in one pass over the (lower-cased) text."""
        out: list[tuple[int, int, int, int]] = []  # start, end, entry, segment
        if not self.size:
            return Hits(out)
        n = len(lowered)
        for last, (length, values) in self.automaton.iter(lowered):
            start, end = last - length + 1, last + 1
            if start > 0 and lowered[start - 1].isalnum():
                continue
            right_ok = end >= n or not lowered[end].isalnum()
            for index, seg, is_prefix in values:
                if right_ok:
                    out.append((start, end, index, seg))
                elif is_prefix:  # the hit covers the whole word the prefix begins
                    word_end = end
                    while word_end < n and lowered[word_end].isalnum():
                        word_end += 1
                    out.append((start, word_end, index, seg))
        out.sort()
        return Hits(out)

    def find(self, hits: Hits, lowered: str, lo: int, hi: int) -> list[Match]:
        """Patterns fully matched inside [lo, hi) (one sentence), gaps verified.

        Only patterns whose first segment occurs are assembled: a later segment's common words ("at",
        "by", "to" after a gap) occur in most sentences and begin nothing."""
        rows = hits.within(lo, hi)
        anchored = {index for _s, _e, index, seg in rows if seg == 0}
        by_entry: dict[int, list[list[tuple[int, int]]]] = {}
        for start, end, index, seg in rows:
            if index not in anchored:
                continue
            segs = by_entry.get(index)
            if segs is None:
                segs = by_entry[index] = [[] for _ in self.entries[index].pattern.segments]
            segs[seg].append((start, end))
        out = []
        for index, segs in by_entry.items():
            entry = self.entries[index]
            for start, end in _verify(segs, entry.pattern.gaps, lowered):
                out.append(Match(entry.group, entry.owner, start, end, entry.pattern.source))
        out.sort(key=lambda m: (m.start, m.end))
        return out


class Hits:
    """Literal hits sorted by start, so one sentence's hits are a slice."""

    def __init__(self, rows: list[tuple[int, int, int, int]]):
        self.rows = rows
        self.starts = [r[0] for r in rows]
        self.anchors = [r[0] for r in rows if r[3] == 0]  # hits that can begin a pattern

    def any_from(self, lo: int, hi: int) -> bool:
        """Whether a pattern can begin inside [lo, hi) (cheap: most sentences hold none)."""
        i = bisect.bisect_left(self.anchors, lo)
        return i < len(self.anchors) and self.anchors[i] < hi

    def within(self, lo: int, hi: int) -> Sequence[tuple[int, int, int, int]]:
        i = bisect.bisect_left(self.starts, lo)
        j = bisect.bisect_left(self.starts, hi)
        return [r for r in self.rows[i:j] if r[1] <= hi]

    def __len__(self) -> int:
        return len(self.rows)


def _verify(segs: list[list[tuple[int, int]]], gaps: tuple[int, ...], text: str) -> list[tuple[int, int]]:
    """Chain segment hits left to right, each following the last within its gap of words."""
    if any(not s for s in segs):
        return []
    if len(segs) == 1:
        return list(dict.fromkeys(segs[0]))
    found = []
    for start, end in segs[0]:
        cur = end
        for seg_hits, gap in zip(segs[1:], gaps, strict=True):
            nxt = next((h for h in seg_hits if h[0] >= cur and _gap_ok(text[cur:h[0]], gap)), None)
            if nxt is None:
                break
            cur = nxt[1]
        else:
            found.append((start, cur))
    return found


def _gap_ok(between: str, gap: int) -> bool:
    return count_words(between) <= gap and not GAP_STOP.search(between)


def lexicon(book: Codebook) -> list[str]:
    """Every literal phrase of the codebook (for benchmarks and `codebook show`)."""
    literals: set[str] = set()
    for group in (book.rules, book.cues):
        for owner in group:
            for pattern in owner.patterns:
                for seg in range(len(pattern.segments)):
                    literals.update(lit for lit, _ in pattern.literals(seg))
    return sorted(literals)

