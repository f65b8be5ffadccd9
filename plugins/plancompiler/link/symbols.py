"""The symbol table: every plan, phase, task, gate and ADR by id, and reference resolution."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from plancompiler.diagnostics import Reporter, hints
from plancompiler.ids import GATE_ID, LOCAL_ID, PLAN_ID, normalise_adr_id, split_ref
from plancompiler.model import Adr, Gate, Phase, Plan, Ref, Task


def _well_formed_task_ref(text: str) -> bool:
    plan, local = split_ref(text)
    return (plan is None or bool(PLAN_ID.match(plan))) and bool(LOCAL_ID.match(local))


def _hint(word: str, choices: Iterable[str]) -> str:
    return hints.spelling(word, sorted(choices))


PlanEntries = tuple[tuple[tuple[str, Phase], ...], tuple[tuple[str, Task], ...]]


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
    tasks: dict[str, Task] = field(default_factory=dict)
    phases: dict[str, Phase] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)

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

    # -- resolution ------------------------------------------------------------------------
    def task(self, plan_id: str, ref: str) -> str | None:
        """The key (`plan/task`) a task reference names, or None."""
        plan, local = split_ref(ref)
        key = f"{plan or plan_id}/{local}"
        return key if key in self.tasks else None

    def adr(self, ref: str) -> str | None:
        normal = normalise_adr_id(ref)
        return normal if normal in self.adrs else None

    # -- reporting -------------------------------------------------------------------------
    def check_references(self, reporter: Reporter) -> None:
        """Report every reference that names nothing.

        A reference that is not even shaped like an id (`adr: true`, `depends_on: [P 2]`) has
        its schema diagnostic already, and is not reported a second time as dangling.
        """
        for plan in self.plans.values():
            self._check_plan(plan, reporter)
        for adr in self.adrs.values():
            for ref in (*adr.supersedes, *([adr.superseded_by] if adr.superseded_by else [])):
                if normalise_adr_id(ref.text) and self.adr(ref.text) is None:
                    verb = "supersedes" if ref in adr.supersedes else "is superseded by"
                    reporter.report(
                        "PLN014",
                        ref.loc.path,
                        ref.loc.line,
                        ref.loc.col,
                        f"{adr.id} {verb} {normalise_adr_id(ref.text) or ref.text}, which does"
                        " not exist; correct the number or add that ADR",
                    )

    def _check_plan(self, plan: Plan, reporter: Reporter) -> None:
        for ref in plan.depends_on:
            if PLAN_ID.match(ref.text) and ref.text not in self.plans and ref.text not in self.broken:
                reporter.report(
                    "PLN010",
                    ref.loc.path,
                    ref.loc.line,
                    ref.loc.col,
                    f"plan '{plan.id}' depends on plan '{ref.text}', which does not exist{_hint(ref.text, self.plans)}",
                )
        for gate in plan.gates:
            for ref in gate.after:
                self._gate_ref(ref, f"gate {gate.id} comes after", reporter)
            if gate.adr and normalise_adr_id(gate.adr.text) and self.adr(gate.adr.text) is None:
                shown = normalise_adr_id(gate.adr.text) or gate.adr.text
                reporter.report(
                    "PLN014",
                    gate.adr.loc.path,
                    gate.adr.loc.line,
                    gate.adr.loc.col,
                    f"gate {gate.id} is tied to {shown}, which does not exist; correct the"
                    f" number or add the ADR{_hint(shown, self.adrs)}",
                )
        local_phases = {p.id for p in plan.phases}
        for phase in plan.phases:
            for ref in phase.gates:
                self._gate_ref(ref, f"phase {phase.id} waits on", reporter)
            for ref in phase.depends_on:
                if LOCAL_ID.match(ref.text) and ref.text not in local_phases:
                    reporter.report(
                        "PLN012",
                        ref.loc.path,
                        ref.loc.line,
                        ref.loc.col,
                        f"phase {phase.id} depends on phase '{ref.text}', which plan"
                        f" '{plan.id}' does not define{_hint(ref.text, local_phases)}",
                    )
            for task in phase.tasks:
                for ref in task.depends_on:
                    self._task_ref(plan, task, ref, reporter)

    def _gate_ref(self, ref: Ref, what: str, reporter: Reporter) -> None:
        if GATE_ID.match(ref.text) and ref.text not in self.gates:
            reporter.report(
                "PLN013",
                ref.loc.path,
                ref.loc.line,
                ref.loc.col,
                f"{what} gate '{ref.text}', which no plan declares{_hint(ref.text, self.gates)}",
            )

    def _task_ref(self, plan: Plan, task: Task, ref: Ref, reporter: Reporter) -> None:
        if not _well_formed_task_ref(ref.text):
            return
        other, local = split_ref(ref.text)
        if other is not None and other not in self.plans:
            if other not in self.broken:
                reporter.report(
                    "PLN010",
                    ref.loc.path,
                    ref.loc.line,
                    ref.loc.col,
                    f"task {task.id} depends on '{ref.text}', but there is no plan '{other}'{_hint(other, self.plans)}",
                )
            return
        if self.task(plan.id, ref.text) is not None:
            return
        target = self.plans[other or plan.id]
        names = [t.id for t in target.tasks]
        phase_note = (
            f"; '{local}' is a phase, so depend on its tasks or make phase {task.phase} depend on phase {local}"
            if any(p.id == local for p in target.phases)
            else _hint(local, names)
        )
        reporter.report(
            "PLN011",
            ref.loc.path,
            ref.loc.line,
            ref.loc.col,
            f"task {task.id} depends on '{ref.text}', which no phase of plan '{target.id}' defines{phase_note}",
        )
