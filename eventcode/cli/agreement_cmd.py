"""`eventcode agreement`: inter-coder reliability between hand-coded spreadsheets."""

from __future__ import annotations

from pathlib import Path

import click

from .common import library_errors


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report format: text for people, json for machines.")
@library_errors
def agreement(files: tuple[str, ...], fmt: str) -> None:
    """Inter-coder reliability of two or more coders' spreadsheets (CSV, XLSX, Parquet) of the same articles.

    Events are aligned into units (same article via article_id, country, admin1 and overlapping dates),
    then Krippendorff's alpha (and Cohen's kappa for two coders) is reported per field, with the number
    of units behind each figure. An event one coder found and another did not is a disagreement on
    "event_present".

    \b
    Examples:
      eventcode agreement coder_a.xlsx coder_b.xlsx
      eventcode agreement a.csv b.csv c.csv --format json
    """
    if len(files) < 2:
        raise click.UsageError("give at least two coders' files")
    from ..agreement import agreement as run
    from ..gold import read_table

    frames = [read_table(path) for path in files]
    names = [Path(path).name for path in files]
    if len(set(names)) < len(names):
        names = list(files)
    result = run(frames, names)
    click.echo(result.to_json() if fmt == "json" else result.to_text())
