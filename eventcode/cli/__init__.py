"""The `eventcode` command: a thin layer that parses options and calls the library.

Each command lives in its own module under eventcode.cli and is imported only when run, so `--help`
stays fast. Library exceptions become one-line messages with the exit codes 0 ok, 1 invalid data,
2 usage or input error.
"""

from __future__ import annotations

import sys
from importlib import import_module

import click

from .. import __version__
from ..errors import EXIT_USAGE, EventcodeError

# command name -> (module, attribute)
COMMANDS = {
    "validate": ("eventcode.cli.validate_cmd", "validate"),
    "convert": ("eventcode.cli.convert_cmd", "convert"),
    "schema": ("eventcode.cli.schema_cmd", "schema"),
    "template": ("eventcode.cli.template_cmd", "template"),
    "code": ("eventcode.cli.code_cmd", "code"),
    "codebook": ("eventcode.cli.codebook_cmd", "codebook"),
    "evaluate": ("eventcode.cli.evaluate_cmd", "evaluate"),
    "agreement": ("eventcode.cli.agreement_cmd", "agreement"),
    "review": ("eventcode.cli.review_cmd", "review"),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        available = []
        for name, (module, _) in COMMANDS.items():
            try:
                import_module(module)
            except ModuleNotFoundError:
                continue
            available.append(name)
        return sorted(available)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr = COMMANDS[cmd_name]
        try:
            return getattr(import_module(module), attr)
        except ModuleNotFoundError:
            return None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="eventcode")
def cli() -> None:
    """Code news articles into ACLED-style event data, validate hand-coded spreadsheets, write Parquet.

    \b
    Examples:
      eventcode code examples/articles/aktobe.txt -o events.parquet
      eventcode validate coded.xlsx
      eventcode convert coded.csv -o events.parquet
    """


def main() -> None:
    """Console entry point: library errors become one line on stderr, never a traceback."""
    try:
        # without standalone mode click returns (not raises) the code of a click.exceptions.Exit
        code = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except EventcodeError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)
