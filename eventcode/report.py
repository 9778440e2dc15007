"""Validation problems and the report that gathers them, with text, JSON and CSV formatters.

Why a DataFrame inside: a million-row file with a systematic mistake yields a million problems, and they
are built and summarised column-wise; `Problem` objects are made only when someone iterates over them.
Every problem names the row number the spreadsheet shows (header = row 1, first data row = 2).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

import pandas as pd

FIELDS = ("file", "sheet", "row", "column", "value", "check", "message", "suggestion")
TEXT_LIMIT = 50  # problems the text format shows unless asked for all
VALUE_WIDTH = 40


@dataclass(frozen=True)
class Problem:
    """One finding: where it is (file, sheet, spreadsheet row, column), what it holds and what to do."""

    file: str
    sheet: str | None
    row: int
    column: str | None
    value: str | None
    check: str
    message: str
    suggestion: str | None = None


def problem_frame(rows: Iterable[dict[str, Any]] | pd.DataFrame | None = None) -> pd.DataFrame:
    """A problems table with exactly FIELDS as columns, in order, with plain Python-friendly dtypes."""
    frame = pd.DataFrame(list(rows) if rows is not None and not isinstance(rows, pd.DataFrame) else rows)
    for name in FIELDS:
        if name not in frame.columns:
            frame[name] = None
    frame = frame[list(FIELDS)]
    frame["row"] = pd.to_numeric(frame["row"], errors="coerce").fillna(0).astype("int64")
    for name in FIELDS:
        if name != "row":
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame.reset_index(drop=True)


class Report:
    """Everything validation found in one run over one or more files."""

    def __init__(self, problems: pd.DataFrame | Iterable[Problem] | None = None,
                 notes: Iterable[str] = (), files: Iterable[str] = (), rows: int = 0):
        if isinstance(problems, pd.DataFrame):
            frame = problem_frame(problems)
        else:
            frame = problem_frame([asdict(p) for p in problems or []])
        self._frame = frame.sort_values(["file", "row"], kind="stable").reset_index(drop=True)
        self.notes = list(notes)
        self.files = list(files)
        self.rows = int(rows)
        self._problems: list[Problem] | None = None

    def __repr__(self) -> str:
        return f"<Report {self.headline()}>"

    @property
    def problems(self) -> list[Problem]:
        """The problems as objects, built on first use (cheap for big reports until asked)."""
        if self._problems is None:
            names = [f.name for f in fields(Problem)]
            self._problems = [Problem(*values) for values in self._frame[names].itertuples(index=False)]
        return self._problems

    @property
    def valid(self) -> bool:
        return self._frame.empty

    def __len__(self) -> int:
        return len(self._frame)

    def to_frame(self) -> pd.DataFrame:
        """One row per problem, columns file, sheet, row, column, value, check, message, suggestion."""
        return self._frame.copy()

    def summary(self) -> pd.DataFrame:
        """Problem counts by column and check, largest first: the first thing a reviewer reads."""
        if self._frame.empty:
            return pd.DataFrame({"column": [], "check": [], "count": []}).astype({"count": "int64"})
        counts = (self._frame.assign(column=self._frame["column"].fillna(""))
                  .groupby(["column", "check"], sort=False).size().rename("count").reset_index())
        return counts.sort_values(["count", "column", "check"], ascending=[False, True, True],
                                  kind="stable").reset_index(drop=True)

    # -- formatters ---------------------------------------------------------------------------------
    def to_json(self, indent: int | None = 2) -> str:
        """One object: valid, files, rows, notes, summary, problems."""
        payload = {
            "valid": self.valid,
            "files": list(self.files),
            "rows": int(self.rows),
            "notes": list(self.notes),
            "summary": [{"column": r.column or None, "check": r.check, "count": int(r.count)}
                        for r in self.summary().itertuples(index=False)],
            "problems": [],
        }
        if self._frame.empty:
            return json.dumps(payload, indent=indent, ensure_ascii=False) + "\n"
        # pandas writes the problem records in C; splice them in rather than round-tripping a million dicts
        head = json.dumps(payload, indent=indent, ensure_ascii=False)
        records = self._frame.to_json(orient="records", force_ascii=False, lines=True).strip()
        records = records.replace("\\/", "/")  # pandas escapes every "/" (valid, but unreadable)
        body = ",\n    ".join(records.split("\n")) if indent else ",".join(records.split("\n"))
        opening, closing = ("[\n    ", "\n  ]") if indent else ("[", "]")
        marker = '"problems": []'
        return head.replace(marker, f'"problems": {opening}{body}{closing}', 1) + "\n"

    def to_csv(self) -> str:
        """One CSV row per problem (header included even when there is none)."""
        buffer = io.StringIO()
        self._frame.to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()

    def to_text(self, limit: int | None = TEXT_LIMIT) -> str:
        """Summary table first, then the problems row by row; `limit=None` shows every problem."""
        lines = [self.headline()]
        lines += [f"note: {note}" for note in self.notes]
        if self.valid:
            return "\n".join(lines) + "\n"
        summary = self.summary()
        lines.append("")
        lines += _table(["column", "check", "count"],
                        [[r.column, r.check, f"{r.count:,}"] for r in summary.itertuples(index=False)],
                        right={2})
        shown = self._frame if limit is None else self._frame.head(limit)
        multi_file = len(set(self._frame["file"])) > 1
        header = (["file"] if multi_file else []) + ["row", "column", "value", "problem", "suggestion"]
        body = []
        for p in shown.itertuples(index=False):
            place = [_where(p.file, p.sheet)] if multi_file else []
            body.append(place + [str(p.row), p.column or "", _clip(p.value), p.message, p.suggestion or ""])
        lines.append("")
        lines += _table(header, body, right={len(header) - 5})
        hidden = len(self._frame) - len(shown)
        if hidden > 0:
            lines.append(f"... {hidden:,} more (show all with --all, or write them with --report)")
        return "\n".join(lines) + "\n"

    def headline(self) -> str:
        """One line: how many files, rows and problems, and the verdict."""
        files = ", ".join(self.files) if len(self.files) <= 3 else f"{len(self.files)} files"
        verdict = "valid" if self.valid else "INVALID"
        count = len(self._frame)
        noun = "problem" if count == 1 else "problems"
        return f"{files or '(no file)'}: {self.rows:,} rows, {count:,} {noun}: {verdict}"

    def format(self, fmt: str, limit: int | None = TEXT_LIMIT) -> str:
        if fmt == "json":
            return self.to_json()
        if fmt == "csv":
            return self.to_csv()
        if fmt == "text":
            return self.to_text(limit)
        raise ValueError(f"unknown report format {fmt!r}; use text, json or csv")


def _where(file: str, sheet: str | None) -> str:
    return f"{file} [{sheet}]" if sheet else file


def _clip(value: object, width: int = VALUE_WIDTH) -> str:
    if value is None:
        return ""
    text = str(value).replace("\n", "\\n").replace("\r", "\\r").replace("\t", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    """A plain aligned table: readable in a terminal and in a log file; the last column is not padded."""
    right = right or set()
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            if i == len(cells) - 1:
                out.append(cell)
            else:
                out.append(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]))
        return "  ".join(out).rstrip()

    return [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
