"""A compiler that compiles again after an edit (as under `mkdocs serve`) must give exactly
what a fresh compiler gives, whatever it takes from its previous run."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

import pytest

from conftest import REPO
from plancompiler.compiler import Compiler, Result, Source

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_corpus import generate  # noqa: E402

Edit = Callable[[dict[str, str]], None]


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("corpus")
    generate(root, plans=30, seed=5)
    docs = root / "docs"
    texts = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))}
    # A dangling reference, so that the plan has a diagnostic of the linking stage.
    rel = "plans/plan-00029.md"
    texts[rel] = re.sub(r"(\{id: P1\.1, [^}]*?)\}", r"\1, depends_on: [P9.9]}", texts[rel], count=1)
    # And one in prose, of the cross-reference stage.
    texts["index.md"] += "\nAs [ADR-0998] says.\n"
    return texts


def _sources(texts: dict[str, str]) -> list[Source]:
    return [Source(f"docs/{rel}", rel, text.encode("utf-8")) for rel, text in sorted(texts.items())]


def _same(a: Result, b: Result) -> None:
    assert a.diagnostics == b.diagnostics
    assert a.project == b.project
    assert a.project.analysis == b.project.analysis
    for key, plan in a.project.plans.items():  # titles are left out of model equality nowhere
        assert plan.title == b.project.plans[key].title
        assert [t.title for t in plan.tasks] == [t.title for t in b.project.plans[key].tasks]


def _retitle(texts: dict[str, str]) -> None:
    rel = "plans/plan-00012.md"
    texts[rel] = texts[rel].replace("\ntitle: ", "\ntitle: Renamed ", 1)
    texts[rel] = re.sub(r"(\{id: P1\.1, title: )", r"\1Retitled ", texts[rel], count=1)


def _finish_a_task_early(texts: dict[str, str]) -> None:
    # Done while what it depends on is not: PLN040, and the critical path changes.
    rel = "plans/plan-00029.md"
    lines = texts[rel].splitlines(keepends=True)
    for i, line in enumerate(lines):
        if "status: todo" in line and "depends_on: [P" in line:
            lines[i] = line.replace("status: todo", "status: done")
            break
    texts[rel] = "".join(lines)


def _shift_lines(texts: dict[str, str]) -> None:
    # Two lines more above every task: the locations of its diagnostics move.
    rel = "plans/plan-00029.md"
    texts[rel] = texts[rel].replace("\nkind: plan\n", "\nkind: plan\n# a comment\n# another\n", 1)


def _reject_an_adr(texts: dict[str, str]) -> None:
    rel = next(r for r in sorted(texts) if r.startswith("decisions/"))
    texts[rel] = re.sub(r"status: \w+", "status: rejected", texts[rel], count=1)


def _cite_from_a_page(texts: dict[str, str]) -> None:
    texts["index.md"] = texts["index.md"] + "\nSee [plan-00003] and [ADR-0999].\n"


def _shift_prose(texts: dict[str, str]) -> None:
    # The dangling citation two lines lower: its diagnostic moves.
    texts["index.md"] = texts["index.md"].replace("\nAs [ADR-0998]", "\nFirst.\n\nAs [ADR-0998]", 1)


def _deprecate_a_cited_adr(texts: dict[str, str]) -> None:
    # Citations of a deprecated ADR are stale (PLN016).
    cited = {int(n) for text in texts.values() for n in re.findall(r"\[ADR-(\d+)\]", text)}
    rel = next(r for r in sorted(texts) if r.startswith("decisions/") and int(r[10:14]) in cited - {998})
    texts[rel] = re.sub(r"status: \w+", "status: deprecated", texts[rel], count=1)


def _remove_a_plan(texts: dict[str, str]) -> None:
    del texts["plans/plan-00004.md"]


@pytest.mark.parametrize(
    "edit",
    [
        _retitle,
        _finish_a_task_early,
        _shift_lines,
        _reject_an_adr,
        _cite_from_a_page,
        _shift_prose,
        _deprecate_a_cited_adr,
        _remove_a_plan,
    ],
)
def test_compiling_again_after_an_edit_equals_a_fresh_compile(texts: dict[str, str], edit: Edit) -> None:
    compiler = Compiler()
    before = compiler.compile(_sources(texts))
    edited = dict(texts)
    edit(edited)
    assert edited != texts
    again = compiler.compile(_sources(edited))
    fresh = Compiler().compile(_sources(edited))
    assert any(d.code == "PLN011" for d in fresh.diagnostics)
    assert any(d.code == "PLN015" for d in fresh.diagnostics)
    _same(again, fresh)
    assert again.diagnostics != before.diagnostics or again.project != before.project or edit is _retitle


def test_a_title_edit_is_neither_linked_nor_analysed_again(texts: dict[str, str]) -> None:
    compiler = Compiler()
    compiler.compile(_sources(texts))
    analysed = compiler.timings["analyse"]
    edited = dict(texts)
    _retitle(edited)
    again = compiler.compile(_sources(edited))
    assert compiler.timings["analyse"] == analysed
    assert again.project.plans["plan-00012"].title.startswith("Renamed ")
    _finish_a_task_early(edited)
    compiler.compile(_sources(edited))
    assert compiler.timings["analyse"] > analysed
