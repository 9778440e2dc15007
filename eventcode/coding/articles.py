"""Read news articles from text, JSON Lines, CSV, XLSX and HTML files, directories, globs or stdin.

Why a generator: a corpus can hold millions of articles; the coder sees one at a time and never holds
them all. Every problem is an InputError naming the file and the article, never a traceback. A problem
with one record (a RecordError: broken JSON line, empty text, unreadable date) may be skipped by the
caller (`on_skip`), so that one bad line late in a feed does not cost the articles before it.
Files are decoded line by line (see LineDecoder), and each title and text is repaired with ftfy.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import glob
import io
import json
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from ..encodings import UTF8_MULTIBYTE, decode_line
from ..errors import InputError, InputWarning, RecordError
from .model import Article

TEXT_EXT = {".txt", ".text", ".md", ""}
JSONL_EXT = {".jsonl", ".ndjson", ".json"}
CSV_EXT = {".csv", ".tsv"}
HTML_EXT = {".html", ".htm", ".xhtml"}
XLSX_EXT = {".xlsx", ".xlsm"}
KNOWN_EXT = TEXT_EXT | JSONL_EXT | CSV_EXT | HTML_EXT | XLSX_EXT
INPUT_FORMATS = ("text", "jsonl", "csv", "html", "xlsx")
HEADER_RE = re.compile(r"^(title|source|published|date|url|author)\s*:\s*(.*?)\s*$", re.IGNORECASE)
FIELDS = ("id", "title", "text", "source", "published", "url")
SNIFF = 65536
MAX_WARNINGS = 10  # repaired lines reported one by one per file; the rest are counted
# A full date written in the text, for articles without a Published header.
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
FULL_DATE_RE = re.compile(
    rf"\b(\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{MONTHS})\.? \d{{4}}|(?:{MONTHS})\.? \d{{1,2}},? \d{{4}})\b",
    re.IGNORECASE,
)


ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# 12/03/2025: 12 March or 3 December? Only a day above 12 says which.
NUMERIC_DATE_RE = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})")


def parse_date(value: Any, path: str = "", where: str | None = None, *, strict: bool = False) -> date | None:
    """A publication date from a header, field or option; None when empty.

    `strict` (the --published option) accepts only YYYY-MM-DD. Otherwise an ISO date (maybe with a time)
    or a date with its month in words is read; an all-numeric date whose day and month could be swapped
    (12/03/2025) is refused rather than guessed.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if strict:
        if ISO_DATE_RE.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        raise InputError(path or "<option>", f"cannot read the date {text!r}; write it as YYYY-MM-DD", where)
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    numeric = NUMERIC_DATE_RE.fullmatch(text)
    if numeric and int(numeric.group(1)) <= 12 and int(numeric.group(2)) <= 12 \
            and numeric.group(1).lstrip("0") != numeric.group(2).lstrip("0"):
        raise RecordError(path or "<option>", f"the date {text!r} is ambiguous (day and month could be "
                          "swapped); write it as YYYY-MM-DD", where)
    import dateparser

    settings = {"REQUIRE_PARTS": ["day", "month", "year"]}
    if numeric:
        settings["DATE_ORDER"] = "DMY" if int(numeric.group(1)) > 12 else "MDY"
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        raise RecordError(path or "<option>", f"cannot read the date {text!r}; write it as YYYY-MM-DD", where)
    return parsed.date()


def _date_in_text(text: str) -> date | None:
    m = FULL_DATE_RE.search(text[:2000])
    if not m:
        return None
    try:
        return parse_date(m.group(1))
    except InputError:
        return None


# -- decoding -------------------------------------------------------------------------------------------
class LineDecoder:
    """Decodes a file line by line, never by a guess over the whole file.

    Why per line: a UTF-8 file with one stray Windows byte used to be decoded whole as a single-byte
    encoding, and every later "Zürich" became "ZÃ¼rich". Here a valid UTF-8 line is kept as it is, and a
    line that is not is repaired (its stray bytes read as cp1252) and reported with its number. Only a
    file with no UTF-8 at all in its first block is read in the single encoding charset-normalizer
    detects (a cp1252 or cp1251 export), with one warning.
    """

    def __init__(self, path: str, head: bytes, warn: Callable[[str], None]):
        self.path = path
        self.warn = warn
        if b"\x00" in head:
            raise RecordError(path, "looks like a binary file, not text; give text, JSON Lines, CSV or HTML")
        self.encoding = "utf-8"
        self.repaired = 0
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            if not UTF8_MULTIBYTE.search(head):
                self.encoding = _legacy_encoding(head, path)
                warn(f"{path}: not UTF-8; decoded as {self.encoding} (check accented letters, or save the "
                     "file as UTF-8)")

    def decode(self, number: int, raw: bytes) -> str:
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if self.encoding != "utf-8":
            return raw.decode(self.encoding, errors="replace")
        text, bad = decode_line(raw)
        if bad is not None:
            self.repaired += 1
            if self.repaired <= MAX_WARNINGS:
                self.warn(f"{self.path}: line {number}: not valid UTF-8 (byte 0x{raw[bad:bad + 1].hex()}); "
                          "repaired, the stray bytes read as cp1252")
        return text

    def lines(self, raw_lines: Iterable[bytes]) -> Iterator[str]:
        for number, raw in enumerate(raw_lines, 1):
            yield self.decode(number, raw)
        if self.repaired > MAX_WARNINGS:
            more = self.repaired - MAX_WARNINGS
            self.warn(f"{self.path}: {more:,} more lines not valid UTF-8, repaired the same way; save the "
                      "file as UTF-8")


def _legacy_encoding(head: bytes, path: str) -> str:
    """The single-byte encoding of a file without UTF-8, preferring cp1252 when it is as good a guess."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(head))
    if not matches:
        raise RecordError(path, "cannot decode the text (unknown encoding); save it as UTF-8")
    best = matches[0]
    if any(m.encoding == "cp1252" and m.chaos <= best.chaos for m in matches):
        return "cp1252"
    return "cp1252" if best.encoding in ("utf_8", "ascii") else str(best.encoding)


def decode(data: bytes, path: str, warn: Callable[[str], None] | None = None) -> str:
    """Bytes to text, line by line (see LineDecoder); binary is refused."""
    decoder = LineDecoder(path, data[:SNIFF], warn or _warn)
    return "".join(decoder.lines(io.BytesIO(data)))


def _warn(message: str) -> None:
    warnings.warn(message, InputWarning, stacklevel=3)


# what ftfy can change in ASCII text: HTML entities, control characters and terminal escapes
ASCII_REPAIRABLE = re.compile(r"[&\x00-\x08\x0b-\x1f\x7f]")


def repair(text: str) -> str:
    """Text as it was meant: mojibake ("â€™"), HTML entities, odd quotes and line breaks fixed by ftfy."""
    if text.isascii() and not ASCII_REPAIRABLE.search(text):
        return text  # nothing ftfy would change (it costs about 0.4 ms an article)
    import ftfy

    return ftfy.fix_text(text)


def split_header(raw: str) -> tuple[dict[str, str], str]:
    """Header lines (Title:, Source:, Published:, URL:) up to the first blank line, and the body."""
    lines = raw.split("\n")
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and lines[i].strip():
        m = HEADER_RE.match(lines[i])
        if not m:
            break
        header[m.group(1).lower()] = m.group(2)
        i += 1
    if not header or (i < len(lines) and lines[i].strip()):
        return {}, raw
    return header, "\n".join(lines[i + 1:])


def _url_site(url: str) -> str:
    """The site an article URL points to ("www.example.org/x" -> "example.org"), or ""."""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.")


class ArticleReader:
    """Turns inputs into Articles, filling what an article lacks from the defaults.

    `input_format` (text, jsonl, csv, html, xlsx) overrides what the file name or, on standard input, the
    content says. `text_column`, `id_column` and `date_column` name the fields of CSV, XLSX and JSON
    records (default text, id, published). `on_skip(error)`: when given, a bad record (broken JSON, empty
    text, unreadable date, ...) is passed to it and skipped, and `skipped` counts them; without it the
    first raises. `on_warning(message)` hears about repaired input (default: warnings.warn).
    """

    def __init__(self, published: date | str | None = None, source: str | None = None, *,
                 input_format: str | None = None, text_column: str | None = None,
                 id_column: str | None = None, date_column: str | None = None,
                 on_skip: Callable[[InputError], None] | None = None,
                 on_warning: Callable[[str], None] | None = None):
        self.published = parse_date(published, "--published", strict=True)
        self.source = source or ""
        if input_format is not None and input_format not in INPUT_FORMATS:
            raise InputError("--input-format", f"unknown input format {input_format!r}; use one of "
                             f"{', '.join(INPUT_FORMATS)}")
        self.input_format = input_format
        self.text_column = text_column or "text"
        self.id_column = id_column or "id"
        self.date_column = date_column
        self.on_skip = on_skip
        self.warn = on_warning or _warn
        self.skipped = 0

    # -- public -----------------------------------------------------------------------------------
    def read(self, inputs: Iterable[str | Path] | str | Path) -> Iterator[Article]:
        if isinstance(inputs, (str, Path)):
            inputs = [inputs]
        for item in inputs:
            for path in self._expand(str(item)):
                yield from self._read_path(path)

    def make(self, *, id: str, text: str, path: str, title: str = "", source: str = "",
             published: Any = None, url: str = "", where: str | None = None) -> Article:
        """One Article, checked: not empty, with a publication date from somewhere.

        Title and text are repaired as read (ftfy: mojibake, HTML entities, odd quotes), so every
        offset the coder gives (evidence_start/evidence_end) is into the repaired text.
        """
        where = where or f"article {id}"
        text = repair(text.replace("\r\n", "\n").replace("\r", "\n"))
        if not text.strip():
            raise RecordError(path, "the article is empty", where)
        when = parse_date(published, path, where) or self.published or _date_in_text(text)
        if when is None:
            raise RecordError(path, "the article has no publication date (no Published: header, field or "
                              "date in the text); pass --published YYYY-MM-DD", where)
        # ACLED rows require a source: the article's own, then --source, then the site of its URL
        outlet = source or self.source or _url_site(url or "")
        return Article(id=str(id), text=text, title=repair(title or ""), source=outlet,
                       published=when, url=url or "", path=path)

    def skip(self, error: InputError) -> None:
        """Report a bad record and go on, or raise it when no one listens (strict input)."""
        if self.on_skip is None:
            raise error
        self.skipped += 1
        self.on_skip(error)

    # -- inputs -----------------------------------------------------------------------------------
    def _expand(self, item: str) -> Iterator[str]:
        if item == "-":
            yield "-"
            return
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in KNOWN_EXT
                           and not p.name.startswith(".") and not p.name.startswith("~$"))
            if not files:
                raise InputError(item, "the directory holds no article files (.txt, .jsonl, .csv, .xlsx, "
                                 ".html)")
            yield from (str(p) for p in files)
        elif path.is_file():
            yield item
        elif any(ch in item for ch in "*?["):
            files = sorted(glob.glob(item, recursive=True))
            if not files:
                raise InputError(item, "no file matches this pattern")
            yield from (f for f in files if Path(f).is_file())
        else:
            raise InputError(item, "no such file or directory")

    def _format_of(self, path: str) -> str:
        if self.input_format:
            return self.input_format
        suffix = Path(path).suffix.lower()
        for fmt, extensions in (("jsonl", JSONL_EXT), ("csv", CSV_EXT), ("html", HTML_EXT),
                                ("xlsx", XLSX_EXT)):
            if suffix in extensions:
                return fmt
        return "text"

    def _read_path(self, path: str) -> Iterator[Article]:
        if path == "-":
            name, stem = "<stdin>", "stdin"
            data = sys.stdin.buffer.read()
            fmt = self.input_format or self._detect(data)
        else:
            name, stem = path, Path(path).stem
            fmt = self._format_of(path)
            data = None
        try:
            if fmt == "xlsx":
                yield from self._xlsx(io.BytesIO(data) if data is not None else path, name, stem)
                return
            if fmt in ("jsonl", "csv"):
                with self._lines(name, data) as lines:
                    if fmt == "jsonl":
                        yield from self._jsonl(lines, name, stem)
                    else:
                        delimiter = "\t" if path.lower().endswith(".tsv") else ","
                        if data is not None:
                            delimiter = _delimiter(data, self.text_column) or delimiter
                        yield from self._csv(lines, name, stem, delimiter)
                return
            raw = decode(self._bytes(path) if data is None else data, name, self.warn)
            yield self._html(raw, name, stem) if fmt == "html" else self._text(raw, name, stem)
        except RecordError as exc:  # a file that is one article (or cannot be read as one)
            self.skip(exc)

    def _detect(self, data: bytes) -> str:
        """The format of standard input from its content: JSON Lines, CSV with a text column, HTML, text."""
        if data[:4] == b"PK\x03\x04":
            return "xlsx"
        head = data[:SNIFF].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"{"):
            return "jsonl"
        if head[:1] == b"<" and re.match(rb"<(!doctype|html|head|body|article|div|p)\b", head[:100], re.I):
            return "html"
        if _delimiter(data, self.text_column):
            return "csv"
        return "text"

    def _bytes(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or exc}") from None

    @contextlib.contextmanager
    def _lines(self, path: str, data: bytes | None) -> Iterator[Iterator[str]]:
        """The decoded lines of a large file (streamed) or of bytes read already (stdin)."""
        if data is not None:
            yield LineDecoder(path, data[:SNIFF], self.warn).lines(io.BytesIO(data))
            return
        try:
            fh = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
        try:
            head = fh.read(SNIFF)
            fh.seek(0)
            yield LineDecoder(path, head, self.warn).lines(fh)
        finally:
            fh.close()

    # -- formats ----------------------------------------------------------------------------------
    def _text(self, raw: str, path: str, stem: str) -> Article:
        header, body = split_header(raw)
        return self.make(id=stem, text=body, path=path, title=header.get("title", ""),
                         source=header.get("source", ""),
                         published=header.get("published") or header.get("date"),
                         url=header.get("url", ""))

    def _field(self, rec: dict, name: str) -> Any:
        if name in rec:
            return rec[name]
        folded = name.strip().lower()
        for key, value in rec.items():
            if str(key).strip().lower() == folded:
                return value
        return None

    def _record(self, rec: Any, path: str, default_id: str, where: str) -> Article:
        if not isinstance(rec, dict):
            raise RecordError(path, "each record must be an object with a text field", where)
        art_id = _cell_text(self._field(rec, self.id_column)) or default_id
        text = self._field(rec, self.text_column)
        if text is None and any(str(k).strip().lower() == self.text_column.lower() for k in rec):
            text = ""  # an empty cell: the article is empty
        if not isinstance(text, str):
            raise RecordError(path, f"the record has no {self.text_column} field" if text is None else
                              f"the {self.text_column} field is not text", f"{where} (article {art_id})")
        if self.date_column:
            published = self._field(rec, self.date_column)
        else:
            published = self._field(rec, "published")
            published = self._field(rec, "date") if published in (None, "") else published
        return self.make(id=art_id, text=text, path=path, title=_cell_text(self._field(rec, "title")),
                         source=_cell_text(self._field(rec, "source")), published=published,
                         url=_cell_text(self._field(rec, "url")), where=f"{where} (article {art_id})")

    def _jsonl(self, lines: Iterable[str], path: str, stem: str) -> Iterator[Article]:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                try:
                    rec = json.loads(line.rstrip("\r\n"))
                except json.JSONDecodeError as exc:
                    raise RecordError(path, f"not valid JSON ({exc.msg})", f"line {number}") from None
                yield self._record(rec, path, f"{stem}-{number}", f"line {number}")
            except RecordError as exc:
                self.skip(exc)

    def _columns(self, header: list[str], path: str, where: str) -> None:
        """Refuse a header that lacks a named column (an input error: every record would fail)."""
        names = [str(h).strip().lower() for h in header if h is not None]
        wanted = [("text", self.text_column)]
        if self.id_column != "id":
            wanted.append(("id", self.id_column))
        if self.date_column:
            wanted.append(("date", self.date_column))
        for role, column in wanted:
            if column.strip().lower() not in names:
                columns = ", ".join(str(h) for h in header if h not in (None, "")) or "none"
                raise InputError(path, f"the header has no {role} column {column!r} (its columns: "
                                 f"{columns}); name it with --{role}-column", where)

    def _csv(self, lines: Iterable[str], path: str, stem: str, delimiter: str) -> Iterator[Article]:
        reader = csv.reader(lines, delimiter=delimiter)
        header = next(reader, None)
        if not header:
            raise InputError(path, "the file is empty; a CSV of articles needs a header row", "row 1")
        self._columns(header, path, "row 1")
        for number, row in enumerate(reader, 2):
            if not any(cell.strip() for cell in row):
                continue
            rec = dict(zip(header, row, strict=False))
            try:
                yield self._record(rec, path, f"{stem}-{number}", f"row {number}")
            except RecordError as exc:
                self.skip(exc)

    def _xlsx(self, source: str | IO[bytes], path: str, stem: str) -> Iterator[Article]:
        """The first sheet of a workbook: a header row, then one article a row."""
        from openpyxl import load_workbook

        try:
            book = load_workbook(source, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl errors alike
            raise InputError(path, f"cannot read the workbook ({type(exc).__name__}: {exc})") from None
        try:
            sheet = book.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header: list[Any] | None = None
            for number, values in enumerate(rows, 1):
                if header is None:
                    if any(v not in (None, "") for v in values):
                        header = [_cell_text(v) for v in values]
                        self._columns(header, path, f"sheet {sheet.title!r} row {number}")
                    continue
                if all(v in (None, "") for v in values):
                    continue
                rec = {h: v for h, v in zip(header, values, strict=False) if h}
                rec.update((h, None) for h in header if h and h not in rec)
                if isinstance(rec.get(self.text_column), (int, float)):
                    rec[self.text_column] = _cell_text(rec[self.text_column])
                try:
                    yield self._record(rec, path, f"{stem}-{number}", f"row {number}")
                except RecordError as exc:
                    self.skip(exc)
            if header is None:
                raise InputError(path, "the first sheet is empty; it needs a header row, then an article a "
                                 "row")
        finally:
            book.close()

    def _html(self, raw: str, path: str, stem: str) -> Article:
        import trafilatura

        # only a date the page states (metadata, markup): htmldate's extensive search guesses one from
        # things like a footer's "(c) 2020", and a guessed publication date shifts every relative date
        doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False,
                                          date_extraction_params={"extensive_search": False,
                                                                  "original_date": True})
        text = getattr(doc, "text", None) if doc is not None else None
        if not text:
            raise RecordError(path, "no article text found in the HTML page")
        # trafilatura separates paragraphs with one newline; the coder reads blank lines
        text = re.sub(r"\n+", "\n\n", text)
        return self.make(id=stem, text=text, path=path, title=getattr(doc, "title", "") or "",
                         source=getattr(doc, "sitename", "") or "", published=getattr(doc, "date", None),
                         url=getattr(doc, "url", "") or "")


def _cell_text(value: Any) -> str:
    """A field as text: None is empty, a whole number from a spreadsheet has no ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if not isinstance(value, str) else value


def _delimiter(data: bytes, column: str = "text") -> str | None:
    """The delimiter of CSV text whose first line is a header naming the text column, or None."""
    first = data[:SNIFF].lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    for delimiter in (",", "\t", ";"):
        if delimiter in first:
            cells = [c.strip().strip('"').strip().lower() for c in first.split(delimiter)]
            if column.strip().lower() in cells:
                return delimiter
    return None


def read_articles(inputs: Iterable[str | Path] | str | Path, *, published: date | str | None = None,
                  source: str | None = None, **options: Any) -> Iterator[Article]:
    """Stream Articles from files, directories, globs or '-' (stdin); `options` as for ArticleReader."""
    return ArticleReader(published, source, **options).read(inputs)
