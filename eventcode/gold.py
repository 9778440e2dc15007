"""Gold codings (the reference an automatic or human coding is scored against), from YAML or a spreadsheet.

Why two sources: a YAML gold file codes one article with what a careful coder would accept (several
sub-event types or admin1 spellings, a date range or a month, optional events), while a team that already
hand-codes in spreadsheets can use one of its own sheets as the reference without rewriting it.

Both become one *gold frame*: one row per reference event with columns GOLD_COLUMNS, where
sub_event_type and admin1 hold lists of accepted values and date_lo/date_hi the window the date may fall in.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .errors import InputError
from .matching_events import article_key, date_windows
from .schema import Schema, load_schema

GOLD_COLUMNS = ("file", "article_id", "gold_id", "required", "event_type", "sub_event_type", "date_lo",
                "date_hi", "day", "country", "admin1", "location", "actor1", "inter1", "fatalities")
YAML_SUFFIXES = (".yaml", ".yml")
ROW_INDEX = "row"  # the name eventcode.reading gives the index of spreadsheet row numbers
EVENT_KEYS = {"id", "required", "event_type", "sub_event_type", "date", "country", "admin1", "admin2",
              "location", "fatalities", "actor1", "inter1", "actor2", "inter2", "evidence", "notes"}


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """The rows of a CSV, XLSX or Parquet file, read by eventcode.reading (encodings, sheets, headers).

    The index holds the row numbers the spreadsheet shows (header = row 1). A workbook's worksheets that
    hold events (an event_type column) are stacked; other sheets (notes, codebooks) are left out.
    event_date is read as validation reads it (day first unless the column only fits month first, many
    spellings), so "05/01/2022" means the same day here as in `eventcode validate`; unreadable dates
    are left empty and then match nothing.
    """
    from .coerce import coerce_dates
    from .reading import read

    sheets = read(path)
    frames = [s.frame for s in sheets if "event_type" in s.frame.columns] or [sheets[0].frame]
    frame = pd.concat(frames) if len(frames) > 1 else frames[0]
    if "event_date" in frame.columns:
        frame = frame.copy()
        frame["event_date"] = coerce_dates(frame["event_date"], "event_date")[0]
    return frame


def row_numbers(frame: pd.DataFrame) -> np.ndarray:
    """Spreadsheet row numbers of a frame: its index when read from a file, else position + 2."""
    if frame.index.name == ROW_INDEX and pd.api.types.is_integer_dtype(frame.index.dtype):
        return frame.index.to_numpy(dtype=np.int64)
    return np.arange(len(frame), dtype=np.int64) + 2


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return [v for v in value if v is not None] if isinstance(value, list) else [value]


def _day(value: Any, path: Path, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(path, f"date {value!r} is not YYYY-MM-DD, YYYY-MM or [start, end]", where) from None


def parse_gold_date(value: Any, path: Path, where: str) -> tuple[dt.date, dt.date]:
    """A gold date as (first, last) day: a day, a [start, end] range, or a month 'YYYY-MM'."""
    if isinstance(value, list):
        if len(value) != 2:
            raise InputError(path, f"a date range is [start, end], got {value!r}", where)
        lo, hi = (_day(v, path, where) for v in value)
        if lo > hi:
            raise InputError(path, f"date range {lo} .. {hi} ends before it starts", where)
        return lo, hi
    text = str(value).strip()
    if len(text) == 7 and text[4] == "-":
        try:
            first = dt.date(int(text[:4]), int(text[5:]), 1)
        except ValueError:
            raise InputError(path, f"month {text!r} is not YYYY-MM", where) from None
        last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
        return first, last
    day = _day(value, path, where)
    return day, day


def _check_taxonomy(event: dict[str, Any], schema: Schema, path: Path, where: str) -> None:
    """Misspelled categories would silently never match, so they are input errors."""
    event_type = event["event_type"]
    if event_type not in schema.taxonomy:
        raise InputError(path, f"event_type {event_type!r} is not one of {', '.join(schema.event_types)}",
                         where)
    for sub in _as_list(event["sub_event_type"]):
        if sub not in schema.taxonomy[event_type]:
            raise InputError(path, f"sub_event_type {sub!r} does not belong to {event_type!r}", where)


def read_gold_yaml(path: str | os.PathLike, schema: Schema | None = None) -> pd.DataFrame:
    """One YAML gold file (one article) as a gold frame; malformed content raises InputError."""
    path = Path(path)
    schema = schema or load_schema()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        raise InputError(path, f"not valid YAML ({getattr(exc, 'problem', None) or exc})", where) from None
    if not isinstance(raw, dict) or "article" not in raw or not isinstance(raw.get("events"), list):
        raise InputError(path, "a gold file is a mapping with 'article' and a list of 'events'")
    article = article_key(pd.Series([str(raw["article"])])).iloc[0]
    rows = []
    for i, event in enumerate(raw["events"]):
        where = f"events[{i}]"
        if not isinstance(event, dict):
            raise InputError(path, "each event is a mapping of field: value", where)
        where = f"events[{i}] ({event.get('id', 'no id')})"
        missing = [k for k in ("event_type", "sub_event_type", "date", "country") if k not in event]
        if missing:
            raise InputError(path, f"missing {', '.join(missing)}", where)
        unknown = set(event) - EVENT_KEYS
        if unknown:
            raise InputError(path, f"unknown field(s) {sorted(unknown)}", where)
        _check_taxonomy(event, schema, path, where)
        lo, hi = parse_gold_date(event["date"], path, where)
        fatalities = event.get("fatalities")
        if fatalities is not None and (not isinstance(fatalities, int) or fatalities < 0):
            raise InputError(path, f"fatalities {fatalities!r} is not a whole number >= 0", where)
        rows.append({
            "file": str(path), "article_id": article, "gold_id": str(event.get("id", f"{article}#{i + 1}")),
            "required": bool(event.get("required", True)), "event_type": event["event_type"],
            "sub_event_type": [str(s) for s in _as_list(event["sub_event_type"])],
            "date_lo": pd.Timestamp(lo), "date_hi": pd.Timestamp(hi),
            "country": event["country"], "admin1": [str(a) for a in _as_list(event.get("admin1"))],
            "location": event.get("location"), "actor1": event.get("actor1"), "inter1": event.get("inter1"),
            "fatalities": fatalities,
        })
    return _finish(pd.DataFrame(rows, columns=[c for c in GOLD_COLUMNS if c != "day"]))


def gold_from_rows(frame: pd.DataFrame, file: str = "") -> pd.DataFrame:
    """A gold frame from ACLED-style rows (a hand-coded sheet used as the reference).

    Each row accepts only its own sub-event type and admin1; its date window follows time_precision.
    """
    lo, hi = date_windows(frame, use_precision=True)
    ids = frame["event_id_cnty"] if "event_id_cnty" in frame.columns else None
    gold = pd.DataFrame({
        "file": file,
        "article_id": article_key(frame["article_id"]) if "article_id" in frame.columns else None,
        "gold_id": ids if ids is not None else [f"row {n}" for n in row_numbers(frame)],
        "required": True,
        "event_type": frame.get("event_type"),
        "sub_event_type": frame.get("sub_event_type", pd.Series(index=frame.index)).map(_cell_list),
        "date_lo": lo, "date_hi": hi,
        "country": frame.get("country"),
        "admin1": frame.get("admin1", pd.Series(index=frame.index)).map(_cell_list),
        "location": frame.get("location"), "actor1": frame.get("actor1"), "inter1": frame.get("inter1"),
        "fatalities": pd.to_numeric(frame.get("fatalities", pd.Series(index=frame.index)), errors="coerce"),
    }, index=frame.index)
    return _finish(gold)


def _cell_list(value: Any) -> list[Any]:
    return [] if value is None or (isinstance(value, float) and pd.isna(value)) else [value]


def _finish(gold: pd.DataFrame) -> pd.DataFrame:
    gold["date_lo"] = pd.to_datetime(gold["date_lo"]).astype("datetime64[ns]")
    gold["date_hi"] = pd.to_datetime(gold["date_hi"]).astype("datetime64[ns]")
    gold["day"] = gold["date_lo"].where(gold["date_lo"].eq(gold["date_hi"]))
    gold["fatalities"] = pd.to_numeric(gold["fatalities"], errors="coerce").astype("Int64")
    gold["required"] = gold["required"].astype(bool)
    return gold[list(GOLD_COLUMNS)].reset_index(drop=True)


def gold_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The files behind GOLD arguments: a directory stands for the YAML files in it, sorted."""
    files: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            found = sorted(p for p in item.iterdir() if p.suffix.lower() in YAML_SUFFIXES)
            if not found:
                raise InputError(item, "directory holds no .yaml gold files")
            files.extend(found)
        elif not item.exists():
            raise InputError(item, "no such file or directory")
        else:
            files.append(item)
    return files


def load_gold(paths: Iterable[str | os.PathLike], schema: Schema | None = None) -> pd.DataFrame:
    """All gold events from YAML files, directories of them, or spreadsheets, as one gold frame."""
    frames = []
    for path in gold_files(paths):
        if path.suffix.lower() in YAML_SUFFIXES:
            frames.append(read_gold_yaml(path, schema))
        else:
            frames.append(gold_from_rows(read_table(path), file=str(path)))
    if not frames:
        raise InputError("GOLD", "no gold files given")
    return pd.concat(frames, ignore_index=True)
