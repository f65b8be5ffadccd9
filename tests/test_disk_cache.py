"""`plans` keeps each file's front-end work on disk: a run that reads it back must say exactly
what a run that reads every file says, whatever happened to the cache in between."""

from __future__ import annotations

import io
import marshal
import os
import pickle
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from conftest import REPO
from plancompiler import disk_cache
from plancompiler.cli import Workspace, main
from plancompiler.compiler import Compiler, Options, Result, Source
from test_parallel import BROKEN as PARALLEL_BROKEN

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_corpus import generate  # noqa: E402

# Findings of many kinds (those the forked child must carry too, and a cycle), so that a
# wrong entry read back shows in the output.
BROKEN = {
    **PARALLEL_BROKEN,
    "plans/zz-cycle.md": (
        "---\nkind: plan\nid: zz-cycle\ntitle: Loop\nstatus: draft\nphases:\n  - id: P1\n    title: One\n"
        "    tasks:\n      - {id: T1, title: A, depends_on: [T2]}\n      - {id: T2, title: B, depends_on: [T1]}\n"
        "---\n# Loop\n"
    ),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    generate(root, plans=60, seed=5)
    for rel, text in BROKEN.items():
        (root / "docs" / rel).write_text(text, encoding="utf-8")
    monkeypatch.setenv("PLANS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PLANS_NO_CACHE", raising=False)
    return root


def check(root: Path, *args: str) -> tuple[int, str, str]:
    """`plans check` in-process from the project's folder: exit status, output, errors."""
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["check", *args])
    finally:
        os.chdir(cwd)
    return code, out.getvalue(), err.getvalue()


def packs(root: Path) -> list[Path]:
    folder = Path(os.environ["PLANS_CACHE_DIR"])
    return sorted(folder.glob("*.pack")) if folder.is_dir() else []


def sources(root: Path) -> list[Source]:
    docs = root / "docs"
    return [
        Source(f"docs/{p.relative_to(docs).as_posix()}", p.relative_to(docs).as_posix(), p.read_bytes())
        for p in sorted(docs.rglob("*.md"))
    ]


def parsed_by_a_new_process(root: Path) -> int:
    """How many files a new `plans check` process reads itself rather than from the cache."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        workspace = Workspace.load(None, keep_marks=False)
        workspace.compile_worktree()
    finally:
        os.chdir(cwd)
    return workspace.compiler.parsed


def test_a_warm_check_prints_what_a_cold_one_prints(project: Path) -> None:
    cold = check(project, "--no-cache")
    assert cold[0] == 1 and "PLN002" in cold[1] and "PLN030" in cold[1] and "PLN015" in cold[1]
    assert not packs(project), "--no-cache writes nothing"
    first = check(project)
    assert len(packs(project)) == 1
    warm = check(project)
    assert first == cold and warm == cold
    for fmt in ("json", "sarif", "github"):
        assert check(project, "--format", fmt) == check(project, "--format", fmt, "--no-cache")
    parsed = parsed_by_a_new_process(project)
    assert parsed == 0, "every file is read back from the cache"


def test_edits_between_runs_are_read_afresh(project: Path) -> None:
    check(project)
    docs = project / "docs"
    steps = [
        lambda: (docs / "plans/plan-00003.md").write_text(
            (docs / "plans/plan-00003.md").read_text().replace("status: ", "status: bogus-", 1)
        ),
        lambda: (docs / "plans/zz-syntax.md").write_text(
            "---\nkind: plan\nid: zz-syntax\ntitle: Fixed\nstatus: draft\n---\n# Fixed\n"
        ),
        lambda: (docs / "plans/zz-new.md").write_text(
            "---\nkind: plan\nid: zz-new\ntitle: New\nstatus: draft\ndepends_on: [zz-gone]\n---\n# New\n"
        ),
        lambda: (docs / "plans/zz-key.md").unlink(),
        lambda: (docs / "zz-page.md").write_text("# A page\n\nIt cites [G88888].\n"),
    ]
    for step in steps:
        step()
        warm = check(project)
        assert warm == check(project, "--no-cache")
    parsed = parsed_by_a_new_process(project)
    assert parsed == 0


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "flipped byte", "empty", "a record that names a forbidden class"],
)
def test_a_damaged_cache_is_read_around_and_written_again(project: Path, damage: str, tmp_path: Path) -> None:
    cold = check(project, "--no-cache")
    check(project)
    (pack,) = packs(project)
    data = pack.read_bytes()
    witness = tmp_path / "witness"
    if damage == "garbage":
        pack.write_bytes(os.urandom(4096))
    elif damage == "truncated":
        pack.write_bytes(data[: len(data) // 2])
    elif damage == "flipped byte":
        middle = len(data) // 2
        pack.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    elif damage == "empty":
        pack.write_bytes(b"")
    else:
        # A record whose checksum is right but whose value would run code if unpickled freely.
        class Evil:
            def __reduce__(self) -> tuple[object, ...]:
                return (open, (str(witness), "w"))

        rebuilt = io.BytesIO()
        rebuilt.write(disk_cache.FORMAT)
        for key, _ in disk_cache._records(io.BytesIO(data)):
            disk_cache._write(rebuilt, marshal.dumps(key), pickle.dumps(Evil()))
        pack.write_bytes(rebuilt.getvalue())
    assert check(project) == cold
    assert not witness.exists(), "the cache builds only the compiler's own classes"
    assert check(project) == cold
    parsed = parsed_by_a_new_process(project)
    assert parsed == 0, "the damaged pack was written again whole"


def test_runs_at_the_same_time_share_the_cache(project: Path) -> None:
    cold = check(project, "--no-cache")
    env = dict(os.environ, PLANS_NO_FORK="1")
    command = [sys.executable, "-m", "plancompiler.cli", "check"]
    running = [
        subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for process in running:
        out, err = process.communicate(timeout=300)
        assert (process.returncode, out, err) == cold
    assert len(packs(project)) == 1
    parsed = parsed_by_a_new_process(project)
    assert parsed == 0


def test_the_cache_can_be_turned_off(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANS_NO_CACHE", "1")
    check(project)
    assert not packs(project)
    monkeypatch.setenv("PLANS_NO_CACHE", "0")
    check(project)
    assert len(packs(project)) == 1


def test_a_cache_folder_that_cannot_be_written_is_no_cache(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("PLANS_CACHE_DIR", str(blocker / "cache"))
    code, out, err = check(project)
    assert (code, out, err) == check(project, "--no-cache")
    assert err == ""


def test_a_new_file_date_builds_the_plan_again(project: Path) -> None:
    """A commit can change a file's date and not its content: a plan without `updated:` takes
    its file's date, so the model kept for the old date is not used."""
    plan_path = "docs/plans/plan-00002.md"
    text = (project / plan_path).read_text()
    (project / plan_path).write_text(text.replace("\nupdated: ", "\nx-was-updated: ", 1))

    def compile_with(day: str) -> tuple[int, Result]:
        compiler = Compiler(Options(), keep_marks=False, store=project / "docs")
        result = compiler.compile(sources(project), dates={plan_path: day})
        return compiler.parsed, result

    compile_with("2026-01-05")
    parsed, result = compile_with("2026-02-07")
    fresh = Compiler(Options(), keep_marks=False).compile(sources(project), dates={plan_path: "2026-02-07"})
    assert parsed == 1
    assert result.project.plans["plan-00002"].updated == "2026-02-07"
    assert result.project == fresh.project and result.diagnostics == fresh.diagnostics


def test_another_version_of_the_package_starts_a_new_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(project)
    (before,) = packs(project)
    monkeypatch.setattr(disk_cache, "code_stamp", lambda: "another version")
    parsed = parsed_by_a_new_process(project)
    assert parsed == len(sources(project))
    (after,) = packs(project)
    assert after != before, "this project's pack of the other version is removed"
