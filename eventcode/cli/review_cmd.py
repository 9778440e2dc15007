"""`eventcode review`: code articles into a workbook a person corrects before validating and converting."""

from __future__ import annotations

import sys

import click

from .common import coding_options, force_option, library_errors


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="Review workbook to write (.xlsx).")
@coding_options
@force_option
@library_errors
def review(inputs: tuple[str, ...], output: str, codebook_path: str | None, published: str | None,
           source: str | None, jobs: int, force: bool) -> None:
    """Code news articles and write a review workbook: every row with the sentence and the codebook rule
    behind it, dropdowns on the categorical columns, and a sheet with the articles' texts.

    Correct the rows in Excel or LibreOffice (fix a value, delete a wrong row, add a missed one), then
    validate and convert the workbook as it is; the evidence columns are kept in the Parquet.

    \b
    Examples:
      eventcode review examples/articles -o review.xlsx
      eventcode validate review.xlsx
      eventcode convert review.xlsx -o events.parquet
    """
    from ..review import review as review_articles

    result = review_articles(list(inputs), output, codebook=codebook_path, published=published,
                             source=source, jobs=jobs, force=force, progress=sys.stderr.isatty())
    click.echo(result.summary(), err=True)
