"""Atomic writes: the output appears whole or not at all, keeps an existing file unless forced,
and gets the permissions of an ordinary file."""

import os
import stat

import pytest

from eventcode.atomic import atomic_path
from eventcode.errors import OutputExistsError


def test_output_replaces_target_only_when_the_block_succeeds(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target, force=True) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_existing_output_is_kept_without_force(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(OutputExistsError, match="pass --force"), atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "old"


def test_output_file_gets_umask_permissions_not_private_ones(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "out.csv") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o644


def test_directory_output_replaces_old_directory(tmp_path):
    target = tmp_path / "dataset"
    target.mkdir()
    (target / "old.parquet").write_text("old")
    with atomic_path(target, force=True, directory=True) as tmp:
        (tmp / "new.parquet").write_text("new")
    assert [p.name for p in target.iterdir()] == ["new.parquet"]
    assert stat.S_IMODE(target.stat().st_mode) & 0o055 == 0o055  # others may read and enter
