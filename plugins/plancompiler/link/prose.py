"""Cross-references in prose (brief section 3.4): `[ADR-0003]`, `[G02]`, `[plan-id]`, `[plan-id/P1.2]`.

Finding them is part of compilation, so `plans check` and the MkDocs plugin report the same
unresolved ones with the same line and column. Rendering them into links is the job of the
Python-Markdown extension in `plancompiler.markdown_ext`, which asks `XrefResolver`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from plancompiler.ids import GATE_ID, PLAN_ID, anchor, normalise_adr_id, split_ref
from plancompiler.model import Adr, Gate, Plan
from plancompiler.vocabulary import RETIRED

_LABEL = re.compile(r"(?<![\]!\\^])\[([A-Za-z0-9][A-Za-z0-9._/-]*)\](?![\[(])")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_COMMENT = re.compile(r"<!--.*?-->")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_ADR_SHAPE = re.compile(r"^ADR-[0-9]+$", re.IGNORECASE)
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")
_H1_ANYWHERE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class XrefUse:
    """A bracketed label in prose and where it stands (file line, 1-based column)."""

    label: str
    line: int
    col: int


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def scan(body: str, first_line: int) -> tuple[list[XrefUse], str | None]:
    """Labels outside code and comments, and the first `#` heading (the page's title)."""
    if not _LABEL.search(body):
        heading = _H1_ANYWHERE.search(body)
        return [], heading.group(1) if heading else None
    defined = {m.group(1).lower() for m in _DEFINITION.finditer(body)}
    uses: list[XrefUse] = []
    title = None
    fence: str | None = None
    previous_blank, in_indented, last_text = True, False, ""
    for number, line in enumerate(body.split("\n")):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        indented = line.startswith(("    ", "\t"))
        in_indented = indented and (in_indented or (previous_blank and not _LIST_ITEM.match(last_text)))
        previous_blank = not line.strip()
        if line.strip():
            last_text = line if not indented else last_text
        if in_indented:
            continue
        if title is None and (heading := _H1.match(line)):
            title = heading.group(1)
        if "[" not in line:
            continue
        visible = _COMMENT.sub(_blank, _CODE_SPAN.sub(_blank, line))
        for match in _LABEL.finditer(visible):
            if match.group(1).lower() not in defined:
                uses.append(XrefUse(match.group(1), first_line + number, match.start() + 1))
    return uses, title


@dataclass(frozen=True, slots=True)
class Target:
    """What a label resolves to: the page (`rel`), an anchor, a title, and lifecycle notes."""

    key: str
    rel: str
    fragment: str
    title: str
    stale: Adr | None = None


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
            stale = adr if adr.status in RETIRED else None
            return Target(f"adr:{adr.id}", adr.rel, "", f"{adr.id}: {adr.title}", stale)
        if GATE_ID.match(label):
            gate = self.gates.get(label)
            if gate is None:
                return None
            if self.gates_index:
                return Target(f"gate:{gate.id}", self.gates_index, anchor(gate.id), f"{gate.id}: {gate.title}")
            plan = self.plans.get(gate.plan)
            return Target(f"gate:{gate.id}", plan.rel, "", f"{gate.id}: {gate.title}") if plan else None
        plan_id, local = split_ref(label)
        if plan_id is None:
            plan = self.plans.get(label) if PLAN_ID.match(label) else None
            return Target(f"plan:{plan.id}", plan.rel, "", plan.title) if plan else None
        plan = self.plans.get(plan_id)
        if plan is None:
            return None
        for phase in plan.phases:
            if phase.id == local:
                return Target(f"plan:{plan.id}", plan.rel, anchor("phase", local), f"{phase.id} · {phase.title}")
            for task in phase.tasks:
                if task.id == local:
                    return Target(f"plan:{plan.id}", plan.rel, anchor("task", local), f"{task.id} · {task.title}")
        return None
