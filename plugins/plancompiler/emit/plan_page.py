"""A plan's page: a compact card above the author's prose (`plan_card`) and the detail below
it (the schedule and progress over time, phases and gates, each phase's tasks and graph,
gates, metrics, risks, rollback)."""

from __future__ import annotations

from plancompiler.analyse.forecast import TaskDates
from plancompiler.emit import escape, html, mermaid, timecharts
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.dates import day, slip_text
from plancompiler.emit.plan_card import plan_card, render_card
from plancompiler.emit.plan_view import PlanPageView, PlanSchedule, plan_page_view
from plancompiler.emit.progress import days, progress, progress_share, progress_text
from plancompiler.emit.views import render_shown
from plancompiler.model import Key, Phase, Plan, Ref, Task
from plancompiler.vocabulary import FINISHED

# The progress figures are part of what a plan's page module offers (plans index, export).
__all__ = [
    "DETAIL_MARK",
    "SECTIONS",
    "plan_page_view",
    "progress",
    "progress_share",
    "progress_text",
    "render_detail",
    "render_plan_summary",
    "render_plan_view",
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


class _Page:
    """A plan's page view with its look-ups made once: what the detail's parts read."""

    def __init__(self, ctx: EmitContext, view: PlanPageView) -> None:
        self.ctx, self.view, self.plan = ctx, view, view.plan
        self.tasks = view.other_tasks()
        self.plans = view.other_plans()
        self.gates = view.gates_by_id()
        self.holding = view.holding()
        self.dates = view.schedule.task_dates(view.plan) if view.schedule else None

    def plan_rel(self, plan_id: str) -> str:
        return self.plan.rel if plan_id == self.plan.id else self.plans[plan_id].rel

    def gate_link(self, src: str, gate_id: str) -> str:
        """A link to the gate's row of the Gates Index, its title in the tooltip."""
        gate = self.gates.get(gate_id)
        title = gate.title if gate else None
        return self.ctx.link(gate_id, self.ctx.href(src, self.ctx.paths.gates_index, gate_id), title)


def _dependency(page: _Page, src: str, ref: Ref, key: Key | None) -> str:
    if key is None:
        return escape.text(ref.text)  # dangling: reported as a diagnostic, shown as text
    target = page.tasks[key]
    label = target.id if target.plan == page.plan.id else ref.text
    href = page.ctx.href(src, page.plan_rel(target.plan), _task_anchor(target.id))
    return f'<span class="plans-nowrap">{page.ctx.link(label, href)}</span>'


def _status(page: _Page, src: str, task: Task) -> str:
    """The task's status badge; for a task whose phase waits on a gate, which gates; under it,
    when the schedule puts the task, and its due date."""
    shown = badge("task", task.status)
    holding = page.holding.get(task.key)
    if holding:
        gates = ", ".join(page.gate_link(src, g) for g in holding)
        shown += f' <span class="plans-note plans-held">waits on {gates}</span>'
    when = _when(task, page.dates.get(task.key) if page.dates is not None else None, bool(holding))
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


def _task_row(page: _Page, src: str, task: Task) -> list[str]:
    deps = ", ".join(_dependency(page, src, r, k) for r, k in page.view.dependencies(task.key, task.depends_on))
    return [
        f'<span id="{_task_anchor(task.id)}"></span>{escape.text(task.id)}',
        escape.text(task.title),
        _status(page, src, task),
        escape.text(task.owner or "—"),
        escape.text(task.estimate or "—"),
        deps or "—",
    ]


def _phase(page: _Page, src: str, phase: Phase) -> list[str]:
    ctx, plan = page.ctx, page.plan
    finished = bool(phase.tasks) and all(t.status in FINISHED for t in phase.tasks)
    title = f"{escape.text(phase.id)} · {escape.text(phase.title)}"
    if finished:
        title += " " + badge("phase", "done")
    out = [html.heading(3, escape.anchor("phase", phase.id), title)]
    facts = []
    links = page.view.links
    if phase.gates:
        gates = []
        for ref, gate_id in zip(phase.gates, links.waits_on[phase.key]):
            state = page.gates.get(gate_id) if gate_id is not None else None
            shown = page.gate_link(src, gate_id) if gate_id is not None and state else escape.text(ref.text)
            gates.append(f"{shown} {badge('gate', state.state if state else 'unknown')}")
        facts.append(html.strong("Gates:") + " " + ", ".join(gates))
    if phase.depends_on:
        after = []
        phase_ids = {ph.key: ph.id for ph in plan.phases}
        for ref, before in zip(phase.depends_on, links.phases[phase.key]):
            # A phase that names none is reported as a diagnostic, and shown as written.
            before_id = phase_ids[before] if before is not None else None
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
    graph = mermaid.phase_graph(page.view, phase)
    if graph is not None:
        body.append(mermaid.block(graph))
    if phase.tasks:
        body.append(_TASKS.render(_task_row(page, src, t) for t in phase.tasks))
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
    return _render_detail(ctx, plan_page_view(ctx, plan))


def _render_detail(ctx: EmitContext, view: PlanPageView) -> str:
    page = _Page(ctx, view)
    plan = view.plan
    src = plan.rel
    out = [f'<div class="plans-detail" data-plan="{escape.attr(plan.id)}">']
    if plan.tasks and view.schedule is not None:  # when the work is done, and how it went
        out += _schedule(page, view.schedule)
        out += _progress_over_time(view)
    if plan.phases:
        critical = []
        path = view.critical_path
        if path:
            own = {t.key: t for t in plan.tasks}
            tasks = [own[k] for k in path]
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
                mermaid.block(mermaid.phase_overview(view)),
                html.para(_LEGEND, css="plans-legend"),
                *critical,
                html.heading(2, "phases", SECTIONS["phases"]),
            ]
        else:
            out += [html.heading(2, "phases", SECTIONS["phases"]), *critical]
        for phase in plan.phases:
            out += _phase(page, src, phase)
    if plan.gates:
        rows = []
        for gate in plan.gates:
            state = page.gates.get(gate.id)
            if state is not None and state.adr is not None and state.adr_rel is not None:
                adr_cell = ctx.link(state.adr, ctx.href(src, state.adr_rel), state.adr_title)
                deciders = state.adr_deciders
            else:
                adr_cell, deciders = escape.text(gate.adr.text if gate.adr else "—"), ()
            rows.append(
                [
                    page.gate_link(src, gate.id),
                    escape.text(gate.title),
                    adr_cell,
                    ", ".join(escape.text(d) for d in deciders) if deciders else "—",
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
    if view.referenced_by:
        out += [
            html.heading(2, "referenced-by", SECTIONS["referenced-by"]),
            html.items(render_shown(ctx, src, k) for k in view.referenced_by),
        ]
    out.append("</div>")
    return "\n".join(out)


def render_plan_summary(ctx: EmitContext, plan: Plan) -> str:
    """HTML of the card, `DETAIL_MARK`, then HTML of the detail; every user string escaped."""
    return render_plan_view(ctx, plan_page_view(ctx, plan))


def render_plan_view(ctx: EmitContext, view: PlanPageView) -> str:
    """`render_plan_summary` from the page's view."""
    card = render_card(ctx, plan_card(view))
    return card + "\n" + DETAIL_MARK + "\n" + _render_detail(ctx, view) + "\n"


def _schedule(page: _Page, schedule: PlanSchedule) -> list[str]:
    """The forecast in words, the Gantt chart of the remaining work, and what is unscheduled."""
    plan = page.plan
    out = [html.heading(2, "schedule", SECTIONS["schedule"])]
    forecast = schedule.forecast
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
    dates = page.dates or {}
    sections = timecharts.plan_bars(plan, dates)
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
    waiting = [t for t in plan.tasks if (d := dates.get(t.key)) is not None and d.waits]
    if waiting:
        causes = sorted({w for t in waiting for w in dates[t.key].waits})
        shown = ", ".join(page.gate_link(plan.rel, w) if w in page.gates else escape.text(w) for w in causes)
        names = ", ".join(escape.text(t.id) for t in waiting)
        hint = " (no due date yet: give the gate a <code>due:</code> to schedule what waits on it)"
        out.append(
            html.para(
                f"{html.strong('Unscheduled:')} {names} wait{'s' if len(waiting) == 1 else ''} on {shown}"
                + (hint if any(c in page.gates for c in causes) else "")
                + "."
            )
        )
    return out


def _progress_over_time(view: PlanPageView) -> list[str]:
    """The burn-up chart: estimate done and in scope at each commit that changed the plan."""
    plan = view.plan
    out = [html.heading(2, "progress-over-time", SECTIONS["progress-over-time"])]
    if view.no_history is not None:
        out.append(html.para(f"No history: {escape.text(view.no_history)}."))
        return out
    series = view.history
    points = [(p.date, p.done_days, p.scope_days) for p in series.points] if series else []
    _, _, done_days, total_days = progress(plan)
    today = view.today
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
