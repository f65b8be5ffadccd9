"""The summary rendered above an ADR's own Markdown: status, relations, gates, backlinks.

The summary is gathered into an `AdrSummaryView` of plain data first and written second:
the view is everything the summary shows, so a build whose view equals the last one's
reuses the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from plancompiler.emit import escape, html
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.views import PageLink, Referrer, Shown, referrers, render_shown, sources_view
from plancompiler.ids import adr_number
from plancompiler.model import Adr, AdrLink, Gate, Plan
from plancompiler.parse.markdown_scan import leading_heading
from plancompiler.vocabulary import AdrStatus, GateStatus


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


@dataclass(frozen=True, slots=True)
class RecordStatus:
    """A record's state, the word or phrase it writes for it, and the note after it."""

    status: AdrStatus | None
    raw_status: str | None
    note: str | None

    @classmethod
    def of(cls, adr: Adr) -> RecordStatus:
        return cls(adr.status, adr.raw_status, adr.status_note)

    def badge(self) -> str:
        """The state as a badge; a status nothing maps is shown as written."""
        return badge("adr", self.status or self.raw_status or "no status")

    def words(self) -> str:
        """What the record writes beside its state: the word as written when it is another
        word (`Implemented` for accepted), and the note after it; escaped, possibly empty."""
        parts = []
        if self.status is not None and self.raw_status and self.raw_status.lower() != self.status:
            parts.append(f"“{escape.text(self.raw_status)}”")
        if self.note:
            parts.append(escape.text(self.note))
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Related:
    """A related record as its relations list shows it: by number, kept on one line, or (a
    record named by a log4brains slug) by its title, which says the same in fewer words."""

    link: PageLink
    nowrap: bool


@dataclass(frozen=True, slots=True)
class RelationGroup:
    """The records listed under one relation label; a name that matches no record is text."""

    label: str
    records: tuple[Related | str, ...]


@dataclass(frozen=True, slots=True)
class TiedGate:
    """A gate tied to the record: its id, title and state, and the plan declaring it."""

    id: str
    title: str
    state: str
    plan: PageLink | None


@dataclass(frozen=True, slots=True)
class AdrSummaryView:
    """Everything the summary at the top of an ADR's page shows."""

    id: str
    rel: str
    status: RecordStatus
    date: str | None
    deciders: tuple[str, ...]
    superseded_by: str | None
    """The successor, shown while the record is superseded."""
    relations: tuple[RelationGroup, ...]
    gates: tuple[TiedGate, ...]
    referenced_by: tuple[Shown, ...]


def gates_of(ctx: EmitContext, adr: Adr) -> list[str]:
    """Ids of the gates tied to `adr`, in gate order."""
    return ctx.gates_by_adr.get(adr.id, [])


def _group(link: AdrLink) -> str:
    """The heading a relation is listed under on a record's page: its label, or, for a label
    of the team's own written on the other record, where it comes from."""
    if link.kind == "other" and not link.written:
        return f"Linked as “{link.label}” from"
    return link.label


def relation_inputs(ctx: EmitContext, adr: Adr) -> tuple[tuple[AdrLink, ...], tuple[Adr | None, ...]]:
    """The record's relations, and the record each names (None where none has that name):
    what `relation_groups_of` makes the groups from."""
    relations = ctx.project.links.adrs[adr.id].relations
    adrs = ctx.project.adrs
    return relations, tuple(adrs.get(link.other) for link in relations)


def relation_groups_of(relations: tuple[AdrLink, ...], others: tuple[Adr | None, ...]) -> tuple[RelationGroup, ...]:
    """The relations grouped by label, each with the record it names (`relation_inputs`)."""
    groups: dict[str, list[Related | str]] = {}
    for link, other in zip(relations, others):
        groups.setdefault(_group(link), []).append(_related(other) if other else link.other)
    return tuple(RelationGroup(label, tuple(records)) for label, records in groups.items())


def _related(adr: Adr) -> Related:
    if adr_number(adr.id) is None:
        return Related(PageLink(adr.title, adr.rel, "", adr.id), False)
    return Related(PageLink(adr.id, adr.rel, "", adr.title), True)


def render_relations(ctx: EmitContext, src: str, group: RelationGroup) -> str:
    """The links of one relation group, comma-separated."""
    out = []
    for record in group.records:
        if isinstance(record, str):
            out.append(escape.text(record))
        elif record.nowrap:
            out.append(f'<span class="plans-nowrap">{render_shown(ctx, src, record.link)}</span>')
        else:
            out.append(render_shown(ctx, src, record.link))
    return ", ".join(out)


def adr_summary_view(ctx: EmitContext, adr: Adr, memo: Memo | None = None) -> AdrSummaryView:
    """Gather what the summary of `adr` shows from the project; with `memo`, the view of the
    last build while the model objects it is gathered from are the same, and gathered again
    only when a plan or record among them changed."""
    if memo is None:
        return _adr_summary_view(*adr_summary_inputs(ctx, adr))
    inputs = memo.gathered(("adr summary inputs", adr.id), partial(adr_summary_inputs, ctx, adr))
    return memo.get(("adr summary view", adr.id), inputs, partial(_adr_summary_view, *inputs))


AdrSummaryInputs = tuple[
    Adr,
    str | None,
    tuple[AdrLink, ...],
    tuple[Adr | None, ...],
    tuple[tuple[Gate, Plan | None, GateStatus], ...],
    tuple[Referrer, ...],
]
"""What an ADR's summary is gathered from (`adr_summary_inputs`): the model objects it reads."""


def adr_summary_inputs(ctx: EmitContext, adr: Adr) -> AdrSummaryInputs:
    """The model objects the summary of `adr` shows something of, in `_adr_summary_view`'s
    order: looked up, not copied, so that comparing them with the last build's is mostly a
    matter of identity."""
    project = ctx.project
    gates = []
    for gid in gates_of(ctx, adr):
        gate = project.gates[gid]
        gates.append((gate, project.plans.get(gate.plan), project.analysis.gate_states[gid].state))
    relations, others = relation_inputs(ctx, adr)
    return (
        adr,
        project.links.adrs[adr.id].successor,
        relations,
        others,
        tuple(gates),
        referrers(ctx, project.links.referenced_by.get(adr.key, ())),
    )


def _adr_summary_view(
    adr: Adr,
    successor: str | None,
    relations: tuple[AdrLink, ...],
    others: tuple[Adr | None, ...],
    gates: tuple[tuple[Gate, Plan | None, GateStatus], ...],
    referenced_by: tuple[Referrer, ...],
) -> AdrSummaryView:
    """The view of an ADR's summary from what `adr_summary_inputs` looked up, and nothing else."""
    return AdrSummaryView(
        adr.id,
        adr.rel,
        RecordStatus.of(adr),
        adr.date,
        adr.deciders,
        successor if adr.status is AdrStatus.SUPERSEDED else None,
        relation_groups_of(relations, others),
        tuple(
            TiedGate(gate.id, gate.title, state, PageLink(plan.title, plan.rel) if plan else None)
            for gate, plan, state in gates
        ),
        sources_view(referenced_by),
    )


def render_adr_summary(ctx: EmitContext, adr: Adr) -> str:
    """HTML for the top of an ADR's page; every user string escaped."""
    return render_adr_view(ctx, adr_summary_view(ctx, adr))


def render_adr_view(ctx: EmitContext, view: AdrSummaryView) -> str:
    """HTML for the top of an ADR's page from its view; every user string escaped."""
    src = view.rel
    status = view.status
    meta = [status.badge()]
    if status.status is None and status.raw_status:
        meta.append("(not a recognised status)")
    if words := status.words():
        meta.append(words)
    if view.date:
        meta.append(f"Date: {html.strong(escape.text(view.date))}")
    if view.deciders:
        meta.append("Deciders: " + ", ".join(escape.text(d) for d in view.deciders))
    out = [f'<div class="plans-card plans-summary" data-adr="{escape.attr(view.id)}">', html.para(" · ".join(meta))]
    if view.superseded_by:
        out.append(
            html.para(f"This decision is superseded by {escape.text(view.superseded_by)}.", css="plans-superseded")
        )
    for group in view.relations:
        shown = render_relations(ctx, src, group)
        out.append(html.para(f"{html.strong(escape.text(group.label) + ':')} {shown}", css="plans-relation"))
    if view.gates:
        entries = []
        for gate in view.gates:
            link = ctx.link(gate.id, ctx.href(src, ctx.paths.gates_index, gate.id), gate.title)
            owner = f" — declared by {render_shown(ctx, src, gate.plan)}" if gate.plan else ""
            entries.append(f"{link} {escape.text(gate.title)} {badge('gate', gate.state)}{owner}")
        out += [html.para(html.strong("Gates tied to this decision:")), html.items(entries)]
    if view.referenced_by:
        out += [
            html.para(html.strong("Referenced by:")),
            html.items(render_shown(ctx, src, s) for s in view.referenced_by),
        ]
    out.append("</div>")
    return "\n".join(out) + "\n"
