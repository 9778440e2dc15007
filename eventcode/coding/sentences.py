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


@functools.lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blank lines separate paragraphs; so does a line break after a
    line that ends a sentence or is a short heading (digests list one incident per line)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in [*PARAGRAPH_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        spans += _split_lines(text, pos, end)
        pos = m.end() if m else len(text)
    return [(a, b) for a, b in spans if text[a:b].strip()]


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
        word = WORD_BEFORE.search(chunk, 0, pos + 1)
        token = word.group(1) if word else ""
        if token and (len(token) == 1 or "." in token or token.lower() in ABBREVIATIONS):
            return None
    spans, start = [], 0
    for end in sorted(ends.values()):
        spans.append((start, end))
        start = end
    spans.append((start, len(chunk)))
    return spans


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
