"""The symbol table: every plan, phase, task, gate and ADR of one compilation by id, filled in
as documents arrive, and the duplicates found on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from plancompiler.diagnostics import Reporter
from plancompiler.ids import normalise_adr_id
from plancompiler.link.relations import link_records
from plancompiler.model import Adr, AdrLinks, Gate, Key, Links, Phase, Plan, Project, Task

PlanEntries = tuple[tuple[tuple[Key, Phase], ...], tuple[tuple[Key, Task], ...]]


def plan_entries(plan: Plan) -> PlanEntries:
    """A plan's phases and tasks under their keys (`plan/P1`, `plan/P1.2`)."""
    return (
        tuple((phase.key, phase) for phase in plan.phases),
        tuple((task.key, task) for phase in plan.phases for task in phase.tasks),
    )


@dataclass
class Symbols:
    """Lookup tables of one compilation. `broken` holds ids of plans that could not be read:
    references into them are not reported, since the plan's own diagnostics say what is wrong."""

    plans: dict[str, Plan] = field(default_factory=dict)
    adrs: dict[str, Adr] = field(default_factory=dict)
    gates: dict[str, Gate] = field(default_factory=dict)
    tasks: dict[Key, Task] = field(default_factory=dict)
    phases: dict[Key, Phase] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    adr_paths: dict[str, str] = field(default_factory=dict)
    """Decision records' ids by their file inside the docs folder: relations and prose link files."""
    adr_links: dict[str, AdrLinks] = field(default_factory=dict)
    """What each record's relations name (`link_adrs`)."""

    def __post_init__(self) -> None:
        # `tasks` as text finds it: a reference is looked up as written, without making a key.
        self._tasks_by_text = cast("dict[str, Task]", self.tasks)

    def add_plan(self, plan: Plan, reporter: Reporter, entries: PlanEntries | None = None) -> bool:
        """Add a plan, its phases, tasks and gates; `entries` is `plan_entries(plan)` when the
        caller kept it (a compile under `mkdocs serve` adds a thousand unchanged plans again)."""
        first = self.plans.get(plan.id)
        if first:
            reporter.report(
                "PLN020",
                plan.loc.path,
                plan.loc.line,
                plan.loc.col,
                f"plan id '{plan.id}' is already used by {first.loc}; plan ids are unique in the"
                " site, so give this plan another id",
            )
            return False
        self.plans[plan.id] = plan
        phases, tasks = entries if entries is not None else plan_entries(plan)
        self.phases.update(phases)
        self.tasks.update(tasks)
        for gate in plan.gates:
            other = self.gates.get(gate.id)
            if other:
                reporter.report(
                    "PLN022",
                    gate.loc.path,
                    gate.loc.line,
                    gate.loc.col,
                    f"gate id '{gate.id}' is already declared by {other.loc} (plan"
                    f" '{other.plan}'); gate ids are unique in the site",
                )
            else:
                self.gates[gate.id] = gate
        return True

    def add_adr(self, adr: Adr, reporter: Reporter) -> None:
        first = self.adrs.get(adr.id)
        if first:
            reporter.report(
                "PLN023",
                adr.loc.path,
                adr.loc.line,
                adr.loc.col,
                f"{adr.id} is already used by {first.path}; give this ADR the next free number",
            )
            return
        self.adrs[adr.id] = adr
        self.adr_paths[adr.rel] = adr.id

    def link_adrs(self) -> None:
        """Resolve the relations between decision records, once every record is added: prose
        and `link.resolve` both read them."""
        self.adr_links = link_records(self.adrs, self.adr_paths, self.adr)

    # -- look-ups by reference, for `link.resolve` ---------------------------------------------
    def task(self, plan_id: str, ref: str) -> Task | None:
        """The task a reference in plan `plan_id` names (`P1.2`, or `other-plan/P2.1`), or None."""
        plan, sep, local = ref.partition("/")
        # A qualified reference is the key itself.
        return self._tasks_by_text.get(ref if sep and plan else f"{plan_id}/{local if sep else ref}")

    def adr(self, ref: str) -> str | None:
        """The id of the ADR a reference names, in any of its spellings (`7`, `adr-0007`), or None."""
        if ref in self.adrs:
            return ref  # written as the id itself, as most are once normalised
        normal = normalise_adr_id(ref)
        return normal if normal in self.adrs else None

    def project(self, links: Links, documents: int, pages: dict[str, str]) -> Project:
        """The linked project: documents sorted by id, tasks and phases in file order."""
        return Project(
            plans=dict(sorted(self.plans.items())),
            adrs=dict(sorted(self.adrs.items())),
            gates=dict(sorted(self.gates.items())),
            tasks=self.tasks,
            phases=self.phases,
            links=links,
            documents=documents,
            pages=pages,
        )
