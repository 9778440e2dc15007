"""Exceptions the library raises; the CLI maps them to exit codes and one-line messages.

Why plain exceptions: a notebook user gets the same message as the command line, without click.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class EventcodeError(Exception):
    """Base class: every message names the file (and place) and says what to do."""

    exit_code = EXIT_USAGE


class InputError(EventcodeError):
    """An input cannot be read: missing, empty, binary, wrong encoding, broken workbook, bad header."""

    def __init__(self, path: object, reason: str, where: str | None = None):
        self.path = str(path)
        self.reason = reason
        self.where = where
        place = f"{self.path}: {where}" if where else self.path
        super().__init__(f"{place}: {reason}")

    def __reduce__(self) -> tuple:
        # rebuilt from its own arguments, so it survives pickling (worker processes of `code --jobs`)
        return type(self), (self.path, self.reason, self.where)


class SchemaError(EventcodeError):
    """A schema file is malformed (the schema is data and gets validated like data)."""


class CodebookError(EventcodeError):
    """A codebook file is malformed; the message names the file and line."""


class OutputExistsError(EventcodeError):
    """An output exists and --force was not given: we never overwrite data silently."""

    def __init__(self, path: object):
        self.path = path
        super().__init__(f"{path}: already exists; pass --force to replace it")

    def __reduce__(self) -> tuple:
        return type(self), (self.path,)


class InvalidDataError(EventcodeError):
    """Rows failed validation; carries the report so the caller can show it."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, report: object = None):
        super().__init__(message)
        self.report = report


class RecordError(InputError):
    """One record (article, line, row) cannot be read: the run may skip it and go on (--strict-input
    stops instead). The other InputErrors concern a whole input or an option and always stop."""


class InputWarning(UserWarning):
    """Input was read after a repair (a line that was not UTF-8): the message names the file and line."""
