"""`eventcode validate`: check hand-coded spreadsheets against the schema and report every problem."""

from __future__ import annotations

import click

from ..atomic import atomic_path, check_writable
from ..errors import EXIT_INVALID, EXIT_OK
from ..report import TEXT_LIMIT
from ..validation import validate as validate_files
from .common import force_option, format_option, library_errors, schema_option


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--sheet", default=None, help="Worksheet to check in each workbook (default: every sheet).")
@schema_option
@format_option
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Write the full report to this file (in --format) and print only a summary line.")
@click.option("--all", "show_all", is_flag=True, help="Text format: list every problem, not the first 50.")
@force_option
@library_errors
def validate(files: tuple[str, ...], sheet: str | None, schema_path: str | None, fmt: str,
             report_path: str | None, show_all: bool, force: bool) -> None:
    """Check CSV, XLSX or Parquet files of ACLED-style rows and report each problem with the row
    number the spreadsheet shows, the column, the value as written, what is wrong and a suggestion.
    `-` reads a CSV from standard input.

    Exit code 0: every row is valid; 1: problems were found; 2: an input cannot be read (or a
    required column is missing) or the command line is wrong.

    \b
    Examples:
      eventcode validate coded.xlsx
      eventcode validate team_a.csv team_b.csv --format json
      eventcode validate coded.xlsx --sheet March --report problems.csv --format csv
      cat coded.csv | eventcode validate -
    """
    if report_path is not None and not force:
        check_writable(report_path, force=False)  # refuse before a long validation, not after it
    result = validate_files(list(files), schema=schema_path, sheet=sheet)
    report = result.report
    if report_path is not None:
        with atomic_path(report_path, force=force) as tmp:
            tmp.write_text(report.format(fmt, limit=None), encoding="utf-8")
        click.echo(f"{report.headline()} (report: {report_path})")
    elif fmt == "text":
        click.echo(report.to_text(limit=None if show_all else TEXT_LIMIT), nl=False)
    else:
        click.echo(report.format(fmt), nl=False)
        click.echo(report.headline(), err=True)
    raise click.exceptions.Exit(EXIT_OK if report.valid else EXIT_INVALID)
