"""The coder's public API: code one snippet, or stream many articles (optionally in parallel).

Why batches: a DataFrame per article costs more than coding the article; rows are gathered per batch
of articles, so memory stays flat however large the corpus, and `jobs` worker processes share the work.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError, RecordError
from .articles import ArticleReader, read_articles
from .assemble import Assembler, Result
from .codebook import Codebook, load_codebook
from .model import Article, Event
from .rows import events_to_frame

BATCH = 256
_WORKER: Assembler | None = None


def _codebook(codebook: Codebook | str | Path | None) -> Codebook:
    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)


_ASSEMBLERS: dict[int, Assembler] = {}


def assembler_for(codebook: Codebook | str | Path | None = None) -> Assembler:
    """One Assembler per codebook object and process (building one compiles the automaton)."""
    book = _codebook(codebook)
    found = _ASSEMBLERS.get(id(book))
    if found is None or found.codebook is not book:
        found = _ASSEMBLERS[id(book)] = Assembler(book)
    return found


def code_article(article: Article, codebook: Codebook | str | Path | None = None) -> Result:
    """Events of one Article, with the candidates dropped and why (for explanations and tests)."""
    return assembler_for(codebook).code(article)


def code_text(text: str, *, published: date | str | None = None, source: str | None = None,
              article_id: str = "snippet", codebook: Codebook | str | Path | None = None) -> pd.DataFrame:
    """Code a snippet; a snippet stating no date of its own is dated by `published`.

        >>> code_text("Police arrested five men in Osh on Monday.", published="2019-11-20", source="AKIpress")
    """
    article = ArticleReader(published, source).make(id=article_id, text=text, path="<text>",
                                                     source=source or "")
    return events_to_frame(code_article(_with_source(article), codebook).events)


# Modules the fork server imports once, so that every worker it forks starts with them loaded.
PRELOAD = ["eventcode.coding.assemble", "eventcode.coding.places", "eventcode.coding.actors",
           "eventcode.coding.fatalities", "eventcode.coding.dates", "eventcode.coding.rows"]


def _pool_context() -> mp.context.BaseContext:
    """Workers start from a fork server (POSIX) or spawn (elsewhere), never by forking this process.

    Why: fork copies a process that may hold threads (pyarrow's pools, tqdm's monitor, a notebook's
    kernel) and locks they held, and can deadlock the child; the fork server is a clean single-threaded
    process. Each worker builds its own Assembler from the pickled codebook, which is cheap (the
    costly patterns compile on first use) and happens in parallel while the parent reads ahead.
    """
    if "forkserver" in mp.get_all_start_methods():
        context = mp.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return mp.get_context("spawn")


_WORKER_ERROR: Exception | None = None


def _init_worker(codebook: Codebook) -> None:
    """Build this worker's Assembler once; every article it codes then reuses it.

    An error is kept and raised with the first article: a pool replaces a worker whose initializer
    fails, forever, so the error must travel back as a task's result instead.
    """
    global _WORKER, _WORKER_ERROR
    _WORKER, _WORKER_ERROR = None, None
    try:
        _WORKER = Assembler(codebook)
    except Exception as exc:  # noqa: BLE001 - re-raised by _code_in_worker
        _WORKER_ERROR = exc


def _code_in_worker(article: Article) -> tuple[list[Event], list[str]]:
    if _WORKER is None:
        raise _WORKER_ERROR or RuntimeError("the worker has no coder")
    result = _WORKER.code(article)
    return result.events, [d.reason for d in result.dropped]


def code_articles(inputs: Iterable[str | Path] | str | Path | Iterable[Article], *,
                  published: date | str | None = None, source: str | None = None,
                  codebook: Codebook | str | Path | None = None, jobs: int = 1, progress: bool = False,
                  batch: int = BATCH,
                  explain: Callable[[Article, Result], None] | None = None,
                  input_format: str | None = None, text_column: str | None = None,
                  id_column: str | None = None, date_column: str | None = None,
                  on_skip: Callable[[InputError], None] | None = None,
                  on_warning: Callable[[str], None] | None = None,
                  tally: Counter[str] | None = None) -> Iterator[pd.DataFrame]:
    """Stream the rows of many articles, one DataFrame per batch of articles (in input order).

    `inputs` are paths, directories, globs or "-" (stdin), or Article objects. Articles are read
    lazily and never all held in memory; `jobs` > 1 codes them in that many worker processes.
    `explain(article, result)` sees every article's result, with the candidates it dropped and why
    (it runs in this process, so it implies jobs=1).

    `input_format` (text, jsonl, csv, html, xlsx) overrides the file name or content; `text_column`,
    `id_column` and `date_column` name the fields of CSV, XLSX and JSON records. Without `on_skip` the
    first bad record raises an InputError (RecordError); with it, each bad record (broken JSON line,
    empty text, unreadable date, no source) is passed to `on_skip(error)` and skipped, and the rest are
    coded. `on_warning(message)` hears about repaired input (default: warnings.warn). Titles and texts
    are repaired as read (ftfy), and evidence_start/evidence_end are offsets into the repaired text.
    `tally`, a Counter, counts the candidates not written by their reason ("cancel:plan",
    "merge:duplicate", "place:none", ...), so a run can say what it left out.
    """
    book = _codebook(codebook)
    reader = ArticleReader(published, source, input_format=input_format, text_column=text_column,
                           id_column=id_column, date_column=date_column, on_skip=on_skip,
                           on_warning=on_warning)
    articles = _articles(inputs, reader)
    if jobs == 0:
        jobs = os.cpu_count() or 1
    if jobs <= 1 or explain is not None:
        assembler = assembler_for(book)

        def coded() -> Iterator[list[Event]]:
            for article in articles:
                result = assembler.code(article)
                if explain is not None:
                    explain(article, result)
                if tally is not None:
                    tally.update(d.reason for d in result.dropped)
                yield result.events

        yield from _batches(_progress(coded(), progress), batch)
        return
    assembler_for(book)  # a codebook a stage refuses fails here, once, before any worker starts
    reading = _Guarded(articles)
    with _pool_context().Pool(jobs, initializer=_init_worker, initargs=(book,)) as pool:
        results = pool.imap(_code_in_worker, reading, chunksize=16)
        yield from _batches(_progress(_tallied(results, tally), progress), batch)
    if reading.error is not None:
        raise reading.error


class _Guarded:
    """The articles for a pool, with a reading error kept here instead of sent to a worker.

    Why: Pool.imap hands an exception raised by its input to a worker to re-raise; an error that does
    not survive pickling (InputError's arguments) kills the worker and the pool waits forever. Kept
    here, the articles read before it are coded and the error is raised in this process, as with
    jobs=1.
    """

    def __init__(self, articles: Iterator[Article]):
        self.articles = articles
        self.error: Exception | None = None

    def __iter__(self) -> Iterator[Article]:
        try:
            yield from self.articles
        except Exception as exc:  # noqa: BLE001 - re-raised by code_articles once the pool is done
            self.error = exc


def _tallied(results: Iterable[tuple[list[Event], list[str]]],
             tally: Counter[str] | None) -> Iterator[list[Event]]:
    """Each worker result's events, its reasons for what it did not write counted in `tally`."""
    for events, reasons in results:
        if tally is not None:
            tally.update(reasons)
        yield events


def _progress(coded: Iterator[list[Event]], show: bool) -> Iterator[list[Event]]:
    """Count articles as they come out of the coder (not as they are read ahead for the workers)."""
    if not show:
        return coded
    from tqdm import tqdm

    return iter(tqdm(coded, unit=" articles", dynamic_ncols=True))


def _articles(inputs: Any, reader: ArticleReader) -> Iterator[Article]:
    if isinstance(inputs, Article):
        yield inputs
        return
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    for item in inputs:
        for article in [item] if isinstance(item, Article) else reader.read([item]):
            try:
                yield _with_source(article)
            except RecordError as exc:
                reader.skip(exc)


def _with_source(article: Article) -> Article:
    """ACLED rows require a source: refuse, naming the article, before any coding is spent on it."""
    if not article.source.strip():
        raise RecordError(article.path or article.id, "the article names no source (no Source: header or "
                         "source field, no URL); pass --source NAME", f"article {article.id}")
    return article


def _batches(coded: Iterable[list[Event]], size: int) -> Iterator[pd.DataFrame]:
    pending: list[Event] = []
    count = 0
    for events in coded:
        pending += events
        count += 1
        if count >= size:
            if pending:
                yield events_to_frame(pending)
            pending, count = [], 0
    if pending:
        yield events_to_frame(pending)


def write_coded(frames: Iterable[pd.DataFrame], output: str | Path, *, force: bool = False,
                metadata: dict[str, Any] | None = None) -> int:
    """Write coded batches as they come: Parquet and CSV stream (flat memory), XLSX is written at the end.

    Returns the number of rows. Parquet carries the codebook id and version in its provenance.
    """
    from ..parquet_io import write_parquet_batches
    from ..schema import load_schema
    from ..tabular_out import write_csv_batches, write_xlsx

    schema = load_schema()
    output = str(output)
    suffix = ".csv" if output == "-" else Path(output).suffix.lower()
    if suffix == ".xlsx":
        frames = list(frames)
        frame = pd.concat(frames, ignore_index=True) if frames else events_to_frame([], schema)
        write_xlsx(frame, output, force=force)
        return len(frame)
    if suffix == ".csv":
        return write_csv_batches(_non_empty(frames, schema), output, force=force)
    return write_parquet_batches(_non_empty(frames, schema), output, schema, metadata=metadata, force=force)


def _non_empty(frames: Iterable[pd.DataFrame], schema: Any) -> Iterator[pd.DataFrame]:
    """The batches, or one empty frame when there is none (an output always has its header)."""
    seen = False
    for frame in frames:
        seen = True
        yield frame
    if not seen:
        yield events_to_frame([], schema)


__all__ = ["code_text", "code_articles", "code_article", "read_articles", "assembler_for"]
