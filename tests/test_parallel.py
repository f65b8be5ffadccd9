"""A large site is read by two processes: the result must be the one a single process gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from plancompiler import parallel
from plancompiler.compiler import Compiler, Result, Source

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_corpus import generate  # noqa: E402

# Files that sort after the generated ones, so they fall in the forked child's share.
BROKEN = {
    "plans/zz-syntax.md": "---\nkind: plan\nid: zz-syntax\ntitle: [unclosed\nstatus: draft\n---\n# Broken\n",
    "plans/zz-key.md": "---\nkind: plan\nid: zz-key\ntitle: Typo\nstatus: draft\ndepend_on: [plan-00001]\n---\n# Typo\n",
    "plans/zz-xref.md": (
        "---\nkind: plan\nid: zz-xref\ntitle: Cites\nstatus: draft\n---\n# Cites\n\nSee [ADR-0999] and [ADR-0001].\n"
    ),
    "plans/zz-date.md": "---\nkind: plan\nid: zz-date\ntitle: Dated\nstatus: draft\nx-when: 2026-01-02\n---\n# D\n",
    "decisions/9990-octal.md": "---\nid: 0111\nstatus: accepted\n---\n# Title from the heading\n",
    "zz-page.md": "# A page\n\nIt cites [G99999] and [plan-00002].\n",
}
# Records whose metadata is in their bodies, and a page that links one: what the front end
# reads beside the front matter crosses from the child as well.
BODIES = {
    "decisions/9991-cron.md": "# 9991. Cron\n\nDate: 2026-01-02\n\n## Status\n\nImplemented (v2)\n\nSuperseded by [9992. Timer](9992-timer.md)\n",
    "decisions/9992-timer.md": "# Timer\n\n* Status: accepted\n* Deciders: A, B\n\n## Links\n\n* Supersedes [9991](9991-cron.md)\n",
    "zz-links.md": "# Links\n\nAs [cron](decisions/9991-cron.md) said.\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate(root, plans=200, seed=3)
    for rel, text in {**BROKEN, **BODIES}.items():
        (root / "docs" / rel).write_text(text, encoding="utf-8")
    return root


def _sources(root: Path) -> list[Source]:
    docs = root / "docs"
    return [
        Source(f"docs/{p.relative_to(docs).as_posix()}", p.relative_to(docs).as_posix(), p.read_bytes())
        for p in sorted(docs.rglob("*.md"))
    ]


def _compile(root: Path, monkeypatch: pytest.MonkeyPatch, fork: bool) -> tuple[Result, int, bool]:
    if fork and not parallel.can_fork():
        pytest.skip("forking is for Linux with two cores, from a process with one thread")
    forked: list[bool] = []
    real = parallel.fork_work

    def recording(*args: object) -> object:
        child = real(*args)  # type: ignore[arg-type]
        forked.append(child is not None)
        return child

    with monkeypatch.context() as patch:
        patch.setenv("PLANS_NO_FORK", "0" if fork else "1")
        patch.setattr(parallel, "fork_work", recording)
        compiler = Compiler()
        result = compiler.compile(_sources(root))
    return result, compiler.parsed, any(forked)


def _same(a: Result, b: Result) -> None:
    assert a.diagnostics == b.diagnostics
    assert a.project == b.project
    for path, doc in a.documents.items():
        other = b.documents[path]
        assert (doc.data, doc.body, doc.body_line, doc.problems, doc.derived) == (
            other.data,
            other.body,
            other.body_line,
            other.problems,
            other.derived,
        )
        assert doc.marks.root == other.marks.root and doc.marks.typed == other.marks.typed
        assert doc.marks.extra == other.marks.extra


def test_forked_compile_equals_single_process(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    single, parsed_single, forked_single = _compile(corpus, monkeypatch, fork=False)
    shared, parsed_shared, forked_shared = _compile(corpus, monkeypatch, fork=True)
    assert not forked_single and forked_shared
    assert parsed_single == parsed_shared == len(_sources(corpus))
    codes = {d.code for d in shared.diagnostics}
    assert {"PLN002", "PLN050", "PLN015", "PLN063"} <= codes
    assert shared.project.adrs["ADR-0111"].title == "Title from the heading"
    cron = shared.project.adrs["ADR-9991"]
    assert (cron.status, cron.raw_status, cron.date, cron.title) == ("superseded", "Superseded", "2026-01-02", "Cron")
    assert shared.project.links.adrs["ADR-9991"].successor == "ADR-9992"
    assert shared.project.adrs["ADR-9992"].deciders == ("A", "B")
    assert "page:zz-links.md" in shared.project.links.referenced_by["adr:ADR-9991"]
    _same(single, shared)


def test_a_failing_child_leaves_its_share_to_the_parent(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    single, _, _ = _compile(corpus, monkeypatch, fork=False)

    def dies(*args: object) -> None:
        os._exit(3)

    monkeypatch.setattr(parallel, "_child", dies)
    shared, parsed, forked = _compile(corpus, monkeypatch, fork=True)
    assert forked
    assert parsed == len(_sources(corpus))
    _same(single, shared)


def test_plans_check_prints_the_same_with_and_without_the_fork(corpus: Path) -> None:
    runs = []
    for no_fork in ("1", "0"):
        env = dict(os.environ, PLANS_NO_FORK=no_fork)
        done = subprocess.run(
            # Without the disk cache: the second run would read the first one's work back.
            [sys.executable, "-m", "plancompiler.cli", "check", "--no-cache", "--format", "json", "docs"],
            cwd=corpus,
            env=env,
            capture_output=True,
            text=True,
        )
        runs.append((done.returncode, done.stdout))
    assert runs[0] == runs[1]
    assert runs[0][0] == 1 and '"PLN002"' in runs[0][1]


def test_a_compile_that_drops_marks_gives_the_same_result(corpus: Path) -> None:
    """`plans check` drops each value's position once the model is built; nothing after
    that may need them."""
    kept = Compiler().compile(_sources(corpus))
    dropped = Compiler(keep_marks=False).compile(_sources(corpus))
    assert kept.diagnostics == dropped.diagnostics
    assert kept.project == dropped.project
    plan = dropped.documents["docs/plans/plan-00001.md"]
    assert plan.marks.root is None and kept.documents["docs/plans/plan-00001.md"].marks.root is not None
