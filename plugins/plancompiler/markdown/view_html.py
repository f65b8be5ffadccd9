"""Embedded views as HTML: each view a page's ` ```plans ` block describes (`views.read_view`),
written by the same renderers as the pages the plugin generates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from plancompiler.diagnostics import Diagnostic, SeverityPolicy
from plancompiler.emit import decision_log, escape, gates_index, html, mermaid, owners, plans_index, problems, timeline
from plancompiler.emit.adr_page import render_adr_summary
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.plan_page import render_plan_summary
from plancompiler.emit.summary import Summary
from plancompiler.link.resolve import named_adr
from plancompiler.markdown.views import (
    ViewError,
    ViewSpec,
    block_diagnostic,
    check_targets,
    matching_tasks,
    read_view,
)
from plancompiler.model import Project, Task

COLUMNS = {
    "id": html.Column("ID", html.ID),
    "title": html.Column("Task", html.TEXT),
    "plan": html.Column("Plan", html.TEXT),
    "phase": html.Column("Phase", html.ID),
    "owner": html.Column("Owner"),
    "status": html.Column("Status", html.STATUS),
    "estimate": html.Column("Estimate", html.ID),
    "due": html.Column("Due", html.DATE),
    "gates": html.Column("Waits on", html.ID),
}
"""The columns a task table can show, by the name `columns:` gives them."""


@dataclass(frozen=True)
class ViewSite:
    """What rendering a view reads: the compiled project as links see it from pages, the
    site's problems (for `view: problems`), and the pieces kept between builds."""

    ctx: EmitContext
    problems: tuple[problems.FileProblems, ...] = ()
    memo: Memo | None = None


@dataclass(frozen=True, slots=True)
class RenderedView:
    """A view's HTML and the anchors it defines (a site generator checks links against them)."""

    html: str
    ids: tuple[str, ...]
    mermaid: bool


def render_view(site: ViewSite, page: str, spec: ViewSpec) -> RenderedView:
    """The view's HTML as it stands on the page `page` (its source path in the docs folder);
    `ViewError` when it names a plan, ADR or phase the site does not have."""
    ctx = site.ctx.as_html()
    project = ctx.project
    memo = site.memo if site.memo is not None else Memo()
    check_targets(project, spec)
    # A generated page's renderer links from the page it is written for: here, this page.
    here = replace(ctx, paths=replace(ctx.paths, **{_PAGE_OF.get(spec.view, "gates_index"): page}))
    if spec.view == "tasks":
        return _rendered(_task_table(here, page, spec))
    if spec.view == "graph":
        return _rendered(_graph(project, spec))
    if spec.view == "summary":
        return _rendered(_summary(here, spec))
    if spec.view == "gates" and spec.plan is not None:
        return _rendered(_plan_gates(here, page, spec.plan))
    render = _GENERATED[spec.view]
    summary = render(here, memo, site.problems)
    return RenderedView(summary.html, summary.ids, summary.mermaid)


_PAGE_OF = {
    "gates": "gates_index",
    "plans": "plans_index",
    "decisions": "decision_log",
    "owners": "owners",
    "timeline": "timeline",
    "problems": "problems",
}
_GENERATED: dict[str, Callable[[EmitContext, Memo, tuple[problems.FileProblems, ...]], Summary]] = {
    "gates": lambda ctx, memo, _: gates_index.render_gates_index(ctx, memo),
    "plans": lambda ctx, memo, _: plans_index.render_plans_index(ctx, memo),
    "decisions": lambda ctx, memo, _: decision_log.render_decision_log(ctx, memo),
    "owners": lambda ctx, memo, _: owners.render_owners(ctx, memo),
    "timeline": lambda ctx, memo, _: timeline.render_timeline(ctx, memo),
    "problems": lambda ctx, memo, found: problems.render_problems(ctx, found, memo),
}


def _rendered(text: str) -> RenderedView:
    return RenderedView(text, tuple(Summary.of(text).ids), 'class="mermaid"' in text)


def _task_table(ctx: EmitContext, page: str, spec: ViewSpec) -> str:
    project = ctx.project
    tasks = matching_tasks(project, spec.filter)
    noun = "task" if len(tasks) == 1 else "tasks"
    table = html.Table([COLUMNS[c] for c in spec.columns], css="plans-view-tasks", sortable=True, noun="tasks")
    if not tasks:
        return html.para("No task matches this view's filter.", css="plans-none")
    rows = [[_cell(ctx, page, task, column) for column in spec.columns] for task in tasks]
    return html.para(f"{len(tasks)} {noun}", css="plans-note") + table.render(rows)


def _cell(ctx: EmitContext, page: str, task: Task, column: str) -> str:
    project = ctx.project
    plan = project.plans[task.plan]
    if column == "id":
        href = ctx.href(page, plan.rel, escape.anchor("task", task.id))
        return ctx.link(task.id, href, task.title)
    if column == "title":
        return escape.text(task.title)
    if column == "plan":
        return ctx.plan_link(page, plan)
    if column == "phase":
        return escape.text(task.phase)
    if column == "owner":
        return escape.text(task.owner or "—")
    if column == "status":
        return badge("task", task.status.value)
    if column == "estimate":
        return escape.text(task.estimate or "—")
    if column == "due":
        return html.day(task.due.date if task.due else None)
    held = project.analysis.blocked_by.get(task.key, ())
    return ", ".join(ctx.gate_link(page, g.id) for g in held) or "—"


def _graph(project: Project, spec: ViewSpec) -> str:
    tasks = matching_tasks(project, spec.filter, spec.plan)
    if not tasks:
        return html.para("No task matches this view.", css="plans-none")
    source = mermaid.task_graph(project, tasks, spec.plan)
    if source is None:
        return html.para(f"None of these {len(tasks)} tasks depends on another.", css="plans-none")
    return mermaid.block(source)


def _summary(ctx: EmitContext, spec: ViewSpec) -> str:
    project = ctx.project
    if spec.plan is not None:
        rendered = render_plan_summary(ctx, project.plans[spec.plan])
        return Summary.of(rendered).html
    adr = named_adr(project.adrs, str(spec.adr))
    assert adr is not None  # `check_targets` said so
    return render_adr_summary(ctx, adr)


def _plan_gates(ctx: EmitContext, page: str, plan_id: str) -> str:
    """The gates one plan declares: its graph and a line per gate."""
    project = ctx.project
    gate_ids = [g for g in project.analysis.gate_order if project.gates[g].plan == plan_id]
    if not gate_ids:
        return html.para(f"Plan '{escape.text(plan_id)}' declares no gate.", css="plans-none")
    lines = []
    for gid in gate_ids:
        state = project.analysis.gate_states[gid]
        gate = project.gates[gid]
        adr = state.adr
        tied = f" · {ctx.adr_link(page, adr, with_title=True)}" if adr is not None else ""
        lines.append(f"{ctx.gate_link(page, gid)} {escape.text(gate.title)} {badge('gate', state.state)}{tied}")
    source = mermaid.gate_graph(project, gate_ids)
    return (mermaid.block(source) if source else "") + html.items(lines)


def render_block(
    site: ViewSite,
    page: str,
    body: str,
    where: tuple[str, int],
    policy: SeverityPolicy,
    report: Callable[[Diagnostic], None],
) -> RenderedView:
    """A view block of the page `page`, rendered; or, when its body is wrong, its diagnostic
    (handed to `report`, for the build log) shown in its place. `where` is the file path as
    diagnostics show it and the line of the block's opening fence."""
    try:
        return render_view(site, page, read_view(body))
    except ViewError as exc:
        diagnostic = block_diagnostic(policy, where[0], where[1], exc)
        if diagnostic is None:
            return RenderedView(f"<pre><code>{escape.preformatted(body)}</code></pre>", (), False)
        report(diagnostic)
        return RenderedView(error_html(diagnostic, body), (), False)


def error_html(diagnostic: Diagnostic, body: str) -> str:
    """What a page shows in place of a wrong view: the diagnostic, and the block as written."""
    css = "failure" if diagnostic.severity.value == "error" else "warning"
    return (
        f'<div class="admonition {css} plans-problems plans-view-error">'
        f'<p class="admonition-title">{escape.text(diagnostic.code)} {escape.text(diagnostic.severity.value)}'
        f" at line {diagnostic.line}: {escape.text(diagnostic.message)}</p>"
        f"<pre><code>{escape.preformatted(body)}</code></pre></div>"
    )
