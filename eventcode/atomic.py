"""Atomic output: write to a temporary file beside the target, then rename.

Why: an interrupted run must never leave a half-written dataset where a good one was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputExistsError


def check_writable(path: str | os.PathLike, force: bool) -> Path:
    """Refuse to replace an existing output unless force is set."""
    target = Path(path)
    if target.exists() and not force:
        raise OutputExistsError(target)
    return target


def _umask() -> int:
    """The process umask (reading it means setting it, so set it straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, force: bool = False, directory: bool = False) -> Iterator[Path]:
    """Yield a temporary path (file or directory) that replaces `path` only if the block succeeds."""
    target = check_writable(path, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    suffix = "" if directory else target.suffix
    if directory:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
        os.chmod(tmp, 0o777 & ~_umask())
    else:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{suffix}", dir=target.parent)
        os.close(fd)
        tmp = Path(name)
        # mkstemp makes the file private (0600); an output should get the usual permissions
        os.chmod(tmp, 0o666 & ~_umask())
    try:
        yield tmp
        if directory:
            if target.exists():
                old = target.with_name(f".{target.name}.old")
                shutil.rmtree(old, ignore_errors=True)
                target.rename(old)
                tmp.rename(target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                tmp.rename(target)
        else:
            os.replace(tmp, target)
    except BaseException:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        raise
