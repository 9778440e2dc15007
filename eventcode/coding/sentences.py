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


def split_paragraph(text: str, lo: int, hi: int, paragraph: int, first_index: int = 0) -> list[Sentence]:
    """Sentences of text[lo:hi] with offsets into `text`, surrounding whitespace trimmed."""
    chunk = text[lo:hi]
    out: list[Sentence] = []
    # a line break inside a paragraph is a hard wrap, not a sentence end (same length keeps offsets)
    for span in _segmenter().segment(chunk.replace("\n", " ")):
        a, b = lo + span.start, lo + span.end
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
