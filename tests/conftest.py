"""Shared fixtures: write a site into tmp_path, build it with MkDocs, run the CLI."""

from __future__ import annotations

import atexit
import io
import logging
import os
import shutil
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# `plans` commands keep each file's front-end work on disk (`disk_cache`): the suite's go to
# a folder of its own, never to the user's cache, and every repeated check reads them back.
TEST_CACHE = tempfile.mkdtemp(prefix="plans-test-cache-")
os.environ["PLANS_CACHE_DIR"] = TEST_CACHE
atexit.register(shutil.rmtree, TEST_CACHE, ignore_errors=True)

# Property tests: a fixed seed and bounded examples by default, so the suite is repeatable
# and fits its time budget; `HYPOTHESIS_PROFILE=long pytest tests/test_properties.py` runs
# many more examples, with a random seed, for a local search.
settings.register_profile("ci", max_examples=40, derandomize=True, deadline=None, print_blob=True)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
# `.ci/run` sets it: there `../shared` is beside the clone, and a test that needs it must run.
REQUIRE_SHARED = "PLANS_REQUIRE_SHARED"

DEFAULT_MKDOCS_YML = """\
site_name: Test site
theme:
  name: material
plugins:
  - plans
"""


def shared_folder(*parts: str) -> Path:
    """A folder of `../shared`, the test material kept beside the repository.

    A plain clone has no `../shared`: the test skips, naming the folder it needs. Where
    `PLANS_REQUIRE_SHARED=1` (in `.ci/run`) the same absence fails the test instead.
    """
    folder = SHARED.joinpath(*parts)
    if not folder.is_dir():
        reason = f"needs ../shared/{'/'.join(parts)} ({folder}), which is not beside this clone"
        if os.environ.get(REQUIRE_SHARED) == "1":
            pytest.fail(f"{reason}; {REQUIRE_SHARED}=1 requires it", pytrace=False)
        pytest.skip(reason)
    return folder


@dataclass
class Build:
    """The outcome of one MkDocs build: whether it aborted, what it logged, where it wrote."""

    ok: bool
    log: str
    site: Path
    error: str = ""

    def page(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


@dataclass
class Check:
    """The outcome of `plans check`: exit status and output."""

    code: int
    out: str
    err: str


class Site:
    """A MkDocs project on disk: `mkdocs.yml` plus a `docs/` folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs = root / "docs"
        self.docs.mkdir(parents=True, exist_ok=True)
        (root / "mkdocs.yml").write_text(DEFAULT_MKDOCS_YML, encoding="utf-8")

    def write(self, rel: str, content: str | bytes, dedent: bool = True) -> Path:
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if dedent else content, encoding="utf-8")
        return path

    def replace(self, rel: str, old: str, new: str) -> None:
        """Edit a docs file: its first `old` becomes `new` (which must be there)."""
        text = (self.docs / rel).read_text()
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1), dedent=False)

    def config(self, text: str) -> None:
        (self.root / "mkdocs.yml").write_text(textwrap.dedent(text), encoding="utf-8")

    def build(self, strict: bool = True, quiet: bool = False) -> Build:
        """Build with MkDocs' own `build()`, capturing the log as the console would show it."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import Abort

        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        old_level = logger.level
        logger.setLevel(logging.ERROR if quiet else logging.INFO)
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            try:
                config = load_config(str(self.root / "mkdocs.yml"), strict=strict)
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    build(config)
                finally:
                    config.plugins.on_shutdown()
                ok, error = True, ""
            except Abort as exc:
                ok, error = False, str(exc)
        finally:
            os.chdir(cwd)
            logger.removeHandler(handler)
            logger.setLevel(old_level)
        return Build(ok, stream.getvalue(), self.root / "site", error)

    def check(self, *args: str) -> Check:
        """Run `plans check` in-process from the project folder."""
        from plancompiler.cli import main

        out, err = io.StringIO(), io.StringIO()
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            with redirect_stdout(out), redirect_stderr(err):
                code = main(["check", *args])
        finally:
            os.chdir(cwd)
        return Check(code, out.getvalue(), err.getvalue())


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    yield Site(tmp_path / "project")


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[str], Site]:
    def make(name: str) -> Site:
        return Site(tmp_path / name)

    return make
