"""A plan's page: a compact card above the author's prose (`plan_card`) and the detail below
it (the schedule and progress over time, phases and gates, each phase's tasks and graph,
gates, metrics, risks, rollback)."""

from __future__ import annotations

import datetime

from plancompiler.analyse.forecast import Schedule, TaskDates
from plancompiler.emit import escape, html, mermaid, timecharts
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.dates import day, slip_text
from plancompiler.emit.plan_card import plan_card, render_card
from plancompiler.emit.progress import days, progress, progress_share, progress_text
from plancompiler.model import Key, Phase, Plan, Ref, Task
from plancompiler.vocabulary import FINISHED

# The progress figures are part of what a plan's page module offers (plans index, export).
__all__ = [
    "DETAIL_MARK",
    "SECTIONS",
    "plan_summary_key",
    "progress",
    "progress_share",
    "progress_text",
    "render_detail",
    "render_plan_summary",
]

LEVELS = ("low", "medium", "high")
DETAIL_MARK = "<!-- plans:detail -->"
"""Between the card and the detail in `render_plan_summary`'s output."""


def _task_anchor(task_id: str) -> str:
    return escape.anchor("task", task_id)


SECTIONS = {
    "schedule": "Schedule",
    "progress-over-time": "Progress over time",
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


def _dependency(ctx: EmitContext, src: str, plan: Plan, ref: Ref, key: Key | None) -> str:
    if key is None:
        return escape.text(ref.text)  # dangling: reported as a diagnostic, shown as text
    target = ctx.project.tasks[key]
    label = target.id if target.plan == plan.id else ref.text
    href = ctx.href(src, ctx.project.plans[target.plan].rel, _task_anchor(target.id))
    return f'<span class="plans-nowrap">{ctx.link(label, href)}</span>'


def _status(ctx: EmitContext, src: str, task: Task) -> str:
    """The task's status badge; for a task whose phase waits on a gate, which gates; under it,
    when the schedule puts the task, and its due date."""
    shown = badge("task", task.status)
    holding = ctx.project.analysis.blocked_by.get(task.key)
    if holding:
        gates = ", ".join(ctx.gate_link(src, g.id) for g in holding)
        shown += f' <span class="plans-note plans-held">waits on {gates}</span>'
    schedule = ctx.project.schedule
    when = _when(task, schedule.tasks.get(task.key) if schedule else None, bool(holding))
    if when:
        shown += f' <span class="plans-note plans-when">{when}</span>'
    return shown


def _when(task: Task, dates: TaskDates | None, held: bool) -> str:
    """A task's dates and slack, or why it has none (`held`: the gates it waits on are named
    already), and its due date, marked when the forecast misses it."""
    parts = []
    if task.status in FINISHED or dates is None:
        pass
    elif dates.start and dates.finish:
        span = (
            html.day(dates.start)
            if dates.start == dates.finish
            else f"{html.day(dates.start)} → {html.day(dates.finish)}"
        )
        slack = "critical" if dates.critical else f"slack {dates.slack:g}d" if dates.slack else ""
        parts.append(span + (f" · {slack}" if slack else ""))
    elif dates.waits:
        parts.append("unscheduled" if held else f"unscheduled: waits on {escape.text(', '.join(dates.waits))}")
    if task.due:
        late = dates is not None and dates.finish is not None and dates.finish > task.due.date
        due = f"due {html.day(task.due.date)}"
        parts.append(f'<span class="plans-late">{due}</span>' if late else due)
    return "<br>".join(parts)


def _task_row(ctx: EmitContext, src: str, plan: Plan, task: Task) -> list[str]:
    deps = ", ".join(_dependency(ctx, src, plan, r, k) for r, k in ctx.project.dependencies(task)) or "—"
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
    links = ctx.project.links.plans[plan.id]
    if phase.gates:
        gates = []
        for ref, gate_id in zip(phase.gates, links.waits_on[phase.key]):
            state = ctx.state(gate_id) if gate_id is not None else None
            shown = ctx.gate_link(src, gate_id) if gate_id is not None and state else escape.text(ref.text)
            gates.append(f"{shown} {badge('gate', state.state if state else 'unknown')}")
        facts.append(html.strong("Gates:") + " " + ", ".join(gates))
    if phase.depends_on:
        after = []
        for ref, before in zip(phase.depends_on, links.phases[phase.key]):
            # A phase that names none is reported as a diagnostic, and shown as written.
            before_id = ctx.project.phases[before].id if before is not None else None
            after.append(
                ctx.link(before_id, ctx.href(src, src, escape.anchor("phase", before_id)))
                if before_id is not None
                else escape.text(ref.text)
            )
        facts.append(html.strong("Depends on phases:") + " " + ", ".join(after))
    if phase.goal:
        facts.append(html.strong("Goal:") + " " + escape.text(phase.goal))
    if phase.duration:
        facts.append(html.strong("Duration:") + " " + escape.text(phase.duration))
    if phase.start:
        facts.append(html.strong("Starts no sooner than:") + " " + escape.text(day(phase.start.date)))
    if phase.due:
        facts.append(html.strong("Due:") + " " + escape.text(day(phase.due.date)))
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
    if plan.tasks and ctx.project.schedule is not None:  # when the work is done, and how it went
        out += _schedule(ctx, plan, ctx.project.schedule)
        out += _progress_over_time(ctx, plan)
    if plan.phases:
        critical = []
        path = analysis.critical_paths.get(plan.id, ())
        if path:
            tasks = [ctx.project.tasks[k] for k in path]
            total = sum((t.days or 0) for t in tasks)
            chain = " → ".join(ctx.link(t.id, ctx.href(src, src, _task_anchor(t.id)), t.title) for t in tasks)
            critical.append(
                html.para(
                    f"{html.strong('Critical path')} (unfinished work, {days(total)}): {chain}", css="plans-critical"
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
            adr = state.adr if state else None
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
    backlinks = ctx.project.links.referenced_by.get(plan.key, ())
    if backlinks:
        out += [
            html.heading(2, "referenced-by", SECTIONS["referenced-by"]),
            html.items(ctx.source_link(src, k) for k in backlinks),
        ]
    out.append("</div>")
    return "\n".join(out)


def render_plan_summary(ctx: EmitContext, plan: Plan) -> str:
    """HTML of the card, `DETAIL_MARK`, then HTML of the detail; every user string escaped."""
    card = render_card(ctx, plan_card(ctx.project, plan))
    return card + "\n" + DETAIL_MARK + "\n" + render_detail(ctx, plan) + "\n"


def _schedule(ctx: EmitContext, plan: Plan, schedule: Schedule) -> list[str]:
    """The forecast in words, the Gantt chart of the remaining work, and what is unscheduled."""
    out = [html.heading(2, "schedule", SECTIONS["schedule"])]
    forecast = schedule.plans[plan.id]
    facts = []
    if forecast.left == 0:
        facts.append("Every task is finished.")
    elif forecast.finish:
        facts.append(f"{html.strong('Forecast finish:')} {escape.text(day(forecast.finish))}")
    else:
        facts.append(f"{html.strong('Forecast finish:')} unknown while part of the work waits on a gate")
    if plan.due:
        due = f"{html.strong('Due:')} {escape.text(day(plan.due.date))}"
        if forecast.late is not None:
            due += f" ({slip_text(forecast)})"
        facts.append(due)
    if plan.start:
        facts.append(f"{html.strong('Start:')} {escape.text(day(plan.start.date))}")
    facts.append(
        f"Today is {escape.text(day(schedule.today))}; working days {escape.text(schedule.calendar.describe())}."
    )
    out.append(html.para(" · ".join(facts[:-1]) + ("<br>" if len(facts) > 1 else "") + facts[-1]))
    sections = timecharts.plan_bars(plan, schedule)
    if any(bars for _, bars in sections):
        lines = [(f"due {plan.due.date:%d %b}", plan.due.date)] if plan.due else []
        out.append(mermaid.block(timecharts.gantt(sections, schedule.calendar, schedule.today, lines)))
        out.append(
            html.para(
                '<span class="plans-swatch plans-swatch-crit"></span> critical path (no slack)'
                ' <span class="plans-swatch plans-swatch-active"></span> in progress'
                ' <span class="plans-swatch plans-swatch-task"></span> other work'
                ' <span class="plans-swatch plans-swatch-due"></span> due date'
                " · dashed lines: today and the plan's due date; finished tasks are left out.",
                css="plans-legend",
            )
        )
    waiting = [t for t in plan.tasks if (d := schedule.tasks.get(t.key)) is not None and d.waits]
    if waiting:
        causes = sorted({w for t in waiting for w in schedule.tasks[t.key].waits})
        shown = ", ".join(ctx.gate_link(plan.rel, w) if w in ctx.project.gates else escape.text(w) for w in causes)
        names = ", ".join(escape.text(t.id) for t in waiting)
        hint = " (no due date yet: give the gate a <code>due:</code> to schedule what waits on it)"
        out.append(
            html.para(
                f"{html.strong('Unscheduled:')} {names} wait{'s' if len(waiting) == 1 else ''} on {shown}"
                + (hint if any(c in ctx.project.gates for c in causes) else "")
                + "."
            )
        )
    return out


def _progress_over_time(ctx: EmitContext, plan: Plan) -> list[str]:
    """The burn-up chart: estimate done and in scope at each commit that changed the plan."""
    out = [html.heading(2, "progress-over-time", SECTIONS["progress-over-time"])]
    history = ctx.history
    if history is None or history.note:
        reason = history.note if history is not None and history.note else "the site is not built from git"
        out.append(html.para(f"No history: {escape.text(reason)}."))
        return out
    series = history.plans.get(plan.id)
    points = [(p.date, p.done_days, p.scope_days) for p in series.points] if series else []
    _, _, done_days, total_days = progress(plan)
    schedule = ctx.project.schedule
    today = schedule.today if schedule else datetime.date.today()
    if not points or points[-1][1:] != (done_days, total_days) or points[-1][0] < today:
        points.append((today, done_days, total_days))
    commits = len(series.points) if series else 0
    noun = "commit" if commits == 1 else "commits"
    if len({p[0] for p in points}) < 2:
        out.append(
            html.para(
                f"{commits} {noun} so far, all on {escape.text(points[0][0].isoformat())}:"
                f" {done_days:g}d of {total_days:g}d done. The chart appears once the plan changes on another day."
            )
        )
        return out
    out.append(mermaid.block(timecharts.burn_up(points, today)))
    first = series.points[0].date.isoformat() if series and series.points else today.isoformat()
    out.append(
        html.para(
            "Scope is the estimate of every task but the cancelled ones; done, the estimate of the finished"
            f" ones, in working days, from {commits} {noun} since {escape.text(first)} and today's files."
            f" <code>plans history {escape.text(plan.id)}</code> lists them with the forecast of each day.",
            css="plans-legend",
        )
    )
    return out


def plan_summary_key(ctx: EmitContext, plan: Plan) -> tuple[object, ...]:
    """Everything `render_plan_summary` reads about `plan` and its neighbours.

    Equal keys mean equal summaries, so `mkdocs serve` re-renders only the pages an edit
    touches. Keep it next to the renderers (`plan_card` gathers what the card reads): whatever
    they start to read goes here. What the plan's references name is in it (`PlanLinks`), and
    the plans holding tasks its tasks depend on whole (a link needs their page), by identity as
    long as their files do not change.
    """
    project, analysis = ctx.project, ctx.project.analysis
    plans = project.plans
    links = project.links.plans[plan.id]
    # The gates its phases wait on, then the gates it declares.
    gates = (*(g for waits in links.waits_on.values() for g in waits if g is not None), *(g.id for g in plan.gates))
    states = tuple(map(analysis.gate_states.get, gates))
    return (
        plan,
        ctx.paths,
        links,
        tuple(map(plans.get, links.other_plans)),
        tuple(map(project.gates.get, gates)),
        states,
        # The ADR in force of each gate: linked, with its status and deciders.
        tuple((a.title, a.rel, a.raw_status, a.deciders) if s and (a := s.adr) else None for s in states),
        tuple((p.title, p.rel, p.status) for p in map(plans.get, filter(None, links.depends_on)) if p),
        analysis.ready_tasks.get(plan.id),
        tuple(analysis.blocked_by.get(t.key) for t in plan.tasks),
        analysis.critical_paths.get(plan.id),
        ctx.sources_key(project.links.referenced_by.get(plan.key, ())),
        project.schedule.about(plan) if project.schedule else None,
        _history_key(ctx, plan.id),
    )


def _history_key(ctx: EmitContext, plan_id: str) -> object:
    history = ctx.history
    return (history.note, history.plans.get(plan_id)) if history is not None else None
