"""Give a text without case (an archive stored lower-case, a wire in capitals) the capitals it lost.

Why: the coder reads places, months and weekdays as proper names ("Kisumu", not a lower-case word that
happens to be a village somewhere; "May 12", not the verb "may"). Lower-casing the coder's rules would
trade that precision away for every normally cased article; restoring the capitals of the few texts
that lack them keeps it. Only the case of letters changes, never the length, so every offset into the
restored text is an offset into the original.

What gets a capital: the first letter of each sentence; weekdays; months (the verbs "may" and "march"
only next to a day, a year or a date word); countries and demonyms; and the gazetteer's other names when
they are rare as English words (word frequencies from `wordfreq`), or somewhat rare and written where
a place stands ("in kisumu", "kunduz province").
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from .gazetteer import Gazetteer, fold, name_key, words

MIN_WORDS = 5
CASED_SHARE = 0.02  # below this share of capitalised words a text has lost its case
CAPS_SHARE = 0.6  # above this share of words in capitals a text is written in capitals
# Zipf frequencies (log10 of uses per billion words): "police" 5.3, "paris" 4.8, "nairobi" 3.5.
RARE = 3.3  # a name this rare in English is a name wherever it stands
PLACE_CUE_RARE = 4.9  # ... and one this rare after "in" or "at" ("in kisumu", "in paris")
NEAR_CUE_RARE = 4.45  # ... or after another place word ("near moscow"; not "a nearby rice field")
STRONG_CUES = {"in", "at"}
TYPED_RARE = 5.6  # ... and a unit named with its type word after it ("far north region", "upper nile state")
COUNTRY_RARE = 5.3  # "chad", "america": a country name unless it is among the commonest words
UNKNOWN = 2.5  # a word this rare is no English word: before "district" or after "in" it is a name
ACRONYM_RARE = 3.5  # "drc", "uae" are acronyms; "car", "us" are words

WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
MONTHS = {"january", "february", "april", "june", "july", "august", "september", "october", "november",
          "december"}
VERB_MONTHS = {"may", "march"}
# abbreviations, capitalised next to a day number ("mon 3 sep", "sep 3")
SHORT_DATES = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
               "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}
DATE_NEIGHBOURS = {"in", "on", "since", "of", "early", "mid", "late", "last", "this", "next", "until", "by",
                   "from", "end", "beginning", "during", "between"}
# place cue words that stand before verbs and common nouns as often as before names ("to carry out")
WEAK_CUES = {"to", "of", "on"}
PARTICLES = {"de", "du", "des", "la", "le", "les", "el", "al", "di", "da", "do", "dos", "das"}
# A wire dateline opening the text: "nairobi, june 24 (reuters) -", "ouagadougou --". Wires write the city in
# capitals, which is how the place stage tells where the report was filed from where the event was.
_DATELINE = re.compile(r"\A(\s*)([^\W\d_][^\W\d_'.]*(?: [^\W\d_][^\W\d_'.]*){0,2})"
                       r"((?:,[^\n,]{1,40})?\s+(?:-|--|\u2013|\u2014)\s)")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SENTENCE_START = re.compile(r"(?:\A|[.!?][\"'”’)\]]*\s+|\n\s*|:\s+|\u2013\s+|\u2014\s+|--\s+)([^\W\d_])")


SAMPLE = 3000  # characters read to tell: an archive loses its case throughout, not halfway


def caseless(text: str) -> bool:
    """Whether `text` has lost its case: almost no capitalised words, or almost all in capitals."""
    tokens = [w for w in _WORD.findall(text, 0, SAMPLE) if len(w) > 1]
    if len(tokens) < MIN_WORDS:
        return False
    capitalised = sum(w[0].isupper() for w in tokens)
    capitals = sum(w.isupper() for w in tokens)
    return capitalised / len(tokens) < CASED_SHARE or capitals / len(tokens) > CAPS_SHARE


@cache
def _zipf(phrase: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(phrase, "en", wordlist="small")


class TrueCaser:
    """Restores capitals with the gazetteer's names and its place cue words."""

    def __init__(self, gazetteer: Gazetteer, acronyms: frozenset[str] = frozenset()):
        self.gaz = gazetteer
        # an actor's acronym ("adf" -> "ADF") when it is no English word ("is", "us" stay words)
        self._acronyms = {a.lower(): a for a in acronyms if a.isalpha() and _zipf(a.lower()) < ACRONYM_RARE}
        conv = gazetteer.conventions
        self._before = {name_key(w) for key in ("locative_before", "near_before") for w in conv[key]}
        self._before -= WEAK_CUES
        self._after = {name_key(w) for key in ("type_words", "district_words") for w in conv[key]}

    def restore(self, text: str) -> str:
        """`text` with its capitals restored (the same length, letter for letter)."""
        base = _lower(text) if _mostly_capitals(text) else text
        chars = list(base)
        dateline = _DATELINE.match(base)
        if dateline:
            for k in range(dateline.start(2), dateline.end(2)):
                _capitalise(chars, k)
        for m in _SENTENCE_START.finditer(base):
            _capitalise(chars, m.start(1))
        folded = fold(base)
        toks = words(folded)
        for i, tok in enumerate(toks):
            word = tok.group()
            prev = toks[i - 1].group() if i else ""
            nxt = toks[i + 1].group() if i + 1 < len(toks) else ""
            numbered = prev.isdigit() or nxt.isdigit()
            if word in self._acronyms:
                for k, c in enumerate(self._acronyms[word]):
                    if c.isupper():
                        _capitalise(chars, tok.start() + k)
                continue
            if word in WEEKDAYS or word in MONTHS or (
                    word in VERB_MONTHS and (prev in DATE_NEIGHBOURS or numbered)) or (
                    word in SHORT_DATES and numbered):
                _capitalise(chars, tok.start())
            elif word.isalpha() and len(word) > 3 and _zipf(word) < UNKNOWN and (
                    prev in self._before or nxt in self._after or base[tok.start() - 1:tok.start()] in "(-"):
                # "in sabiid", "hodan district", "(logone-et-chari)": a name the index lacks
                _capitalise(chars, tok.start())
        starts = [t.start() for t in toks]
        for start, end, (countries, demonyms, _admin1s, _towns) in self.gaz.find(folded):
            i, j = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
            before = toks[i - 1].group() if i else ""
            after = toks[j].group() if j < len(toks) else ""
            phrase = folded[start:end]
            if len(phrase) <= 3:  # a country's acronym ("drc"), never a word ("car", "us"); "osh", "gao"
                if countries and _zipf(phrase) < ACRONYM_RARE:
                    for k in range(start, end):
                        _capitalise(chars, k)
                elif not countries and _zipf(phrase) < UNKNOWN and (
                        before in self._before or before in WEAK_CUES or after in self._after):
                    _capitalise(chars, start)
            elif self._is_name(phrase, before, after, bool(countries or demonyms)):
                for w in words(phrase):
                    _capitalise(chars, start + w.start())
        self._name_tails(chars, toks)
        return "".join(chars)

    @staticmethod
    def _name_tails(chars: list[str], toks: list[re.Match]) -> None:
        """The rest of a name after a particle or an elided article: "Petite-Riviere de l'artibonite" ->
        "de l'Artibonite", "Bouche du ..." (only words rare in English, after a capitalised name)."""
        for i in range(1, len(toks)):
            word, prev = toks[i].group(), toks[i - 1]
            offset = 2 if word[:2] in ("l'", "d'") else 0
            tail = word[offset:]
            if len(tail) <= 3 or not tail.isalpha() or _zipf(tail) >= UNKNOWN:
                continue
            after_name = bool(offset) and chars[prev.start()].isupper()
            after_particle = prev.group() in PARTICLES and i >= 2 and chars[toks[i - 2].start()].isupper()
            if after_name or after_particle:
                _capitalise(chars, toks[i].start() + offset)

    def _is_name(self, phrase: str, before: str, after: str, country: bool) -> bool:
        """Whether a gazetteer name found in the folded text is written there as a name."""
        rarity = _zipf(phrase)
        if country:
            return rarity < COUNTRY_RARE
        if rarity < RARE:
            return True
        if after in self._after:
            return rarity < TYPED_RARE
        if before in STRONG_CUES:
            return rarity < PLACE_CUE_RARE
        return before in self._before and rarity < NEAR_CUE_RARE


def _mostly_capitals(text: str) -> bool:
    tokens = [w for w in _WORD.findall(text, 0, SAMPLE) if len(w) > 1]
    return bool(tokens) and sum(w.isupper() for w in tokens) / len(tokens) > CAPS_SHARE


def _lower(text: str) -> str:
    """Lower-case without changing the length (a few letters lower-case to two)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _capitalise(chars: list[str], i: int) -> None:
    up = chars[i].upper()
    if len(up) == 1 and up.lower() == chars[i]:  # "µ" upper-cases to a Greek letter: left alone
        chars[i] = up
