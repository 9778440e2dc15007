"""The review loop: machine-coded rows in a workbook a person corrects, then validates and converts.

Why a workbook: researchers check coded events in Excel or LibreOffice. Each row shows the sentence and
the codebook rule behind it beside the columns, categorical cells offer only the schema's values (the
template's dropdowns), and a second sheet holds the articles so a reviewer can read the context. The
corrected workbook goes through `eventcode validate` and `eventcode convert` unchanged: the reader skips
the articles sheet (its header names no schema column) and the hidden lists sheet, and the evidence
columns are schema columns, so they survive into the Parquet.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from .atomic import atomic_path, check_writable
from .errors import InputError
from .schema import Schema, load_schema
from .tabular_out import EXCEL_CELL_CHARS, EXCEL_ROWS, escape_formulas, write_xlsx
from .template import DATE_FORMAT, HEADER_FILL, LISTS_SHEET, add_validations, column_width, style_header

if TYPE_CHECKING:
    from .coding.codebook import Codebook
    from .coding.model import Article

EVENTS_SHEET = "events"
ARTICLES_SHEET = "articles"
# What a reviewer needs first: which row, from which article, the sentence, the rule.
LEADING = ("event_id_cnty", "article_id", "evidence", "rule_id")
TRAILING = ("evidence_start", "evidence_end")  # offsets for programs, not for reading
# Not "source": a header naming a schema column would make readers take the sheet for event rows.
ARTICLE_COLUMNS = ("id", "title", "published", "outlet", "url", "text")
EXTRA_ROWS = 200  # rows below the coded ones that keep their dropdowns, for events the coder missed
EVIDENCE_WIDTH = 60
TEXT_WIDTH = 100
TRUNCATED = " [... truncated: Excel holds 32,767 characters in a cell]"
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class ReviewResult:
    """What `review` wrote: the workbook, how many articles it read and how many rows it coded."""

    path: Path
    articles: int
    rows: int

    def summary(self) -> str:
        return (f"Coded {self.articles} article(s): {self.rows} event(s) written to {self.path} for review "
                f"(correct it, then: eventcode validate {self.path})")


def review_columns(schema: Schema, extra: Iterable[str] = ()) -> list[str]:
    """Every schema column, the evidence ones first (LEADING) and the offsets last; then `extra`."""
    names = schema.names
    lead = [n for n in LEADING if n in names]
    tail = [n for n in TRAILING if n in names]
    middle = [n for n in names if n not in lead and n not in tail]
    return lead + middle + tail + [n for n in extra if n not in names]


def write_review(rows: pd.DataFrame, articles: Iterable[Article] | pd.DataFrame, path: str | os.PathLike,
                 force: bool = False, *, schema: Schema | None = None, extra_rows: int = EXTRA_ROWS) -> Path:
    """Write the review workbook: sheet "events" (`rows`, every schema column, evidence on the left,
    dropdowns on every categorical column), sheet "articles" (id, title, published, outlet, url, text)
    and a hidden "lists" sheet for long dropdowns. Atomic; an existing file is kept unless `force`.

    `rows` are coded rows (code_articles' frames); columns the schema lacks are kept at the right (the
    validator will name them). `articles` are Articles or a frame with the ARTICLE_COLUMNS.
    """
    schema = schema or load_schema()
    target = Path(path)
    _require_xlsx(target)
    check_writable(target, force)
    names = review_columns(schema, extra=rows.columns)
    frame = rows.reindex(columns=names)
    if len(frame) + 1 + extra_rows > EXCEL_ROWS:
        raise InputError(target, f"{len(frame):,} rows do not fit an Excel sheet; review fewer articles at "
                                 "a time")
    texts = _articles_frame(articles)
    with atomic_path(target, force=force) as tmp:
        write_xlsx(frame, tmp, force=True, sheet_name=EVENTS_SHEET)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            book = load_workbook(tmp)
        events = book[EVENTS_SHEET]
        article_rows = _articles_sheet(book.create_sheet(ARTICLES_SHEET), texts)
        lists = book.create_sheet(LISTS_SHEET)
        _format_events(events, lists, schema, names, len(frame), extra_rows)
        _link_articles(events, names, frame, article_rows)
        lists.sheet_state = "hidden"
        book.active = 0
        book.save(tmp)
    return target


def review(inputs: Iterable[str | os.PathLike] | str | os.PathLike, output: str | os.PathLike, *,
           codebook: Codebook | str | os.PathLike | None = None, published: date | str | None = None,
           source: str | None = None, jobs: int = 1, force: bool = False,
           progress: bool = False) -> ReviewResult:
    """Code the articles in `inputs` (files, directories, globs) and write the review workbook `output`.

    The articles are held in memory for the articles sheet: a review is a batch a person reads.
    """
    from .coding.articles import read_articles
    from .coding.codebook import Codebook, load_codebook
    from .coding.coder import code_articles
    from .coding.rows import events_to_frame

    target = Path(output)
    _require_xlsx(target)
    check_writable(target, force)  # refuse before coding, not after
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    sources = [os.fspath(i) for i in ([inputs] if isinstance(inputs, (str, os.PathLike)) else inputs)]
    articles = list(read_articles(sources, published=published, source=source))
    frames = list(code_articles(articles, codebook=book, jobs=jobs, progress=progress))
    rows = pd.concat(frames, ignore_index=True) if frames else events_to_frame([])
    write_review(rows, articles, target, force=force)
    return ReviewResult(target, len(articles), len(rows))


# -- the events sheet -------------------------------------------------------------------------------
def _require_xlsx(target: Path) -> None:
    if target.suffix.lower() != ".xlsx":
        raise InputError(target, f"a review workbook is .xlsx, not {target.suffix or '(no extension)'!r}")


def _format_events(sheet: Worksheet, lists: Worksheet, schema: Schema, names: list[str], count: int,
                   extra_rows: int) -> None:
    """Header notes, widths that show the dropdown values, wrapped evidence, validations below the rows."""
    columns = [schema.by_name[n] for n in names if n in schema.by_name]  # schema columns come first
    style_header(sheet, columns)
    for position, name in enumerate(names, start=1):
        if name not in schema.by_name:
            sheet.cell(row=1, column=position).font = Font(bold=True)
    last_row = count + 1 + extra_rows
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        dimension = sheet.column_dimensions[letter]
        if column.name == "evidence":
            dimension.width = EVIDENCE_WIDTH
            for (cell,) in sheet.iter_rows(min_row=2, max_row=count + 1, min_col=position, max_col=position):
                cell.alignment = WRAP
        elif column.allowed is not None:
            dimension.width = max(dimension.width or 0, column_width(column))
        elif column.type == "date":
            for (cell,) in sheet.iter_rows(min_row=2, max_row=last_row, min_col=position, max_col=position):
                cell.number_format = DATE_FORMAT
    add_validations(sheet, lists, schema, columns, last_row)


def _link_articles(sheet: Worksheet, names: list[str], frame: pd.DataFrame, article_rows: dict[str, int]
                   ) -> None:
    """Each article_id cell links to its article's row, so the reviewer reads the context in one click."""
    if "article_id" not in names or not article_rows:
        return
    position = names.index("article_id") + 1
    shown = escape_formulas(frame[["article_id"]])["article_id"]  # as written in both sheets
    for offset, article_id in enumerate(shown.tolist(), start=2):
        row = article_rows.get(article_id) if isinstance(article_id, str) else None
        if row is not None:
            cell = sheet.cell(row=offset, column=position)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{ARTICLES_SHEET}'!A{row}",
                                       tooltip="Read the article")


# -- the articles sheet -----------------------------------------------------------------------------
def _articles_frame(articles: Iterable[Article] | pd.DataFrame) -> pd.DataFrame:
    """The articles as text cells a spreadsheet shows as written (no formulas, no forbidden characters).

    The evidence offsets count in the original text; an escaping apostrophe or a dropped control character
    shifts the sheet's copy by a character or two, which a reader does not notice.
    """
    if isinstance(articles, pd.DataFrame):
        frame = articles.reindex(columns=list(ARTICLE_COLUMNS))
    else:
        records = [{"id": a.id, "title": a.title, "published": a.published, "outlet": a.source, "url": a.url,
                    "text": a.text} for a in articles]
        frame = pd.DataFrame(records, columns=list(ARTICLE_COLUMNS))
    frame = frame.astype(object).where(frame.notna(), None)
    text = frame["text"].map(lambda t: t if not isinstance(t, str) or len(t) <= EXCEL_CELL_CHARS
                             else t[:EXCEL_CELL_CHARS - len(TRUNCATED)] + TRUNCATED)
    frame["text"] = text
    safe = escape_formulas(frame.drop(columns="published"))
    for name in safe.columns:
        safe[name] = safe[name].map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
    safe.insert(2, "published", frame["published"].map(_as_date))
    return safe


def _as_date(value: Any) -> date | str | None:
    if isinstance(value, datetime):
        return value.date()
    return value if value is None or isinstance(value, date) else str(value)


def _articles_sheet(sheet: Worksheet, texts: pd.DataFrame) -> dict[str, int]:
    """Write the articles; returns each article id's row (the first, should ids repeat)."""
    sheet.append(list(texts.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    rows: dict[str, int] = {}
    for number, record in enumerate(texts.itertuples(index=False), start=2):
        sheet.append(list(record))
        rows.setdefault(str(record[0]), number)
    widths = {"id": 18, "title": 40, "published": 12, "outlet": 24, "url": 30, "text": TEXT_WIDTH}
    for position, name in enumerate(texts.columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = widths[name]
    published = list(texts.columns).index("published") + 1
    text = list(texts.columns).index("text") + 1
    for row in sheet.iter_rows(min_row=2):
        row[published - 1].number_format = DATE_FORMAT
        row[text - 1].alignment = WRAP
    sheet.freeze_panes = "B2"
    return rows
