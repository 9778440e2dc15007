"""The coding codebook: trigger rules, cues and the raw sections other stages read, loaded from YAML.

Why data: every coding decision must be traceable to a rule a researcher can read and change without
touching Python. A team's codebook can `extends:` the bundled one and override rules by id.
Errors name the file and line (YAML node marks), so a typo is found at once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import CodebookError

RAW_SECTIONS = ("fatalities", "actors", "state_forces")
RULE_KEYS = {"id", "sub_event_type", "patterns", "roles", "requires", "requires_scope", "excludes",
             "priority", "elaboration", "when_target", "when_actor", "no_fatalities", "opens_line",
             "description", "examples"}
REQUIRES_SCOPES = ("sentence", "paragraph")
CUE_KEYS = {"id", "kind", "patterns", "scope", "window", "spares_dated_clause", "description", "examples"}
CUE_KINDS = ("cancel", "nonevent")
CUE_SCOPES = ("sentence", "clause", "before", "after")
ROLE_NAMES = {"subject", "object"}
ROLE_VALUES = {"actor1", "actor2"}
GAP_WORDS = {"*": 4, "**": 12}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
# Words that cannot make a pattern match anything specific on their own.
STOP_WORDS = frozenset(
    "a an the of in on at to and or but by for with from as is was were be been being it its this that "
    "these those he she they them his her their there here has have had do did does not no".split()
)


# -- YAML with line numbers ---------------------------------------------------------------------------
class _Map(dict):
    line: int = 0
    key_lines: dict[str, int]


class _Seq(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings and lists remember the line they start on (1-based)."""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    out = _Map()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> _Seq:
    out = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def _line(obj: Any, fallback: int = 0) -> int:
    return getattr(obj, "line", fallback) or fallback


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CodebookError(f"{path}: cannot read codebook file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise CodebookError(f"{path}: byte {exc.start}: not UTF-8 text (a codebook is a YAML file); "
                            "save it as UTF-8") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "YAML"
        raise CodebookError(f"{path}: {where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None


# -- patterns --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    """One word position: alternative spellings; a trailing '*' on an alternative makes it a prefix."""

    alternatives: tuple[tuple[str, bool], ...]  # (literal, is_prefix)


@dataclass(frozen=True)
class Pattern:
    """A phrase: segments of consecutive tokens separated by gaps of at most `gaps[i]` words."""

    source: str
    segments: tuple[tuple[Token, ...], ...]
    gaps: tuple[int, ...]

    def literals(self, segment: int) -> list[tuple[str, bool]]:
        """Every literal string the segment can be (the product of its tokens' alternatives)."""
        out: list[tuple[str, bool]] = [("", False)]
        for token in self.segments[segment]:
            out = [((prefix + " " + alt).strip(), is_prefix) for prefix, _ in out
                   for alt, is_prefix in token.alternatives]
        return out


def parse_pattern(text: str) -> Pattern:
    """Parse 'blew|blown * up' into segments; raises ValueError with a reason people can act on."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a pattern must be a non-empty string")
    segments: list[list[Token]] = [[]]
    gaps: list[int] = []
    for word in text.lower().split():
        if word in GAP_WORDS:
            if not segments[-1]:
                raise ValueError(f"pattern {text!r} starts with a gap or has two gaps in a row")
            gaps.append(GAP_WORDS[word])
            segments.append([])
            continue
        alts = []
        for alt in word.split("|"):
            if not alt or alt == "*":
                raise ValueError(f"pattern {text!r} has an empty alternative in {word!r}")
            alts.append((alt[:-1], True) if alt.endswith("*") else (alt, False))
        segments[-1].append(Token(tuple(alts)))
    if not segments[-1]:
        raise ValueError(f"pattern {text!r} ends with a gap")
    for seg in segments:
        for token in seg[:-1]:
            if any(is_prefix for _, is_prefix in token.alternatives):
                raise ValueError(f"pattern {text!r}: a prefix ('word*') may only end a phrase")
    return Pattern(text, tuple(tuple(s) for s in segments), tuple(gaps))


def pattern_is_empty(pattern: Pattern) -> bool:
    """True when every word of the pattern is a stop-word: it would match almost any sentence."""
    return all(alt in STOP_WORDS for seg in pattern.segments for tok in seg for alt, _ in tok.alternatives)


# -- rules and cues -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """A trigger rule: words that report an event of one sub-event type, with the roles around them."""

    id: str
    sub_event_type: str
    event_type: str
    patterns: tuple[Pattern, ...]
    roles: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    requires: tuple[Pattern, ...] = ()
    requires_scope: str = "sentence"
    excludes: tuple[Pattern, ...] = ()
    priority: int = 50
    elaboration: bool = False
    # actor2's inter name -> (sub-event type, event type) coded instead ("killed two soldiers" is no attack
    # on civilians)
    when_target: dict[str, tuple[str, str]] = field(default_factory=dict, hash=False, compare=False)
    # actor1's inter name -> the same, for who acts ("militants rounded up four elders" is no arrest)
    when_actor: dict[str, tuple[str, str]] = field(default_factory=dict, hash=False, compare=False)
    # the rule's events have no deaths by definition (a peaceful protest): deaths its sentence names are
    # a motive ("against the killing of a student") or another event
    no_fatalities: bool = False
    # the pattern counts only as a label opening its line, before a colon ("Movement of forces: On ...")
    opens_line: bool = False
    description: str = ""
    file: str = ""
    line: int = 0

    def types_for(self, actor_inter: str | None, target_inter: str | None) -> tuple[str, str]:
        """The (sub-event type, event type) this rule codes when actor1 and actor2 are of these kinds."""
        own = (self.sub_event_type, self.event_type)
        return self.when_actor.get(actor_inter or "") or self.when_target.get(target_inter or "", own)


@dataclass(frozen=True)
class Cue:
    """Words that cancel a trigger (plans, threats, denials) or mark a non-event (aggregates, trials)."""

    id: str
    kind: str
    patterns: tuple[Pattern, ...]
    scope: str = "sentence"
    window: int = 4
    spares_dated_clause: bool = False
    description: str = ""
    file: str = ""
    line: int = 0


@dataclass
class Codebook:
    """A loaded codebook: rules and cues as objects, the other stages' sections as raw dicts."""

    id: str
    version: str
    rules: list[Rule]
    cues: list[Cue]
    fatalities: dict[str, Any] = field(default_factory=dict)
    actors: dict[str, Any] = field(default_factory=dict)
    state_forces: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    files: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def section_file(self, name: str) -> str:
        """The file a section came from, for error messages."""
        return self.files.get(name, self.path)

    @functools.cached_property
    def rules_by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}


def bundled_codebook_path(name: str = "acled") -> Path:
    return Path(str(resources.files("eventcode.codebooks").joinpath(f"{name}.yaml")))


def _patterns(raw: Any, file: str, line: int, where: str) -> tuple[Pattern, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise CodebookError(f"{file}: line {line}: {where}: give a non-empty list of patterns")
    out = []
    for item in raw:
        try:
            out.append(parse_pattern(item))
        except ValueError as exc:
            raise CodebookError(f"{file}: line {line}: {where}: {exc}") from None
    return tuple(out)


def _entry_head(raw: Any, file: str, line: int, what: str, keys: Any, fields: str) -> tuple[int, str]:
    """What every rule and cue must be: a mapping of known fields with a well-formed id.

    Returns the entry's own line (for later messages) and its id."""
    if not isinstance(raw, dict):
        raise CodebookError(f"{file}: line {line}: each {what} is a mapping with {fields}")
    line = _line(raw, line)
    unknown = set(raw) - set(keys)
    if unknown:
        raise CodebookError(f"{file}: line {line}: unknown {what} field(s) {sorted(unknown)}; "
                            f"known: {sorted(keys)}")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not ID_RE.match(entry_id):
        raise CodebookError(f"{file}: line {line}: {what} id {entry_id!r} must be lower-case letters, "
                            "digits, '.', '-' or '_'")
    return line, entry_id


def _parse_rule(raw: Any, file: str, line: int, schema: Any) -> Rule:
    line, rule_id = _entry_head(raw, file, line, "rule", RULE_KEYS, "id, sub_event_type, patterns")
    sub = raw.get("sub_event_type")
    event_type = schema.event_type_of(sub) if isinstance(sub, str) else None
    if event_type is None:
        raise CodebookError(f"{file}: line {line}: rule {rule_id}: sub_event_type {sub!r} is not one of the "
                            f"schema's sub-event types")
    roles = raw.get("roles") or {}
    if not isinstance(roles, dict) or set(roles) - ROLE_NAMES or set(roles.values()) - ROLE_VALUES:
        raise CodebookError(f"{file}: line {line}: rule {rule_id}: roles map subject/object to actor1/actor2")
    priority = raw.get("priority", 50)
    if not isinstance(priority, int):
        raise CodebookError(f"{file}: line {line}: rule {rule_id}: priority must be an integer")
    where = f"rule {rule_id}"
    requires_scope = raw.get("requires_scope", "sentence")
    if requires_scope not in REQUIRES_SCOPES:
        raise CodebookError(f"{file}: line {line}: rule {rule_id}: requires_scope must be one of "
                            f"{', '.join(REQUIRES_SCOPES)}")
    retype = {key: _retype(raw.get(key), schema, f"{file}: line {line}: rule {rule_id}: {key}")
              for key in ("when_target", "when_actor")}
    return Rule(
        id=rule_id, sub_event_type=sub, event_type=event_type,
        when_target=retype["when_target"], when_actor=retype["when_actor"],
        patterns=_patterns(raw.get("patterns"), file, line, where),
        roles=dict(roles),
        requires=_patterns(raw["requires"], file, line, where + " requires") if raw.get("requires") else (),
        requires_scope=requires_scope,
        excludes=_patterns(raw["excludes"], file, line, where + " excludes") if raw.get("excludes") else (),
        priority=priority, elaboration=bool(raw.get("elaboration", False)),
        no_fatalities=bool(raw.get("no_fatalities", False)), opens_line=bool(raw.get("opens_line", False)),
        description=str(raw.get("description", "")), file=file, line=line,
    )


def _retype(raw: Any, schema: Any, where: str) -> dict[str, tuple[str, str]]:
    """A map of inter names to sub-event types, checked against the schema; values with event types."""
    raw = raw or {}
    inters = set(schema.inter_names)
    if not isinstance(raw, dict) or set(raw) - inters or not all(
            isinstance(v, str) and schema.event_type_of(v) is not None for v in raw.values()):
        raise CodebookError(f"{where} maps inter names ({', '.join(sorted(inters))}) to sub-event types")
    return {k: (v, schema.event_type_of(v)) for k, v in raw.items()}


def _parse_cue(raw: Any, file: str, line: int) -> Cue:
    line, cue_id = _entry_head(raw, file, line, "cue", CUE_KEYS, "id, kind, patterns, scope")
    kind, scope = raw.get("kind"), raw.get("scope", "sentence")
    if kind not in CUE_KINDS:
        raise CodebookError(f"{file}: line {line}: cue {cue_id}: kind must be one of {', '.join(CUE_KINDS)}")
    if scope not in CUE_SCOPES:
        raise CodebookError(f"{file}: line {line}: cue {cue_id}: scope must be one of "
                            f"{', '.join(CUE_SCOPES)}")
    window = raw.get("window", 4)
    if not isinstance(window, int) or window < 0:
        raise CodebookError(f"{file}: line {line}: cue {cue_id}: window must be a whole number of words")
    spares = raw.get("spares_dated_clause", False)
    if not isinstance(spares, bool):
        raise CodebookError(f"{file}: line {line}: cue {cue_id}: spares_dated_clause must be true or false")
    return Cue(id=cue_id, kind=kind, patterns=_patterns(raw.get("patterns"), file, line, f"cue {cue_id}"),
               scope=scope, window=window, spares_dated_clause=spares,
               description=str(raw.get("description", "")), file=file, line=line)


def _merge_by_id(base: list[Any], extra: list[Any], kind: str, own: dict[str, str]) -> list[Any]:
    """An extending codebook replaces its base's rule of the same id; within one codebook ids are unique."""
    out = {item.id: item for item in base}
    for item in extra:
        if item.id in own:
            raise CodebookError(f"{item.file}: line {item.line}: {kind} id {item.id!r} is already defined "
                                f"in {own[item.id]}")
        own[item.id] = f"{item.file} line {item.line}"
        out[item.id] = item
    return list(out.values())


def _load(path: Path, schema: Any, chain: tuple[str, ...]) -> Codebook:
    key = str(path.resolve())
    if key in chain:
        raise CodebookError(f"{path}: extends itself (through {' -> '.join(chain)})")
    raw = _read_yaml(path)
    file = str(path)
    if not isinstance(raw, dict):
        raise CodebookError(f"{file}: line 1: a codebook is a mapping with id, version and include")
    for name in ("id", "version"):
        if name not in raw:
            raise CodebookError(f"{file}: line {_line(raw, 1)}: missing {name!r}")
    if raw.get("extends"):
        base = _load((path.parent / str(raw["extends"])), schema, (*chain, key))
    else:
        base = Codebook(id="", version="", rules=[], cues=[])
    book = Codebook(id=str(raw["id"]), version=str(raw["version"]), rules=list(base.rules),
                    cues=list(base.cues), fatalities=dict(base.fatalities), actors=dict(base.actors),
                    state_forces=dict(base.state_forces), path=file, files=dict(base.files))
    parts: list[tuple[str, Any]] = [(file, raw)]
    includes = raw.get("include") or []
    if not isinstance(includes, list):
        where = f"line {raw.key_lines.get('include', 1)}"
        raise CodebookError(f"{file}: {where}: include must be a list of files")
    for inc in includes:
        inc_path = path.parent / str(inc)
        if not inc_path.is_file():
            raise CodebookError(f"{file}: line {_line(includes, 1)}: included file {inc!r} not found")
        parts.append((str(inc_path), _read_yaml(inc_path)))
    disabled = raw.get("disable") or []
    if not isinstance(disabled, list):
        raise CodebookError(f"{file}: line {raw.key_lines.get('disable', 1)}: disable must be a list of ids")
    removed = set(map(str, disabled))
    own: dict[str, str] = {}
    for part_file, part in parts:
        if part is None:
            continue
        if not isinstance(part, dict):
            raise CodebookError(f"{part_file}: line 1: an included codebook file is a mapping of sections")
        lines = getattr(part, "key_lines", {})
        for name in ("rules", "cues"):
            if not isinstance(part.get(name) or [], list):
                raise CodebookError(f"{part_file}: line {lines.get(name, 1)}: {name} must be a list")
        if "rules" in part:
            seq = part["rules"] or []
            rules = [_parse_rule(r, part_file, _line(seq, lines.get("rules", 1)), schema) for r in seq]
            book.rules = _merge_by_id(book.rules, rules, "rule", own)
        if "cues" in part:
            seq = part["cues"] or []
            cues = [_parse_cue(c, part_file, _line(seq, lines.get("cues", 1))) for c in seq]
            book.cues = _merge_by_id(book.cues, cues, "cue", own)
        for name in RAW_SECTIONS:
            if name in part:
                section = part[name]
                if not isinstance(section, dict):
                    raise CodebookError(f"{part_file}: line {lines.get(name, 1)}: {name} must be a mapping")
                merged = dict(getattr(book, name))
                merged.update(section)
                setattr(book, name, merged)
                book.files[name] = part_file
    if removed:
        book.rules = [r for r in book.rules if r.id not in removed]
        book.cues = [c for c in book.cues if c.id not in removed]
    return book


def load_codebook(path: str | Path | None = None, schema: Any = None) -> Codebook:
    """Load a codebook entry file (default: the bundled ACLED codebook) with its includes and bases."""
    if schema is None:
        entry = str(path) if path is not None else str(bundled_codebook_path())
        return _load_cached(entry, _stamp(Path(entry)))
    return _load(Path(path) if path is not None else bundled_codebook_path(), schema, ())


def _stamp(entry: Path) -> tuple[float, ...]:
    """Modification times of the entry file and its folder's YAML files: an edited codebook reloads."""
    if not entry.is_file():
        return ()
    return tuple(p.stat().st_mtime for p in [entry, *sorted(entry.parent.rglob("*.yaml"))])


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, stamp: tuple[float, ...]) -> Codebook:
    from ..schema import load_schema

    p = Path(path)
    if not p.is_file():
        raise CodebookError(f"{path}: codebook file not found")
    return _load(p, load_schema(), ())


# -- linting ------------------------------------------------------------------------------------------
def lint(book: Codebook, schema: Any = None) -> list[str]:
    """Problems that load but would make the codebook misbehave: 'file: line N: message' each."""
    from ..schema import load_schema

    schema = schema or load_schema()
    problems: list[str] = []
    for rule in book.rules:
        if rule.sub_event_type not in schema.sub_event_types:
            problems.append(f"{rule.file}: line {rule.line}: rule {rule.id}: unknown sub_event_type")
        for pattern in rule.patterns:
            if pattern_is_empty(pattern):
                problems.append(f"{rule.file}: line {rule.line}: rule {rule.id}: pattern {pattern.source!r} "
                                "has only stop-words and would match almost anything")
    for cue in book.cues:
        for pattern in cue.patterns:
            if pattern_is_empty(pattern) and cue.scope == "sentence":
                problems.append(f"{cue.file}: line {cue.line}: cue {cue.id}: pattern {pattern.source!r} "
                                "has only stop-words; it would cancel almost every sentence")
    seen: dict[tuple[str, str], str] = {}
    for rule in book.rules:
        for pattern in rule.patterns:
            key = (pattern.source.lower(), rule.sub_event_type)
            if key in seen and seen[key] != rule.id:
                problems.append(f"{rule.file}: line {rule.line}: rule {rule.id}: pattern {pattern.source!r} "
                                f"repeats rule {seen[key]}")
            seen.setdefault(key, rule.id)
    covered = {r.sub_event_type for r in book.rules}
    for sub in schema.sub_event_types:
        if sub not in covered:
            problems.append(f"{book.path}: no rule codes the sub-event type {sub!r}")
    return problems
