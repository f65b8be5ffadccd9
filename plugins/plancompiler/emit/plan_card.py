"""The card at the top of a plan's page: status, owner, progress, what is in progress, ready
to start and blocked (by which gate, and who decides it), the open gates and the top risks.

The card is gathered into a `PlanCard` of plain data first and written as HTML second."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from plancompiler.analyse.forecast import Forecast
from plancompiler.emit import escape, html
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.dates import day, slip_text
from plancompiler.emit.plan_view import PlanPageView
from plancompiler.emit.progress import progress
from plancompiler.emit.views import Decision, TaskLine, items_or, render_decision, render_task_line
from plancompiler.vocabulary import CLEARED, TaskStatus


def _task_anchor(task_id: str) -> str:
    return escape.anchor("task", task_id)


@dataclass(frozen=True, slots=True)
class Held:
    """The unfinished tasks of one phase that wait on gates, and those gates' decisions."""

    phase: str
    phase_title: str
    tasks: tuple[TaskLine, ...]
    gates: tuple[Decision, ...]


@dataclass(frozen=True, slots=True)
class RiskLine:
    """A risk as the card lists it; `mitigated` when it has a mitigation and an owner."""

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
    forecast: Forecast | None = None
    """When the schedule expects the plan's remaining work to finish (None: no schedule)."""
    due: datetime.date | None = None


_RANK = {"high": 3, "medium": 2, "low": 1}


def plan_card(view: PlanPageView) -> PlanCard:
    """Gather what the card shows from the page's view."""
    plan = view.plan
    lines = {t.key: view.task_line(t) for t in plan.tasks}
    gates = view.gates_by_id()

    def decided(gate_id: str) -> Decision | None:
        found = gates.get(gate_id)
        return found.decision() if found is not None else None

    holding = view.holding()
    held = []
    for phase in plan.phases:
        gate_ids: tuple[str, ...] = ()
        tasks = []
        for task in phase.tasks:
            waits = holding.get(task.key)
            if waits and task.status is not TaskStatus.IN_PROGRESS:
                gate_ids = waits
                tasks.append(lines[task.key])
        if tasks:
            shown = tuple(d for g in gate_ids if (d := decided(g)) is not None)
            held.append(Held(phase.id, phase.title, tuple(tasks), shown))
    marked = tuple(lines[t.key] for t in plan.tasks if t.status is TaskStatus.BLOCKED and t.key not in holding)
    links = view.links
    named = [g for waits in links.waits_on.values() for g in waits if g is not None] + [g.id for g in plan.gates]
    open_gates = []
    for gate_id in dict.fromkeys(named):
        gate = gates.get(gate_id)
        if gate is not None and gate.state not in CLEARED:
            open_gates.append(gate.decision())
    risks = sorted(plan.risks, key=lambda r: (-_RANK.get(r.impact or "", 0), -_RANK.get(r.likelihood or "", 0), r.id))
    needs = []
    others = view.other_plans()
    for ref, needed in zip(plan.depends_on, links.depends_on):
        other = others.get(needed) if needed is not None else None
        needs.append((ref.text, other.title, other.rel, other.status) if other else (ref.text, None, None, None))
    facts = (
        ("Owner", plan.owner),
        ("Version", plan.version),
        ("Complexity", plan.complexity),
        ("Updated", plan.updated),
    )
    counts = progress(plan)
    return PlanCard(
        plan.id,
        plan.rel,
        plan.status,
        tuple((label, value) for label, value in facts if value),
        counts.text,
        counts.share,
        bool(plan.tasks),
        tuple(needs),
        tuple(lines[t.key] for t in plan.tasks if t.status is TaskStatus.IN_PROGRESS),
        tuple(lines[k] for k in view.ready if k in lines),
        any(t.status is TaskStatus.TODO for t in plan.tasks),
        tuple(held),
        marked,
        tuple(open_gates),
        tuple(
            RiskLine(r.id, r.title, r.likelihood, r.impact, r.owner, bool(r.mitigation and r.owner)) for r in risks[:3]
        ),
        view.schedule.forecast if view.schedule else None,
        plan.due.date if plan.due else None,
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
    when = _when(ctx, card)
    if when:
        out.append(html.para(when, css="plans-card-when"))
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


def _when(ctx: EmitContext, card: PlanCard) -> str:
    """`Forecast finish: Tue 2026-12-08 · Due: Mon 2026-12-07 (1 working day late)`, linked to
    the schedule below; empty when the plan has neither work left nor a due date."""
    forecast = card.forecast
    parts = []
    if forecast is not None and forecast.left:
        if forecast.finish:
            shown = html.strong(escape.text(day(forecast.finish)))
        else:
            shown = f"unknown, part of the work waits on {escape.text(', '.join(forecast.waits))}"
        link = ctx.link("schedule", ctx.href(card.rel, card.rel, "schedule"))
        parts.append(f"Forecast finish: {shown} ({link})")
    if card.due:
        due = f"Due: {html.strong(escape.text(day(card.due)))}"
        if forecast is not None and forecast.late is not None:
            due += f" ({slip_text(forecast)})"
        parts.append(due)
    return " · ".join(parts)


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
