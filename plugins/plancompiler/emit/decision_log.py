"""The decision log: every ADR with status, date, supersession chain and who references it.

Rows stay one or two lines tall: what references a record is named by id (a plan's id, an
ADR's number), its title in the tooltip. In the browser the log sorts by any column and
filters by status (plans.js); without JavaScript it is a plain table.

Each row is gathered into a `LogRow` of plain data first and written second: the row's view
is everything it shows, so a build whose view equals the last one's reuses the row.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import partial

from plancompiler.emit import escape, html
from plancompiler.emit.adr_page import (
    RecordStatus,
    RelationGroup,
    relation_groups_of,
    relation_inputs,
    render_relations,
)
from plancompiler.emit.context import EmitContext
from plancompiler.emit.memo import Memo
from plancompiler.emit.summary import Row, Summary, generated_body
from plancompiler.emit.views import PageLink, Referrer, Shown, referrers, render_shown
from plancompiler.model import Adr, AdrLink, Key, Plan, key_name
from plancompiler.vocabulary import AdrStatus

TITLE = "Decision log"

_STATUS_ORDER = tuple(AdrStatus)
_TABLE = html.Table(
    (
        html.Column("ADR", html.ID),
        html.Column("Title", html.TEXT),
        html.Column("Status", html.STATUS),
        html.Column("Date", html.DATE),
        html.Column("Relations", html.TEXT),
        html.Column("Referenced by", html.TEXT),
    ),
    css="plans-log",
    sortable=True,
    filters=("Status",),
    noun="records",
)


@dataclass(frozen=True, slots=True)
class LogRow:
    """Everything one record's row shows."""

    id: str
    title: str
    rel: str
    status: RecordStatus
    date: str | None
    relations: tuple[RelationGroup, ...]
    referenced_by: tuple[Shown, ...]


def render_decision_log(ctx: EmitContext, memo: Memo | None = None) -> Summary:
    """The page's body below its title, as HTML; with a `memo`, only the rows whose view
    changed are written again."""
    memo = memo if memo is not None else Memo()
    ctx = ctx.as_html()
    src = ctx.paths.decision_log
    if not ctx.project.adrs:
        return generated_body(html.para("No decision records yet."))
    views = {aid: log_row(ctx, adr, memo) for aid, adr in ctx.project.adrs.items()}
    rows = memo.each(("decision_log", "rows", ctx.links), views.items(), lambda aid: Row.of(_row(ctx, src, views[aid])))
    return generated_body(_TABLE.head, rows, _TABLE.end)


LogRowInputs = tuple[Adr, tuple[AdrLink, ...], tuple[Adr | None, ...], tuple[Referrer, ...]]
"""What a record's row is gathered from (`_log_row_inputs`): the model objects it reads."""


def log_row(ctx: EmitContext, adr: Adr, memo: Memo | None = None) -> LogRow:
    """Gather what the record's row shows from the project; with `memo`, the row's view of the
    last build while the model objects it is gathered from are the same."""
    if memo is None:
        return _log_row(*_log_row_inputs(ctx, adr))
    inputs = memo.gathered(("decision_log", "inputs", adr.id), partial(_log_row_inputs, ctx, adr))
    return memo.get(("decision_log", "view", adr.id), inputs, partial(_log_row, *inputs))


def _log_row_inputs(ctx: EmitContext, adr: Adr) -> LogRowInputs:
    """The record, its relations with the records they name, and each document referencing it
    with what it names (a plan, a record, a page's title, or nothing)."""
    project = ctx.project
    refs = project.links.referenced_by.get(adr.key, ())
    return (adr, *relation_inputs(ctx, adr), referrers(ctx, refs))


def _log_row(
    adr: Adr,
    relations: tuple[AdrLink, ...],
    others: tuple[Adr | None, ...],
    referencing: tuple[Referrer, ...],
) -> LogRow:
    """The row of a record from what `_log_row_inputs` looked up, and nothing else."""
    return LogRow(
        adr.id,
        adr.title,
        adr.rel,
        RecordStatus.of(adr),
        adr.date,
        relation_groups_of(relations, others),
        tuple(_referrer(key, found) for key, found in referencing),
    )


def _referrer(key: Key, found: Plan | Adr | str | None) -> Shown:
    """A referencing document by its id (a plan's, an ADR's; a page's file name), its title
    in the tooltip."""
    ident = key_name(key)
    if isinstance(found, (Plan, Adr)):
        return PageLink(found.id, found.rel, "", found.title)
    if isinstance(found, str):
        return PageLink(posixpath.splitext(posixpath.basename(ident))[0], ident, "", found or ident)
    return ident


def _row(ctx: EmitContext, src: str, view: LogRow) -> str:
    relations = [
        f'<span class="plans-relation">{escape.text(group.label)} {render_relations(ctx, src, group)}</span>'
        for group in view.relations
    ]
    referrers = ", ".join(f'<span class="plans-nowrap">{render_shown(ctx, src, r)}</span>' for r in view.referenced_by)
    status = view.status
    rank = _STATUS_ORDER.index(status.status) if status.status in _STATUS_ORDER else len(_STATUS_ORDER)
    words = status.words()
    shown = status.badge() + (f'<br><span class="plans-note">{words}</span>' if words else "")
    return _TABLE.row(
        (
            ctx.link(view.id, ctx.href(src, view.rel), view.title),
            escape.text(view.title),
            html.Cell(shown, f"{rank} {status.status or status.raw_status or ''}"),
            escape.text(view.date or "—"),
            "<br>".join(relations) or "—",
            referrers or "—",
        )
    )
