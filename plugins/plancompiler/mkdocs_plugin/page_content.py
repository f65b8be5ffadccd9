"""A page's HTML with what the compiler adds to it: its own problems under its title, its
summary (or a generated page's body) in its slot, and the scripts it needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from plancompiler.emit import problems
from plancompiler.emit.context import EmitContext
from plancompiler.emit.summary import Summary
from plancompiler.mkdocs_plugin.summaries import DETAIL_SLOT, SLOT


def with_problems(html_out: str, ctx: EmitContext, src: str, found: problems.FileProblems) -> str:
    """The page's content with its own diagnostics at the top, under its title."""
    shown = problems.render_page_problems(ctx, src, found)
    end = html_out.find("</h1>")
    if end < 0:
        return shown + html_out
    end += len("</h1>")
    return html_out[:end] + shown + html_out[end:]


def draws_graphs(html_out: str) -> bool:
    """Whether the page's content holds a Mermaid graph."""
    # Searched for in the page's content, not in the whole output page, whose navigation
    # alone can be larger than the content on a big site.
    return 'class="mermaid"' in html_out


def slot_at(html_out: str) -> int:
    """Where the summary's slot is in the page's content, or -1."""
    return html_out.find(SLOT)


class Filled:
    """A page's content split around its slots, with its summary to go in."""

    def __init__(self, html_out: str, at: int, page: Page, summary: Summary) -> None:
        head, tail = html_out[:at], html_out[at + len(SLOT) :]
        # A plan's detail goes where its slot is: after the prose, or at the page's marker.
        mid, detail_at = "", tail.find(DETAIL_SLOT)
        if detail_at >= 0:
            mid, tail = tail[:detail_at], tail[detail_at + len(DETAIL_SLOT) :]
        self.toc_at = _toc_position(page, mid) if summary.sections else 0
        if summary.sections:
            _add_sections(page, summary, self.toc_at)
        _add_anchors(page, summary)
        self.head, self.mid, self.tail, self.summary = head, mid, tail, summary
        self.graphs = summary.mermaid or draws_graphs(head) or draws_graphs(tail) or draws_graphs(mid)
        self.needs_script = self.graphs or "data-plans-sort" in summary.html

    def full(self, script: str) -> str:
        """The page's content with the summary."""
        # One copy of the page for the summary and the script.
        s = self.summary
        return "".join((self.head, s.html, self.mid, s.detail, self.tail, script))

    def searchable(self, script: str) -> str:
        """The page's content with the summary's search text instead of the summary."""
        return "".join((self.head, self.summary.search, self.mid, self.tail, script))


@dataclass(frozen=True, slots=True)
class _Fill:
    """What filling a page made, and what it was made from."""

    converted: str
    """The page's HTML as Markdown made it, compared by identity: under `mkdocs serve` a
    page whose conversion is the last build's (`Refresh`) hands over the very same string."""
    crumb: str
    summary: Summary
    script: str
    """The script tags at its end: none, when it neither draws graphs nor sorts tables."""
    graphs: bool
    toc_at: int
    full: str
    searchable: str


class Fills:
    """Each page's content with its summary, kept for the next build: under `mkdocs serve`,
    a page whose converted HTML, breadcrumb, summary and scripts are those of the last build
    gets the content the last build made (the very same string, which the theme's template
    key then compares at once), rather than being split and joined again."""

    def __init__(self) -> None:
        self._last: dict[str, _Fill] = {}
        self._this: dict[str, _Fill] = {}
        self.keeping = False

    def new_build(self, keeping: bool) -> None:
        """Start a build: pages the last build did not fill are forgotten. Unless `keeping`
        (`mkdocs serve`), nothing is kept: no build comes after."""
        self._last, self._this, self.keeping = (self._this if keeping else {}), {}, keeping

    def kept(
        self, page: Page, converted: str, crumb: str, summary: Callable[[], Summary], scripts: Scripts
    ) -> tuple[str, str] | None:
        """The page's content and searchable content as the last build made them from the same
        parts, with the summary's sections and ids added to the page again; None when a part
        differs (`summary` is asked for only when the others are the same)."""
        src = page.file.src_uri
        last = self._last.get(src)
        if last is None or last.converted is not converted or last.crumb != crumb:
            return None
        if summary() is not last.summary or (last.script and scripts(last.graphs) != last.script):
            return None
        # The summary's sections join the table of contents MkDocs made for this build. (Taking
        # the last build's, once checked unchanged, took longer: its objects are far apart in
        # memory by now, and the collector no longer runs during a rebuild.)
        if last.summary.sections:
            _add_sections(page, last.summary, last.toc_at)
        _add_anchors(page, last.summary)
        self._this[src] = last
        return last.full, last.searchable

    def fill(
        self,
        page: Page,
        converted: str,
        crumb: str,
        html_out: str,
        at: int,
        summary: Summary,
        scripts: Scripts,
        keep: bool = True,
    ) -> tuple[str, str]:
        """The page's content with `summary` in its slot at `at` of `html_out` (`converted`
        with the breadcrumb before it), and that content with the summary's search text;
        kept for the next build when `keep` (not when `html_out` holds more than `converted`
        and the breadcrumb: the page's problems, which the next build may not have)."""
        filled = Filled(html_out, at, page, summary)
        script = scripts(filled.graphs) if filled.needs_script else ""
        full, searchable = filled.full(script), filled.searchable(script)
        if not self.keeping or not keep:
            return full, searchable
        made = _Fill(converted, crumb, summary, script, filled.graphs, filled.toc_at, full, searchable)
        self._this[page.file.src_uri] = made
        return full, searchable


Scripts = Callable[[bool], str]
"""The script tags a page's content ends with, given whether it draws graphs."""


def _add_sections(page: Page, summary: Summary, at: int) -> None:
    """The summary's sections join the page's table of contents at `at`, under its title."""
    links = [AnchorLink(title, anchor, 2) for anchor, title in summary.sections]
    under = _toc_under_title(page)
    under[at:at] = links


def _add_anchors(page: Page, summary: Summary) -> None:
    """The summary's ids join the anchors MkDocs checks links against: it saw those while
    rendering Markdown, and the summary's (phases, tasks) arrive after that."""
    if page.present_anchor_ids is not None:
        page.present_anchor_ids.update(summary.ids)


def _toc_under_title(page: Page) -> list[AnchorLink]:
    toc = page.toc.items if page.toc is not None else []
    return toc[0].children if toc and toc[0].level == 1 else toc


def _toc_position(page: Page, before: str) -> int:
    """Where the summary's sections go in the page's table of contents: after the page's own
    headings that come before them (those whose ids are in `before`)."""
    at = 0
    for i, item in enumerate(_toc_under_title(page)):
        if f'id="{item.id}"' in before:
            at = i + 1
    return at
