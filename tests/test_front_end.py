"""The front end: documents are not changed once parsed, and what only makes it fast can be
turned off without changing what it gives."""

from __future__ import annotations

import copy
import sys

import pytest

from conftest import REPO
from plancompiler.compiler import Compiler, Source
from plancompiler.front_end import Checked
from plancompiler.parse.document import read_document
from plancompiler.validate.normalise import normalise
from plancompiler.validate.schemas import load_schemas

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_corpus import generate  # noqa: E402

PLAN = """\
---
kind: plan
id: dates
title: no
status: draft
updated: 2026-10-01
gates:
  - {id: G1, title: One, adr: 7}
phases:
  - id: P1
    title: First
    tasks:
      - &shared {id: T1, title: on, estimate: 2d}
      - {id: T2, title: 2026-01-01}
x-again: *shared
---
# Dates
"""


def test_normalising_makes_a_new_document_and_leaves_the_parsed_one_alone() -> None:
    parsed = read_document("docs/dates.md", "dates.md", PLAN)
    assert parsed is not None
    before = copy.deepcopy(parsed.data)
    doc, problems = normalise(parsed, load_schemas(), ("decisions",))
    assert parsed.data == before
    assert doc is not parsed and doc.data is not parsed.data
    assert (doc.data["title"], doc.data["updated"], doc.data["gates"][0]["adr"]) == ("no", "2026-10-01", "ADR-0007")
    assert doc.data["phases"][0]["tasks"][1]["title"] == "2026-01-01"
    # YAML shares the anchored task between its two places, and so does the copy.
    assert doc.data["phases"][0]["tasks"][0]["title"] == "on"
    assert doc.data["phases"][0]["tasks"][0] is doc.data["x-again"]
    assert parsed.data["x-again"]["title"] is True
    assert problems == []


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Source]:
    root = tmp_path_factory.mktemp("corpus")
    generate(root, plans=40, seed=3)
    docs = root / "docs"
    return [
        Source(f"docs/{p.relative_to(docs).as_posix()}", p.relative_to(docs).as_posix(), p.read_bytes())
        for p in sorted(docs.rglob("*.md"))
    ]


def test_the_front_end_without_its_speed_ups_gives_the_same_and_reads_every_file_each_time(
    corpus: list[Source],
) -> None:
    fast, slow = Compiler(), Compiler(fast=False)
    expected = fast.compile(corpus)
    for _ in range(2):
        found = slow.compile(corpus)
        assert found.diagnostics == expected.diagnostics and found.project == expected.project
    fast.compile(corpus)
    assert (fast.parsed, slow.parsed) == (len(corpus), 2 * len(corpus))


def test_a_result_crosses_from_a_forked_child_whole(corpus: list[Source]) -> None:
    compiler = Compiler()
    for source in corpus[:5]:
        checked = compiler._read(source)
        again = Checked.from_plain(checked.to_plain())
        assert (again.problems, again.uses, again.title) == (checked.problems, checked.uses, checked.title)
        if checked.doc is not None:
            assert again.doc is not None
            assert (again.doc.data, again.doc.body, again.doc.problems) == (
                checked.doc.data,
                checked.doc.body,
                checked.doc.problems,
            )
            assert again.doc.marks.to_plain() == checked.doc.marks.to_plain()
