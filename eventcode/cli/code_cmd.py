"""`eventcode code`: code news articles into ACLED-style rows with their evidence."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import click

from ..atomic import check_writable
from ..coding.assemble import PLACE_FROM_DATELINE, PLACE_UNRESOLVED
from ..datapackage import DESCRIPTOR, write_datapackage
from ..errors import EXIT_INVALID, InputError
from ..schema import load_schema
from .common import coding_options, datapackage_option, force_option, library_errors

FORMATS = (".parquet", ".csv", ".xlsx")


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-o", "--output", "output", required=True, type=click.Path(allow_dash=True),
              help="Output file: .parquet, .csv or .xlsx; '-' writes CSV to standard output.")
@coding_options
@datapackage_option
@click.option("--input-format", type=click.Choice(["text", "jsonl", "csv", "html", "xlsx"]), default=None,
              help="Read every input as this format (default: from the file name; on standard input, "
                   "from the content).")
@click.option("--text-column", default=None, metavar="NAME",
              help="The column (CSV, XLSX) or field (JSON) holding the article text [default: text].")
@click.option("--id-column", default=None, metavar="NAME",
              help="The column or field holding the article id [default: id].")
@click.option("--date-column", default=None, metavar="NAME",
              help="The column or field holding the publication date [default: published, else date].")
@click.option("--strict-input", is_flag=True,
              help="Stop at the first bad record (exit 2) instead of skipping it and going on.")
@click.option("--explain", is_flag=True,
              help="Also list on standard error every candidate that produced no row, and why.")
@force_option
@library_errors
def code(inputs: tuple[str, ...], output: str, codebook_path: str | None, published: str | None,
         source: str | None, jobs: int, datapackage: bool, input_format: str | None,
         text_column: str | None, id_column: str | None, date_column: str | None, strict_input: bool,
         explain: bool, force: bool) -> None:
    """Code news articles into ACLED-style event rows, each with the rule and the sentence behind it.

    INPUTS are text files (optional Title:/Source:/Published:/URL: header lines, then a blank line),
    JSON Lines, CSV or XLSX files with fields id, title, text, source, published, url, HTML pages,
    directories, globs, or '-' for standard input (JSON Lines, CSV whose header names the text
    column, HTML, XLSX or text, told apart by their content, or say which with --input-format).

    A bad record (broken JSON line, empty text, unreadable date) is reported on standard error with
    its file and line, and skipped; the rest are coded and written, and the exit code is 1.
    --strict-input stops at the first instead (exit 2). A line that is not UTF-8 is repaired (its
    stray bytes read as cp1252) and reported.

    \b
    Examples:
      eventcode code examples/articles/aktobe.txt -o events.parquet
      eventcode code news/ -o events.csv --jobs 4
      eventcode code feed.jsonl -o events.xlsx --published 2024-05-01 --source "Daily Wire"
      cat article.txt | eventcode code - -o - --published 2024-05-01
      eventcode code articles.xlsx -o events.csv --text-column body --date-column day
      eventcode code article.txt -o events.csv --explain
      eventcode code news/ -o events.parquet --datapackage
    """
    from ..coding.articles import ArticleReader
    from ..coding.codebook import load_codebook
    from ..coding.coder import code_articles

    suffix = ".csv" if output == "-" else Path(output).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(output, f"unknown output type {suffix or '(none)'!r}; use .parquet, .csv or .xlsx")
    if datapackage and suffix != ".parquet":
        raise click.UsageError("--datapackage describes a Parquet output; use -o NAME.parquet")
    if output != "-":
        check_writable(output, force)  # refuse before coding, not after
    if datapackage:
        check_writable(Path(output).parent / DESCRIPTOR, force)
    book = load_codebook(codebook_path)
    counter = _Counter()
    on_skip = None if strict_input else counter.skip
    reader = ArticleReader(published, source, input_format=input_format, text_column=text_column,
                           id_column=id_column, date_column=date_column, on_skip=on_skip,
                           on_warning=_warning)
    articles = counter.wrap(reader.read(list(inputs)))
    tally: Counter[str] = Counter()
    frames = code_articles(articles, codebook=book, jobs=jobs, progress=sys.stderr.isatty() and not explain,
                           explain=_explain if explain else None, on_skip=on_skip, tally=tally)
    unplaced = _Unplaced()
    rows = _write(map(unplaced.count, frames), output, suffix, force,
                  {"codebook_id": book.id, "codebook_version": book.version})
    target = "standard output" if output == "-" else output
    # an article skipped after reading (it names no source) was counted as read
    coded = counter.count - (counter.skipped - reader.skipped)
    skipped = f", {counter.skipped} record(s) skipped" if counter.skipped else ""
    needing = [f"{unplaced.rows} placed only at country level, tagged {PLACE_UNRESOLVED!r}"] \
        if unplaced.rows else []
    if unplaced.dateline:
        needing.append(f"{unplaced.dateline} placed only by the dateline, tagged {PLACE_FROM_DATELINE!r}")
    needing = f" ({'; '.join(needing)})" if needing else ""
    click.echo(f"Coded {coded} article(s){skipped}: {rows} event(s) written to {target}{needing}", err=True)
    if tally:
        kinds: Counter[str] = Counter()
        for reason, n in tally.items():  # "cancel:plan" -> cancel
            kinds[reason.split(":")[0]] += n
        shown = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
        click.echo(f"Candidates not written: {sum(tally.values())} ({shown}); --explain gives each one",
                   err=True)
    if datapackage:
        descriptor = write_datapackage(output, load_schema(), force=force)
        click.echo(f"{descriptor}: data package descriptor written", err=True)
    if counter.skipped:
        raise click.exceptions.Exit(EXIT_INVALID)


def _warning(message: str) -> None:
    click.echo(f"Warning: {message}", err=True)


def _explain(article, result) -> None:
    """One line per dropped candidate: article, character offset, rule, reason, sentence."""
    for d in result.dropped:
        click.echo(f"{article.id}: {d.start}: {d.rule_id}: {d.reason}: {d.sentence}", err=True)


class _Unplaced:
    """Counts the rows tagged as placed only at country level, or only by the dateline, as they pass."""

    def __init__(self) -> None:
        self.rows = self.dateline = 0

    def count(self, frame):
        tags = frame["tags"].fillna("")
        self.rows += int(tags.str.contains(PLACE_UNRESOLVED, regex=False).sum())
        self.dateline += int(tags.str.contains(PLACE_FROM_DATELINE, regex=False).sum())
        return frame


class _Counter:
    def __init__(self) -> None:
        self.count = 0
        self.skipped = 0

    def skip(self, error: InputError) -> None:
        self.skipped += 1
        click.echo(f"Skipped: {error}", err=True)

    def wrap(self, items: Iterator) -> Iterator:
        for item in items:
            self.count += 1
            yield item


def _write(frames: Iterator, output: str, suffix: str, force: bool, metadata: dict) -> int:
    from ..coding.coder import write_coded

    return write_coded(frames, output, force=force, metadata=metadata)
