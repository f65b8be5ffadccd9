"""The decision log: every ADR with status, date, supersession chain and who references it."""

from __future__ import annotations

from plancompiler.emit import escape
from plancompiler.emit.adr_page import adr_link_or_text
from plancompiler.emit.context import EmitContext, badge


def render_decision_log(ctx: EmitContext) -> str:
    src = ctx.paths.decision_log
    out = ["# Decision log", ""]
    if not ctx.project.adrs:
        return "\n".join([*out, "No decision records yet.", ""])
    out += [
        "| ADR | Title | Status | Date | Supersedes | Superseded by | Referenced by |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for adr in ctx.project.adrs.values():
        supersedes = ", ".join(adr_link_or_text(ctx, src, r.text) for r in adr.supersedes) or "—"
        successor = adr_link_or_text(ctx, src, adr.superseded_by.text) if adr.superseded_by else "—"
        refs = ctx.project.analysis.referenced_by.get(f"adr:{adr.id}", ())
        out.append(
            f"| {ctx.adr_link(src, adr)} | {escape.text(adr.title)} | {badge('adr', adr.raw_status or 'no status')}"
            f" | {escape.text(adr.date or '—')} | {supersedes} | {successor}"
            f" | {', '.join(ctx.source_link(src, k) for k in refs) or '—'} |"
        )
    return "\n".join(out) + "\n"
