"""Split an article body into paragraphs and sentences with exact character offsets.

Why pysbd: abbreviations ("Gen.", "U.S.", "a.m.") and quotations defeat a naive split on full stops,
and its char_span mode gives offsets we can check against the text (evidence_start/evidence_end).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import pysbd

from .model import Sentence

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A sentence end in plain prose: . ! or ? (maybe a closing quote), space, then a capital or opening quote.
BOUNDARY = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
FULL_STOP = re.compile(r"\.")
WORD_BEFORE = re.compile(r"([\w.]+)\.$")
# Words whose full stop rarely ends a sentence: where one appears, pysbd decides.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen col lt capt sgt maj cpl brig adm st jr sr prof gov sen rep rev no nos vs etc inc "
    "ltd co "
    "corp dept est fig jan feb mar apr jun jul aug sep sept oct nov dec mt ft pp approx ca al".split()
)
LINE_END_PUNCT = ".!?:\"'\u201d)"
# A paragraph longer than this is cut into windows of about WINDOW characters at plain sentence ends
# before pysbd sees it. Why: pysbd rescans its whole input for every abbreviation it finds, so its cost
# grows with the square of the paragraph (one 1 MB page with no paragraph breaks took 505 s).
LONG_PARAGRAPH = 8000
WINDOW = 2000
LOOKBACK = 64


@functools.lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blank lines separate paragraphs; so does a line break after a
    line that ends a sentence or is a short heading (digests list one incident per line).

    A paragraph longer than LONG_PARAGRAPH characters (a page extracted with no paragraph breaks) is
    taken as passages of about WINDOW characters, cut where a sentence plainly ends: every stage then
    works on bounded passages, so coding time grows linearly with the article.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in [*PARAGRAPH_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        spans += _split_lines(text, pos, end)
        pos = m.end() if m else len(text)
    out = []
    for a, b in spans:
        if b - a > LONG_PARAGRAPH:
            out += [(a + lo, a + hi) for lo, hi in _windows(text[a:b])]
        else:
            out.append((a, b))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _split_lines(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out = []
    start = lo
    while True:
        nl = text.find("\n", start, hi)
        if nl < 0:
            break
        line = text[start:nl].rstrip()
        if line and (line[-1] in LINE_END_PUNCT or len(line) < 40):
            out.append((start, nl))
            lo = start = nl + 1
            continue
        start = nl + 1
    out.append((lo, hi))
    # glue hard-wrapped lines back: only the lines above that ended a sentence were split
    return [(a, b) for a, b in out if a < b]


def _plain_spans(chunk: str) -> list[tuple[int, int]] | None:
    """Sentence spans of prose whose every full stop plainly ends a sentence; None when any full stop
    might belong to an abbreviation, initial, number or ellipsis (pysbd then does the work).

    Why: pysbd costs milliseconds per paragraph; most news paragraphs need none of its rules.
    """
    ends = {m.start(): m.end() for m in BOUNDARY.finditer(chunk)}
    tail = len(chunk.rstrip().rstrip("\"'\u201d\u2019)"))
    for m in FULL_STOP.finditer(chunk):
        pos = m.start()
        if pos not in ends and pos != tail - 1:
            return None
        token = _word_before(chunk, pos)
        if token and (len(token) == 1 or "." in token or token.lower() in ABBREVIATIONS):
            return None
    spans, start = [], 0
    for end in sorted(ends.values()):
        spans.append((start, end))
        start = end
    spans.append((start, len(chunk)))
    return spans


def _word_before(chunk: str, pos: int) -> str:
    """The word (letters, digits, dots) that the full stop at `pos` ends, looked for in a few characters
    before it (a search from the paragraph's start for every full stop made splitting quadratic)."""
    lo = max(0, pos - LOOKBACK)
    word = WORD_BEFORE.search(chunk, lo, pos + 1)
    if word is not None and word.start() == lo and lo > 0:  # the word may begin further back
        word = WORD_BEFORE.search(chunk, 0, pos + 1)
    return word.group(1) if word else ""


@functools.lru_cache(maxsize=1)
def _pysbd_abbreviations() -> frozenset[str]:
    from pysbd.lang.english import English

    return frozenset(a.lower() for a in English.Abbreviation.ABBREVIATIONS) | ABBREVIATIONS


def _windows(chunk: str) -> list[tuple[int, int]]:
    """(start, end) windows of a long paragraph, cut only where a sentence plainly ends: a full stop,
    ! or ? after a word that is no abbreviation, initial or number, then a space and a capital."""
    if len(chunk) <= LONG_PARAGRAPH:
        return [(0, len(chunk))]
    abbreviations = _pysbd_abbreviations()
    out, start = [], 0
    while len(chunk) - start > WINDOW * 2:
        cut = None
        for m in BOUNDARY.finditer(chunk, start + WINDOW):
            if chunk[m.start()] == ".":
                token = _word_before(chunk, m.start())
                if not token.isalpha() or len(token) < 2 or token.lower() in abbreviations:
                    continue
            cut = m.end()
            break
        if cut is None:
            break
        out.append((start, cut))
        start = cut
    out.append((start, len(chunk)))
    return out


def split_paragraph(text: str, lo: int, hi: int, paragraph: int, first_index: int = 0) -> list[Sentence]:
    """Sentences of text[lo:hi] with offsets into `text`, surrounding whitespace trimmed."""
    # a line break inside a paragraph is a hard wrap, not a sentence end (same length keeps offsets)
    chunk = text[lo:hi].replace("\n", " ")
    out: list[Sentence] = []
    spans = _plain_spans(chunk)
    if spans is None:
        spans = [(s.start, s.end) for s in _segmenter().segment(chunk)]
    for start, end in spans:
        a, b = lo + start, lo + end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append(Sentence(a, b, text[a:b], paragraph, first_index + len(out)))
    if not out and chunk.strip():
        a = lo + len(chunk) - len(chunk.lstrip())
        b = lo + len(chunk.rstrip())
        out.append(Sentence(a, b, text[a:b], paragraph, first_index))
    return out


def sentences(text: str) -> Iterator[Sentence]:
    """Every sentence of the text, in order."""
    index = 0
    for number, (lo, hi) in enumerate(paragraphs(text)):
        for sent in split_paragraph(text, lo, hi, number, index):
            index += 1
            yield sent
