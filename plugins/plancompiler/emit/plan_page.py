"""A plan's page: a compact card above the author's prose (status, progress, what is in
progress, ready, blocked and by whom, open gates, top risks) and the detail below it
(phases and gates, each phase's tasks and graph, gates, metrics, risks, rollback)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from plancompiler.analyse.gates import CLEARED
from plancompiler.analyse.graphs import FINISHED
from plancompiler.emit import escape, html, mermaid
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.views import (
    Decision,
    TaskLine,
    decision,
    items_or,
    render_decision,
    render_task_line,
    task_line,
)
from plancompiler.ids import split_ref
from plancompiler.model import Phase, Plan, Project, Task

LEVELS = ("low", "medium", "high")
DETAIL_MARK = "<!-- plans:detail -->"
"""Between the card and the detail in `render_plan_summary`'s output."""


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


def progress_share(plan: Plan) -> int:
    """Done tasks as a whole percentage of the counted ones (0 without tasks)."""
    done, total, _, _ = progress(plan)
    return round(100 * done / total) if total else 0


def progress_text(plan: Plan) -> str:
    done, total, done_days, total_days = progress(plan)
    if not total:
        return "no tasks yet"
    text = f"{done} of {total} tasks done ({progress_share(plan)}%)"
    if total_days:
        text += f" · {_days(done_days)} of {_days(total_days)} by estimate"
    return text


def _task_anchor(task_id: str) -> str:
    return escape.anchor("task", task_id)


# -- the card --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Held:
    """The unfinished tasks of one phase that wait on gates, and those gates' decisions."""

    phase: str
    phase_title: str
    tasks: tuple[TaskLine, ...]
    gates: tuple[Decision, ...]


@dataclass(frozen=True, slots=True)
class RiskLine:
    id: str
    title: str
    likelihood: str | None
    impact: str | None
    owner: str | None
    mitigated: bool


@dataclass(frozen=True, slots=True)
class PlanCard:
    """Everything the card at the top of a plan's page shows."""

    plan: str
    rel: str
    status: str
    facts: tuple[tuple[str, str], ...]
    """Owner, version, complexity, updated: those the plan has, as (label, value)."""
    progress: str
    share: int
    has_tasks: bool
    needs: tuple[tuple[str, str | None, str | None, str | None], ...]
    """The plans it depends on: (as written, title, page, status), the last three None when
    no plan has that id."""
    started: tuple[TaskLine, ...]
    ready: tuple[TaskLine, ...]
    waiting: bool
    """Whether some task is still to do (so that "nothing is ready" means something)."""
    held: tuple[Held, ...]
    marked: tuple[TaskLine, ...]
    """Tasks whose own status says `blocked` while no gate holds their phase."""
    open_gates: tuple[Decision, ...]
    risks: tuple[RiskLine, ...]


_RANK = {"high": 3, "medium": 2, "low": 1}


def plan_card(project: Project, plan: Plan) -> PlanCard:
    """Gather what the card shows."""
    analysis = project.analysis
    lines = {t.key: line for t in plan.tasks if (line := task_line(project, t.key)) is not None}
    decisions: dict[str, Decision | None] = {}

    def decided(gate_id: str) -> Decision | None:
        if gate_id not in decisions:
            decisions[gate_id] = decision(project, gate_id)
        return decisions[gate_id]

    held = []
    for phase in plan.phases:
        gate_ids: tuple[str, ...] = ()
        tasks = []
        for task in phase.tasks:
            holding = analysis.blocked_by.get(task.key)
            if holding and task.status != "in-progress":
                gate_ids = holding
                tasks.append(lines[task.key])
        if tasks:
            gates = tuple(d for g in gate_ids if (d := decided(g)) is not None)
            held.append(Held(phase.id, phase.title, tuple(tasks), gates))
    marked = tuple(lines[t.key] for t in plan.tasks if t.status == "blocked" and t.key not in analysis.blocked_by)
    named = [r.text for phase in plan.phases for r in phase.gates] + [g.id for g in plan.gates]
    open_gates = []
    for gate_id in dict.fromkeys(named):
        state = analysis.gate_states.get(gate_id)
        if state is not None and state.state not in CLEARED and (found := decided(gate_id)) is not None:
            open_gates.append(found)
    risks = sorted(plan.risks, key=lambda r: (-_RANK.get(r.impact or "", 0), -_RANK.get(r.likelihood or "", 0), r.id))
    needs = []
    for ref in plan.depends_on:
        other = project.plans.get(ref.text)
        needs.append((ref.text, other.title, other.rel, other.status) if other else (ref.text, None, None, None))
    facts = (
        ("Owner", plan.owner),
        ("Version", plan.version),
        ("Complexity", plan.complexity),
        ("Updated", plan.updated),
    )
    return PlanCard(
        plan.id,
        plan.rel,
        plan.status,
        tuple((label, value) for label, value in facts if value),
        progress_text(plan),
        progress_share(plan),
        bool(plan.tasks),
        tuple(needs),
        tuple(lines[t.key] for t in plan.tasks if t.status == "in-progress"),
        tuple(lines[k] for k in analysis.ready_tasks.get(plan.id, ()) if k in lines),
        any(t.status == "todo" for t in plan.tasks),
        tuple(held),
        marked,
        tuple(open_gates),
        tuple(
            RiskLine(r.id, r.title, r.likelihood, r.impact, r.owner, bool(r.mitigation and r.owner)) for r in risks[:3]
        ),
    )


def render_card(ctx: EmitContext, card: PlanCard) -> str:
    """The card's HTML; every user string escaped."""
    src = card.rel
    meta = [badge("plan", card.status)] + [f"{label}: {html.strong(escape.text(v))}" for label, v in card.facts]
    out = [
        f'<div class="plans-card plans-summary" data-plan="{escape.attr(card.plan)}">',
        html.para(" · ".join(meta), css="plans-card-facts"),
        html.para(
            html.progress_bar(card.share, f"{card.share}% of tasks done")
            + f" {html.strong('Progress:')} {card.progress}",
            css="plans-card-progress",
        ),
    ]
    if card.needs:
        needs = []
        for written, title, rel, status in card.needs:
            if title is None or rel is None:
                needs.append(escape.text(written))  # reported as a diagnostic, shown as written
            else:
                needs.append(f"{ctx.link(title, ctx.href(src, rel))} {badge('plan', status)}")
        out.append(html.para(f"{html.strong('Depends on:')} " + ", ".join(needs)))
    if card.has_tasks:
        ready_none = (
            "Nothing is ready: every open task waits on a dependency, a phase or a gate."
            if card.waiting
            else "No task is waiting to start."
        )
        blocks = [
            _block("in-progress", "In progress", card.started, "Nothing is in progress.", ctx, src),
            _block("ready-to-start", "Ready to start", card.ready, ready_none, ctx, src),
        ]
        if card.held or card.marked:
            entries = []
            for held in card.held:
                phase = ctx.link(held.phase, ctx.href(src, src, escape.anchor("phase", held.phase)), held.phase_title)
                tasks = ", ".join(ctx.link(t.id, ctx.href(src, src, _task_anchor(t.id)), t.title) for t in held.tasks)
                gates = ", ".join(
                    ctx.link(g.gate, ctx.href(src, ctx.paths.gates_index, escape.anchor(g.gate)), g.title)
                    for g in held.gates
                )
                entries.append(f'{tasks} <span class="plans-note">(phase {phase})</span> wait on {gates}')
            entries += [render_task_line(ctx, src, t) + " is marked blocked" for t in card.marked]
            count = sum(len(h.tasks) for h in card.held) + len(card.marked)
            blocks.append(_titled("blocked", "Blocked", count, html.items(entries)))
        if card.open_gates:
            entries = [render_decision(ctx, src, g) for g in card.open_gates]
            blocks.append(_titled("open-gates", "Open gates", len(entries), html.items(entries)))
        if card.risks:
            entries = [_risk_line(r) for r in card.risks]
            blocks.append(_titled("top-risks", "Top risks", 0, html.items(entries)))
        out.append(f'<div class="plans-card-grid">{"".join(blocks)}</div>')
    out.append("</div>")
    return "\n".join(out)


def _titled(anchor: str, title: str, count: int, body: str) -> str:
    shown = html.strong(title) + (f" ({count})" if count else "")
    return f'<div id="{anchor}" class="plans-card-block">{html.para(shown)}{body}</div>'


def _block(anchor: str, title: str, tasks: tuple[TaskLine, ...], none: str, ctx: EmitContext, src: str) -> str:
    return _titled(anchor, title, len(tasks), items_or([render_task_line(ctx, src, t) for t in tasks], none))


def _risk_line(risk: RiskLine) -> str:
    levels = ", ".join(
        f"{escape.text(v)} {what}" for v, what in ((risk.impact, "impact"), (risk.likelihood, "likelihood")) if v
    )
    text = f'<span class="plans-nowrap">{escape.text(risk.id)}</span> {escape.text(risk.title)}'
    if levels:
        text += f" ({levels})"
    if risk.owner:
        text += f", owner {escape.text(risk.owner)}"
    if risk.impact == "high" and not risk.mitigated:
        text += ' <span class="plans-warn">no mitigation and owner</span>'
    return text


# -- the detail ------------------------------------------------------------------------------


SECTIONS = {
    "phases-and-gates": "Phases and gates",
    "phases": "Phases",
    "gates-declared-here": "Gates declared here",
    "success-metrics": "Success metrics",
    "risks": "Risks",
    "rollback": "Rollback",
    "referenced-by": "Referenced by",
}
"""The detail's own headings (id: title), for the page's table of contents."""

_TASKS = html.Table(
    (
        html.Column("ID", html.ID),
        html.Column("Task", html.TEXT),
        html.Column("Status", html.STATUS),
        html.Column("Owner"),
        html.Column("Estimate", html.ID),
        html.Column("Depends on"),
    ),
    css="plans-tasks",
)


def _dependency(ctx: EmitContext, src: str, plan: Plan, ref_text: str) -> str:
    other, local = split_ref(ref_text)
    target = ctx.project.plans.get(other or plan.id)
    if target is None or not ctx.project.has_task(f"{target.id}/{local}"):
        return escape.text(ref_text)  # dangling: reported as a diagnostic, shown as text
    label = local if target.id == plan.id else ref_text
    return f'<span class="plans-nowrap">{ctx.link(label, ctx.href(src, target.rel, _task_anchor(local)))}</span>'


def _status(ctx: EmitContext, src: str, task: Task) -> str:
    """The task's status badge; for a task whose phase waits on a gate, which gates."""
    shown = badge("task", task.status)
    holding = ctx.project.analysis.blocked_by.get(task.key)
    if holding:
        gates = ", ".join(ctx.gate_link(src, g) for g in holding)
        shown += f' <span class="plans-note plans-held">waits on {gates}</span>'
    return shown


def _task_row(ctx: EmitContext, src: str, plan: Plan, task: Task) -> list[str]:
    deps = ", ".join(_dependency(ctx, src, plan, r.text) for r in task.depends_on) or "—"
    return [
        f'<span id="{_task_anchor(task.id)}"></span>{escape.text(task.id)}',
        escape.text(task.title),
        _status(ctx, src, task),
        escape.text(task.owner or "—"),
        escape.text(task.estimate or "—"),
        deps,
    ]


def _phase(ctx: EmitContext, src: str, plan: Plan, phase: Phase) -> list[str]:
    finished = bool(phase.tasks) and all(t.status in FINISHED for t in phase.tasks)
    title = f"{escape.text(phase.id)} · {escape.text(phase.title)}"
    if finished:
        title += " " + badge("phase", "done")
    out = [html.heading(3, escape.anchor("phase", phase.id), title)]
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
    body = []
    graph = mermaid.phase_graph(plan, phase, ctx.project)
    if graph is not None:
        body.append(mermaid.block(graph))
    if phase.tasks:
        body.append(_TASKS.render(_task_row(ctx, src, plan, t) for t in phase.tasks))
    for heading, entries in (("Deliverables", phase.deliverables), ("Exit criteria", phase.exit_criteria)):
        if entries:
            body += [html.para(html.strong(f"{heading}:")), html.items(escape.text(i) for i in entries)]
    if finished and body:
        noun = "task" if len(phase.tasks) == 1 else "tasks"
        out.append(html.details(f"{len(phase.tasks)} {noun}, all finished", "".join(body), css="success plans-done"))
    else:
        out += body
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
        '<div class="plans-matrix">' + html.table(_MATRIX_HEAD, matrix) + "</div>",
        _RISKS.render(rows),
    ]


_LEGEND = (
    'In the graphs: <span class="plans-key plans-key-critical">red</span>, the critical path;'
    ' <span class="plans-key plans-key-held">dashed amber</span>, waiting on a gate that is neither'
    ' passed nor waived; <span class="plans-key plans-key-done">green</span>, done; dashed grey, in'
    " another phase or plan."
)
_MATRIX_HEAD = ("Likelihood \\ Impact", "low", "medium", "high")
_RISKS = html.Table(
    (
        html.Column("ID", html.ID),
        html.Column("Risk", html.TEXT),
        html.Column("Likelihood"),
        html.Column("Impact"),
        html.Column("Mitigation", html.TEXT),
        html.Column("Owner"),
    )
)
_GATES = html.Table(
    (
        html.Column("Gate", html.ID),
        html.Column("Title"),
        html.Column("ADR", html.ID),
        html.Column("Deciders"),
        html.Column("State", html.STATUS),
    )
)
_METRICS = html.Table(
    (
        html.Column("ID", html.ID),
        html.Column("Category"),
        html.Column("Metric", html.TEXT),
        html.Column("Target"),
        html.Column("Baseline"),
    )
)


def render_detail(ctx: EmitContext, plan: Plan) -> str:
    """The detail below the author's prose; every user string escaped."""
    src = plan.rel
    analysis = ctx.project.analysis
    out = [f'<div class="plans-detail" data-plan="{escape.attr(plan.id)}">']
    if plan.phases:
        critical = []
        path = analysis.critical_paths.get(plan.id, ())
        if path:
            tasks = [t for k in path if (t := ctx.project.task(k)) is not None]
            days = sum((t.days or 0) for t in tasks)
            chain = " → ".join(ctx.link(t.id, ctx.href(src, src, _task_anchor(t.id)), t.title) for t in tasks)
            critical.append(
                html.para(
                    f"{html.strong('Critical path')} (unfinished work, {_days(days)}): {chain}", css="plans-critical"
                )
            )
        elif plan.tasks and all(t.status in FINISHED for t in plan.tasks):
            critical.append(html.para(f"{html.strong('Critical path:')} all tasks are finished."))
        if len(plan.phases) > 1:
            out += [
                html.heading(2, "phases-and-gates", SECTIONS["phases-and-gates"]),
                mermaid.block(mermaid.phase_overview(plan, ctx.project)),
                html.para(_LEGEND, css="plans-legend"),
                *critical,
                html.heading(2, "phases", SECTIONS["phases"]),
            ]
        else:
            out += [html.heading(2, "phases", SECTIONS["phases"]), *critical]
        for phase in plan.phases:
            out += _phase(ctx, src, plan, phase)
    if plan.gates:
        rows = []
        for gate in plan.gates:
            state = analysis.gate_states.get(gate.id)
            adr = ctx.project.adrs.get(state.adr) if state and state.adr else None
            adr_cell = ctx.adr_link(src, adr) if adr else escape.text(gate.adr.text if gate.adr else "—")
            rows.append(
                [
                    ctx.gate_link(src, gate.id),
                    escape.text(gate.title),
                    adr_cell,
                    ", ".join(escape.text(d) for d in adr.deciders) if adr and adr.deciders else "—",
                    badge("gate", state.state if state else "unknown"),
                ]
            )
        out += [html.heading(2, "gates-declared-here", SECTIONS["gates-declared-here"]), _GATES.render(rows)]
    if plan.metrics:
        rows = [
            [escape.text(v or "—") for v in (m.id, m.category, m.metric, m.target, m.baseline)] for m in plan.metrics
        ]
        out += [html.heading(2, "success-metrics", SECTIONS["success-metrics"]), _METRICS.render(rows)]
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
    return "\n".join(out)


def render_plan_summary(ctx: EmitContext, plan: Plan, card: PlanCard | None = None) -> str:
    """HTML of the card, `DETAIL_MARK`, then HTML of the detail; every user string escaped.
    `card` is `plan_card(ctx.project, plan)` when the caller has it."""
    card = card if card is not None else plan_card(ctx.project, plan)
    return render_card(ctx, card) + "\n" + DETAIL_MARK + "\n" + render_detail(ctx, plan) + "\n"


@dataclass(frozen=True, slots=True)
class _Neighbours:
    """What a plan's page looks up elsewhere in the project, by the ids its file names."""

    others: tuple[str, ...]
    """Plans named by its tasks' cross-plan dependencies."""
    gates: tuple[str, ...]
    """Gates its phases wait on, then the gates it declares."""
    needs: tuple[str, ...]
    """The plans it depends on."""


def _neighbours(plan: Plan) -> _Neighbours:
    others: list[str] = []
    gates: list[str] = []
    for phase in plan.phases:
        gates += [r.text for r in phase.gates]
        for task in phase.tasks:
            others += [r.text.partition("/")[0] for r in task.depends_on if "/" in r.text]
    gates += [g.id for g in plan.gates]
    return _Neighbours(tuple(others), tuple(gates), tuple(r.text for r in plan.depends_on))


def plan_summary_key(ctx: EmitContext, plan: Plan, memo: Memo | None = None) -> tuple[object, ...]:
    """Everything `render_plan_summary` reads about `plan` and its neighbours.

    Equal keys mean equal summaries, so `mkdocs serve` re-renders only the pages an edit
    touches. Keep it next to the renderers (`plan_card` gathers what the card reads): whatever
    they start to read goes here. Plans whose tasks this one's depend on are in it whole (a
    link needs their page and whether they have the task), by identity as long as their files
    do not change. With a `memo`, the ids the plan names are found once per version of the plan.
    """
    project, analysis = ctx.project, ctx.project.analysis
    plans, gates, adrs = project.plans, project.gates, project.adrs
    near = memo.get(("plan neighbours", plan.id), plan, partial(_neighbours, plan)) if memo else _neighbours(plan)
    states = tuple(map(analysis.gate_states.get, near.gates))
    return (
        plan,
        ctx.paths,
        tuple(map(plans.get, near.others)),
        tuple(map(gates.get, near.gates)),
        states,
        # The ADR in force of each gate: linked, with its status and deciders.
        tuple(
            (a.title, a.rel, a.raw_status, a.deciders) if s and s.adr and (a := adrs.get(s.adr)) else None
            for s in states
        ),
        tuple((p.title, p.rel, p.status) if (p := plans.get(i)) else None for i in near.needs) if near.needs else (),
        analysis.ready_tasks.get(plan.id),
        tuple(analysis.blocked_by.get(t.key) for t in plan.tasks),
        analysis.critical_paths.get(plan.id),
        ctx.sources_key(analysis.referenced_by.get(f"plan:{plan.id}", ())),
    )
