"""How many people an event killed, read the conservative way ACLED reads reports.

Why rules from data: which verbs mean death, which nouns name which side, and what "dozens" is worth
are coding decisions a team may change; they live in the codebook's `fatalities` section
(codebooks/acled/fatalities.yaml) and this module only applies them.

How figures combine in one event's text (ACLED: "the most conservative estimate available"):
- a list of victims adds up ("killing three policemen and a passer-by" 4);
- a figure marked as further victims adds up ("two attackers were also killed");
- an attacker who dies by his own act adds one ("blew himself up, killing 3" 4);
- otherwise figures are competing reports of the same toll: for the same victim group the lower wins,
  different groups add up, and a figure naming no group competes with that total
  ("officials said 12, residents said 20" 12; "killing 11 villagers ... eleven bodies" 11);
- injuries never count; "no one was killed" is 0 but never cancels a stated death.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ..errors import CodebookError
from .dates import MONTHS, WEEKDAYS, fold_case
from .numbers import UNITS, Quantities

LIST_KEYS = ("active_verbs", "passive_verbs", "auxiliaries", "intransitive", "toll_phrases",
             "reported_figures", "additive_markers", "singular_auxiliaries")
MAPPING_KEYS = ("quantities", "self_phrases", "victim_groups")
SECTION = "fatalities"

# Words that end a victim noun phrase: clause glue and prepositions that introduce circumstances.
NP_STOP = ("and or but nor were was is are had has have been be being who whom which that when while after "
           "before in on at by with as during near from into for to said says say according including than "
           "since until if because where not").split() + list(MONTHS) + list(WEEKDAYS)
# "three soldiers, two of them officers": a later figure "of them" is part of the first, not more victims.
SUBSET = re.compile(r"\s*of\s+(?:them|whom|those|which)\b", re.IGNORECASE)
# "since 2014 civilians were killed": a year after a preposition is not a figure.
YEAR_AFTER_PREPOSITION = re.compile(r"\b(?:in|since|during|until|by|from|of|before|after)\s+$", re.IGNORECASE)
ADVERBS = r"(?:\w+ly|also|later|all|both|then|already|since|subsequently|eventually|soon|thereafter)"
GENERIC = "generic"
QUOTES = re.compile(r"[\"“”«»]")


@dataclass(frozen=True)
class Mention:
    """One stated figure: where, how many, which victims, and whether it adds to the others."""

    start: int
    end: int
    value: int
    groups: frozenset[str]
    additive: bool


def _alt(phrases: list[str]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace."""
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))


class FatalityCounter:
    """Counts the deaths one event's sentence or clause reports, with rules from the codebook."""

    def __init__(self, section: Mapping[str, Any], file: str):
        self.file = file
        self.quantities = Quantities.from_mapping(section["quantities"], file, f"{SECTION}.quantities")
        q = self.quantities.pattern
        # Quantity words end a phrase (the next figure starts) but "of" joins "three of them".
        stop = NP_STOP + UNITS + [w for k in self.quantities.vague for w in k.split() if w != "of"]
        npword = rf"(?!(?:{_alt(stop)})\b)[A-Za-z][\w'’-]*"
        self._np = rf"(?:\s+{npword}){{0,6}}"
        item = rf"{q}{self._np}"
        nplist = rf"(?P<list>{item}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){item})*)"
        aux = _alt(section["auxiliaries"])
        passive = _alt(section["passive_verbs"])
        pre = r"(?<![\w-])"
        # "Five people, including two children, were killed": an aside between the victims and the verb.
        aside = r"(?:\s*,\s*[^,;.]{1,60},)?"
        patterns = [
            # "killing himself and a police officer": the victims after the attacker's own death
            rf"\b(?:{_alt(section['active_verbs'])})\s+(?:(?:him|her|them)sel(?:f|ves),?\s+and\s+)?{nplist}",
            rf"{pre}{nplist}{aside}\s+(?:{ADVERBS}\s+)?(?:{aux})\s+(?:{ADVERBS}\s+){{0,2}}(?:{passive})\b",
            rf"{pre}{nplist}\s+(?:{passive})(?=\s+(?:in|when|as|after|during|while|by|on|at|near|overnight)\b)",
            # "six of the dead were children" names some of the dead, not a toll
            rf"{pre}{nplist}(?<!\bthe){aside}\s+(?:{ADVERBS}\s+)?(?:{_alt(section['intransitive'])})\b",
        ]
        patterns += [self._template(t) for t in section["toll_phrases"]]
        # Compiled on first use: each embeds the quantity grammar, and compiling all of them costs about a
        # second at every start (and in every worker process) while most texts need few of them.
        self._patterns = patterns
        self._compiled: dict[int, re.Pattern[str]] = {}
        # Why: most event clauses state no death. Each figure pattern needs one of its words (a death
        # verb, or the first word of its toll phrase) as a substring; a pattern whose words are absent
        # is not run. A toll phrase of placeholders only gets no filter (None).
        first = [next((t for t in p.split() if not t.startswith("{")), None) for p in section["toll_phrases"]]
        verbs = [section["active_verbs"], section["passive_verbs"], section["passive_verbs"],
                 section["intransitive"]]
        self._needs: list[frozenset[str] | None] = [frozenset(fold_case(v.split()[0]) for v in group)
                                                    for group in verbs]
        self._needs += [frozenset([fold_case(w)]) if w else None for w in first]
        self._singular_needs: frozenset[str] | None = self._needs[1]
        self._words = frozenset().union(*(w for w in self._needs if w))
        self._reported = re.compile(
            rf"\b(?:{_alt(section['reported_figures'])})\s+(?P<list>{q})(?=\s*(?:[,.;:]|$|and\b|while\b|but\b))",
            re.IGNORECASE)
        self._singular = re.compile(
            rf"\b(?:(?:the|its|their)\s+{npword}(?:\s+{npword}){{0,3}}|and|but|who)\s+"
            rf"(?:{_alt(section['singular_auxiliaries'])})"
            rf"\s+(?:{ADVERBS}\s+){{0,2}}(?:{passive})\b", re.IGNORECASE)
        self._self = [(re.compile(rf"\b(?:{_alt([p])})\b", re.IGNORECASE), int(v))
                      for p, v in section["self_phrases"].items()]
        markers = "|".join(rf"\b{re.escape(m)}\b(?!\s+than)" for m in section["additive_markers"])
        self._additive = re.compile(markers, re.IGNORECASE)
        self._groups = {g: re.compile(rf"\b(?:{_alt(words)})", re.IGNORECASE)
                        for g, words in section["victim_groups"].items()}
        death_words = section["active_verbs"] + section["passive_verbs"] + section["intransitive"] + ["toll"]
        self._death_context = re.compile(rf"\b(?:{_alt(death_words)})\b", re.IGNORECASE)

    def _template(self, template: str) -> str:
        parts = []
        for token in template.split():
            if token == "{n}":
                parts.append((r"\s+", rf"(?P<list>{self.quantities.pattern})"))
            elif token == "{np}":
                parts.append(("", self._np))
            elif token == "{gap}":
                parts.append(("", r"(?:\s+[\w'’-]+){0,6}?"))
            else:
                parts.append((r"\s+", re.escape(token)))
        body = "".join(sep + p if i else p for i, (sep, p) in enumerate(parts))
        return rf"(?<![\w-]){body}(?![\w-])"

    @classmethod
    def from_codebook(cls, section: Any, file: str) -> FatalityCounter:
        """Validate the codebook's `fatalities` section and build the counter from it."""
        _validate(section, file)
        try:
            return cls(section, file)
        except re.error as exc:  # a phrase that makes an invalid pattern
            raise CodebookError(f"{file}: {SECTION}: a phrase does not form a valid pattern: {exc}") from exc

    @classmethod
    @functools.cache
    def default(cls) -> FatalityCounter:
        """The counter of the shipped ACLED codebook (codebooks/acled/fatalities.yaml), built once."""
        ref = resources.files("eventcode.codebooks").joinpath("acled").joinpath("fatalities.yaml")
        data = yaml.safe_load(ref.read_text(encoding="utf-8"))
        name = "codebooks/acled/fatalities.yaml"
        if not isinstance(data, dict) or SECTION not in data:
            raise CodebookError(f"{name}: {SECTION}: missing section")
        return cls.from_codebook(data[SECTION], name)

    def mentions(self, text: str) -> list[Mention]:
        """Every death figure stated in `text`, one per distinct figure position."""
        found: dict[int, Mention] = {}
        folded = fold_case(text)
        present = frozenset(w for w in self._words if w in folded)  # each word looked up once
        for i, words in enumerate(self._needs):
            if not _may_match(words, present):
                continue
            for m in self._regex(i).finditer(text):
                mention = self._mention(text, m)
                if mention and mention.start not in found:
                    found[mention.start] = mention
        if found or self._death_context.search(text):
            for m in self._reported.finditer(text):
                mention = self._mention(text, m)
                if mention and mention.start not in found:
                    found[mention.start] = mention
        for m in self._singular.finditer(text) if _may_match(self._singular_needs, present) else ():
            if m.start() not in found:
                additive = bool(self._additive.search(m.group(0)))
                found[m.start()] = Mention(m.start(), m.end(), 1, self._classify(m.group(0)), additive)
        return sorted(found.values(), key=lambda x: x.start)

    def _regex(self, i: int) -> re.Pattern[str]:
        regex = self._compiled.get(i)
        if regex is None:
            try:
                regex = self._compiled[i] = re.compile(self._patterns[i], re.IGNORECASE)
            except re.error as exc:
                raise CodebookError(f"{self.file}: {SECTION}: a phrase does not form a valid pattern: {exc}"
                                    ) from exc
        return regex

    def _mention(self, text: str, m: re.Match[str]) -> Mention | None:
        start, end = m.span("list")
        counts = self.quantities.find(text[start:end])
        if counts and re.fullmatch(r"(?:19|20)\d\d", counts[0].text) and YEAR_AFTER_PREPOSITION.search(
                text[max(0, start - 12):start]):
            counts = counts[1:]
        counts = [c for i, c in enumerate(counts) if i == 0 or not SUBSET.match(text, start + c.end)]
        if not counts:
            return None
        groups = set()
        for i, c in enumerate(counts):
            np_end = counts[i + 1].start if i + 1 < len(counts) else end - start
            groups |= self._classify(text[start + c.end:start + np_end])
        before = text[max(0, m.start() - 25):m.start()].split()[-2:]
        additive = bool(self._additive.search(m.group(0) + " " + " ".join(before)))
        value = sum(c.value for c in counts)
        return Mention(start + counts[0].start, end, value, frozenset(groups), additive)

    def _classify(self, noun_phrase: str) -> frozenset[str]:
        hits = frozenset(g for g, rx in self._groups.items() if rx.search(noun_phrase))
        return hits or frozenset([GENERIC])

    def count(self, text: str) -> int:
        """The most conservative number of deaths `text` (one event's sentence or clause) reports."""
        text = QUOTES.sub(" ", text)  # 'killing "at least five" militiamen'; same length keeps offsets
        mentions = self.mentions(text)
        attackers = sum(v for rx, v in self._self for _ in rx.finditer(text))
        if attackers or any(m.value for m in mentions):
            mentions = [m for m in mentions if m.value]
        extra = attackers + sum(m.value for m in mentions if m.additive)
        # Figures whose victim groups overlap report the same deaths: the lowest of them stands.
        clusters: list[tuple[set[str], int]] = []
        generic: int | None = None
        for m in mentions:
            if m.additive:
                continue
            if m.groups == {GENERIC}:
                generic = m.value if generic is None else min(generic, m.value)
                continue
            keys, value = set(m.groups), m.value
            for c in [c for c in clusters if c[0] & keys]:
                clusters.remove(c)
                keys, value = keys | c[0], min(value, c[1])
            clusters.append((keys, value))
        base = sum(v for _, v in clusters)
        if generic is not None:
            base = min(base, generic) if clusters else generic
        return base + extra


def _may_match(words: frozenset[str] | None, present: frozenset[str]) -> bool:
    """False when a pattern needing one of `words` cannot match a text holding only `present`."""
    return words is None or not words.isdisjoint(present)


def _validate(section: Any, file: str) -> None:
    """Raise CodebookError naming the file and key for anything the counter cannot use."""
    if not isinstance(section, Mapping):
        raise CodebookError(f"{file}: {SECTION}: expected a mapping, got {type(section).__name__}")
    unknown = set(section) - set(LIST_KEYS) - set(MAPPING_KEYS)
    if unknown:
        raise CodebookError(f"{file}: {SECTION}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                            f"expected {', '.join(LIST_KEYS + MAPPING_KEYS)}")
    for key in LIST_KEYS + MAPPING_KEYS:
        if key not in section:
            raise CodebookError(f"{file}: {SECTION}.{key}: missing")
    for key in LIST_KEYS:
        value = section[key]
        if not isinstance(value, list) or not value:
            raise CodebookError(f"{file}: {SECTION}.{key}: expected a non-empty list of phrases")
        for i, phrase in enumerate(value):
            if not isinstance(phrase, str) or not phrase.strip():
                raise CodebookError(f"{file}: {SECTION}.{key}[{i}]: expected a non-empty string, "
                                    f"got {phrase!r}")
    for i, template in enumerate(section["toll_phrases"]):
        if template.split().count("{n}") != 1:
            raise CodebookError(f"{file}: {SECTION}.toll_phrases[{i}]: {template!r} must contain {{n}} "
                                "exactly once")
        stray = re.findall(r"\{[^}]*\}", re.sub(r"\{(?:n|np|gap)\}", "", template))
        if stray:
            raise CodebookError(f"{file}: {SECTION}.toll_phrases[{i}]: unknown placeholder {stray[0]}; "
                                "use {n} (the figure), {np} (the victims) and {gap} (any few words)")
    selfs = section["self_phrases"]
    if not isinstance(selfs, Mapping) or not selfs:
        raise CodebookError(f"{file}: {SECTION}.self_phrases: expected a mapping of phrase to count")
    for phrase, value in selfs.items():
        if not isinstance(phrase, str) or isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise CodebookError(f"{file}: {SECTION}.self_phrases: {phrase}: expected a positive integer "
                                f"count, got {value!r}")
    groups = section["victim_groups"]
    if not isinstance(groups, Mapping) or not groups:
        raise CodebookError(f"{file}: {SECTION}.victim_groups: expected a mapping of group to nouns")
    for group, words in groups.items():
        if group == GENERIC:
            raise CodebookError(f"{file}: {SECTION}.victim_groups: {GENERIC}: reserved for figures naming "
                                "no group")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip()
                                                                for w in words):
            raise CodebookError(f"{file}: {SECTION}.victim_groups.{group}: expected a non-empty list of "
                                "nouns")
