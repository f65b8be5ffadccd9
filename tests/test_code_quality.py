"""The code stays as the project wants it: ruff-clean, formatted, and type-checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=REPO, capture_output=True, text=True)


def test_ruff_finds_nothing() -> None:
    done = _run("ruff", "check", "plugins", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout


def test_code_is_formatted() -> None:
    done = _run("ruff", "format", "--check", "plugins", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout


def test_mypy_accepts_the_core() -> None:
    done = _run("mypy")
    assert done.returncode == 0, done.stdout
