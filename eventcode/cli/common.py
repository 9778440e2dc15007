"""Options and error handling shared by several commands, so they behave the same everywhere."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from ..errors import EventcodeError

format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
    help="Report format: text for people, json or csv for machines.",
)
force_option = click.option("--force", is_flag=True, help="Replace an existing output.")
datapackage_option = click.option(
    "--datapackage", is_flag=True,
    help="Also write datapackage.json (Frictionless: every column described) beside the Parquet.",
)
schema_option = click.option(
    "--schema", "schema_path", type=click.Path(dir_okay=False), default=None,
    help="Schema YAML file (default: the bundled ACLED schema).",
)


def library_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library exceptions into click exits with the library's exit code and a one-line message.

    Why here and in main(): CliRunner calls commands without main(), and tests must see the same result.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EventcodeError as exc:
            click.echo(f"Error: {exc}", err=True)
            raise click.exceptions.Exit(exc.exit_code) from None

    return wrapper


def coding_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options of every command that codes articles (code, review), defined once."""
    options = [
        click.option("--codebook", "codebook_path", type=click.Path(dir_okay=False), default=None,
                     help="Codebook entry file (default: the bundled ACLED codebook)."),
        click.option("--published", default=None, metavar="YYYY-MM-DD",
                     help="Publication date for articles that state none (YYYY-MM-DD only)."),
        click.option("--source", default=None, help="Source name for articles that state none."),
        click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=0),
                     help="Worker processes (0: one per CPU)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func

