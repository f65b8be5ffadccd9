"""What a newcomer meets first: the two commands and the test material beside the clone."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
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
    card = page[page.index('<div class="plans-card') :]
    started = card[card.index('id="in-progress"') :].split("</div>")[0]
    ready = card[card.index('id="ready-to-start"') :].split("</div>")[0]
    assert "<strong>In progress</strong>" in started and "<strong>Ready to start</strong>" in ready
    task = r'<li><span class="plans-nowrap"><a href="#task-[^"]+" title="[^"]*">[^<]+</a></span> '
    assert re.search(task, started), started
    assert re.search(task, ready), ready


# -- the README, copied as it is --------------------------------------------------------------


def _fence_after(text: str, marker: str) -> tuple[str, str]:
    """The first fenced block after `marker`, and the paragraph between them."""
    after = text[text.index(marker) + len(marker) :]
    opening = after.index("```")
    body_start = after.index("\n", opening) + 1
    return after[:opening], after[body_start : after.index("\n```", body_start) + 1]


def test_the_readme_project_builds_as_copied(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    _, config = _fence_after(readme, "### In an existing site")
    assert config.startswith("# mkdocs.yml\n")
    root = tmp_path / "engineering"
    root.mkdir()
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for heading in ("### A plan", "### An ADR"):
        said, text = _fence_after(readme, heading)
        rel = re.search(r"Save it as `([^`]+)`:", said)
        assert rel, said
        (root / rel.group(1)).parent.mkdir(parents=True, exist_ok=True)
        (root / rel.group(1)).write_text(text, encoding="utf-8")
    built = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=root, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    page = (root / "site" / "scheduler" / "index.html").read_text(encoding="utf-8")
    # What the README says of it: G01 is passed by the accepted ADR, and P1.2 is ready.
    assert "plans-gate-passed" in page
    ready = page[page.index("<strong>Ready to start</strong>") :]
    assert ready.index('href="#task-P1.2"') < ready.index("</div>")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def test_the_readme_quick_start_command_by_command(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    _, block = _fence_after(readme, "### Quick start")
    script, serve = block.split("\nmkdocs serve")
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    project = tmp_path / "checkout"
    # What the comments beside the commands say they do.
    for line in script.splitlines():
        command, _, comment = line.partition("  # ")
        for path in re.findall(r"docs/[\w./-]+\.md", comment):
            assert (project / path).is_file(), (command, path)
        if comment.strip().startswith("Found"):
            assert comment.strip() + "\n" in done.stdout
    assert done.stderr == ""

    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        home = (0, "")
        for _ in range(120):
            with contextlib.suppress(OSError):
                home = _get(f"http://127.0.0.1:{port}/")
                break
            time.sleep(0.25)
        assert home[0] == 200, server.stderr
        assert 'href="plan-index/"' in home[1]
        status, plan = _get(f"http://127.0.0.1:{port}/checkout-revamp/")
        assert status == 200 and "Checkout revamp" in plan
        status, adr = _get(f"http://127.0.0.1:{port}/decisions/0001-use-a-hosted-payment-page/")
        assert status == 200 and "Use a hosted payment page" in adr
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert serve.strip().startswith("#")  # only the comment was left after `mkdocs serve`
