"""The decision log: every ADR with status, date, supersession chain and who references it.

Rows stay one or two lines tall: what references a record is named by id (a plan's id, an
ADR's number), its title in the tooltip. In the browser the log sorts by any column and
filters by status (plans.js); without JavaScript it is a plain table.
"""

from __future__ import annotations

import posixpath

from plancompiler.emit import escape, html
from plancompiler.emit.adr_page import related_key, relation_groups, status_words
from plancompiler.emit.context import EmitContext, status_badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.summary import Row, Summary, generated_body
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


def render_decision_log(ctx: EmitContext, memo: Memo | None = None) -> Summary:
    """The page's body below its title, as HTML; with a `memo`, only the rows whose inputs
    changed are written again."""
    memo = memo if memo is not None else Memo()
    ctx = ctx.as_html()
    src = ctx.paths.decision_log
    if not ctx.project.adrs:
        return generated_body(html.para("No decision records yet."))
    adrs = ctx.project.adrs
    keys = ((aid, _row_key(ctx, adr)) for aid, adr in adrs.items())
    rows = memo.each(("decision_log", "rows", ctx.links), keys, lambda aid: Row.of(_row(ctx, src, adrs[aid])))
    return generated_body(_TABLE.head, rows, _TABLE.end)


def _row_key(ctx: EmitContext, adr: Adr) -> tuple[object, ...]:
    """Everything `_row` reads: keep the two side by side."""
    refs = ctx.project.links.referenced_by.get(adr.key, ())
    return (adr, related_key(ctx, adr), ctx.sources_key(refs))


def _referrer(ctx: EmitContext, src: str, key: Key) -> str:
    """A referencing document by its id (a plan's, an ADR's; a page's file name), its title
    in the tooltip."""
    kind, ident = key_kind(key), key_name(key)
    project = ctx.project
    if kind == "plan" and (plan := project.plans.get(ident)):
        return ctx.link(plan.id, ctx.href(src, plan.rel), plan.title)
    if kind == "adr" and (adr := project.adrs.get(ident)):
        return ctx.link(adr.id, ctx.href(src, adr.rel), adr.title)
    if kind == "page":
        title = ctx.page_titles.get(ident) or ident
        return ctx.link(posixpath.splitext(posixpath.basename(ident))[0], ctx.href(src, ident), title)
    return escape.text(ident)


def _row(ctx: EmitContext, src: str, adr: Adr) -> str:
    relations = [
        f'<span class="plans-relation">{escape.text(label)} {", ".join(links)}</span>'
        for label, links in relation_groups(ctx, src, adr)
    ]
    refs = ctx.project.links.referenced_by.get(adr.key, ())
    referrers = ", ".join(f'<span class="plans-nowrap">{_referrer(ctx, src, k)}</span>' for k in refs)
    rank = _STATUS_ORDER.index(adr.status) if adr.status in _STATUS_ORDER else len(_STATUS_ORDER)
    words = status_words(adr)
    status = status_badge(adr) + (f'<br><span class="plans-note">{words}</span>' if words else "")
    return _TABLE.row(
        (
            ctx.adr_link(src, adr),
            escape.text(adr.title),
            html.Cell(status, f"{rank} {adr.status or adr.raw_status or ''}"),
            escape.text(adr.date or "—"),
            "<br>".join(relations) or "—",
            referrers or "—",
        )
    )
