"""Decoding that repairs a stray byte instead of guessing an encoding for a whole file.

Why: a UTF-8 file with one Windows (cp1252) byte in it is common (a line pasted from Word, a record
appended by another tool). Decoding the whole file as a single-byte encoding turns every later "Zürich"
into "ZÃ¼rich"; refusing the file loses all of it. Here every valid UTF-8 line is kept as it is and
only the bytes that are not UTF-8 are read as cp1252, with their line numbers reported.
"""

from __future__ import annotations

import codecs
import re

REPAIR_ERRORS = "eventcode.cp1252"
# a UTF-8 character of more than one byte: text holding one is UTF-8 (maybe with a few stray bytes)
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the bytes that are not UTF-8 read as cp1252, the rest of the line kept."""
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error(REPAIR_ERRORS, _as_cp1252)


def decode_line(raw: bytes) -> tuple[str, int | None]:
    """One line as text, and the offset of its first byte that is not UTF-8 (None when it is UTF-8);
    such bytes are read as cp1252."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return raw.decode("utf-8", errors=REPAIR_ERRORS), exc.start


def decode_lines(data: bytes) -> tuple[str, list[int]]:
    """UTF-8 bytes decoded line by line; the numbers (from 1) of the lines that were repaired."""
    text, repaired = [], []
    for number, raw in enumerate(data.split(b"\n"), 1):
        line, bad = decode_line(raw)
        text.append(line)
        if bad is not None:
            repaired.append(number)
    return "\n".join(text), repaired


def line_list(numbers: list[int], limit: int = 10) -> str:
    """ "3, 17 and 40", or the first `limit` and how many more."""
    shown = [str(n) for n in numbers[:limit]]
    if len(numbers) > limit:
        return f"{', '.join(shown)} and {len(numbers) - limit:,} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
