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

from plancompiler.emit import escape, html
from plancompiler.emit.adr_page import RecordStatus, RelationGroup, relation_groups, render_relations
from plancompiler.emit.context import EmitContext
from plancompiler.emit.memo import Memo
from plancompiler.emit.summary import Row, Summary, generated_body
from plancompiler.emit.views import PageLink, Shown, render_shown
from plancompiler.model import Adr, Key, key_kind, key_name
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
    views = {aid: log_row(ctx, adr) for aid, adr in ctx.project.adrs.items()}
    rows = memo.each(("decision_log", "rows", ctx.links), views.items(), lambda aid: Row.of(_row(ctx, src, views[aid])))
    return generated_body(_TABLE.head, rows, _TABLE.end)


def log_row(ctx: EmitContext, adr: Adr) -> LogRow:
    """Gather what the record's row shows from the project."""
    refs = ctx.project.links.referenced_by.get(adr.key, ())
    return LogRow(
        adr.id,
        adr.title,
        adr.rel,
        RecordStatus.of(adr),
        adr.date,
        relation_groups(ctx, adr),
        tuple(_referrer(ctx, k) for k in refs),
    )


def _referrer(ctx: EmitContext, key: Key) -> Shown:
    """A referencing document by its id (a plan's, an ADR's; a page's file name), its title
    in the tooltip."""
    kind, ident = key_kind(key), key_name(key)
    project = ctx.project
    if kind == "plan" and (plan := project.plans.get(ident)):
        return PageLink(plan.id, plan.rel, "", plan.title)
    if kind == "adr" and (adr := project.adrs.get(ident)):
        return PageLink(adr.id, adr.rel, "", adr.title)
    if kind == "page":
        title = ctx.page_titles.get(ident) or ident
        return PageLink(posixpath.splitext(posixpath.basename(ident))[0], ident, "", title)
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
