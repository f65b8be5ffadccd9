"""Small models written by hand, for the unit tests of `link` and `analyse`.

`plan("billing", phase("P1", task("T1"), task("T2", depends_on=["T1"])))` is a plan with one
phase of two tasks; references are written as text, as in front matter, and every one of a
plan gets its own line in the plan's file (`docs/billing.md`), in the order they are
written, so that a test can tell which one a diagnostic points at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from plancompiler.analyse import analyse
from plancompiler.diagnostics import Diagnostic, Reporter
from plancompiler.link.resolve import resolve
from plancompiler.link.symbols import Symbols
from plancompiler.model import Adr, Gate, Key, Loc, Phase, Plan, Project, Ref, Relation, Risk, Rollback, Task, item_key
from plancompiler.vocabulary import AdrStatus, PlanStatus, TaskStatus


@dataclass
class _Lines:
    """Hands out the lines of one file, one per thing written in it."""

    path: str
    next: int = 2

    def loc(self) -> Loc:
        self.next += 1
        return Loc(self.path, self.next - 1, 5)

    def refs(self, texts: Iterable[str]) -> tuple[Ref, ...]:
        return tuple(Ref(text, self.loc()) for text in texts)


TaskSpec = Callable[[str, str, _Lines], Task]
PhaseSpec = Callable[[str, _Lines], Phase]


def task(
    ident: str,
    status: str = "todo",
    depends_on: Sequence[str] = (),
    days: float | None = None,
    owner: str | None = "owner",
) -> TaskSpec:
    """A task; its plan and phase are those it is written in."""

    def make(plan_id: str, phase_id: str, lines: _Lines) -> Task:
        return Task(
            id=ident,
            title=f"Task {ident}",
            plan=plan_id,
            phase=phase_id,
            status=TaskStatus(status),
            owner=owner,
            estimate=f"{days:g}d" if days is not None else None,
            days=days,
            depends_on=lines.refs(depends_on),
            loc=lines.loc(),
            key=item_key(plan_id, ident),
        )

    return make


def phase(ident: str, *tasks: TaskSpec, gates: Sequence[str] = (), depends_on: Sequence[str] = ()) -> PhaseSpec:
    """A phase and its tasks."""

    def make(plan_id: str, lines: _Lines) -> Phase:
        return Phase(
            id=ident,
            title=f"Phase {ident}",
            plan=plan_id,
            goal=None,
            duration=None,
            gates=lines.refs(gates),
            depends_on=lines.refs(depends_on),
            deliverables=(),
            exit_criteria=(),
            tasks=tuple(t(plan_id, ident, lines) for t in tasks),
            loc=lines.loc(),
            key=item_key(plan_id, ident),
        )

    return make


@dataclass(frozen=True)
class GateSpec:
    ident: str
    adr: str | None = None
    after: Sequence[str] = ()
    waived: bool = False


def gate(ident: str, adr: str | None = None, after: Sequence[str] = (), waived: bool = False) -> GateSpec:
    """A gate a plan declares, tied to the ADR written as `adr`."""
    return GateSpec(ident, adr, after, waived)


def plan(
    ident: str,
    *phases: PhaseSpec,
    gates: Sequence[GateSpec] = (),
    depends_on: Sequence[str] = (),
    status: str = "draft",
    risks: Sequence[Risk] = (),
    rollback: bool = False,
    path: str | None = None,
) -> Plan:
    """A plan in `docs/<id>.md` (or `path`)."""
    lines = _Lines(path or f"docs/{ident}.md")
    made_gates = tuple(
        Gate(
            id=g.ident,
            title=f"Gate {g.ident}",
            plan=ident,
            adr=Ref(g.adr, lines.loc()) if g.adr is not None else None,
            after=lines.refs(g.after),
            waived=g.waived,
            reason="decided elsewhere" if g.waived else None,
            loc=lines.loc(),
        )
        for g in gates
    )
    return Plan(
        id=ident,
        title=f"Plan {ident}",
        status=PlanStatus(status),
        path=lines.path,
        rel=lines.path.removeprefix("docs/"),
        owner="team",
        version=None,
        complexity=None,
        updated=None,
        depends_on=lines.refs(depends_on),
        metrics=(),
        gates=made_gates,
        phases=tuple(p(ident, lines) for p in phases),
        risks=tuple(risks),
        rollback=Rollback(("errors",), ("revert",)) if rollback else None,
        loc=Loc(lines.path, 2, 5),
        status_loc=Loc(lines.path, 1, 9),
        body="",
    )


def adr(
    ident: str, status: str | None = "accepted", supersedes: Sequence[str] = (), superseded_by: str | None = None
) -> Adr:
    """An ADR in `docs/decisions/<id>.md`."""
    lines = _Lines(f"docs/decisions/{ident}.md")
    return Adr(
        id=ident,
        title=f"Decision {ident}",
        path=lines.path,
        rel=lines.path.removeprefix("docs/"),
        status=AdrStatus(status) if status else None,
        raw_status=status,
        date=None,
        deciders=(),
        relations=(
            *(Relation("supersedes", "Supersedes", ref) for ref in lines.refs(supersedes)),
            *([Relation("superseded-by", "Superseded by", Ref(superseded_by, lines.loc()))] if superseded_by else []),
        ),
        loc=Loc(lines.path, 2, 5),
        status_loc=Loc(lines.path, 3, 9),
        body="",
    )


@dataclass
class Compiled:
    """A linked (and maybe analysed) project, and the diagnostics as `path:line: CODE message`."""

    project: Project
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def found(self) -> list[str]:
        return sorted(f"{d.path}:{d.line}: {d.code} {d.message}" for d in self.diagnostics)

    @property
    def codes(self) -> list[str]:
        return sorted(d.code for d in self.diagnostics)


def link(
    plans: Iterable[Plan],
    adrs: Iterable[Adr] = (),
    broken: Iterable[str] = (),
    citations: Iterable[tuple[Key, Key]] = (),
) -> Compiled:
    """`link` alone: the symbol table filled in the plans' order, every reference resolved."""
    reporter = Reporter()
    symbols = Symbols(broken=set(broken))
    for p in plans:
        symbols.add_plan(p, reporter)
    for a in adrs:
        symbols.add_adr(a, reporter)
    symbols.link_adrs()
    links = resolve(symbols, citations, reporter)
    return Compiled(symbols.project(links, len(symbols.plans) + len(symbols.adrs), {}), reporter.items)


def analysed(plans: Iterable[Plan], adrs: Iterable[Adr] = ()) -> Compiled:
    """`link`, then `analyse` on the project it gives; the diagnostics of both."""
    linked = link(plans, adrs)
    reporter = Reporter()
    analysis = analyse(linked.project, reporter)
    return Compiled(replace(linked.project, analysis=analysis), [*linked.diagnostics, *reporter.items])
