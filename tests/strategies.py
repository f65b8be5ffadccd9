"""Hypothesis strategies for plan corpora that follow the schemas, with acyclic dependencies.

A generated corpus is a list of plans (as front-matter dictionaries) plus the ADRs their
gates are tied to. Statuses are drawn so that no rule fires: a task is done only when all
it depends on is done, a plan is completed only when all its tasks are finished, and so on;
a generated corpus therefore compiles with no diagnostic at all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import yaml
from hypothesis import strategies as st

from plancompiler.ids import PLACEHOLDER

TASK_STATUSES = ("todo", "in-progress", "blocked", "done", "cancelled")
PLAN_STATUSES = ("draft", "ready", "in-progress", "completed", "historical", "cancelled")
LEVELS = ("low", "medium", "high")

HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</table><script>alert(2)</script>",
    '"]) click n0 call alert(3)',
    "%%{init: {'securityLevel': 'loose'}}%%",
    "[x](javascript:alert(4))",
    "| a | b |",
    "{: onclick=alert(5) }",
    "line\nbreak::error file=evil::x",
    "`code` **bold** _em_",
    "&amp; &lt;b&gt;",
    "\u202e\u2028\u0085 odd spaces",
)


def _visible(text: str) -> bool:
    """Non-blank, not a template placeholder, and a string PyYAML's dumper writes faithfully
    (it folds some line-break characters inside single quotes: its bug, not a plan's)."""
    if not text.strip() or PLACEHOLDER.match(text) or text.lstrip().startswith("{"):
        return False  # `{...}` is what an unfilled template looks like: flagged by design
    return yaml.safe_load(yaml.safe_dump({"t": text}, allow_unicode=True, width=10_000))["t"] == text


texts = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
).filter(_visible)


@dataclass
class Corpus:
    """Plans and ADRs as data, and how to write them as Markdown files."""

    plans: list[dict[str, Any]] = field(default_factory=list)
    adrs: dict[int, dict[str, Any]] = field(default_factory=dict)

    def files(self) -> dict[str, str]:
        out = {}
        for plan in self.plans:
            front = yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=10_000)
            out[f"plans/{plan['id']}.md"] = f"---\n{front}---\n# {plan['id']}\n\nBody of the plan.\n"
        for number, meta in self.adrs.items():
            front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
            out[f"decisions/{number:04d}-decision.md"] = f"---\n{front}---\nThe decision.\n"
        return out


# Days before any day the suite runs on: a pinned start in the past schedules work from today
# and flags nothing.
PAST_DAYS = st.dates(datetime.date(2024, 1, 1), datetime.date(2026, 6, 30)).map(datetime.date.isoformat)


@st.composite
def corpora(draw: st.DrawFn, max_plans: int = 3) -> Corpus:
    corpus = Corpus()
    count = draw(st.integers(1, max_plans))
    all_tasks: list[tuple[str, str, bool]] = []  # (plan id, task id, done)
    gates: list[str] = []
    plan_done: dict[str, bool] = {}
    for p in range(count):
        plan_id = f"plan-{p}"
        phases = []
        own: list[tuple[str, bool]] = []
        phase_count = draw(st.integers(0, 3))
        plan_gates = []
        for _ in range(draw(st.integers(0, 2))):
            gid = f"G{len(gates) + 1:02d}"
            number = len(corpus.adrs) + 1
            corpus.adrs[number] = {"status": "accepted", "title": draw(texts), "deciders": [draw(texts)]}
            gate: dict[str, Any] = {"id": gid, "title": draw(texts), "adr": f"ADR-{number:04d}"}
            if gates and draw(st.booleans()):
                gate["after"] = [draw(st.sampled_from(gates))]
            plan_gates.append(gate)
            gates.append(gid)
        for ph in range(1, phase_count + 1):
            tasks = []
            for t in range(1, draw(st.integers(0, 4)) + 1):
                tid = f"P{ph}.{t}"
                deps = draw(st.lists(st.sampled_from([x for x, _ in own]), max_size=2, unique=True)) if own else []
                if all_tasks and draw(st.integers(0, 4)) == 0:
                    other_plan, other_task, _ = draw(st.sampled_from(all_tasks))
                    deps.append(f"{other_plan}/{other_task}")
                deps_done = all(dict(own).get(d, False) if "/" not in d else _done(all_tasks, d) for d in deps)
                choices = TASK_STATUSES if deps_done else ("todo", "in-progress", "blocked", "cancelled")
                status = draw(st.sampled_from(choices))
                task: dict[str, Any] = {"id": tid, "title": draw(texts), "owner": draw(texts), "status": status}
                if draw(st.booleans()):
                    task["estimate"] = draw(st.one_of(st.integers(0, 30), st.sampled_from(["2d", "1w", "4h", "1.5d"])))
                if deps:
                    task["depends_on"] = deps
                tasks.append(task)
                own.append((tid, status == "done"))
            phase: dict[str, Any] = {"id": f"P{ph}", "title": draw(texts), "tasks": tasks}
            if gates and draw(st.booleans()):
                phase["gates"] = [draw(st.sampled_from(gates))]
            if ph > 1 and draw(st.booleans()):
                phase["depends_on"] = [f"P{ph - 1}"]
            if draw(st.booleans()):
                phase["deliverables"] = draw(st.lists(texts, max_size=2))
            if draw(st.integers(0, 3)) == 0:
                phase["start"] = draw(PAST_DAYS)
            phases.append(phase)
        finished = all(t["status"] in ("done", "cancelled") for ph in phases for t in ph["tasks"])
        statuses = [s for s in PLAN_STATUSES if s != "completed" or finished]
        status = draw(st.sampled_from(statuses))
        plan: dict[str, Any] = {
            "kind": "plan",
            "id": plan_id,
            "title": draw(texts),
            "status": status,
            "owner": draw(texts),
        }
        if draw(st.booleans()):
            plan["start"] = draw(PAST_DAYS)
        earlier = [q["id"] for q in corpus.plans if status != "completed" or plan_done[q["id"]]]
        if earlier and draw(st.booleans()):
            plan["depends_on"] = [draw(st.sampled_from(earlier))]
        if plan_gates:
            plan["gates"] = plan_gates
        if phases:
            plan["phases"] = phases
        plan["risks"] = [
            {
                "id": "R1",
                "title": draw(texts),
                "likelihood": draw(st.sampled_from(LEVELS)),
                "impact": draw(st.sampled_from(LEVELS)),
                "mitigation": draw(texts),
                "owner": draw(texts),
            }
        ]
        plan["success_metrics"] = [{"id": "SM1", "metric": draw(texts), "target": draw(texts)}]
        plan["rollback"] = {"triggers": [draw(texts)], "steps": [draw(texts)]}
        corpus.plans.append(plan)
        plan_done[plan_id] = status in ("completed", "historical")
        all_tasks += [(plan_id, tid, done) for tid, done in own]
    return corpus


def _done(all_tasks: list[tuple[str, str, bool]], ref: str) -> bool:
    plan, task = ref.split("/", 1)
    return any(p == plan and t == task and done for p, t, done in all_tasks)
