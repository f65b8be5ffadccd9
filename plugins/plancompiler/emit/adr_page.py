"""The summary rendered above an ADR's own Markdown: status, lifecycle links, gates, backlinks."""

from __future__ import annotations

import re

from plancompiler.emit import escape, html
from plancompiler.emit.context import EmitContext, badge
from plancompiler.ids import adr_number
from plancompiler.model import Adr, Ref
from plancompiler.parse.markdown_scan import leading_heading


def numbered_title(adr_id: str, title: str) -> str:
    """`ADR-0007: Title`, the way the navigation and the page's heading name a record; a title
    that starts with the number already (`7. Title`, `ADR-0007: Title`) has it rewritten so.
    Records whose id is not a number keep their title."""
    number = adr_number(adr_id)
    if number is None:
        return title
    written = re.match(rf"(?:ADR[-_ ]?)?0*{number}(?![0-9])[.:)]?\s*", title, re.IGNORECASE)
    return f"{adr_id}: {title[written.end() :] if written else title}"


def numbered_heading(body: str, adr_id: str) -> str:
    """`body` with its leading first-level heading numbered (`numbered_title`)."""
    heading = leading_heading(body)
    if heading is None or adr_number(adr_id) is None:
        return body
    return body[: heading.start] + numbered_title(adr_id, body[heading.start : heading.stop]) + body[heading.stop :]


def gates_of(ctx: EmitContext, adr: Adr) -> list[str]:
    """Ids of the gates tied to `adr`, in gate order."""
    return ctx.gates_by_adr.get(adr.id, [])


def adr_link_or_text(ctx: EmitContext, src: str, ref: Ref, named: str | None) -> str:
    """A link to the ADR a reference names, or the reference as written when it names none."""
    return ctx.adr_link(src, ctx.project.adrs[named]) if named is not None else escape.text(ref.text)


def supersession(ctx: EmitContext, src: str, adr: Adr) -> tuple[list[str], str | None]:
    """Links to (or the text of) the ADRs `adr` supersedes, and to the one that supersedes it."""
    links = ctx.project.links.adrs[adr.id]
    older = [adr_link_or_text(ctx, src, r, named) for r, named in zip(adr.supersedes, links.supersedes)]
    newer = adr_link_or_text(ctx, src, adr.superseded_by, links.superseded_by) if adr.superseded_by else None
    return older, newer


def render_adr_summary(ctx: EmitContext, adr: Adr) -> str:
    """HTML for the top of an ADR's page; every user string escaped."""
    src = adr.rel
    meta = [badge("adr", adr.raw_status or "no status")]
    if adr.status is None and adr.raw_status:
        meta.append("(not a recognised status)")
    if adr.date:
        meta.append(f"Date: {html.strong(escape.text(adr.date))}")
    if adr.deciders:
        meta.append("Deciders: " + ", ".join(escape.text(d) for d in adr.deciders))
    out = [f'<div class="plans-card plans-summary" data-adr="{escape.attr(adr.id)}">', html.para(" · ".join(meta))]
    older, newer = supersession(ctx, src, adr)
    if adr.superseded_by:
        successor = ctx.project.links.adrs[adr.id].superseded_by or adr.superseded_by.text
        out += [
            html.para(f"This decision is superseded by {escape.text(successor)}.", css="plans-superseded"),
            html.para(f"{html.strong('Superseded by:')} {newer}"),
        ]
    if adr.supersedes:
        out.append(html.para(f"{html.strong('Supersedes:')} {', '.join(older)}"))
    gates = gates_of(ctx, adr)
    if gates:
        entries = []
        for gid in gates:
            gate = ctx.project.gates[gid]
            state = ctx.project.analysis.gate_states[gid]
            plan = ctx.project.plans.get(gate.plan)
            owner = f" — declared by {ctx.plan_link(src, plan)}" if plan else ""
            entries.append(f"{ctx.gate_link(src, gid)} {escape.text(gate.title)} {badge('gate', state.state)}{owner}")
        out += [html.para(html.strong("Gates tied to this decision:")), html.items(entries)]
    backlinks = ctx.project.links.referenced_by.get(adr.key, ())
    if backlinks:
        out += [html.para(html.strong("Referenced by:")), html.items(ctx.source_link(src, k) for k in backlinks)]
    out.append("</div>")
    return "\n".join(out) + "\n"


def related_key(ctx: EmitContext, adr: Adr) -> tuple[object, ...]:
    """What `supersession` reads of the ADRs `adr` supersedes and is superseded by."""
    if not adr.supersedes and adr.superseded_by is None:
        return ()
    links = ctx.project.links.adrs[adr.id]
    adrs = ctx.project.adrs
    named = (*links.supersedes, links.superseded_by)
    return (links, *((a.title, a.rel) if (a := adrs.get(n or "")) else None for n in named))


def adr_summary_key(ctx: EmitContext, adr: Adr) -> tuple[object, ...]:
    """Everything `render_adr_summary` reads about `adr` and its neighbours (see
    `plan_summary_key`)."""
    project = ctx.project
    gates = []
    for gid in gates_of(ctx, adr):
        gate = project.gates[gid]
        plan = project.plans.get(gate.plan)
        gates.append((gate, project.analysis.gate_states[gid], (plan.title, plan.rel) if plan else None))
    backlinks = project.links.referenced_by.get(adr.key, ())
    return (adr, ctx.paths, related_key(ctx, adr), tuple(gates), ctx.sources_key(backlinks))
