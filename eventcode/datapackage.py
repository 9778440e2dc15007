"""A Frictionless Data Package descriptor (datapackage.json) beside a Parquet file.

Why: archives and journals ask for data with a machine-readable data dictionary. The descriptor says what
every column means, its type and its constraints (from the same schema that validated the rows), and
carries the provenance eventcode embedded in the Parquet file, so the dataset can be checked by any
Frictionless tool without eventcode.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .atomic import atomic_path
from .errors import InputError
from .schema import Column, Schema

DESCRIPTOR = "datapackage.json"
METADATA_KEY = b"eventcode"
FRICTIONLESS_TYPES = {"string": "string", "category": "string", "date": "date", "int32": "integer",
                      "int64": "integer", "float64": "number"}
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"


def package_name(text: str) -> str:
    """A Frictionless name (lower-case letters, digits, '-', '_', '.') from a file stem."""
    name = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-")
    return name or "events"


def _arrow_type(kind: pa.DataType) -> str:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_integer(kind):
        return "integer"
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "number"
    if pa.types.is_boolean(kind):
        return "boolean"
    if pa.types.is_date(kind):
        return "date"
    if pa.types.is_timestamp(kind):
        return "datetime"
    return "string"


def _pattern(pattern: str) -> str:
    """Table Schema patterns are implicitly anchored (XML Schema style), so drop explicit anchors."""
    return pattern.removeprefix("^").removesuffix("$")


def field_descriptor(column: Column) -> dict[str, Any]:
    """One Table Schema field from a schema column: type, description and constraints."""
    field: dict[str, Any] = {"name": column.name, "type": FRICTIONLESS_TYPES[column.type]}
    if column.description:
        field["description"] = column.description
    if column.type == "date":
        field["format"] = "default"
    constraints: dict[str, Any] = {}
    if not column.nullable:
        constraints["required"] = True
    if column.allowed is not None and not column.multi:
        constraints["enum"] = list(column.allowed)
    if column.min is not None:
        constraints["minimum"] = column.min
    if column.max is not None:
        constraints["maximum"] = column.max
    if column.pattern:
        constraints["pattern"] = _pattern(column.pattern)
    if column.unique:
        constraints["unique"] = True
    if constraints:
        field["constraints"] = constraints
    if column.multi:
        field["description"] = f"{field.get('description', '')} (several values separated by '; ')".strip()
    return field


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_descriptor(parquet_path: str | os.PathLike, schema: Schema, *, name: str | None = None,
                     relative_to: str | os.PathLike | None = None) -> dict[str, Any]:
    """The descriptor of one Parquet file: its columns (in file order) described from the schema.

    Columns the schema does not know are described from their Arrow type alone.
    """
    path = Path(parquet_path)
    if path.is_dir():
        raise InputError(path, "a data package is written for one Parquet file, not a partitioned directory")
    if not path.is_file():
        raise InputError(path, "no such file")
    try:
        arrow_schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(path, f"not a readable Parquet file ({exc})") from None
    raw = (arrow_schema.metadata or {}).get(METADATA_KEY)
    try:
        provenance = json.loads(raw) if raw else {}
    except ValueError:
        provenance = {"raw": raw.decode("utf-8", "replace")}
    fields = []
    for arrow_field in arrow_schema:
        column = schema.by_name.get(arrow_field.name)
        fields.append(field_descriptor(column) if column else
                      {"name": arrow_field.name, "type": _arrow_type(arrow_field.type)})
    table_schema: dict[str, Any] = {"fields": fields}
    keys = [c.name for c in schema.columns
            if c.unique and not c.nullable and c.name in arrow_schema.names]
    if len(keys) == 1:
        table_schema["primaryKey"] = keys
    base = Path(relative_to) if relative_to is not None else path.parent
    resource_name = package_name(name or path.stem)
    resource = {
        "name": resource_name,
        "path": Path(os.path.relpath(path, base)).as_posix(),
        "profile": "tabular-data-resource",
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "schema": table_schema,
        # Not Frictionless' own bytes/hash: its Parquet reader cannot count them and reports a mismatch.
        "eventcode": {"bytes": path.stat().st_size, "sha256": _sha256(path)},
    }
    descriptor: dict[str, Any] = {
        "name": resource_name,
        "title": schema.title,
        "profile": "tabular-data-package",
        "description": f"Events in the {schema.name} schema, version {schema.version}.",
        "resources": [resource],
    }
    if provenance:
        descriptor["eventcode"] = provenance
    return descriptor


def write_datapackage(parquet_path: str | os.PathLike, schema: Schema, *, name: str | None = None,
                      force: bool = False) -> Path:
    """Write datapackage.json beside `parquet_path` (atomically; an existing one needs force)."""
    path = Path(parquet_path)
    descriptor = build_descriptor(path, schema, name=name)
    target = path.parent / DESCRIPTOR
    with atomic_path(target, force=force) as tmp:
        tmp.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target
