"""Who acted and who was targeted: actor1 / actor2 named ACLED's way from the words around a trigger.

Why data-driven: the words for actors, ACLED's names for them, the government periods of state forces and
the defaults ACLED uses when a report names no one are codebook data (codebooks/acled/actors.yaml and
state_forces.yaml); this module only reads the sentence's shape: who stands before the trigger (the
subject acts), who after it (the target), and "by X" in the passive ("were arrested by police").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from eventcode.coding.model import Actor
from eventcode.errors import CodebookError

_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|reported|reports|told|claimed|announced|stated|confirmed|according to"
    r"|found|discovered|recovered|retrieved)\b(?: that)?",
    re.I,
)
# A report of the event ("..., police said", "..., according to the army", "..., said a spokesman"): its
# speaker is the source, never a side of the event.
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|reported|reports|according to|claimed|stated|confirmed|announced|added"
    r"|quoted|citing)\b",
    re.I,
)
_FINDING = re.compile(r"(?:found|discovered|recovered|retrieved|unearthed)\b", re.I)
_PRONOUN_AFTER = re.compile(r"^\s*(?:that\s+)?(?:it|they|its|their)\b", re.I)
_BETWEEN = re.compile(r"\bbetween\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:]|\s[-\u2013\u2014]\s|\b(?:while|whereas|after|before|when)\b", re.I)
_JOINED = re.compile(r"^\s*(?:,|and|, and|together with|alongside|with|backed by|supported by)\s+(?:the\s+)?"
                     r"(?:[\w-]+\s+){0,2}$", re.I)
_PLACE_PREPOSITIONS = {
    "in", "at", "from", "to", "across", "of", "near", "into", "inside", "throughout", "over", "within",
    "outside", "around",
}
_NAMES_FILE = Path(__file__).parent / "data" / "gazetteer_names.yaml"


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    kind: str | None  # a generic kind, or None for a named group
    group: int | None  # index into groups
    country: str | None = None  # a country named as an actor ("the United States fired")


@dataclass(frozen=True)
class _Group:
    name: str
    inter: str
    state_from: dict[str, date]


class ActorResolver:
    """Names actor1 and actor2 of an event from its sentence, with ACLED's defaults."""

    def __init__(self, section: dict[str, Any], state_forces: dict[str, Any], *, file: str = "actors.yaml",
                 state_file: str = "state_forces.yaml", inter_names: list[str] | None = None,
                 countries: list[str] | None = None):
        if inter_names is None or countries is None:
            from eventcode.schema import load_schema

            schema = load_schema()
            inter_names = inter_names or list(schema.inter_names)
            countries = countries or schema.countries["country"].tolist()
        self._countries = set(countries)
        self.kinds = _check_kinds(section, file, set(inter_names))
        self.groups, group_words = _check_groups(section, file, set(inter_names), self._countries)
        self.sub_events = _check_sub_events(section, file, set(self.kinds))
        # kinds that are only ever targets (civilians): a subject of that kind is not the one who acted
        self._target_only = frozenset(k for k, spec in self.kinds.items() if spec.get("target_only"))
        self.periods = _check_periods(state_forces, state_file, self._countries)
        article = section.get("with_article") or []
        if not isinstance(article, list) or set(article) - self._countries:
            raise CodebookError(f"{file}: actors.with_article: must list ACLED country names")
        self._with_article = set(article)
        passive = section.get("passive") or []
        if not isinstance(passive, list):
            raise CodebookError(f"{file}: actors.passive: must be a list of words")
        self._passive = {str(w).lower() for w in passive}
        generic = section.get("generic")
        if not isinstance(generic, dict):
            raise CodebookError(f"{file}: actors.generic: must map kinds to lists of words")
        self._matchers = _compile(generic, group_words, file, set(self.kinds))
        # acronyms written in capitals ("ADF", "JNIM", "CTD"): what a text stored without case lost
        self.acronyms = frozenset(a for _i, _aliases, acronyms in group_words for a in acronyms) | \
            frozenset(str(w) for words in generic.values() for w in words if str(w).isupper())
        self._nation, self._nation_of = _nationality_patterns(self._countries)

    @classmethod
    def from_codebook(cls, codebook: Any) -> ActorResolver:
        """Build from a loaded codebook (its raw `actors` and `state_forces` sections)."""
        return cls(dict(codebook.actors or {}), dict(codebook.state_forces or {}),
                   file=codebook.section_file("actors"), state_file=codebook.section_file("state_forces"))

    # ------------------------------------------------------------------ naming

    def state_name(self, kind: str, country: str, on: date | None) -> str:
        """'Police Forces of Kazakhstan (1991-2019)'; no period when the country or date is not covered."""
        period = ""
        for start, end, label in self.periods.get(country, []):
            if on is not None and start <= on and (end is None or on < end):
                period = f" ({label})"
                break
        shown = f"the {country}" if country in self._with_article else country
        return self.kinds[kind]["name"].format(country=shown, period=period)

    def actor(self, kind: str, country: str, event_country: str, on: date | None) -> Actor:
        spec = self.kinds[kind]
        if spec.get("state"):
            inter = spec["inter"] if country == event_country else "External/Other forces"
            return Actor(self.state_name(kind, country, on), inter)
        return Actor(spec["name"].format(country=event_country, period=""), spec["inter"])

    def _group_actor(self, g: int, event_country: str, on: date | None) -> Actor:
        group = self.groups[g]
        for country, since in group.state_from.items():
            if on is not None and on >= since:
                return self.actor("military", country, event_country, on)
        return Actor(group.name.format(country=event_country), group.inter)

    # ------------------------------------------------------------------ mentions

    def mentions(self, text: str) -> list[_Mention]:
        """Actor words in `text`: named groups first where they overlap generic words."""
        found: list[_Mention] = []
        for pattern, kind, group in self._matchers:
            for m in pattern.finditer(text):
                found.append(_Mention(m.start(), m.end(), kind, group))
        for m in self._nation.finditer(text):
            if not m.group()[0].isupper():
                continue
            prev = text[max(0, m.start() - 12):m.start()].lower().split()
            located = bool(prev) and prev[-1] in _PLACE_PREPOSITIONS  # "in Afghanistan" is a place
            found.append(_Mention(m.start(), m.end(), "place" if located else None, None,
                                  self._country_of(m.group())))
        found.sort(key=lambda x: (x.start, -(x.end - x.start), x.group is None))
        out: list[_Mention] = []
        for m in found:
            if out and m.start < out[-1].end:
                continue
            out.append(m)
        return out


    def _country_of(self, word: str) -> str:
        key = word.lower().removesuffix("'s").removesuffix("’s")
        return self._nation_of[key]

    # ------------------------------------------------------------------ resolve

    def resolve(self, text: str, trigger_start: int, trigger_end: int, *, sub_event_type: str, country: str,
                event_date: date | None, roles: dict | None = None) -> tuple[Actor, Actor | None]:
        """actor1 (who acts) and actor2 (the target, or None) of the event the trigger reports."""
        roles = roles or {"subject": "actor1", "object": "actor2"}
        rules = self.sub_events.get(sub_event_type, self.sub_events["default"])
        mentions = self.mentions(text)
        subject, obj = self._subject_object(text, mentions, trigger_start, trigger_end)
        slot = {"actor1": None, "actor2": None}
        for role, found in (("subject", subject), ("object", obj)):
            target = roles.get(role)
            if target in slot and found is not None and slot[target] is None:
                slot[target] = found
        if slot["actor1"] is None:
            slot["actor1"] = self._by_agent(text, mentions, trigger_end)
        self._state_side_of_a_fixed_actor1(slot, text, sub_event_type, rules, country, event_date)
        actors: dict[str, Actor | None] = {}
        for name in ("actor1", "actor2"):
            fixed = rules.get(f"{name}_fixed")
            if fixed:
                actors[name] = self.actor(fixed, country, country, event_date)
                continue
            found = slot[name]
            if found is not None:
                region, chosen = found
                actor = self._name(chosen, region, text, sub_event_type, rules, country, event_date)
                assoc = self._associates(chosen, region, text, sub_event_type, rules, country, event_date)
                actors[name] = Actor(actor.name, actor.inter, tuple(a for a in assoc if a != actor.name))
            elif rules.get(name):
                actors[name] = self.actor(rules[name], country, country, event_date)
            else:
                actors[name] = None
        actor1 = actors["actor1"] or self.actor("armed_group", country, country, event_date)
        actor2 = actors["actor2"]
        if actor2 is not None and actor2.name == actor1.name:
            actor2 = None
        return actor1, actor2

    def _state_side_of_a_fixed_actor1(self, slot: dict, text: str, sub_event_type: str, rules: dict,
                                      country: str, event_date: date | None) -> None:
        """A protest's actor1 is always the protesters: state forces the text puts first ("police used
        tear gas to disperse protesters") are the other side, actor2, unless the text names one there."""
        fixed = rules.get("actor1_fixed")
        if not fixed or slot["actor1"] is None or rules.get("actor2_fixed"):
            return
        region, chosen = slot["actor1"]
        first = self._name(chosen, region, text, sub_event_type, rules, country, event_date)
        if first.inter not in ("State forces", "External/Other forces"):
            return
        fixed_name = self.actor(fixed, country, country, event_date).name
        other = slot["actor2"]
        # the people the forces acted against are the protesters themselves ("to disperse traders")
        named = None if other is None else self._name(other[1], other[0], text, sub_event_type, rules,
                                                      country, event_date)
        if named is None or named.name == fixed_name or named.inter == "Civilians":
            slot["actor2"] = slot["actor1"]

    def _subject_object(self, text: str, mentions: list[_Mention], t_start: int, t_end: int):
        """(region, mention) of the acting side and of the target, reading voice around the trigger."""
        clause_start = 0
        for m in _CLAUSE_BREAK.finditer(text, 0, t_start):
            clause_start = m.end()
        before = [m for m in mentions if clause_start <= m.start and m.end <= t_start]
        inside = [m for m in mentions if m.start >= t_start and m.end <= t_end]
        after_end = len(text)
        brk = _CLAUSE_BREAK.search(text, t_end)
        if brk:
            after_end = brk.start()
        report = _REPORTING.search(text, t_end, after_end)
        if report:  # the target ends where the report of the event begins: "..., police said"
            comma = text.rfind(",", t_end, report.start())
            after_end = comma if comma >= 0 else report.start()
        after = [m for m in mentions if m.start >= t_end and m.end <= after_end]
        # skip an attribution ("the army said its soldiers ..."), unless a pronoun refers back to the speaker
        said = None
        for m in _ATTRIBUTION.finditer(text, clause_start, t_start):
            said = m
        if said is not None:
            later = [m for m in before if m.start >= said.end()]
            if later or not _PRONOUN_AFTER.match(text[said.end():t_start]):
                before = later
        if _FINDING.match(text[t_start:t_end]):  # "police found the bodies": the finder did not kill
            before = []
        words_before = text[max(clause_start, t_start - 30):t_start].lower().split()
        passive = bool(words_before) and (words_before[-1] in self._passive
                                          or (len(words_before) > 1 and words_before[-2] in self._passive))
        by = re.match(r"\s+by\s+(?:the\s+|a\s+|an\s+)?", text[t_end:])
        if passive:
            agent = self._first_in([m for m in after if by and m.start == t_end + by.end()
                                    and m.kind not in self._target_only])
            patient = self._pick(before)
            return agent, patient
        subject = self._pick(before + inside, self._target_only) if before or inside else None
        target = self._pick([m for m in after if m.start >= t_end])
        between = _BETWEEN.search(text, t_start, after[0].start) if after else None
        if subject is None and between is not None and len(after) > 1:
            # "fighting broke out between the army and the KNLA": the first side named acts
            first = self._pick(after[:1])
            rest = self._pick([m for m in after[1:] if first is None or m.kind != first[1].kind
                               or m.group != first[1].group])
            if first is not None and rest is not None:
                return first, rest
        if target is None:  # a trigger that names its own target: "attacked * army positions"
            first_word = t_start + len(text[t_start:t_end].split(None, 1)[0])
            acting = subject[1] if subject is not None else None
            target = self._pick([m for m in inside if m.start >= first_word and m is not acting])
        return subject, target

    @staticmethod
    def _first_in(ms: list[_Mention]):
        return (ms, ms[0]) if ms else None

    @staticmethod
    def _pick(ms: list[_Mention], skip: frozenset[str] = frozenset()):
        """The first actor in a region; a named group in the region wins over a generic word; a country
        alone acts through its military ("the United States fired"). Country words stay in the region
        to tell a state actor's nationality."""
        named = [m for m in ms if m.group is not None]
        generic = [m for m in ms if m.kind is not None and m.kind != "place" and m.kind not in skip]
        nations = [m for m in ms if m.kind is None and m.group is None]
        chosen = named[0] if named else generic[0] if generic else nations[0] if nations else None
        return (ms, chosen) if chosen is not None else None

    def _by_agent(self, text: str, mentions: list[_Mention], t_end: int):
        """'an IED planted by the insurgents', 'rockets fired by rebels': the by-phrase after the trigger."""
        window = text[t_end:t_end + 60]
        hit = re.search(r"\b(?:by|of)\s+(?:the\s+|a\s+|an\s+|suspected\s+)?", window)
        if not hit or not re.match(r"^\s*(?:\w+\s+){0,2}(?:by|of)\b", window):
            return None
        start = t_end + hit.end()
        ms = [m for m in mentions if m.start == start and (
            m.group is not None or (m.kind not in (None, "place") and m.kind not in self._target_only))]
        return (ms, ms[0]) if ms else None

    def _name(self, chosen: _Mention, region: list[_Mention], text: str, sub_event_type: str,
              rules: dict, country: str, on: date | None) -> Actor:
        if chosen.group is not None:
            return self._group_actor(chosen.group, country, on)
        nation = self._nation_near(chosen, region, text)
        if chosen.kind is None:  # a country as the actor: "the United States fired cruise missiles"
            return self.actor("military", chosen.country or country, country, on)
        kind = rules.get("as", {}).get(chosen.kind, chosen.kind)
        kind = self.kinds[kind].get("in", {}).get(sub_event_type, kind)
        if self.kinds[kind].get("state"):
            return self.actor(kind, nation or country, country, on)
        return self.actor(kind, country, country, on)

    def _associates(self, chosen: _Mention, region: list[_Mention], text: str, sub_event_type: str,
                    rules: dict, country: str, on: date | None) -> list[str]:
        """Actors joined to the chosen one ("police and Counter-Terrorism Department personnel", "Taliban
        and Haqqani Network fighters"): ACLED's associated actors."""
        out: list[str] = []
        ordered = sorted(region, key=lambda m: m.start)
        prev = chosen
        for m in ordered:
            if m.start < chosen.end or m.kind == "place" or (m.kind is None and m.group is None):
                continue
            if not _JOINED.match(text[prev.end:m.start]):
                break
            name = self._name(m, region, text, sub_event_type, rules, country, on).name
            if name not in out:
                out.append(name)
            prev = m
        return out

    def _nation_near(self, chosen: _Mention, region: list[_Mention], text: str) -> str | None:
        """The country a state actor belongs to: the nearest country word in its region that is not part
        of a proper name ('Syrian government warplanes', 'warplanes identified as Russian')."""
        best = None
        for m in region:
            if m.country is None:
                continue
            nxt = re.match(r" ([A-Z][\w-]*)((?: [\w-]+){0,2})", text[m.end:])
            if nxt and not any(self._is_actor_word(w) for w in (nxt.group(1), *nxt.group(2).split())):
                continue  # "Syrian Observatory" is a proper name; "Russian Shahed drones" a nationality
            dist = abs(m.start - chosen.start)
            if best is None or dist < best[0]:
                best = (dist, m.country)
        return best[1] if best else None

    def _is_actor_word(self, word: str) -> bool:
        word = word.split("-")[-1] if "-" in word else word
        return any(p.fullmatch(word) for p, _, _ in self._matchers)


# ---------------------------------------------------------------- validation and compilation


def _check_kinds(section: dict, file: str, inters: set[str]) -> dict[str, dict]:
    kinds = section.get("kinds")
    if not isinstance(kinds, dict) or not kinds:
        raise CodebookError(f"{file}: actors.kinds: must map kind names to {{name, inter}}")
    for need in ("police", "military", "armed_group"):
        if need not in kinds:
            raise CodebookError(f"{file}: actors.kinds.{need}: missing (the defaults need it)")
    for key, spec in kinds.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            raise CodebookError(f"{file}: actors.kinds.{key}: needs a name template")
        if spec.get("inter") not in inters:
            raise CodebookError(f"{file}: actors.kinds.{key}.inter: {spec.get('inter')!r} is not an inter "
                                f"name ({', '.join(sorted(inters))})")
        try:
            spec["name"].format(country="X", period="")
        except (KeyError, IndexError, ValueError) as exc:
            raise CodebookError(f"{file}: actors.kinds.{key}.name: bad template ({exc})") from None
        for sub, other in (spec.get("in") or {}).items():
            if other not in kinds:
                raise CodebookError(f"{file}: actors.kinds.{key}.in.{sub}: unknown kind {other!r}")
    return kinds


def _check_groups(section: dict, file: str, inters: set[str], countries: set[str]):
    raw = section.get("groups") or []
    if not isinstance(raw, list):
        raise CodebookError(f"{file}: actors.groups: must be a list")
    groups: list[_Group] = []
    words: list[tuple[int, list[str], list[str]]] = []
    for i, g in enumerate(raw):
        where = f"{file}: actors.groups[{i}]"
        if not isinstance(g, dict) or not isinstance(g.get("name"), str):
            raise CodebookError(f"{where}: needs a name")
        if g.get("inter") not in inters:
            raise CodebookError(f"{where} ({g['name']}).inter: {g.get('inter')!r} is not an inter name")
        aliases = [str(a) for a in g.get("aliases") or []]
        acronyms = [str(a) for a in g.get("acronyms") or []]
        if not aliases and not acronyms:
            raise CodebookError(f"{where} ({g['name']}): needs aliases or acronyms")
        state_from: dict[str, date] = {}
        for country, since in (g.get("state_from") or {}).items():
            if country not in countries or not isinstance(since, date):
                raise CodebookError(f"{where} ({g['name']}).state_from: {country!r}: needs an ACLED country "
                                    "and a YYYY-MM-DD date")
            state_from[country] = since
        groups.append(_Group(g["name"], g["inter"], state_from))
        words.append((i, aliases, acronyms))
    return groups, words


def _check_sub_events(section: dict, file: str, kinds: set[str]) -> dict[str, dict]:
    raw = section.get("sub_events")
    if not isinstance(raw, dict) or "default" not in raw:
        raise CodebookError(f"{file}: actors.sub_events: must map sub-event types (and 'default') to kinds")
    for sub, spec in raw.items():
        if not isinstance(spec, dict):
            raise CodebookError(f"{file}: actors.sub_events.{sub}: must be a mapping")
        for key, value in spec.items():
            if key == "as":
                bad = [v for pair in (value or {}).items() for v in pair if v not in kinds]
            elif key in ("actor1", "actor2", "actor1_fixed", "actor2_fixed"):
                bad = [value] if value not in kinds else []
            else:
                raise CodebookError(f"{file}: actors.sub_events.{sub}.{key}: unknown key")
            if bad:
                raise CodebookError(f"{file}: actors.sub_events.{sub}.{key}: unknown kind {bad[0]!r}")
    return raw


def _check_periods(section: dict, file: str, countries: set[str]) -> dict[str, list]:
    out: dict[str, list] = {}
    if not isinstance(section, dict):
        raise CodebookError(f"{file}: state_forces: must map countries to periods")
    for country, periods in section.items():
        if country not in countries:
            raise CodebookError(f"{file}: state_forces.{country}: not an ACLED country name")
        if not isinstance(periods, list):
            raise CodebookError(f"{file}: state_forces.{country}: must be a list of periods")
        rows = []
        for i, p in enumerate(periods):
            where = f"{file}: state_forces.{country}[{i}]"
            if not isinstance(p, dict) or not isinstance(p.get("from"), date) or not p.get("label"):
                raise CodebookError(f"{where}: needs from (YYYY-MM-DD), to (date or null) and label")
            end = p.get("to")
            if end is not None and (not isinstance(end, date) or end <= p["from"]):
                raise CodebookError(f"{where}.to: must be a date after from, or null")
            rows.append((p["from"], end, str(p["label"])))
        out[country] = sorted(rows)
    return out


def _word_pattern(words: list[str], *, case: bool) -> re.Pattern | None:
    if not words:
        return None
    alts = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?") for a in alts)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", 0 if case else re.I)


def _compile(generic: dict, group_words, file: str, kinds: set[str]):
    """One regex per group and per kind, named groups before generic words."""
    matchers: list[tuple[re.Pattern, str | None, int | None]] = []
    for i, aliases, acronyms in group_words:
        for words, case in ((aliases, False), (acronyms, True)):
            p = _word_pattern(words, case=case)
            if p is not None:
                matchers.append((p, None, i))
    for kind, words in generic.items():
        if kind not in kinds:
            raise CodebookError(f"{file}: actors.generic.{kind}: unknown kind (not in actors.kinds)")
        if not isinstance(words, list):
            raise CodebookError(f"{file}: actors.generic.{kind}: must be a list of words")
        upper = [w for w in map(str, words) if w.isupper()]
        lower = [w for w in map(str, words) if not w.isupper()]
        for ws, case in ((upper, True), (lower, False)):
            p = _word_pattern(ws, case=case)
            if p is not None:
                matchers.append((p, kind, None))
    return matchers


@cache
def _nation_table() -> dict[str, str]:
    """Country names and demonyms (lower case) -> ACLED country, from the gazetteer's naming data."""
    with open(_NAMES_FILE, encoding="utf-8") as fh:
        conv = yaml.safe_load(fh)
    table: dict[str, str] = {}
    for country, words in conv.get("demonyms", {}).items():
        for w in words:
            table[w.lower()] = country
    for country, words in conv.get("country_aliases", {}).items():
        for w in words:
            table[w.lower()] = country
    return table


def _nationality_patterns(countries: set[str]) -> tuple[re.Pattern, dict[str, str]]:
    """One pattern for every country name and demonym, and the table from the lower-cased word to the
    ACLED country."""
    table = dict(_nation_table())
    for c in countries:
        table.setdefault(c.lower(), c)
    names = sorted(table, key=len, reverse=True)
    short = [n for n in names if len(n) <= 3]
    body = "|".join(re.escape(n) for n in names if len(n) > 3)
    # short aliases (US, UK, DRC) only in capitals; names capitalised as proper names
    caps = "|".join(re.escape(n.upper()) for n in short)
    return re.compile(rf"(?<![\w-])(?:(?i:{body})|{caps})(?:'s|’s)?(?![\w-])"), table
