"""Every `eventcode` command the README shows runs, exactly as written, from a copy of the repository's
examples. The install and test commands are run by CI (.ci/run), which this test also checks.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
COMMANDS = [line.strip() for block in BLOCKS for line in block.splitlines()
            if line.strip().startswith("eventcode ")]
TEST_COMMAND = "python -m pytest"


def test_readme_first_screen_has_install_code_and_test_commands():
    first = [block.strip() for block in BLOCKS[:3]]
    assert first[0].startswith("pip install")
    assert first[1].startswith("eventcode code examples/") and first[1].endswith(".parquet")
    assert first[2] == TEST_COMMAND


def test_ci_runs_the_readme_install_and_test_commands():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == TEST_COMMAND
    assert "pip install --quiet -e '.[test]'" in ci


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", work / "examples")
    return work


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs(command, workdir):
    args = shlex.split(command, comments=True)
    exe = Path(sys.executable).with_name("eventcode")
    runner = [str(exe)] if exe.exists() else [sys.executable, "-m", "eventcode"]
    result = subprocess.run(runner + args[1:], cwd=workdir, capture_output=True, text=True, timeout=300)
    expected = 1 if "# exits 1" in command else 0
    assert result.returncode == expected, result.stderr


PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


@pytest.mark.parametrize("code", PYTHON_BLOCKS)
def test_readme_python_runs(code, workdir, monkeypatch, capsys):
    monkeypatch.chdir(workdir)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert "INVALID" in capsys.readouterr().out
    assert len(namespace["rows"]) == 1 and (workdir / "snippet.parquet").exists()


def test_readme_table_of_coded_rows_is_what_the_coder_writes():
    import eventcode
    from eventcode.coding.articles import read_articles

    table = re.findall(r"```text\n(.*?)```", README, flags=re.S)[0].strip().splitlines()
    header = table[0].split()
    shown = [re.split(r"\s{2,}", line.strip()) for line in table[1:]]
    article = next(read_articles([ROOT / "examples" / "articles" / "aktobe.txt"]))
    rows = eventcode.code_text(article.text, published=article.published, source=article.source)
    actual = rows[header].astype(str).to_numpy().tolist()
    assert shown == actual
