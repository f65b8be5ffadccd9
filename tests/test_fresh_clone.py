"""What a newcomer meets first: the two commands and the test material beside the clone."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, REQUIRE_SHARED

BIN = Path(sys.executable).parent
BANNER = "Material for MkDocs reaches end of life"


def _without(*names: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in names}


def test_tests_on_shared_material_skip_in_a_plain_clone_and_fail_where_it_is_required(tmp_path: Path) -> None:
    # A clone with nothing beside it: tests/ of this repository, in a folder with no ../shared.
    clone = tmp_path / "clone"
    (clone / "tests").mkdir(parents=True)
    for name in ("conftest.py", "test_madr_corpus.py"):
        shutil.copy(REPO / "tests" / name, clone / "tests" / name)
    command = [sys.executable, "-m", "pytest", "-q", "-rsf", "-p", "no:cacheprovider", "tests/test_madr_corpus.py"]

    plain = subprocess.run(command, cwd=clone, env=_without(REQUIRE_SHARED), capture_output=True, text=True)
    assert plain.returncode == 0, plain.stdout
    assert "4 skipped" in plain.stdout and "passed" not in plain.stdout
    assert f"needs ../shared/corpora/madr ({tmp_path / 'shared' / 'corpora' / 'madr'})" in plain.stdout

    required = subprocess.run(
        command, cwd=clone, env=dict(os.environ, **{REQUIRE_SHARED: "1"}), capture_output=True, text=True
    )
    assert required.returncode == 1, required.stdout
    assert "4 failed" in required.stdout and "skipped" not in required.stdout
    assert f"which is not beside this clone; {REQUIRE_SHARED}=1 requires it" in required.stdout


def test_ci_run_requires_the_shared_material() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert f"export {REQUIRE_SHARED}=1" in script and script.rstrip().endswith("make test")


@pytest.fixture(scope="module")
def made_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The project's own `make site`, on the interpreter running the tests (no second
    install), into a temporary folder."""
    out = tmp_path_factory.mktemp("made") / "site"
    done = subprocess.run(
        ["make", "--no-print-directory", "site", f"BIN={BIN}", "STAMP=", f"SITE_DIR={out}"],
        cwd=REPO,
        env=_without("NO_MKDOCS_2_WARNING"),
        capture_output=True,
        text=True,
    )
    return done, out


def test_make_site_builds_strict_without_the_mkdocs_2_banner(
    made_site: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, out = made_site
    assert done.returncode == 0, done.stderr
    assert BANNER not in done.stdout + done.stderr
    assert "--strict" in done.stdout
    assert (out / "gates" / "index.html").is_file()


@pytest.mark.parametrize(
    "example", sorted(p.stem for p in (REPO / "plans" / "examples").glob("*.md") if p.stem != "index")
)
def test_each_worked_example_has_work_in_progress_and_work_ready_to_start(
    made_site: tuple[subprocess.CompletedProcess[str], Path], example: str
) -> None:
    done, out = made_site
    assert done.returncode == 0, done.stderr
    page = (out / "examples" / example / "index.html").read_text(encoding="utf-8")
    now = page[page.index('<div class="plans-now">') :]
    started, ready = now.split("</div>")[:2]
    assert "<strong>In progress</strong>" in started and "<strong>Ready to start</strong>" in ready
    assert re.search(r'<li><a href="#task-[^"]+">[^<]+</a> ', started), started
    assert re.search(r'<li><a href="#task-[^"]+">[^<]+</a> ', ready), ready
