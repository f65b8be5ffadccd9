"""The summary rendered above an ADR's own Markdown: status, relations, gates, backlinks."""

from __future__ import annotations

import re

from plancompiler.emit import escape, html
from plancompiler.emit.context import EmitContext, badge, status_badge
from plancompiler.ids import adr_number
from plancompiler.model import Adr, AdrLink
from plancompiler.parse.markdown_scan import leading_heading
from plancompiler.vocabulary import AdrStatus


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


def status_words(adr: Adr) -> str:
    """What the record writes beside its state: the word as written when it is another word
    (`Implemented` for accepted), and the note after it; escaped, possibly empty."""
    parts = []
    if adr.status is not None and adr.raw_status and adr.raw_status.lower() != adr.status:
        parts.append(f"“{escape.text(adr.raw_status)}”")
    if adr.status_note:
        parts.append(escape.text(adr.status_note))
    return " · ".join(parts)


def _group(link: AdrLink) -> str:
    """The heading a relation is listed under on a record's page: its label, or, for a label
    of the team's own written on the other record, where it comes from."""
    if link.kind == "other" and not link.written:
        return f"Linked as “{link.label}” from"
    return link.label


def relation_groups(ctx: EmitContext, src: str, adr: Adr) -> list[tuple[str, list[str]]]:
    """The record's relations (written on it or on the other record) as (label, links)."""
    groups: dict[str, list[str]] = {}
    for link in ctx.project.links.adrs[adr.id].relations:
        other = ctx.project.adrs.get(link.other)
        groups.setdefault(_group(link), []).append(record_link(ctx, src, other) if other else escape.text(link.other))
    return list(groups.items())


def record_link(ctx: EmitContext, src: str, adr: Adr) -> str:
    """A link to a related record: its id, kept on one line; a record named by a log4brains
    slug is shown by its title instead, which says the same in fewer, readable words."""
    if adr_number(adr.id) is None:
        return ctx.link(adr.title, ctx.href(src, adr.rel), adr.id)
    return f'<span class="plans-nowrap">{ctx.adr_link(src, adr)}</span>'


def render_adr_summary(ctx: EmitContext, adr: Adr) -> str:
    """HTML for the top of an ADR's page; every user string escaped."""
    src = adr.rel
    meta = [status_badge(adr)]
    if adr.status is None and adr.raw_status:
        meta.append("(not a recognised status)")
    if words := status_words(adr):
        meta.append(words)
    if adr.date:
        meta.append(f"Date: {html.strong(escape.text(adr.date))}")
    if adr.deciders:
        meta.append("Deciders: " + ", ".join(escape.text(d) for d in adr.deciders))
    out = [f'<div class="plans-card plans-summary" data-adr="{escape.attr(adr.id)}">', html.para(" · ".join(meta))]
    successor = ctx.project.links.adrs[adr.id].successor
    if successor and adr.status is AdrStatus.SUPERSEDED:
        out.append(html.para(f"This decision is superseded by {escape.text(successor)}.", css="plans-superseded"))
    for label, links in relation_groups(ctx, src, adr):
        out.append(html.para(f"{html.strong(escape.text(label) + ':')} {', '.join(links)}", css="plans-relation"))
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
    """What `relation_groups` reads: the record's links and the titles and places of the
    records they name."""
    links = ctx.project.links.adrs[adr.id].relations
    if not links:
        return ()
    adrs = ctx.project.adrs
    return (links, tuple((a.title, a.rel) if (a := adrs.get(link.other)) else None for link in links))


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
    successor = project.links.adrs[adr.id].successor
    return (adr, ctx.paths, related_key(ctx, adr), successor, tuple(gates), ctx.sources_key(backlinks))
