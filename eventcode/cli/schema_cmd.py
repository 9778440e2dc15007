"""`eventcode schema`: print or save the data dictionary derived from the schema."""

from __future__ import annotations

import sys

import click

from ..atomic import atomic_path
from ..dictionary import FORMATS, data_dictionary
from ..schema import load_schema
from .common import force_option, library_errors, schema_option


@click.command()
@schema_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True,
              help="markdown for people, json (with every allowed value) for programs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="-", show_default=True,
              help="Write the dictionary to this file instead of standard output.")
@force_option
@library_errors
def schema(schema_path: str | None, fmt: str, output: str, force: bool) -> None:
    """Show the data dictionary: every column with its type, whether it is required, its allowed
    values and description, and the event type / sub-event type / disorder type table.

    \b
    Examples:
      eventcode schema
      eventcode schema --format json -o dictionary.json
      eventcode schema --schema my_team.yaml -o DICTIONARY.md
    """
    text = data_dictionary(load_schema(schema_path), fmt=fmt)
    if output == "-":
        sys.stdout.write(text)
        return
    with atomic_path(output, force=force) as tmp:
        tmp.write_text(text, encoding="utf-8")
    click.echo(f"{output}: data dictionary written ({fmt})", err=True)
