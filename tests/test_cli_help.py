"""Every command answers --help with a description and an example, and unknown commands exit 2."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from eventcode.cli import COMMANDS, cli


def _all_commands() -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []
    for name in COMMANDS:
        command = cli.get_command(click.Context(cli), name)
        assert command is not None, f"{name} is registered but cannot be imported"
        paths.append((name,))
        if isinstance(command, click.Group):
            paths += [(name, sub) for sub in command.list_commands(click.Context(command))]
    return paths


@pytest.mark.parametrize("path", _all_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output
    if len(path) > 1 or not path[0] == "codebook":
        assert "eventcode " in result.output.split("Options:")[0], "the help shows no example"


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
