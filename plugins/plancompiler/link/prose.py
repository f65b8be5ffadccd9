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
from plancompiler.ids import GATE_ID, PLAN_ID, anchor, normalise_adr_id, split_ref
from plancompiler.link.symbols import Symbols
from plancompiler.model import Adr, Gate, Key, Plan, document_key
from plancompiler.parse.markdown_scan import XrefUse
from plancompiler.vocabulary import RETIRED

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
    ) -> None:
        self.plans, self.adrs, self.gates, self.gates_index = plans, adrs, gates, gates_index

    def is_checked(self, label: str) -> bool:
        """ADR- and gate-shaped labels, and qualified labels of an existing plan, must resolve."""
        plan, _ = split_ref(label)
        return bool(_ADR_SHAPE.match(label) or GATE_ID.match(label) or (plan and plan in self.plans))

    def resolve(self, label: str) -> Target | None:
        if _ADR_SHAPE.match(label):
            adr = self.adrs.get(normalise_adr_id(label) or "")
            if adr is None:
                return None
            if adr.status not in RETIRED:
                return Target(adr.key, adr.rel, "", f"{adr.id}: {adr.title}")
            successor = self.adrs.get(normalise_adr_id(adr.superseded_by.text) or "") if adr.superseded_by else None
            return Target(adr.key, adr.rel, "", f"{adr.id}: {adr.title}", adr, successor)
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
    titles of the ordinary pages that cite something, by path."""
    resolver = XrefResolver(symbols.plans, symbols.adrs, symbols.gates)
    citations: list[tuple[Key, Key]] = []
    citing_pages: dict[str, str] = {}
    for page in pages:
        citing = _citing(page, symbols)
        for use in page.uses:
            target = resolver.resolve(use.label)
            if target is None:
                if resolver.is_checked(use.label):
                    reporter.report(
                        "PLN015",
                        page.path,
                        use.line,
                        use.col,
                        f"cross-reference [{use.label}] matches no {_shape_name(use.label)}; correct the id,"
                        f" or define the link yourself ([{use.label}]: url)",
                    )
                continue
            if target.stale is not None:
                adr = target.stale
                successor = f" by {adr.superseded_by.text}" if adr.superseded_by else ""
                reporter.report(
                    "PLN016",
                    page.path,
                    use.line,
                    use.col,
                    f"[{use.label}] cites {adr.id}, which is {adr.status}{successor}; cite the decision in"
                    " force instead",
                )
            if citing and target.key != citing:
                citations.append((citing, target.key))
                if page.kind is None:
                    citing_pages[page.rel] = page.title or page.rel
    return citations, dict(sorted(citing_pages.items()))


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
