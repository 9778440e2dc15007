"""`eventcode code`: code news articles into ACLED-style rows with their evidence."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from ..atomic import check_writable
from ..datapackage import DESCRIPTOR, write_datapackage
from ..errors import InputError
from ..schema import load_schema
from .common import coding_options, datapackage_option, force_option, library_errors

FORMATS = (".parquet", ".csv", ".xlsx")


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-o", "--output", "output", required=True, type=click.Path(allow_dash=True),
              help="Output file: .parquet, .csv or .xlsx; '-' writes CSV to standard output.")
@coding_options
@datapackage_option
@click.option("--explain", is_flag=True,
              help="Also list on standard error every candidate that produced no row, and why.")
@force_option
@library_errors
def code(inputs: tuple[str, ...], output: str, codebook_path: str | None, published: str | None,
         source: str | None, jobs: int, datapackage: bool, explain: bool, force: bool) -> None:
    """Code news articles into ACLED-style event rows, each with the rule and the sentence behind it.

    INPUTS are text files (optional Title:/Source:/Published:/URL: header lines, then a blank line),
    JSON Lines or CSV files with fields id, title, text, source, published, url, HTML pages,
    directories, globs, or '-' for standard input.

    \b
    Examples:
      eventcode code examples/articles/aktobe.txt -o events.parquet
      eventcode code news/ -o events.csv --jobs 4
      eventcode code feed.jsonl -o events.xlsx --published 2024-05-01 --source "Daily Wire"
      cat article.txt | eventcode code - -o - --published 2024-05-01
      eventcode code article.txt -o events.csv --explain
      eventcode code news/ -o events.parquet --datapackage
    """
    from ..coding.articles import read_articles
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
    articles = counter.wrap(read_articles(list(inputs), published=published, source=source))
    frames = code_articles(articles, codebook=book, jobs=jobs, progress=sys.stderr.isatty() and not explain,
                           explain=_explain if explain else None)
    rows = _write(frames, output, suffix, force, {"codebook_id": book.id, "codebook_version": book.version})
    target = "standard output" if output == "-" else output
    click.echo(f"Coded {counter.count} article(s): {rows} event(s) written to {target}", err=True)
    if datapackage:
        descriptor = write_datapackage(output, load_schema(), force=force)
        click.echo(f"{descriptor}: data package descriptor written", err=True)


def _explain(article, result) -> None:
    """One line per dropped candidate: article, character offset, rule, reason, sentence."""
    for d in result.dropped:
        click.echo(f"{article.id}: {d.start}: {d.rule_id}: {d.reason}: {d.sentence}", err=True)


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def wrap(self, items: Iterator) -> Iterator:
        for item in items:
            self.count += 1
            yield item


def _write(frames: Iterator, output: str, suffix: str, force: bool, metadata: dict) -> int:
    from ..coding.coder import write_coded

    return write_coded(frames, output, force=force, metadata=metadata)
