"""The data dictionary, derived from the schema so it can never disagree with what validation checks.

Why derived: a dictionary written by hand drifts from the code; this one is regenerated from the same
YAML that drives the checks, the Parquet types and the Excel template.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .schema import Column, Schema, load_schema

SHORT_LIST = 12  # allowed values listed in full up to this many; longer lists are counted
FORMATS = ("markdown", "json")


def _rules(column: Column, quote: str = "") -> str:
    parts = []
    if column.pattern:
        parts.append(f"pattern {quote}{column.pattern}{quote}")
    if column.min is not None and column.max is not None:
        parts.append(f"{column.min:g} to {column.max:g}")
    elif column.min is not None:
        parts.append(f">= {column.min:g}")
    elif column.max is not None:
        parts.append(f"<= {column.max:g}")
    if column.unique:
        parts.append("unique")
    if column.multi:
        parts.append('several values separated by "; "')
    if column.evidence:
        parts.append("eventcode evidence column")
    return "; ".join(parts)


def allowed_text(column: Column, separator: str = ", ", quote: str = "") -> str:
    """The allowed values in full when the list is short, else their count and the first few."""
    if column.allowed is None:
        return ""
    values = [f"{quote}{v}{quote}" for v in column.allowed]
    if len(values) <= SHORT_LIST:
        return separator.join(values)
    return f"{len(values)} values, e.g. {separator.join(values[:3])}{separator}…"


def column_table(schema: Schema | None = None, quote: str = "", separator: str = ", ") -> pd.DataFrame:
    """One row per column: name, type, required, allowed values, other rules, description."""
    schema = schema or load_schema()
    return pd.DataFrame(
        [{"column": c.name, "type": c.type, "required": "yes" if c.required else "no",
          "allowed": allowed_text(c, separator, quote), "rules": _rules(c, quote),
          "description": c.description}
         for c in schema.columns],
        columns=["column", "type", "required", "allowed", "rules", "description"],
    )


def taxonomy_table(schema: Schema | None = None) -> pd.DataFrame:
    """Every valid (event_type, sub_event_type) pair and the disorder_type it implies."""
    schema = schema or load_schema()
    return pd.DataFrame(
        [(event, sub, disorder) for event, subs in schema.taxonomy.items() for sub, disorder in subs.items()],
        columns=["event_type", "sub_event_type", "disorder_type"],
    )


def inter_table(schema: Schema | None = None) -> pd.DataFrame:
    """ACLED's actor kinds with the numeric codes older exports use."""
    schema = schema or load_schema()
    return pd.DataFrame([(code, name) for code, name in sorted(schema.inter_codes.items()) if name],
                        columns=["code", "inter1 / inter2"])


def _markdown_table(frame: pd.DataFrame) -> list[str]:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return lines


def _json(schema: Schema) -> str:
    columns = []
    for c in schema.columns:
        entry: dict[str, Any] = {"name": c.name, "type": c.type, "required": c.required,
                                 "nullable": c.nullable, "description": c.description}
        if c.allowed is not None:
            entry["allowed"] = list(c.allowed)
            entry["allowed_count"] = len(c.allowed)
        for key in ("pattern", "min", "max"):
            if getattr(c, key) is not None:
                entry[key] = getattr(c, key)
        for key in ("unique", "multi", "evidence"):
            if getattr(c, key):
                entry[key] = True
        columns.append(entry)
    payload = {
        "schema": schema.name, "version": schema.version, "title": schema.title, "columns": columns,
        "taxonomy": taxonomy_table(schema).to_dict(orient="records"),
        "inter_codes": {str(code): name for code, name in sorted(schema.inter_codes.items()) if name},
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def data_dictionary(schema: Schema | None = None, fmt: str = "markdown") -> str:
    """The data dictionary as Markdown (for people and READMEs) or JSON (for programs, full lists)."""
    schema = schema or load_schema()
    if fmt == "json":
        return _json(schema)
    if fmt != "markdown":
        raise ValueError(f"unknown dictionary format {fmt!r}; use {' or '.join(FORMATS)}")
    lines = [f"# {schema.title}", "", f"Schema `{schema.name}` version {schema.version}: "
             f"{len(schema.columns)} columns ({len(schema.acled_names)} ACLED columns, "
             f"{len(schema.columns) - len(schema.acled_names)} eventcode evidence columns).", "",
             "## Columns", ""]
    lines += _markdown_table(column_table(schema, quote="`"))
    lines += ["", "## Event types, sub-event types and disorder types", ""]
    lines += _markdown_table(taxonomy_table(schema))
    lines += ["", "## Actor kinds (inter1, inter2)", ""]
    lines += _markdown_table(inter_table(schema))
    return "\n".join(lines) + "\n"
