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

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from plancompiler.diagnostics import Diagnostic, SeverityPolicy
from plancompiler.diagnostics.diagnostic import one_line
from plancompiler.link.resolve import named_adr
from plancompiler.model import Project, Task, item_key
from plancompiler.parse.document import page_body
from plancompiler.parse.markdown_scan import closes, fence_of
from plancompiler.vocabulary import GateStatus, TaskStatus

LANGUAGE = "plans"
"""The fenced block's language."""
_LANGUAGE_BYTES = LANGUAGE.encode()

VIEWS = ("gates", "plans", "decisions", "tasks", "graph", "summary", "owners", "timeline", "problems")
"""What `view:` names; the first six are views of a part of the site, the last three the
pages the plugin generates."""

_OPENING = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*\{?[ \t]*\.?" + LANGUAGE + r"[ \t]*\}?[ \t]*$")

TASK_FIELDS = ("plan", "phase", "owner", "status", "gate", "ready", "blocked")
"""What a task filter compares."""

COLUMNS = ("id", "title", "plan", "phase", "owner", "status", "estimate", "due", "gates")
"""The columns a task table can show (`columns:`)."""

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


def view_blocks(text: str) -> list[tuple[int, int, str]]:
    """Each view block of a page: the index of its opening line, of the line after its end,
    and its body. A block left open runs to the end of the page, as CommonMark reads it."""
    lines = text.split("\n")
    found = []
    i = 0
    while i < len(lines):
        fence = fence_of(lines[i])
        if fence is None:
            i += 1
            continue
        is_view = _OPENING.match(lines[i]) is not None
        end = i + 1
        while end < len(lines):
            closing = fence_of(lines[end])
            if closing is not None and closes(fence, closing) and not lines[end].strip(" \t`~"):
                break
            end += 1
        if is_view:
            found.append((i, min(end + 1, len(lines)), "\n".join(lines[i + 1 : end])))
        i = end + 1
    return found


def block_line(text: str | bytes, number: int) -> int:
    """The file line of the opening fence of the page's view block `number` (from 0), given the
    page's file as written (front matter and all); 1 when there is no such block."""
    body, first = page_body(text)
    blocks = view_blocks(body)
    return first + blocks[number][0] if number < len(blocks) else first


def check_targets(project: Project, spec: ViewSpec) -> None:
    """`ViewError` when the view names a plan or an ADR the project does not have."""
    if spec.plan is not None and spec.plan not in project.plans:
        raise ViewError(f"no plan has the id '{spec.plan}'; {_known(project.plans)}")
    if spec.adr is not None and named_adr(project.adrs, spec.adr) is None:
        raise ViewError(f"no ADR has the id '{spec.adr}'; {_known(project.adrs)}")


def view_diagnostics(
    project: Project, pages: Iterable[tuple[str, str | bytes]], policy: SeverityPolicy
) -> list[Diagnostic]:
    """The diagnostics of every wrong view block of `pages` (file path as diagnostics show it,
    and the file's content), as a build reports them: for `plans check`."""
    found = []
    for path, content in pages:
        if isinstance(content, bytes):
            # Most pages hold no view: looked for in the bytes, without decoding the page (a
            # byte that is no UTF-8 never turns ASCII text into something else).
            if _LANGUAGE_BYTES not in content:
                continue
            content = content.decode("utf-8", errors="replace")
        if LANGUAGE not in content:
            continue
        body, first = page_body(content)
        for start, _, block in view_blocks(body):
            try:
                check_targets(project, read_view(block))
            except ViewError as exc:
                diagnostic = block_diagnostic(policy, path, first + start, exc)
                if diagnostic is not None:
                    found.append(diagnostic)
    return found


def _known(ids: Mapping[str, object]) -> str:
    shown = sorted(ids)[:8]
    return f"the site has {', '.join(shown)}{', ...' if len(ids) > len(shown) else ''}" if ids else "the site has none"


def block_diagnostic(policy: SeverityPolicy, path: str, line: int, error: ViewError) -> Diagnostic | None:
    """The diagnostic of a wrong view block whose opening fence is at `line` of the file
    `path`; None when the site turned its code off."""
    code = "PLN101" if error.args[0].startswith(("no plan", "no ADR")) else "PLN100"
    severity = policy(code)
    if severity.value == "off":
        return None
    return Diagnostic(code, severity, path, line + error.line, 1, one_line(str(error.args[0])))


__all__ = [
    "COLUMNS",
    "LANGUAGE",
    "VIEWS",
    "ViewError",
    "ViewSpec",
    "block_diagnostic",
    "block_line",
    "check_targets",
    "matching_tasks",
    "read_view",
    "view_blocks",
    "view_diagnostics",
]
