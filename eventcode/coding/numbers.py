"""Counts stated in words or digits, read the conservative way ACLED reads them.

Why a module of its own: fatalities, arrests and crowd sizes all start from a quantity phrase, and the
same conventions must apply everywhere:

- a range or alternative takes its low end ("seven or eight" 7, "7-8" 7, "between 10 and 15" 10);
- a hedge takes the stated figure ("at least 12", "more than 12", "about 200", "up to 30" -> the figure):
  ACLED codes the figure the source reports and never extrapolates above or below it;
- vague quantities get fixed values. ACLED's fatalities FAQ (acleddata.com knowledge base, "Fatalities",
  2023-2024) fixes 10 for "tens", 12 for "dozens", 100 for "hundreds" "and so on" (1000 for
  "thousands"); words it does not list ("several", "a few", "some", "many") get small values chosen to
  stay below any figure a source could mean. The values are data: the `quantities` mapping of the
  codebook's fatalities section (codebooks/acled/fatalities.yaml), which is also the default here.
- number words are converted by text2num (offline, maintained); calendar-free grammar words (hedges,
  range joiners) are module constants.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from text_to_num import text2num

from ..errors import CodebookError

UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
         "thousand million").split()
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}
# Hedges before a figure: ACLED codes the stated figure, so they change nothing but must be consumed.
HEDGES = ("at least", "at most", "more than", "over", "nearly", "almost", "about", "around", "approximately",
          "roughly", "some", "up to", "as many as", "an estimated", "a total of", "fewer than", "less than",
          "no fewer than", "no less than", "upwards of", "close to", "in excess of", "a further", "another")
RANGE_JOINERS = r"(?:\s*(?:-|–|—|/)\s*|\s+(?:or|to)\s+)"

_WORD = r"(?:" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"
_WORDS = rf"{_WORD}(?:(?:\s+and)?[\s-]+{_WORD})*"
# A figure in digits is not a time, an age, a distance or a percentage.
_NOT_MEASURE = (r"(?![-\s]*(?:year|yr|month|day|week|hour|minute|km|kilomet|mile|met(?:re|er)|kg|kilo|ton|"
                r"a\.?m\b|p\.?m\b|%|per\s?cent|:\d))")
_DIGITS = r"(?<![\d,.])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d,.]\d)"


@dataclass(frozen=True)
class Count:
    """A quantity phrase found in a text: its conservative value and where it is."""

    value: int
    start: int
    end: int
    text: str


class Quantities:
    """The quantity grammar built from a table of vague words (the codebook's `quantities`)."""

    def __init__(self, vague: Mapping[str, int]):
        self.vague = {" ".join(k.lower().split()): int(v) for k, v in vague.items()}
        vague_alt = "|".join(r"\s+".join(map(re.escape, k.split()))
                             for k in sorted(self.vague, key=len, reverse=True))
        number = rf"(?:{_DIGITS}{_NOT_MEASURE}|{_WORDS}(?![\w-]*-year)|an?\s+(?:hundred|thousand|dozen))"
        scaled = rf"(?:(?:{_DIGITS}|{_WORDS})\s+dozen(?!s)|{_DIGITS}\s+(?:hundred|thousand|million)(?!s))"
        vague_scaled = (rf"(?:(?:{vague_alt})\s+(?:dozen|hundred|thousand)(?!s)"
                        r"|(?:tens|dozens|hundreds)\s+of\s+thousands)")
        single = rf"(?:{vague_scaled}|{scaled}|{number}|(?:{vague_alt})\b)"
        hedge = r"(?:(?:" + "|".join(r"\s+".join(h.split()) for h in HEDGES) + r")\s+)"
        # The three shapes of a quantity phrase; each names its figures a and b.
        self._forms = [re.compile(f, re.IGNORECASE) for f in (
            rf"between\s+{hedge}?(?P<a>{single})\s+and\s+{hedge}?(?P<b>{single})",
            rf"from\s+(?P<a>{single})\s+to\s+(?P<b>{single})",
            rf"{hedge}?(?P<a>{single})(?:{RANGE_JOINERS}{hedge}?(?P<b>{single}))?",
        )]
        self.pattern = "(?:" + "|".join(f.pattern.replace("?P<a>", "").replace("?P<b>", "")
                                        for f in self._forms) + ")"
        self._regex = re.compile(rf"(?<![\w-]){self.pattern}(?![\w-])", re.IGNORECASE)

    @classmethod
    def from_mapping(cls, mapping: Any, file: str, key: str = "quantities") -> Quantities:
        """Validate a `quantities` mapping (phrase -> non-negative int) read from a codebook file."""
        if not isinstance(mapping, Mapping) or not mapping:
            raise CodebookError(f"{file}: {key}: expected a non-empty mapping of phrase to count")
        for phrase, value in mapping.items():
            if not isinstance(phrase, str) or not phrase.strip():
                raise CodebookError(f"{file}: {key}: {phrase!r}: a phrase must be a non-empty string")
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise CodebookError(f"{file}: {key}: {phrase}: count must be a non-negative integer, "
                                    f"got {value!r}")
        return cls(mapping)

    def find(self, text: str) -> list[Count]:
        """Every quantity phrase in `text`, left to right, non-overlapping."""
        out = []
        for m in self._regex.finditer(text):
            value = self._value(m.group(0))
            if value is not None:
                out.append(Count(value, m.start(), m.end(), m.group(0)))
        return out

    def parse(self, text: str) -> int | None:
        """The conservative value of the quantity phrase that `text` starts with, or None."""
        m = self._regex.match(text.strip())
        return self._value(m.group(0)) if m else None

    def _value(self, phrase: str) -> int | None:
        # The low end of a range or alternative is the conservative figure.
        for form in self._forms:
            m = form.fullmatch(phrase)
            if m:
                values = [self._single_value(g) for g in m.group("a", "b") if g]
                values = [v for v in values if v is not None]
                return min(values) if values else None
        return None

    def _single_value(self, phrase: str) -> int | None:
        words = " ".join(phrase.lower().replace("-", " ").split())
        if words in self.vague:
            return self.vague[words]
        m = re.fullmatch(r"(tens|dozens|hundreds) of thousands", words)
        if m:
            return self.vague.get(m.group(1), 0) * 1000
        head, _, last = words.rpartition(" ")
        if last in SCALES and head in self.vague:
            return self.vague[head] * SCALES[last]
        if last == "dozen":
            base = 1 if head in ("a", "an") else _number(head)
            return None if base is None else base * 12
        if head in ("a", "an") and last in SCALES:
            return SCALES[last]
        return _number(words)


def _number(words: str) -> int | None:
    digits = words.replace(",", "")
    if digits.isdigit():
        return int(digits)
    parts = words.split()
    if not parts:
        return None
    if parts[-1] in ("million", "thousand", "hundred") and parts[0].replace(",", "").isdigit():
        return int(parts[0].replace(",", "")) * SCALES[parts[-1]]
    try:
        return int(text2num(words, "en"))
    except ValueError:
        # Not one number ("one two"): the first word is the figure that was stated first.
        try:
            return int(text2num(parts[0], "en"))
        except ValueError:
            return None


@functools.cache
def default_quantities() -> Quantities:
    """The quantities of the shipped ACLED codebook (codebooks/acled/fatalities.yaml)."""
    ref = resources.files("eventcode.codebooks").joinpath("acled").joinpath("fatalities.yaml")
    name = "codebooks/acled/fatalities.yaml"
    data = yaml.safe_load(ref.read_text(encoding="utf-8"))
    section = data.get("fatalities") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise CodebookError(f"{name}: fatalities: missing section")
    return Quantities.from_mapping(section.get("quantities"), name, "fatalities.quantities")


def parse_count(text: str, quantities: Quantities | None = None) -> int | None:
    """The conservative number the phrase at the start of `text` states, or None if it states none.

    "seven or eight" 7, "at least 12" 12, "twelve" 12, "dozens" 12, "two hundred and five" 205,
    "1,200" 1200, "a soldier" 1, "no one" 0, "several" 3.
    """
    return (quantities or default_quantities()).parse(text)


def find_counts(text: str, quantities: Quantities | None = None) -> list[Count]:
    """Every quantity phrase in `text` with its conservative value and offsets."""
    return (quantities or default_quantities()).find(text)
