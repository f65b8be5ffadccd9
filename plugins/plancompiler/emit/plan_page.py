"""The summary rendered above a plan's own Markdown: status, progress, phases, risks, graph."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from plancompiler.analyse.graphs import FINISHED
from plancompiler.emit import escape, html, mermaid
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.memo import Memo
from plancompiler.ids import split_ref
from plancompiler.model import Phase, Plan, Task

LEVELS = ("low", "medium", "high")


def _days(value: float) -> str:
    return f"{value:g}d"


def progress(plan: Plan) -> tuple[int, int, float, float]:
    """Done and total tasks (cancelled ones left out), and the same by estimated days."""
    counted = [t for t in plan.tasks if t.status != "cancelled"]
    done = [t for t in counted if t.status == "done"]
    return (
        len(done),
        len(counted),
        sum(t.days or 0 for t in done),
        sum(t.days or 0 for t in counted),
    )


def progress_text(plan: Plan) -> str:
    done, total, done_days, total_days = progress(plan)
    if not total:
        return "no tasks yet"
    share = round(100 * done / total)
    text = f"{done} of {total} tasks done ({share}%)"
    if total_days:
        text += f" · {_days(done_days)} of {_days(total_days)} by estimate"
    return text


def _task_anchor(task_id: str) -> str:
    return escape.anchor("task", task_id)


def _dependency(ctx: EmitContext, src: str, plan: Plan, ref_text: str) -> str:
    other, local = split_ref(ref_text)
    target = ctx.project.plans.get(other or plan.id)
    if target is None or not ctx.project.has_task(f"{target.id}/{local}"):
        return escape.text(ref_text)  # dangling: reported as a diagnostic, shown as text
    label = local if target.id == plan.id else ref_text
    return ctx.link(label, ctx.href(src, target.rel, _task_anchor(local)))


def _task_row(ctx: EmitContext, src: str, plan: Plan, task: Task) -> list[str]:
    deps = ", ".join(_dependency(ctx, src, plan, r.text) for r in task.depends_on) or "—"
    return [
        f'<span id="{_task_anchor(task.id)}"></span>{escape.text(task.id)}',
        escape.text(task.title),
        badge("task", task.status),
        escape.text(task.owner or "—"),
        escape.text(task.estimate or "—"),
        deps,
    ]


def _phase(ctx: EmitContext, src: str, plan: Plan, phase: Phase) -> list[str]:
    out = [html.heading(3, escape.anchor("phase", phase.id), f"{escape.text(phase.id)} · {escape.text(phase.title)}")]
    facts = []
    if phase.gates:
        gates = []
        for ref in phase.gates:
            state = ctx.state(ref.text)
            shown = ctx.gate_link(src, ref.text) if state else escape.text(ref.text)
            gates.append(f"{shown} {badge('gate', state.state if state else 'unknown')}")
        facts.append(html.strong("Gates:") + " " + ", ".join(gates))
    if phase.depends_on:
        after = ", ".join(
            ctx.link(r.text, ctx.href(src, src, escape.anchor("phase", r.text))) for r in phase.depends_on
        )
        facts.append(html.strong("Depends on phases:") + " " + after)
    if phase.goal:
        facts.append(html.strong("Goal:") + " " + escape.text(phase.goal))
    if phase.duration:
        facts.append(html.strong("Duration:") + " " + escape.text(phase.duration))
    if facts:
        out.append(html.para(*facts))
    if phase.tasks:
        out.append(
            html.table(
                ("ID", "Task", "Status", "Owner", "Estimate", "Depends on"),
                (_task_row(ctx, src, plan, t) for t in phase.tasks),
            )
        )
    for title, entries in (("Deliverables", phase.deliverables), ("Exit criteria", phase.exit_criteria)):
        if entries:
            out += [html.para(html.strong(f"{title}:")), html.items(escape.text(i) for i in entries)]
    return out


def _risks(plan: Plan) -> list[str]:
    grid: dict[tuple[str, str], list[str]] = {}
    for risk in plan.risks:
        if risk.likelihood in LEVELS and risk.impact in LEVELS:
            grid.setdefault((risk.likelihood, risk.impact), []).append(escape.text(risk.id))
    matrix = [
        [html.strong(likelihood)] + [", ".join(grid.get((likelihood, impact), [])) for impact in LEVELS]
        for likelihood in reversed(LEVELS)
    ]
    rows = [
        [escape.text(v or "—") for v in (r.id, r.title, r.likelihood, r.impact, r.mitigation, r.owner)]
        for r in plan.risks
    ]
    return [
        html.heading(2, "risks", "Risks"),
        html.table(("Likelihood \\ Impact", "low", "medium", "high"), matrix),
        html.table(("ID", "Risk", "Likelihood", "Impact", "Mitigation", "Owner"), rows),
    ]


def _task_line(ctx: EmitContext, src: str, task: Task) -> str:
    """`P1.2 Port interfaces (bob, 3d)`, the id linked to the task's row."""
    extra = ", ".join(escape.text(v) for v in (task.owner, task.estimate) if v)
    link = ctx.link(task.id, ctx.href(src, src, _task_anchor(task.id)))
    return f"{link} {escape.text(task.title)}" + (f" ({extra})" if extra else "")


def _work_now(ctx: EmitContext, src: str, plan: Plan) -> str:
    """What is being done and what could start today, side by side."""
    started = [t for t in plan.tasks if t.status == "in-progress"]
    ready = [t for k in ctx.project.analysis.ready_tasks.get(plan.id, ()) if (t := ctx.project.task(k)) is not None]
    waiting = any(t.status == "todo" for t in plan.tasks)
    columns = []
    for title, tasks, none in (
        ("In progress", started, "Nothing is in progress."),
        (
            "Ready to start",
            ready,
            "Nothing is ready: every open task waits on a dependency, a phase or a gate."
            if waiting
            else "No task is waiting to start.",
        ),
    ):
        count = f" ({len(tasks)})" if tasks else ""
        body = html.items(_task_line(ctx, src, t) for t in tasks) if tasks else html.para(none)
        columns.append(f"<div>{html.para(html.strong(title) + count)}{body}</div>")
    return f'<div class="plans-now">{"".join(columns)}</div>'


SECTIONS = {
    "ready-to-start": "In progress and ready to start",
    "dependency-graph": "Dependency graph",
    "phases": "Phases",
    "gates-declared-here": "Gates declared here",
    "success-metrics": "Success metrics",
    "risks": "Risks",
    "rollback": "Rollback",
    "referenced-by": "Referenced by",
}
"""The summary's own headings (id: title), for the page's table of contents."""


def render_plan_summary(ctx: EmitContext, plan: Plan) -> str:
    """HTML for the top of a plan's page; every user string escaped."""
    src = plan.rel
    analysis = ctx.project.analysis
    meta = [badge("plan", plan.status)]
    for label, value in (
        ("Owner", plan.owner),
        ("Version", plan.version),
        ("Complexity", plan.complexity),
        ("Updated", plan.updated),
    ):
        if value:
            meta.append(f"{label}: {html.strong(escape.text(value))}")
    done, total, _, _ = progress(plan)
    share = round(100 * done / total) if total else 0
    out = [
        f'<div class="plans-summary" data-plan="{escape.attr(plan.id)}">',
        html.para(" · ".join(meta)),
        f'<div class="plans-progress" title="{share}%"><div class="plans-progress-bar"'
        f' style="width: {share}%"></div></div>',
        html.para(f"{html.strong('Progress:')} {progress_text(plan)}"),
    ]
    if plan.depends_on:
        deps = []
        for ref in plan.depends_on:
            other = ctx.project.plans.get(ref.text)
            deps.append(
                f"{ctx.plan_link(src, other)} {badge('plan', other.status)}" if other else escape.text(ref.text)
            )
        out.append(html.para(f"{html.strong('Depends on:')} " + ", ".join(deps)))

    if plan.tasks:  # a plan without tasks says so in its progress line
        out += [html.heading(2, "ready-to-start", SECTIONS["ready-to-start"]), _work_now(ctx, src, plan)]

    if plan.tasks:
        critical = analysis.critical_paths.get(plan.id, ())
        out += [
            html.heading(2, "dependency-graph", SECTIONS["dependency-graph"]),
            mermaid.block(mermaid.task_graph(plan, ctx.project)),
        ]
        if critical:
            tasks = [ctx.project.task(k) for k in critical]
            days = sum((t.days or 0) for t in tasks if t)
            chain = " → ".join(escape.text(k.split("/", 1)[1]) for k in critical)
            out.append(html.para(f"{html.strong('Critical path')} (unfinished work, {_days(days)}): {chain}"))
        elif all(t.status in FINISHED for t in plan.tasks):
            out.append(html.para(f"{html.strong('Critical path:')} all tasks are finished."))

    if plan.phases:
        out.append(html.heading(2, "phases", SECTIONS["phases"]))
        for phase in plan.phases:
            out += _phase(ctx, src, plan, phase)
    if plan.gates:
        rows = []
        for gate in plan.gates:
            state = analysis.gate_states.get(gate.id)
            adr = ctx.project.adrs.get(gate.adr.text) if gate.adr else None
            adr_cell = ctx.adr_link(src, adr) if adr else escape.text(gate.adr.text if gate.adr else "—")
            rows.append(
                [
                    ctx.gate_link(src, gate.id),
                    escape.text(gate.title),
                    adr_cell,
                    badge("gate", state.state if state else "unknown"),
                ]
            )
        out += [
            html.heading(2, "gates-declared-here", SECTIONS["gates-declared-here"]),
            html.table(("Gate", "Title", "ADR", "State"), rows),
        ]
    if plan.metrics:
        rows = [
            [escape.text(v or "—") for v in (m.id, m.category, m.metric, m.target, m.baseline)] for m in plan.metrics
        ]
        out += [
            html.heading(2, "success-metrics", SECTIONS["success-metrics"]),
            html.table(("ID", "Category", "Metric", "Target", "Baseline"), rows),
        ]
    if plan.risks:
        out += _risks(plan)
    if plan.rollback:
        out.append(html.heading(2, "rollback", SECTIONS["rollback"]))
        if plan.rollback.triggers:
            out += [html.para(html.strong("Triggers:")), html.items(escape.text(t) for t in plan.rollback.triggers)]
        if plan.rollback.steps:
            out += [
                html.para(html.strong("Steps:")),
                html.items((escape.text(s) for s in plan.rollback.steps), ordered=True),
            ]
    backlinks = analysis.referenced_by.get(f"plan:{plan.id}", ())
    if backlinks:
        out += [
            html.heading(2, "referenced-by", SECTIONS["referenced-by"]),
            html.items(ctx.source_link(src, k) for k in backlinks),
        ]
    out.append("</div>")
    return "\n".join(out) + "\n"


@dataclass(frozen=True, slots=True)
class _Neighbours:
    """What a plan's summary looks up elsewhere in the project, by the ids its file names."""

    others: tuple[str, ...]
    """Plans named by its tasks' cross-plan dependencies."""
    gates: tuple[str, ...]
    """Gates its phases wait on, then the gates it declares."""
    adrs: tuple[str, ...]
    """The ADRs of the gates it declares, as written."""
    needs: tuple[str, ...]
    """The plans it depends on."""


def _neighbours(plan: Plan) -> _Neighbours:
    others: list[str] = []
    gates: list[str] = []
    for phase in plan.phases:
        gates += [r.text for r in phase.gates]
        for task in phase.tasks:
            others += [r.text.partition("/")[0] for r in task.depends_on if "/" in r.text]
    return _Neighbours(
        tuple(others),
        (*gates, *(g.id for g in plan.gates)),
        tuple(g.adr.text for g in plan.gates if g.adr),
        tuple(r.text for r in plan.depends_on),
    )


def plan_summary_key(ctx: EmitContext, plan: Plan, memo: Memo | None = None) -> tuple[object, ...]:
    """Everything `render_plan_summary` reads about `plan` and its neighbours.

    Equal keys mean equal summaries, so `mkdocs serve` re-renders only the pages an edit
    touches. Keep it next to the renderer: whatever the renderer starts to read goes here.
    Plans whose tasks this one's depend on are in it whole (a link needs their page and
    whether they have the task), by identity as long as their files do not change. With a
    `memo`, the ids the plan names are found once per version of the plan.
    """
    project, analysis = ctx.project, ctx.project.analysis
    plans, gates, adrs = project.plans, project.gates, project.adrs
    near = memo.get(("plan neighbours", plan.id), plan, partial(_neighbours, plan)) if memo else _neighbours(plan)
    return (
        plan,
        ctx.paths,
        tuple(map(plans.get, near.others)),
        tuple(map(gates.get, near.gates)),
        tuple(map(analysis.gate_states.get, near.gates)),
        tuple((a.title, a.rel) if (a := adrs.get(text)) else None for text in near.adrs) if near.adrs else (),
        tuple((p.title, p.rel, p.status) if (p := plans.get(i)) else None for i in near.needs) if near.needs else (),
        analysis.ready_tasks.get(plan.id),
        analysis.critical_paths.get(plan.id),
        ctx.sources_key(analysis.referenced_by.get(f"plan:{plan.id}", ())),
    )
