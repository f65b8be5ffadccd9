"""What pages show about a task and about a gate that holds work up, gathered as plain data
first and written as HTML second: the plan card, the Owners page and the Gates Index show
the same lines, and a line's data is also what decides whether a kept page still holds."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import cast

from plancompiler.emit import escape, html
from plancompiler.emit.context import EmitContext, badge
from plancompiler.model import Adr, Key, Plan, Project, Task, key_kind, key_name


@dataclass(frozen=True, slots=True)
class TaskLine:
    """A task as a line of a list: id, title, who, how long, and the page it is on."""

    key: str
    id: str
    title: str
    status: str
    owner: str | None
    estimate: str | None
    plan: str
    plan_title: str
    plan_rel: str


@dataclass(frozen=True, slots=True)
class Decision:
    """A gate that is neither passed nor waived, and the decision it waits for: the ADR in
    force (the gate's own, or its latest successor) and the people who decide it."""

    gate: str
    title: str
    state: str
    why: str
    adr: str | None
    adr_title: str | None
    adr_rel: str | None
    adr_status: str | None
    deciders: tuple[str, ...]


def task_line(project: Project, key: Key) -> TaskLine | None:
    """The line of the task `key`, or None when there is no such task."""
    task = project.tasks.get(key)
    if task is None:
        return None
    return line_of(task, project.plans[task.plan])


def line_of(task: Task, plan: Plan) -> TaskLine:
    """The line of `task`, of `plan`."""
    return TaskLine(
        task.key, task.id, task.title, task.status, task.owner, task.estimate, plan.id, plan.title, plan.rel
    )


def decision(project: Project, gate_id: str) -> Decision | None:
    """What the gate `gate_id` waits for, or None when there is no such gate."""
    gate = project.gates.get(gate_id)
    state = project.analysis.gate_states.get(gate_id)
    if gate is None or state is None:
        return None
    adr = state.adr
    if adr is None:
        return Decision(gate_id, gate.title, state.state, state.why, None, None, None, None, ())
    return Decision(
        gate_id,
        gate.title,
        state.state,
        state.why,
        adr.id,
        adr.title,
        adr.rel,
        adr.raw_status or "no status",
        adr.deciders,
    )


def render_task_line(
    ctx: EmitContext, src: str, line: TaskLine, with_plan: bool = False, with_owner: bool = True
) -> str:
    """`P1.2 Port interfaces (bob, 3d)`, the id linked to the task's row; with `with_plan`,
    the plan's title after it, linked to its page; without `with_owner`, no owner."""
    extra = ", ".join(escape.text(v) for v in (line.owner if with_owner else None, line.estimate) if v)
    link = ctx.link(line.id, ctx.href(src, line.plan_rel, escape.anchor("task", line.id)), line.title)
    text = f'<span class="plans-nowrap">{link}</span> {escape.text(line.title)}'
    if extra:
        text += f" ({extra})"
    if with_plan:
        text += f' <span class="plans-note">in {ctx.link(line.plan_title, ctx.href(src, line.plan_rel))}</span>'
    return text


def render_decision(ctx: EmitContext, src: str, line: Decision) -> str:
    """`G03 Timer strategy (open): ADR-0003 proposed, decided by alice, bob`, linked to the
    gate's row of the Gates Index and to the ADR's page."""
    gate = ctx.link(line.gate, ctx.href(src, ctx.paths.gates_index, escape.anchor(line.gate)), line.title)
    out = f'<span class="plans-nowrap">{gate}</span> {escape.text(line.title)} {badge("gate", line.state)}'
    if line.adr is None or line.adr_rel is None:
        return f"{out}: {escape.text(line.why)}"
    adr = ctx.link(line.adr, ctx.href(src, line.adr_rel), line.adr_title)
    out += f': <span class="plans-nowrap">{adr}</span> {badge("adr", line.adr_status)}'
    if line.deciders:
        out += f", decided by {deciders(line.deciders)}"
    else:
        out += ', <span class="plans-note">no deciders named</span>'
    return out


def deciders(names: tuple[str, ...]) -> str:
    """People's names, comma-separated, each kept on one line."""
    return ", ".join(f'<span class="plans-nowrap">{escape.text(n)}</span>' for n in names)


def items_or(entries: list[str], none: str) -> str:
    """A list of `entries`, or the sentence `none` when there are none."""
    return html.items(entries) if entries else html.para(none, css="plans-none")


@dataclass(frozen=True, slots=True)
class PageLink:
    """A link as a page shows it: its label, the page it leads to (by source path) and the
    place on it, and its tooltip; where it points from is the page's own affair."""

    label: str
    rel: str
    fragment: str = ""
    title: str | None = None


Shown = PageLink | str
"""A link, or text shown as written (a reference that names nothing)."""


def render_shown(ctx: EmitContext, src: str, shown: Shown) -> str:
    """`shown` on the page `src`: a link in the context's markup, or escaped text."""
    if isinstance(shown, str):
        return escape.text(shown)
    return ctx.link(shown.label, ctx.href(src, shown.rel, shown.fragment), shown.title)


Referrer = tuple[Key, Plan | Adr | str | None]
"""A document that references something, by key, with what it is: its plan, its ADR, an
ordinary page's title (empty when it has none), or None when the key names nothing."""


def referrers(ctx: EmitContext, keys: tuple[Key, ...]) -> tuple[Referrer, ...]:
    """The documents that reference something, each with what it is (`Referrer`); looked up
    once per list of keys and build (most lists are shared by several pages)."""
    if not keys:
        return ()
    found = ctx.referrers.get(keys)
    if found is not None and found[0] is ctx.project and found[1] is ctx.page_titles:
        return cast("tuple[Referrer, ...]", found[2])
    pairs = tuple((key, _referencing(ctx, key)) for key in keys)
    ctx.referrers[keys] = (ctx.project, ctx.page_titles, pairs)
    return pairs


def _referencing(ctx: EmitContext, key: Key) -> Plan | Adr | str | None:
    kind = key_kind(key)
    if kind == "plan":
        return ctx.project.plans.get(key_name(key))
    if kind == "adr":
        return ctx.project.adrs.get(key_name(key))
    if kind == "page":
        return ctx.page_titles.get(key_name(key)) or ""
    return None


def source_view(key: Key, found: Plan | Adr | str | None) -> Shown:
    """A referencing document, as "Referenced by" lists show it: a plan by its title, an ADR
    by its number and title, an ordinary page by its title (or file name)."""
    if isinstance(found, Plan):
        return PageLink(found.title, found.rel)
    if isinstance(found, Adr):
        return PageLink(f"{found.id}: {found.title}", found.rel, "", found.title)
    ident = key_name(key)
    if isinstance(found, str):
        return PageLink(found or posixpath.splitext(posixpath.basename(ident))[0], ident)
    return ident


def sources_view(found: tuple[Referrer, ...]) -> tuple[Shown, ...]:
    """The documents that reference something (`referrers`), each as `source_view` shows it."""
    return tuple(source_view(key, document) for key, document in found)
