"""What every renderer needs: the compiled project, where each page lives, and how to link."""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from plancompiler.emit import escape
from plancompiler.model import Adr, GateState, Key, Plan, Project

if TYPE_CHECKING:
    from plancompiler.review.history import History


@dataclass(frozen=True)
class PagePaths:
    """Where the generated pages go inside the docs folder (options of the plugin)."""

    gates_index: str = "gates.md"
    plans_index: str = "plan-index.md"
    decision_log: str = "decision-log.md"
    export: str = "plans.json"
    owners: str = "owners.md"
    problems: str = "problems.md"
    timeline: str = "timeline.md"


class LinksToken:
    """What shapes a context's links (`EmitContext.links`), as one object for each value in
    every build: the name of every piece a `Memo` keeps holds it, and a name's hash and
    comparison then take no time, where the value's would hash and compare the site's paths
    for every piece."""

    __slots__ = ("value",)
    _made: dict[tuple[object, ...], LinksToken] = {}

    def __init__(self, value: tuple[object, ...]) -> None:
        self.value = value

    @classmethod
    def of(cls, value: tuple[object, ...]) -> LinksToken:
        """The token of `value`: the same object as for an equal value before."""
        token = cls._made.get(value)
        if token is None:
            if len(cls._made) >= 64:  # a process that builds many sites (tests) keeps a few
                cls._made.clear()
            token = cls._made[value] = cls(value)
        return token

    def __repr__(self) -> str:
        return f"LinksToken({self.value!r})"


@dataclass(frozen=True)
class EmitContext:
    """The compiled project plus the page paths; renderers read it and never re-parse."""

    project: Project
    paths: PagePaths = field(default_factory=PagePaths)
    page_titles: dict[str, str] = field(default_factory=dict)
    urls: Callable[[str, str], str] | None = None
    """For HTML summaries: the URL of a page (second argument) as seen from another (first),
    both named by source path; without it, links point at `.md` sources for MkDocs to resolve."""
    urls_key: object = None
    """What `urls`' answers depend on besides the two paths (MkDocs' `use_directory_urls`):
    pieces written with one `urls` are reused under another with the same key."""
    html: bool = False
    """Write links as HTML `<a>` elements (summaries, generated pages) instead of Markdown."""
    history: History | None = None
    """Each plan's progress over time, from git (`review.history`); None without git."""
    referrers: dict[tuple[Key, ...], tuple[Project, dict[str, str], tuple[object, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """"Referenced by" lists with what each document is (`views.referrers`), looked up once for
    every renderer of a project: a context made from this one with `dataclasses.replace`
    shares it (each entry notes the project and titles it was made from)."""

    def as_html(self) -> EmitContext:
        """This context writing links as HTML `<a>` elements."""
        return self if self.html else replace(self, html=True)

    @cached_property
    def links(self) -> LinksToken:
        """What shapes every link a renderer writes, besides the project: part of the name of
        each piece kept in a `Memo`, so that pieces written for other links are not reused."""
        return LinksToken.of((self.paths, self.html, self.urls if self.urls_key is None else self.urls_key))

    @cached_property
    def gates_by_adr(self) -> dict[str, list[str]]:
        """Gate ids by the ADR they are tied to, in gate order (one pass for all ADR pages)."""
        found: dict[str, list[str]] = {}
        for gid in self.project.analysis.gate_order:
            tied = self.project.links.gates[gid].adrs
            if tied:
                found.setdefault(tied[0], []).append(gid)
        return found

    def href(self, from_src: str, to_src: str, fragment: str = "") -> str:
        """A relative link from one source page to another, as MkDocs resolves `.md` links."""
        if to_src == from_src:
            rel = ""
        elif self.urls is not None:
            rel = self.urls(from_src, to_src)
        else:
            rel = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
        return rel + (f"#{fragment}" if fragment else "")

    def link(self, label: object, href: str, title: str | None = None) -> str:
        """A link in the context's markup; label and title escaped."""
        if not self.html:
            return escape.link(label, href, title)
        attr = f' title="{escape.attr(title)}"' if title else ""
        return f'<a href="{html.escape(href)}"{attr}>{escape.text(label)}</a>'

    def plan_link(self, from_src: str, plan: Plan, label: str | None = None) -> str:
        return self.link(label or plan.title, self.href(from_src, plan.rel))

    def adr_link(self, from_src: str, adr: Adr, with_title: bool = False) -> str:
        label = f"{adr.id}: {adr.title}" if with_title else adr.id
        return self.link(label, self.href(from_src, adr.rel), adr.title)

    def gate_link(self, from_src: str, gate_id: str) -> str:
        gate = self.project.gates.get(gate_id)
        title = gate.title if gate else None
        return self.link(gate_id, self.href(from_src, self.paths.gates_index, gate_id), title)

    def state(self, gate_id: str) -> GateState | None:
        return self.project.analysis.gate_states.get(gate_id)


def badge(kind: str, value: str | None) -> str:
    """A status badge: `<span class="plans-badge plans-status-accepted">accepted</span>`."""
    shown = value or "none"
    css = escape.anchor(shown.lower())
    return f'<span class="plans-badge plans-{kind} plans-{kind}-{css}">{escape.text(shown)}</span>'


def status_badge(adr: Adr) -> str:
    """A decision record's state as a badge; a status nothing maps is shown as written."""
    return badge("adr", adr.status or adr.raw_status or "no status")
