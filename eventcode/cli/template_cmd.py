"""`eventcode template`: write the Excel workbook hand coders fill in."""

from __future__ import annotations

import click

from ..template import write_template
from .common import force_option, library_errors, schema_option


@click.command()
@click.argument("output", type=click.Path(dir_okay=False))
@schema_option
@click.option("--rows", type=click.IntRange(1, 1_048_575), default=1000, show_default=True,
              help="Rows that get dropdowns and date formats.")
@force_option
@library_errors
def template(output: str, schema_path: str | None, rows: int, force: bool) -> None:
    """Write an Excel template for hand coding: one header per schema column with its description as
    a note, dropdown lists on every closed-list column, a date format on event_date, and a
    "dictionary" sheet. Fill in the "events" sheet, then check it with
    `eventcode validate coding.xlsx --sheet events`.

    \b
    Examples:
      eventcode template coding.xlsx
      eventcode template coding.xlsx --schema my_team.yaml --force
    """
    path = write_template(output, schema=schema_path, force=force, rows=rows)
    click.echo(f"{path}: template written", err=True)
