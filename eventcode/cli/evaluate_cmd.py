"""`eventcode evaluate`: score coded rows against gold codings."""

from __future__ import annotations

import click

from .common import library_errors, schema_option


@click.command()
@click.argument("coded", type=click.Path(dir_okay=False))
@click.argument("gold", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report format: text for people, json for machines.")
@schema_option
@library_errors
def evaluate(coded: str, gold: tuple[str, ...], fmt: str, schema_path: str | None) -> None:
    """Score CODED rows (Parquet, CSV or XLSX) against GOLD codings.

    GOLD is a spreadsheet of reference rows, or YAML gold files (one per article) or directories of
    them. Rows are tied to gold events of the same article through the article_id column, matched one
    to one, and scored: precision, recall and F1 overall and per sub-event type, field accuracy on the
    matched events, and a confusion table of sub-event types. Optional gold events are neither
    credited nor penalised.

    \b
    Examples:
      eventcode evaluate coded.parquet gold/
      eventcode evaluate coded.csv gold/a1.yaml gold/a2.yaml --format json
      eventcode evaluate coded.xlsx reference.xlsx
    """
    from ..evaluate import evaluate as run
    from ..gold import load_gold, read_table
    from ..schema import load_schema

    rows = read_table(coded)
    reference = load_gold(gold, load_schema(schema_path))
    result = run(rows, reference, source=coded)
    click.echo(result.to_json() if fmt == "json" else result.to_text())
