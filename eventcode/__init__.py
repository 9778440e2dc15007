"""eventcode: code news articles into ACLED-style event rows, validate hand-coded spreadsheets, write Parquet.

The public API mirrors the command line: `read`, `validate`, `write_parquet`, `code_text`, `code_articles`.
Imports are lazy so `eventcode --help` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "load_schema": "eventcode.schema",
    "read": "eventcode.reading",
    "validate": "eventcode.validation",
    "write_parquet": "eventcode.parquet_io",
    "code_text": "eventcode.coding.coder",
    "code_articles": "eventcode.coding.coder",
    "load_codebook": "eventcode.coding.codebook",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'eventcode' has no attribute {name!r}")
