"""Hints from meaning before spelling: each known confusion, written where people write it,
makes `plans check` suggest what was meant; spelling distance answers for the rest."""

from __future__ import annotations

import pytest

from conftest import Site
from plancompiler.diagnostics import hints

ADR = "---\nstatus: {status}\n{extra}---\n# Use a queue\n"


def _plan(top: str = "", phase: str = "", task: str = "", gate: str = "", risk: str = "", status: str = "draft") -> str:
    return (
        "---\nkind: plan\nid: checkout\ntitle: Checkout\n"
        f"status: {status}\n{top}"
        "gates:\n"
        f"  - {{id: G1, title: Provider, adr: ADR-0001{gate}}}\n"
        "phases:\n"
        "  - id: P0\n    title: Start\n"
        f"  - id: P1\n    title: Build\n{phase}"
        "    tasks:\n"
        "      - {id: T0, title: Spike}\n"
        f"      - {{id: T1, title: Wire{task}}}\n"
        "risks:\n"
        f"  - {{id: R1, title: Slips, likelihood: low, impact: low{risk}}}\n"
        "---\n# Checkout\n"
    )


# (element, key as written, key meant), each written into a plan or an ADR by hand.
KEY_CASES = [
    ("phase", "after", "depends_on", _plan(phase="    after: [P0]\n"), "unknown key 'after' in phase P1"),
    ("phase", "requires", "depends_on", _plan(phase="    requires: [P0]\n"), "unknown key 'requires' in phase P1"),
    ("phase", "depends", "depends_on", _plan(phase="    depends: [P0]\n"), "unknown key 'depends' in phase P1"),
    ("task", "after", "depends_on", _plan(task=", after: [T0]"), "unknown key 'after' in task T1"),
    ("task", "requires", "depends_on", _plan(task=", requires: [T0]"), "unknown key 'requires' in task T1"),
    ("task", "blocked_by", "depends_on", _plan(task=", blocked_by: [T0]"), "unknown key 'blocked_by' in task T1"),
    ("task", "dependencies", "depends_on", _plan(task=", dependencies: [T0]"), "unknown key 'dependencies' in task T1"),
    ("task", "assignee", "owner", _plan(task=", assignee: ana"), "unknown key 'assignee' in task T1"),
    ("task", "effort", "estimate", _plan(task=", effort: 2d"), "unknown key 'effort' in task T1"),
    ("plan", "after", "depends_on", _plan(top="after: [billing]\n"), "unknown key 'after' in plan"),
    ("plan", "requires", "depends_on", _plan(top="requires: [billing]\n"), "unknown key 'requires' in plan"),
    ("plan", "assignee", "owner", _plan(top="assignee: platform\n"), "unknown key 'assignee' in plan"),
    ("gate", "depends_on", "after", _plan(gate=", depends_on: [G0]"), "unknown key 'depends_on' in gate G1"),
    ("gate", "requires", "after", _plan(gate=", requires: [G0]"), "unknown key 'requires' in gate G1"),
    ("risk", "probability", "likelihood", _plan(risk=", probability: low"), "unknown key 'probability' in risk R1"),
    ("risk", "severity", "impact", _plan(risk=", severity: low"), "unknown key 'severity' in risk R1"),
    (
        "adr",
        "decider",
        "deciders",
        ADR.format(status="accepted", extra="decider: [ana]\n"),
        "key 'decider' of ADR-0001",
    ),
    (
        "adr",
        "approvers",
        "deciders",
        ADR.format(status="accepted", extra="approvers: [ana]\n"),
        "key 'approvers' of ADR-0001",
    ),
    (
        "adr",
        "replaces",
        "supersedes",
        ADR.format(status="accepted", extra="replaces: [ADR-0002]\n"),
        "key 'replaces' of ADR-0001",
    ),
    (
        "adr",
        "replaced_by",
        "superseded_by",
        ADR.format(status="accepted", extra="replaced_by: ADR-0002\n"),
        "key 'replaced_by' of ADR-0001",
    ),
]

# (element, key, value as written, value meant, document, the diagnostic's start).
VALUE_CASES = [
    ("adr", "status", "approved", "accepted", ADR.format(status="approved", extra=""), "status 'approved' of ADR-0001"),
    (
        "adr",
        "status",
        "implemented",
        "accepted",
        ADR.format(status="Implemented", extra=""),
        "status 'Implemented' of ADR-0001",
    ),
    ("adr", "status", "agreed", "accepted", ADR.format(status="agreed", extra=""), "status 'agreed' of ADR-0001"),
    ("adr", "status", "declined", "rejected", ADR.format(status="declined", extra=""), "status 'declined' of ADR-0001"),
    ("adr", "status", "draft", "proposed", ADR.format(status="draft", extra=""), "status 'draft' of ADR-0001"),
    (
        "adr",
        "status",
        "obsolete",
        "deprecated",
        ADR.format(status="obsolete", extra=""),
        "status 'obsolete' of ADR-0001",
    ),
    (
        "adr",
        "status",
        "replaced",
        "superseded",
        ADR.format(status="replaced", extra=""),
        "status 'replaced' of ADR-0001",
    ),
    ("plan", "status", "active", "in-progress", _plan(status="active"), "status 'active' of plan"),
    ("plan", "status", "done", "completed", _plan(status="done"), "status 'done' of plan"),
    ("plan", "status", "planned", "ready", _plan(status="planned"), "status 'planned' of plan"),
    ("task", "status", "completed", "done", _plan(task=", status: completed"), "status 'completed' of task T1"),
    ("task", "status", "open", "todo", _plan(task=", status: open"), "status 'open' of task T1"),
    ("task", "status", "doing", "in-progress", _plan(task=", status: doing"), "status 'doing' of task T1"),
    ("task", "status", "on hold", "blocked", _plan(task=", status: on hold"), "status 'on hold' of task T1"),
]


# The default alias table reads `approved`, `draft` and the like as states (see the ADR
# guide); with it off, such a word is a warning whose hint names the state meant.
NO_ALIASES = "site_name: t\nplugins:\n  - plans:\n      adr_status_aliases: 'off'\n"


def _check(site: Site, document: str) -> str:
    if document.startswith("---\nstatus"):
        site.config(NO_ALIASES)
    site.write("decisions/0001-use-a-queue.md", ADR.format(status="accepted", extra=""), dedent=False)
    site.write("decisions/0002-use-a-stream.md", ADR.format(status="accepted", extra=""), dedent=False)
    target = "decisions/0001-use-a-queue.md" if document.startswith("---\nstatus") else "checkout.md"
    site.write(target, document, dedent=False)
    return site.check().out


@pytest.mark.parametrize(
    ("element", "written", "meant", "document", "start"), KEY_CASES, ids=[f"{c[0]}-{c[1]}" for c in KEY_CASES]
)
def test_a_confused_key_gets_the_key_meant(
    site: Site, element: str, written: str, meant: str, document: str, start: str
) -> None:
    out = _check(site, document)
    found = [line for line in out.splitlines() if start in line]
    assert len(found) == 1, out
    assert (
        f"{start} (did you mean '{meant}'?" in found[0]
        or f"{start} is not an ADR key (did you mean '{meant}'?" in found[0]
    )


@pytest.mark.parametrize(
    ("element", "key", "written", "meant", "document", "start"),
    VALUE_CASES,
    ids=[f"{c[0]}-{c[2]}" for c in VALUE_CASES],
)
def test_a_confused_value_gets_the_value_meant(
    site: Site, element: str, key: str, written: str, meant: str, document: str, start: str
) -> None:
    out = _check(site, document)
    found = [line for line in out.splitlines() if start in line]
    assert len(found) == 1, out
    assert f"(did you mean '{meant}'?" in found[0]


def test_every_known_confusion_has_its_case() -> None:
    assert {(c[0], c[1]) for c in KEY_CASES} == set(hints.KEYS)
    assert {(c[0], c[1], c[2]) for c in VALUE_CASES} == set(hints.VALUES)
    for element, written, meant, *_ in KEY_CASES:
        assert hints.KEYS[(element, written)].word == meant
    for element, key, written, meant, *_ in VALUE_CASES:
        assert hints.VALUES[(element, key, written)].word == meant


def test_meaning_comes_before_spelling_and_spelling_answers_the_rest(site: Site) -> None:
    out = _check(site, _plan(phase="    after: [P0]\n", task=", depend_on: [T0]"))
    # By spelling alone `after` is closest to `gates`; a phase's order is its depends_on.
    assert (
        "unknown key 'after' in phase P1 (did you mean 'depends_on'? a phase lists the phases before it in"
        " depends_on; after: orders gates); prefix private keys with 'x-'" in out
    )
    assert "unknown key 'depend_on' in task T1 (did you mean 'depends_on'?); prefix private keys with 'x-'" in out
    # An approved ADR is accepted, though 'approved' is spelt like 'proposed'.
    adr = _check(site, ADR.format(status="approved", extra=""))
    assert "(did you mean 'accepted'? an approved decision is accepted)" in adr


def test_other_adr_keys_stay_quiet(site: Site) -> None:
    # MADR and Jekyll keys, and a private one: kept, and no warning.
    out = _check(
        site, ADR.format(status="accepted", extra="parent: Decisions\nnav_order: 3\nconsulted: [bo]\nx-ticket: Q-1\n")
    )
    assert out == "Found 0 errors, 0 warnings, 0 infos in 2 documents.\n"
