"""Views a page embeds: a fenced block with the language `plans` whose YAML body names a view.

```plans
view: tasks
filter: {owner: alice, status: [todo, in-progress]}
columns: [id, title, plan, status]
```

Reading a block (`read_view`) gives a frozen `ViewSpec` or the diagnostics that say what is
wrong with it, at the block's line; rendering one (`render_view`) calls the same renderers as
the pages the plugin generates. Filters are equalities and lists of allowed values, joined
with `all:` and `any:`; nothing in a block is evaluated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import yaml

from plancompiler.diagnostics import Diagnostic, SeverityPolicy
from plancompiler.diagnostics.diagnostic import one_line
from plancompiler.emit import decision_log, escape, gates_index, html, mermaid, owners, plans_index, problems, timeline
from plancompiler.emit.adr_page import render_adr_summary
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.plan_page import render_plan_summary
from plancompiler.emit.summary import Summary
from plancompiler.ids import normalise_adr_id
from plancompiler.model import Project, Task, item_key
from plancompiler.vocabulary import GateStatus, TaskStatus

LANGUAGE = "plans"
"""The fenced block's language."""

VIEWS = ("gates", "plans", "decisions", "tasks", "graph", "summary", "owners", "timeline", "problems")
"""What `view:` names; the first six are views of a part of the site, the last three the
pages the plugin generates."""

TASK_FIELDS = ("plan", "phase", "owner", "status", "gate", "ready", "blocked")
"""What a task filter compares."""

COLUMNS = {
    "id": html.Column("ID", html.ID),
    "title": html.Column("Task", html.TEXT),
    "plan": html.Column("Plan", html.TEXT),
    "phase": html.Column("Phase", html.ID),
    "owner": html.Column("Owner"),
    "status": html.Column("Status", html.STATUS),
    "estimate": html.Column("Estimate", html.ID),
    "due": html.Column("Due", html.DATE),
    "gates": html.Column("Waits on", html.TEXT),
}
"""The columns a task table can show, by the name `columns:` gives them."""

DEFAULT_COLUMNS = ("id", "title", "plan", "status", "owner", "estimate")

_KEYS = {
    "gates": {"view", "plan"},
    "plans": {"view"},
    "decisions": {"view"},
    "tasks": {"view", "filter", "columns"},
    "graph": {"view", "plan", "filter"},
    "summary": {"view", "plan", "adr"},
    "owners": {"view"},
    "timeline": {"view"},
    "problems": {"view"},
}
_BOOLEAN_FIELDS = ("ready", "blocked")
_STATUSES = tuple(s.value for s in TaskStatus)
_GATE_STATES = tuple(s.value for s in GateStatus)
# A view body is a few lines; a longer one is a mistake, not a view.
_LONGEST_BODY = 10_000

Filter = tuple[tuple[str, tuple[object, ...]], ...] | tuple[str, tuple[Any, ...]]
"""`(("owner", ("alice",)), ("status", ("todo", "in-progress")))`: every field one of its
values; or `("any", (filter, ...))` / `("all", (filter, ...))`."""


@dataclass(frozen=True, slots=True)
class ViewSpec:
    """One embedded view as its block describes it: which view, for what, showing what."""

    view: str
    plan: str | None = None
    adr: str | None = None
    filter: Filter | None = None
    columns: tuple[str, ...] = DEFAULT_COLUMNS


class ViewError(Exception):
    """A block that does not describe a view; the message says what to write instead."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line
        """The line inside the block's body (0 for the block's opening line)."""


def read_view(body: str) -> ViewSpec:
    """The view a block's body describes; `ViewError` says what is wrong with it."""
    if len(body) > _LONGEST_BODY:
        raise ViewError(f"the block holds {len(body)} characters; a view is described in a few lines")
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not readable"
        raise ViewError(f"the block is not valid YAML: {problem}", mark.line + 1 if mark else 0) from None
    if not isinstance(data, dict) or "view" not in data:
        raise ViewError(f"the block must be a mapping with 'view:', one of {', '.join(VIEWS)}")
    view = data["view"]
    if view not in VIEWS:
        raise ViewError(f"'view: {one_line(str(view))}' is not a view; write one of {', '.join(VIEWS)}")
    extra = sorted(str(k) for k in data if k not in _KEYS[view])
    if extra:
        allowed = ", ".join(sorted(_KEYS[view] - {"view"})) or "nothing else"
        raise ViewError(f"'view: {view}' takes {allowed}, not {', '.join(extra)}")
    plan, adr = _text(data, "plan"), _text(data, "adr")
    if view == "summary" and (plan is None) == (adr is None):
        raise ViewError("'view: summary' names one plan (plan: <plan-id>) or one ADR (adr: ADR-0001)")
    found = _filter(data["filter"]) if data.get("filter") is not None else None
    columns = DEFAULT_COLUMNS
    if "columns" in data:
        raw = data["columns"]
        if not isinstance(raw, list) or not raw or not all(isinstance(c, str) for c in raw):
            raise ViewError(f"'columns' must be a list of column names: {', '.join(COLUMNS)}")
        unknown = [c for c in raw if c not in COLUMNS]
        if unknown:
            raise ViewError(f"'columns' names {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}")
        columns = tuple(raw)
    return ViewSpec(view, plan, adr, found, columns)


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ViewError(f"'{key}' must be an id, such as {'service-call-scheduler' if key == 'plan' else 'ADR-0003'}")
    return str(value)


def _filter(raw: object, depth: int = 0) -> Filter:
    """A filter from its YAML: a mapping of fields to a value or a list of values, or
    `any:`/`all:` with a list of such mappings."""
    if depth > 8:
        raise ViewError("the filter nests 'any' and 'all' too deeply")
    if not isinstance(raw, dict) or not raw:
        raise ViewError(f"'filter' must be a mapping of {', '.join(TASK_FIELDS)} (or any/all) to values")
    if set(raw) & {"any", "all"}:
        if len(raw) != 1:
            raise ViewError("'any' and 'all' stand alone in their mapping; put the other fields inside them")
        (join, parts), *_ = raw.items()
        if not isinstance(parts, list) or not parts:
            raise ViewError(f"'{join}' takes a list of filters")
        return (str(join), tuple(_filter(p, depth + 1) for p in parts))
    fields: list[tuple[str, tuple[object, ...]]] = []
    for key, value in raw.items():
        if key not in TASK_FIELDS:
            raise ViewError(f"a task filter compares {', '.join(TASK_FIELDS)}, not '{one_line(str(key))}'")
        values = tuple(value) if isinstance(value, list) else (value,)
        if key in _BOOLEAN_FIELDS:
            if not all(isinstance(v, bool) for v in values):
                raise ViewError(f"'{key}' is true or false")
        elif not values or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values):
            raise ViewError(f"'{key}' takes a value or a list of values")
        else:
            values = tuple(str(v) for v in values)
        allowed = _STATUSES if key == "status" else _GATE_STATES if key == "gate" else None
        wrong = [v for v in values if allowed is not None and v not in allowed]
        if wrong:
            raise ViewError(f"'{key}: {wrong[0]}' is not one of {', '.join(allowed or ())}")
        fields.append((str(key), values))
    return tuple(fields)


def matching_tasks(project: Project, found: Filter | None, plan: str | None = None) -> list[Task]:
    """The tasks of the project (or of one plan) the filter keeps, in plan and file order."""
    plans = [project.plans[plan]] if plan is not None and plan in project.plans else project.plans.values()
    if plan is not None and plan not in project.plans:
        return []
    return [t for p in sorted(plans, key=lambda p: p.id) for t in p.tasks if found is None or _keeps(project, t, found)]


def _keeps(project: Project, task: Task, found: Filter) -> bool:
    if found and isinstance(found[0], str):
        join, parts = found[0], found[1]
        test = any if join == "any" else all
        return test(_keeps(project, task, part) for part in parts)
    return all(_field_is(project, task, name, values) for name, values in found)  # type: ignore[misc]


def _field_is(project: Project, task: Task, name: str, values: tuple[object, ...]) -> bool:
    analysis = project.analysis
    if name == "plan":
        return task.plan in values
    if name == "phase":
        return task.phase in values or f"{task.plan}/{task.phase}" in values
    if name == "owner":
        return task.owner in values
    if name == "status":
        return task.status.value in values
    if name == "ready":
        return (task.key in analysis.ready_tasks.get(task.plan, ())) in values
    if name == "blocked":
        held = task.status is TaskStatus.BLOCKED or task.key in analysis.blocked_by
        return held in values
    # gate: the state of a gate the task's phase waits on
    waits = project.links.plans[task.plan].waits_on.get(item_key(task.plan, task.phase), ())
    states = {analysis.gate_states[g].state.value for g in waits if g is not None and g in analysis.gate_states}
    return bool(states & set(map(str, values)))


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
    if spec.plan is not None and spec.plan not in project.plans:
        raise ViewError(f"no plan has the id '{spec.plan}'; {_known(project.plans)}")
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


def _known(ids: Mapping[str, object]) -> str:
    shown = sorted(ids)[:8]
    return f"the site has {', '.join(shown)}{', ...' if len(ids) > len(shown) else ''}" if ids else "the site has none"


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
    return ", ".join(ctx.gate_link(page, g) for g in held) or "—"


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
    adr_id = str(spec.adr)
    adr = project.adrs.get(normalise_adr_id(adr_id) or adr_id)
    if adr is None:
        raise ViewError(f"no ADR has the id '{adr_id}'; {_known(project.adrs)}")
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
        adr = project.adrs.get(state.adr) if state.adr else None
        tied = f" · {ctx.adr_link(page, adr, with_title=True)}" if adr is not None else ""
        lines.append(f"{ctx.gate_link(page, gid)} {escape.text(gate.title)} {badge('gate', state.state)}{tied}")
    source = mermaid.gate_graph(project, gate_ids)
    return (mermaid.block(source) if source else "") + html.items(lines)


def block_diagnostic(policy: SeverityPolicy, path: str, line: int, error: ViewError) -> Diagnostic | None:
    """The diagnostic of a wrong view block whose opening fence is at `line` of the file
    `path`; None when the site turned its code off."""
    code = "PLN101" if error.args[0].startswith(("no plan", "no ADR")) else "PLN100"
    severity = policy(code)
    if severity.value == "off":
        return None
    return Diagnostic(code, severity, path, line + error.line, 1, one_line(str(error.args[0])))


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


__all__ = [
    "COLUMNS",
    "LANGUAGE",
    "VIEWS",
    "RenderedView",
    "ViewError",
    "ViewSite",
    "ViewSpec",
    "block_diagnostic",
    "error_html",
    "matching_tasks",
    "read_view",
    "render_block",
    "render_view",
]
