"""Read news articles from text, JSON Lines, CSV and HTML files, directories, globs or stdin.

Why a generator: a corpus can hold millions of articles; the coder sees one at a time and never holds
them all. Every problem is an InputError naming the file and the article, never a traceback.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from ..errors import InputError
from .model import Article

TEXT_EXT = {".txt", ".text", ".md", ""}
JSONL_EXT = {".jsonl", ".ndjson", ".json"}
CSV_EXT = {".csv", ".tsv"}
HTML_EXT = {".html", ".htm", ".xhtml"}
KNOWN_EXT = TEXT_EXT | JSONL_EXT | CSV_EXT | HTML_EXT
HEADER_RE = re.compile(r"^(title|source|published|date|url|author)\s*:\s*(.*?)\s*$", re.IGNORECASE)
FIELDS = ("id", "title", "text", "source", "published", "url")
SNIFF = 65536
# A full date written in the text, for articles without a Published header.
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
FULL_DATE_RE = re.compile(
    rf"\b(\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{MONTHS})\.? \d{{4}}|(?:{MONTHS})\.? \d{{1,2}},? \d{{4}})\b",
    re.IGNORECASE,
)


def parse_date(value: Any, path: str = "", where: str | None = None) -> date | None:
    """A publication date from a header, field or option; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    if parsed is None:
        raise InputError(path or "<option>", f"cannot read the date {text!r}; write it as YYYY-MM-DD", where)
    return parsed.date()


def _date_in_text(text: str) -> date | None:
    m = FULL_DATE_RE.search(text[:2000])
    if not m:
        return None
    try:
        return parse_date(m.group(1))
    except InputError:
        return None


def decode(data: bytes, path: str) -> str:
    """Bytes to text: UTF-8 first, else the encoding charset-normalizer detects; binary is refused."""
    if b"\x00" in data[:SNIFF]:
        raise InputError(path, "looks like a binary file, not text; give text, JSON Lines, CSV or HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(path, "cannot decode the text (unknown encoding); save it as UTF-8")
    return str(best)


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
    """Turns inputs into Articles, filling what an article lacks from the defaults."""

    def __init__(self, published: date | str | None = None, source: str | None = None):
        self.published = parse_date(published, "--published")
        self.source = source or ""

    # -- public -----------------------------------------------------------------------------------
    def read(self, inputs: Iterable[str | Path] | str | Path) -> Iterator[Article]:
        if isinstance(inputs, (str, Path)):
            inputs = [inputs]
        for item in inputs:
            for path in self._expand(str(item)):
                yield from self._read_path(path)

    def make(self, *, id: str, text: str, path: str, title: str = "", source: str = "",
             published: Any = None, url: str = "", where: str | None = None) -> Article:
        """One Article, checked: not empty, with a publication date from somewhere."""
        where = where or f"article {id}"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise InputError(path, "the article is empty", where)
        when = parse_date(published, path, where) or self.published or _date_in_text(text)
        if when is None:
            raise InputError(path, "the article has no publication date (no Published: header, field or "
                             "date in the text); pass --published YYYY-MM-DD", where)
        # ACLED rows require a source: the article's own, then --source, then the site of its URL
        outlet = source or self.source or _url_site(url or "")
        return Article(id=str(id), text=text, title=title or "", source=outlet,
                       published=when, url=url or "", path=path)

    # -- inputs -----------------------------------------------------------------------------------
    def _expand(self, item: str) -> Iterator[str]:
        if item == "-":
            yield "-"
            return
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in KNOWN_EXT
                           and not p.name.startswith("."))
            if not files:
                raise InputError(item, "the directory holds no article files (.txt, .jsonl, .csv, .html)")
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

    def _read_path(self, path: str) -> Iterator[Article]:
        if path == "-":
            data = sys.stdin.buffer.read()
            text = decode(data, "<stdin>")
            if text.lstrip().startswith("{"):
                yield from self._jsonl(io.StringIO(text), "<stdin>", "stdin")
            else:
                yield self._text(text, "<stdin>", "stdin")
            return
        suffix = Path(path).suffix.lower()
        stem = Path(path).stem
        if suffix in JSONL_EXT:
            with self._open(path) as fh:
                yield from self._jsonl(fh, path, stem)
        elif suffix in CSV_EXT:
            with self._open(path) as fh:
                yield from self._csv(fh, path, stem, "\t" if suffix == ".tsv" else ",")
        elif suffix in HTML_EXT:
            yield self._html(self._read_text(path), path, stem)
        else:
            yield self._text(self._read_text(path), path, stem)

    def _read_text(self, path: str) -> str:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
        return decode(data, path)

    def _open(self, path: str) -> IO[str]:
        """A text stream over a large file: the encoding is detected from its first block."""
        try:
            fh = open(path, "rb")  # noqa: SIM115 - returned to a with-block
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
        head = fh.read(SNIFF)
        fh.seek(0)
        if b"\x00" in head:
            fh.close()
            raise InputError(path, "looks like a binary file, not text; give text, JSON Lines, CSV or HTML")
        encoding = "utf-8-sig"
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the block's end
                from charset_normalizer import from_bytes

                best = from_bytes(head).best()
                if best is None:
                    fh.close()
                    raise InputError(path, "cannot decode the text (unknown encoding); "
                                     "save it as UTF-8") from None
                encoding = best.encoding
        return _CheckedText(io.TextIOWrapper(fh, encoding=encoding, newline=""), path)

    # -- formats ----------------------------------------------------------------------------------
    def _text(self, raw: str, path: str, stem: str) -> Article:
        header, body = split_header(raw)
        return self.make(id=stem, text=body, path=path, title=header.get("title", ""),
                         source=header.get("source", ""),
                         published=header.get("published") or header.get("date"),
                         url=header.get("url", ""))

    def _record(self, rec: Any, path: str, default_id: str, where: str) -> Article:
        if not isinstance(rec, dict):
            raise InputError(path, "each record must be an object with a text field", where)
        text = rec.get("text")
        if not isinstance(text, str):
            raise InputError(path, "the record has no text field", where)
        art_id = str(rec.get("id") or default_id)
        return self.make(id=art_id, text=text, path=path, title=str(rec.get("title") or ""),
                         source=str(rec.get("source") or ""), published=rec.get("published"),
                         url=str(rec.get("url") or ""), where=f"{where} (article {art_id})")

    def _jsonl(self, fh: Iterable[str], path: str, stem: str) -> Iterator[Article]:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(path, f"not valid JSON ({exc.msg})", f"line {number}") from None
            yield self._record(rec, path, f"{stem}-{number}", f"line {number}")

    def _csv(self, fh: IO[str], path: str, stem: str, delimiter: str) -> Iterator[Article]:
        reader = csv.DictReader(fh, delimiter=delimiter)
        if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
            raise InputError(path, f"the header needs a text column (known columns: {', '.join(FIELDS)})",
                             "row 1")
        for number, row in enumerate(reader, 2):
            rec = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
            yield self._record(rec, path, f"{stem}-{number}", f"row {number}")

    def _html(self, raw: str, path: str, stem: str) -> Article:
        import trafilatura

        # only a date the page states (metadata, markup): htmldate's extensive search guesses one from
        # things like a footer's "(c) 2020", and a guessed publication date shifts every relative date
        doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False,
                                          date_extraction_params={"extensive_search": False,
                                                                  "original_date": True})
        text = getattr(doc, "text", None) if doc is not None else None
        if not text:
            raise InputError(path, "no article text found in the HTML page")
        # trafilatura separates paragraphs with one newline; the coder reads blank lines
        text = re.sub(r"\n+", "\n\n", text)
        return self.make(id=stem, text=text, path=path, title=getattr(doc, "title", "") or "",
                         source=getattr(doc, "sitename", "") or "", published=getattr(doc, "date", None),
                         url=getattr(doc, "url", "") or "")


class _CheckedText(io.TextIOBase):
    """A text stream whose decoding errors become InputErrors naming the file."""

    def __init__(self, inner: io.TextIOWrapper, path: str):
        self.inner = inner
        self.path = path

    def __iter__(self) -> Iterator[str]:
        try:
            yield from self.inner
        except UnicodeDecodeError:
            raise InputError(self.path, "cannot decode the text; save it as UTF-8") from None

    def read(self, size: int | None = -1) -> str:
        try:
            return self.inner.read(size)
        except UnicodeDecodeError:
            raise InputError(self.path, "cannot decode the text; save it as UTF-8") from None

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        try:
            return self.inner.readline(size)
        except UnicodeDecodeError:
            raise InputError(self.path, "cannot decode the text; save it as UTF-8") from None

    def close(self) -> None:
        self.inner.close()

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_articles(inputs: Iterable[str | Path] | str | Path, *, published: date | str | None = None,
                  source: str | None = None) -> Iterator[Article]:
    """Stream Articles from files, directories, globs or '-' (stdin)."""
    return ArticleReader(published, source).read(inputs)
