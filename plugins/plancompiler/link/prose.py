"""Cross-references in prose (brief section 3.4): `[ADR-0003]`, `[G02]`, `[plan-id]`, `[plan-id/P1.2]`.

Finding them (`plancompiler.parse.markdown_scan`) and checking them is part of compilation,
so `plans check` and the MkDocs plugin report the same unresolved ones with the same line and
column. Rendering them into links is the job of the Python-Markdown extension in
`plancompiler.markdown_ext`, which asks `XrefResolver`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from plancompiler.diagnostics import Reporter
from plancompiler.ids import GATE_ID, PLAN_ID, SLUG_ID, adr_number, anchor, normalise_adr_id, split_ref
from plancompiler.link.symbols import Symbols
from plancompiler.model import Adr, AdrLinks, Gate, Key, Plan, document_key, key_kind, key_name
from plancompiler.parse.markdown_scan import XrefUse, local_path
from plancompiler.vocabulary import RETIRED, AdrStatus

_ADR_SHAPE = re.compile(r"^ADR-[0-9]+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Target:
    """What a label resolves to: the page (`rel`), an anchor, a title, and lifecycle notes."""

    key: Key
    """What the label cites: a plan (also for its phases and tasks), an ADR or a gate."""
    rel: str
    fragment: str
    title: str
    stale: Adr | None = None
    """The ADR cited, when it is superseded or deprecated."""
    successor: Adr | None = None
    """The ADR that supersedes a stale one, when it exists."""


class XrefResolver:
    """Resolves labels against the compiled plans, ADRs and gates."""

    def __init__(
        self,
        plans: Mapping[str, Plan],
        adrs: Mapping[str, Adr],
        gates: Mapping[str, Gate],
        gates_index: str | None = None,
        adr_links: Mapping[str, AdrLinks] | None = None,
    ) -> None:
        self.plans, self.adrs, self.gates, self.gates_index = plans, adrs, gates, gates_index
        self.adr_links: Mapping[str, AdrLinks] = adr_links or {}
        """What each record's relations name (`link.relations`): who supersedes whom."""
        self._files: dict[str, Plan | Adr] | None = None

    def resolve_file(self, rel: str) -> Target | None:
        """What a link to the file `rel` (inside the docs folder) points at: a plan or a
        decision record, or None for any other page."""
        if self._files is None:
            self._files = {p.rel: p for p in self.plans.values()}
            self._files.update((a.rel, a) for a in self.adrs.values())
        found = self._files.get(rel)
        if isinstance(found, Adr):
            return self._adr_target(found)
        return Target(found.key, found.rel, "", found.title) if found else None

    def _adr_target(self, adr: Adr) -> Target:
        if adr.status not in RETIRED:
            return Target(adr.key, adr.rel, "", f"{adr.id}: {adr.title}")
        links = self.adr_links.get(adr.id)
        successor = self.adrs.get(links.successor) if links is not None and links.successor else None
        return Target(adr.key, adr.rel, "", f"{adr.id}: {adr.title}", adr, successor)

    def is_checked(self, label: str) -> bool:
        """ADR- and gate-shaped labels, and qualified labels of an existing plan, must resolve."""
        plan, _ = split_ref(label)
        return bool(_ADR_SHAPE.match(label) or GATE_ID.match(label) or (plan and plan in self.plans))

    def resolve(self, label: str) -> Target | None:
        if _ADR_SHAPE.match(label) or SLUG_ID.match(label):
            adr = self.adrs.get(normalise_adr_id(label) or "")
            return self._adr_target(adr) if adr is not None else None
        if GATE_ID.match(label):
            gate = self.gates.get(label)
            if gate is None:
                return None
            if self.gates_index:
                return Target(gate.key, self.gates_index, anchor(gate.id), f"{gate.id}: {gate.title}")
            plan = self.plans.get(gate.plan)
            return Target(gate.key, plan.rel, "", f"{gate.id}: {gate.title}") if plan else None
        plan_id, local = split_ref(label)
        if plan_id is None:
            plan = self.plans.get(label) if PLAN_ID.match(label) else None
            return Target(plan.key, plan.rel, "", plan.title) if plan else None
        plan = self.plans.get(plan_id)
        if plan is None:
            return None
        for phase in plan.phases:
            if phase.id == local:
                return Target(plan.key, plan.rel, anchor("phase", local), f"{phase.id} · {phase.title}")
            for task in phase.tasks:
                if task.id == local:
                    return Target(plan.key, plan.rel, anchor("task", local), f"{task.id} · {task.title}")
        return None


@dataclass(frozen=True, slots=True)
class Prose:
    """A page whose prose holds labels: its paths, what its front matter says it is (`kind`
    and `ident` for a plan's or an ADR's page, None for an ordinary page), its first heading,
    and the labels."""

    path: str
    rel: str
    kind: str | None
    ident: object
    title: str | None
    uses: tuple[XrefUse, ...]


def cross_references(
    pages: list[Prose], symbols: Symbols, reporter: Reporter
) -> tuple[list[tuple[Key, Key]], dict[str, str]]:
    """Report labels that must resolve and do not (PLN015), and citations of decisions no
    longer in force (PLN016); return the (citing, cited) pairs for the backlinks, and the
    titles of the ordinary pages that cite something, by path.

    A link to a decision record's file (`[ADR-0008](0008-x.md)`) cites it as its label would;
    a link to a file that is no record is MkDocs' to check."""
    resolver = XrefResolver(symbols.plans, symbols.adrs, symbols.gates, adr_links=symbols.adr_links)
    citations: list[tuple[Key, Key]] = []
    citing_pages: dict[str, str] = {}
    for page in pages:
        citing = _citing(page, symbols)
        found = []
        for use in page.uses:
            if use.target is not None:
                linked = local_path(use.target, page.rel)
                target = resolver.resolve_file(linked) if linked else None
            else:
                target = resolver.resolve(use.label)
            if target is not None:
                found.append((use, target))
            elif use.target is None and resolver.is_checked(use.label):
                reporter.report(
                    "PLN015",
                    page.path,
                    use.line,
                    use.col,
                    f"cross-reference [{use.label}] matches no {_shape_name(use.label)}; correct the id,"
                    f" or define the link yourself ([{use.label}]: url)",
                )
        cited = {(use.block, target.key) for use, target in found}
        if page.kind is None:
            found = _without_listings(found, symbols.adrs)
        for use, target in found:
            if target.stale is not None and not _tells_its_story(target.stale, use.block, citing, cited, symbols):
                adr = target.stale
                by = f" by {target.successor.id}" if target.successor and adr.status is AdrStatus.SUPERSEDED else ""
                shown = f"[{use.label}]({use.target})" if use.target is not None else f"[{use.label}]"
                reporter.report(
                    "PLN016",
                    page.path,
                    use.line,
                    use.col,
                    f"{shown} cites {adr.id}, which is {adr.status}{by}; cite the decision in force instead",
                )
            if citing and target.key != citing:
                citations.append((citing, target.key))
                if page.kind is None:
                    citing_pages[page.rel] = page.title or page.rel
    return citations, dict(sorted(citing_pages.items()))


def _without_listings(found: list[tuple[XrefUse, Target]], adrs: Mapping[str, Adr]) -> list[tuple[XrefUse, Target]]:
    """An ordinary page's uses without its listings of records: a link whose text is the
    record's number and title (`[3. Use a queue](0003-use-a-queue.md)`, as `adr generate toc`
    writes), or a list or table that links three records or more, lists them; it does not
    cite them."""
    linked: dict[int, set[Key]] = {}
    for use, target in found:
        if use.target is not None and key_kind(target.key) == "adr":
            linked.setdefault(use.block, set()).add(target.key)
    indexes = {block for block, keys in linked.items() if len(keys) >= 3}

    def listed(use: XrefUse, target: Target) -> bool:
        if use.target is None or key_kind(target.key) != "adr":
            return False
        adr = adrs.get(key_name(target.key))
        return use.block in indexes or (adr is not None and _names_record(use.label, adr))

    return [(use, target) for use, target in found if not listed(use, target)]


def _names_record(text: str, adr: Adr) -> bool:
    """Whether a link's text is a record's entry in a list of records: its number and its
    title (`1. Record architecture decisions`, `ADR-001: Structured logging`), or, for a record
    named by a slug, its title."""
    if adr.title.lower() not in text.lower():
        return False
    number = adr_number(adr.id)
    return number is None or re.search(rf"(?<!\d)0*{number}(?!\d)", text) is not None


def _tells_its_story(adr: Adr, block: int, citing: Key | None, cited: set[tuple[int, Key]], symbols: Symbols) -> bool:
    """Whether a citation of a superseded or deprecated record tells its story rather than
    relying on it: the same paragraph (list, table) cites a record that supersedes it, or the
    citing record is related to it (a successor recalls what it replaces)."""
    if citing is not None and key_kind(citing) == "adr":
        links = symbols.adr_links.get(key_name(citing))
        if links is not None and any(link.other == adr.id for link in links.relations):
            return True
    seen = {adr.id}
    successor = symbols.adr_links[adr.id].successor if adr.id in symbols.adr_links else None
    while successor is not None and successor not in seen:
        if (block, document_key("adr", successor)) in cited:
            return True
        seen.add(successor)
        successor = symbols.adr_links[successor].successor if successor in symbols.adr_links else None
    return False


def _citing(page: Prose, symbols: Symbols) -> Key | None:
    """Who cites: the page, or the plan or ADR it holds (None when that is not in the site,
    a duplicate id for one)."""
    if page.kind is None:
        return document_key("page", page.rel)
    found = symbols.plans if page.kind == "plan" else symbols.adrs
    document = found.get(page.ident) if isinstance(page.ident, str) else None
    return document.key if document is not None and document.path == page.path else None


def _shape_name(label: str) -> str:
    if label.upper().startswith("ADR-"):
        return "ADR"
    plan, _ = split_ref(label)
    return f"task or phase of plan '{plan}'" if plan is not None else "gate"
