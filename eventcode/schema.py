"""The row schema, loaded from data (schemas/*.yaml) and validated like data.

Why data: a research team's variant schema must work without code changes, and the data dictionary,
the Excel template, the pandera checks and the Arrow types all derive from this one description.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import yaml

from .errors import SchemaError

TYPES = ("string", "category", "date", "int32", "int64", "float64")
COLUMN_KEYS = {"name", "type", "required", "nullable", "allowed", "pattern", "min", "max", "unique", "multi",
               "evidence", "description"}
DERIVED_TABLES = ("event_types", "sub_event_types", "inter_names", "interactions", "regions", "countries",
                  "disorder_types")


@dataclass(frozen=True)
class Column:
    """One column of the row: its type, whether it must be present and what values it may hold."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    nullable: bool = True
    allowed: tuple[Any, ...] | None = None
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    unique: bool = False
    multi: bool = False
    evidence: bool = False

    @property
    def is_numeric(self) -> bool:
        return self.type in ("int32", "int64", "float64")


@dataclass
class Schema:
    """A loaded schema: columns in order plus the reference tables the checks need."""

    name: str
    version: str
    title: str
    columns: list[Column]
    taxonomy: dict[str, dict[str, str]]
    inter_codes: dict[int, str]
    countries: pd.DataFrame
    legacy_spellings: dict[str, dict[str, str]] = field(default_factory=dict)
    legacy_drop: tuple[str, ...] = ()
    path: str = ""
    # Objects other modules derive from the schema and reuse (the pandera schema), built once each.
    derived: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    # -- lookups ------------------------------------------------------------------------------------
    @functools.cached_property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @functools.cached_property
    def country_table(self) -> pd.DataFrame:
        """The countries table with one row per country name (its index): what the checks look up."""
        return self.countries.drop_duplicates("country").set_index("country")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def acled_names(self) -> list[str]:
        """The export's own columns, without eventcode's evidence columns."""
        return [c.name for c in self.columns if not c.evidence]

    @property
    def event_types(self) -> list[str]:
        return list(self.taxonomy)

    @property
    def sub_event_types(self) -> list[str]:
        return [sub for subs in self.taxonomy.values() for sub in subs]

    @property
    def disorder_types(self) -> list[str]:
        return sorted({d for subs in self.taxonomy.values() for d in subs.values()})

    def disorder_for(self, event_type: str, sub_event_type: str) -> str | None:
        return self.taxonomy.get(event_type, {}).get(sub_event_type)

    def event_type_of(self, sub_event_type: str) -> str | None:
        for event_type, subs in self.taxonomy.items():
            if sub_event_type in subs:
                return event_type
        return None

    @property
    def inter_names(self) -> list[str]:
        return [name for code, name in sorted(self.inter_codes.items()) if code]

    def inter_code(self, name: str) -> int | None:
        for code, known in self.inter_codes.items():
            if known == name:
                return code
        return None

    def interaction(self, inter1: str | None, inter2: str | None) -> str | None:
        """ACLED's interaction name: the two kinds, smaller code first, or "X only"."""
        c1 = self.inter_code(inter1) if inter1 else None
        c2 = self.inter_code(inter2) if inter2 else None
        if not c1:
            return None
        if not c2:
            return f"{inter1} only"
        low, high = sorted((c1, c2))
        return f"{self.inter_codes[low]}-{self.inter_codes[high]}"

    @functools.cached_property
    def interactions(self) -> list[str]:
        codes = [c for c in sorted(self.inter_codes) if c]
        names = [f"{self.inter_codes[c]} only" for c in codes]
        names += [f"{self.inter_codes[a]}-{self.inter_codes[b]}" for a in codes for b in codes if a <= b]
        return names

    @property
    def regions(self) -> list[str]:
        return sorted(self.countries["region"].unique())

    def table(self, name: str) -> list[Any]:
        """A derived list of allowed values, named in the schema file as `allowed: {from: NAME}`."""
        if name == "countries":
            return self.countries["country"].tolist()
        return list(getattr(self, name))

    def allowed(self, column: str) -> list[Any] | None:
        col = self.by_name.get(column)
        return list(col.allowed) if col and col.allowed is not None else None

    # -- derived schemas ----------------------------------------------------------------------------
    def arrow_type(self, column: Column) -> pa.DataType:
        return {
            "string": pa.string(),
            "category": pa.dictionary(pa.int32(), pa.string()),
            "date": pa.date32(),
            "int32": pa.int32(),
            "int64": pa.int64(),
            "float64": pa.float64(),
        }[column.type]

    def arrow_schema(self, columns: list[str] | None = None) -> pa.Schema:
        """The Parquet schema: dictionary categories (R factors), date32 dates, int32 counts."""
        wanted = columns if columns is not None else self.names
        fields = []
        for name in wanted:
            col = self.by_name[name]
            meta = {"description": col.description}
            fields.append(pa.field(name, self.arrow_type(col), nullable=not col.required or col.nullable,
                                   metadata=meta))
        return pa.schema(fields, metadata={"eventcode.schema": f"{self.name} {self.version}"})


def _fail(path: str, where: str, reason: str) -> SchemaError:
    return SchemaError(f"{path}: {where}: {reason}")


def _parse_column(raw: Any, index: int, path: str, tables: dict[str, list[Any]]) -> Column:
    where = f"columns[{index}]"
    if not isinstance(raw, dict) or "name" not in raw:
        raise _fail(path, where, "each column needs at least a name and a type")
    where = f"columns[{index}] ({raw['name']})"
    unknown = set(raw) - COLUMN_KEYS
    if unknown:
        raise _fail(path, where, f"unknown field(s) {sorted(unknown)}; known: {sorted(COLUMN_KEYS)}")
    if raw.get("type") not in TYPES:
        raise _fail(path, where, f"type {raw.get('type')!r} is not one of {', '.join(TYPES)}")
    allowed = raw.get("allowed")
    if isinstance(allowed, dict):
        source = allowed.get("from")
        if source not in tables:
            raise _fail(path, where, f"allowed.from {source!r} is not one of {', '.join(tables)}")
        allowed = tables[source]
    elif allowed is not None and not isinstance(allowed, list):
        raise _fail(path, where, "allowed must be a list or {from: TABLE}")
    if raw.get("pattern") is not None:
        try:
            re.compile(raw["pattern"])
        except re.error as exc:
            raise _fail(path, where, f"pattern does not compile: {exc}") from None
    required = bool(raw.get("required", False))
    return Column(
        name=str(raw["name"]),
        type=raw["type"],
        description=str(raw.get("description", "")),
        required=required,
        nullable=bool(raw.get("nullable", not required)),
        allowed=tuple(allowed) if allowed is not None else None,
        pattern=raw.get("pattern"),
        min=raw.get("min"),
        max=raw.get("max"),
        unique=bool(raw.get("unique", False)),
        multi=bool(raw.get("multi", False)),
        evidence=bool(raw.get("evidence", False)),
    )


def _read_countries(path: Path, schema_path: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, keep_default_na=False, na_values=[""],
                            dtype={"country": str, "iso3": str, "region": str})
    except (OSError, ValueError) as exc:
        raise SchemaError(f"{schema_path}: countries: cannot read {path}: {exc}") from None
    missing = {"country", "iso3", "iso", "region"} - set(table.columns)
    if missing:
        raise SchemaError(f"{path}: missing column(s) {sorted(missing)}")
    return table


def bundled_schema_path(name: str = "acled") -> Path:
    return Path(str(resources.files("eventcode.schemas").joinpath(f"{name}.yaml")))


def load_schema(path: str | Path | None = None) -> Schema:
    """Load and check a schema file; None means the bundled ACLED schema."""
    return _load_schema_cached(str(path) if path is not None else str(bundled_schema_path()))


@functools.lru_cache(maxsize=8)
def _load_schema_cached(path: str) -> Schema:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read schema: {exc.strerror or exc}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "YAML"
        raise _fail(path, where, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(raw, dict):
        raise _fail(path, "top level", "a schema is a mapping with name, version and columns")
    for key in ("name", "version", "columns", "taxonomy", "inter_codes", "countries"):
        if key not in raw:
            raise _fail(path, "top level", f"missing {key!r}")
    taxonomy = raw["taxonomy"]
    if not isinstance(taxonomy, dict) or not all(isinstance(v, dict) for v in taxonomy.values()):
        raise _fail(path, "taxonomy", "map each event type to {sub_event_type: disorder_type}")
    countries_path = Path(path).parent / str(raw["countries"])
    countries = _read_countries(countries_path, path)
    schema = Schema(
        name=str(raw["name"]),
        version=str(raw["version"]),
        title=str(raw.get("title", raw["name"])),
        columns=[],
        taxonomy={str(k): {str(s): str(d) for s, d in v.items()} for k, v in taxonomy.items()},
        inter_codes={int(k): str(v or "") for k, v in raw["inter_codes"].items()},
        countries=countries,
        legacy_spellings=raw.get("legacy_spellings") or {},
        legacy_drop=tuple((raw.get("legacy_columns") or {}).get("drop", [])),
        path=path,
    )
    tables = {name: schema.table(name) for name in DERIVED_TABLES}
    if not isinstance(raw["columns"], list) or not raw["columns"]:
        raise _fail(path, "columns", "must be a non-empty list")
    schema.columns = [_parse_column(c, i, path, tables) for i, c in enumerate(raw["columns"])]
    seen: set[str] = set()
    for col in schema.columns:
        if col.name in seen:
            raise _fail(path, f"columns ({col.name})", "column listed twice")
        seen.add(col.name)
    return schema
