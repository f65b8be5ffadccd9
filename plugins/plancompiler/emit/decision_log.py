"""The decision log: every ADR with status, date, supersession chain and who references it."""

from __future__ import annotations

from plancompiler.emit import escape, html
from plancompiler.emit.adr_page import adr_link_or_text, related_key
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.summary import Row, Summary, generated_body
from plancompiler.model import Adr

TITLE = "Decision log"

_HEAD = html.table_head(("ADR", "Title", "Status", "Date", "Supersedes", "Superseded by", "Referenced by"))


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
    return generated_body(_HEAD, rows, html.TABLE_END)


def _row_key(ctx: EmitContext, adr: Adr) -> tuple[object, ...]:
    """Everything `_row` reads: keep the two side by side."""
    refs = ctx.project.analysis.referenced_by.get(f"adr:{adr.id}", ())
    return (adr, related_key(ctx, adr), ctx.sources_key(refs))


def _row(ctx: EmitContext, src: str, adr: Adr) -> str:
    supersedes = ", ".join(adr_link_or_text(ctx, src, r.text) for r in adr.supersedes) or "—"
    successor = adr_link_or_text(ctx, src, adr.superseded_by.text) if adr.superseded_by else "—"
    refs = ctx.project.analysis.referenced_by.get(f"adr:{adr.id}", ())
    return html.row(
        (
            ctx.adr_link(src, adr),
            escape.text(adr.title),
            badge("adr", adr.raw_status or "no status"),
            escape.text(adr.date or "—"),
            supersedes,
            successor,
            ", ".join(ctx.source_link(src, k) for k in refs) or "—",
        )
    )
