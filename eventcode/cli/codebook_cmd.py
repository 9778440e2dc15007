"""`eventcode codebook`: check a codebook for mistakes and list its rules."""

from __future__ import annotations

import json

import click

from ..errors import EXIT_INVALID, EXIT_OK
from .common import library_errors


@click.group()
def codebook() -> None:
    """Check and list coding codebooks (rules as data: codebooks/acled.yaml and its includes)."""


@codebook.command()
@click.argument("path", type=click.Path(dir_okay=False), required=False)
@library_errors
def check(path: str | None) -> None:
    """Load a codebook and report what would make it misbehave: malformed rules (with file and line),
    duplicate ids, sub-event types the schema does not know, patterns made only of stop-words.

    Exit code 0: no problem; 1: problems listed; 2: the codebook cannot be loaded.

    \b
    Examples:
      eventcode codebook check
      eventcode codebook check my_team.yaml
    """
    from ..coding.codebook import lint, load_codebook

    book = load_codebook(path)
    problems = lint(book)
    for problem in problems:
        click.echo(problem)
    summary = (f"{book.path}: codebook {book.id} {book.version}: "
               f"{len(book.rules)} rules, {len(book.cues)} cues")
    if problems:
        click.echo(f"{summary}; {len(problems)} problem(s)", err=True)
        raise click.exceptions.Exit(EXIT_INVALID)
    click.echo(f"{summary}; no problems")
    raise click.exceptions.Exit(EXIT_OK)


@codebook.command()
@click.argument("path", type=click.Path(dir_okay=False), required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for machines.")
@library_errors
def show(path: str | None, fmt: str) -> None:
    """List a codebook's rules and cues: id, what they code, priority and patterns.

    \b
    Examples:
      eventcode codebook show
      eventcode codebook show my_team.yaml --format json
    """
    from ..coding.codebook import load_codebook

    book = load_codebook(path)
    rules = [{"id": r.id, "event_type": r.event_type, "sub_event_type": r.sub_event_type,
              "priority": r.priority, "patterns": [p.source for p in r.patterns],
              "requires": [p.source for p in r.requires], "excludes": [p.source for p in r.excludes],
              "roles": r.roles, "file": r.file, "line": r.line, "description": r.description}
             for r in book.rules]
    cues = [{"id": c.id, "kind": c.kind, "scope": c.scope, "window": c.window,
             "patterns": [p.source for p in c.patterns], "file": c.file, "line": c.line,
             "description": c.description} for c in book.cues]
    if fmt == "json":
        click.echo(json.dumps({"id": book.id, "version": book.version, "rules": rules, "cues": cues},
                              indent=2, ensure_ascii=False))
        return
    click.echo(f"Codebook {book.id} {book.version} ({book.path}): {len(rules)} rules, {len(cues)} cues")
    click.echo("\nRules (highest priority wins within a sentence):")
    for r in sorted(rules, key=lambda r: -r["priority"]):
        click.echo(f"  {r['id']:<32} {r['priority']:>3}  {r['event_type']} / {r['sub_event_type']}")
        click.echo(f"  {'':<32}      {'; '.join(r['patterns'])}")
    click.echo("\nCues:")
    for c in cues:
        click.echo(f"  {c['id']:<32} {c['kind']:<9} {c['scope']:<8} {'; '.join(c['patterns'])}")
