"""A page's HTML with what the compiler adds to it: its own problems under its title, its
summary (or a generated page's body) in its slot, and the scripts it needs."""

from __future__ import annotations

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
        _add_to_toc(page, summary.sections, mid)
        # MkDocs checks links to anchors against the ids it saw while rendering Markdown;
        # the summary's ids (phases, tasks) arrive after that.
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(summary.ids)
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


def _add_to_toc(page: Page, sections: tuple[tuple[str, str], ...], before: str = "") -> None:
    """The summary's sections join the page's table of contents, under its title: after the
    page's own headings that come before them (those whose ids are in `before`)."""
    if not sections:
        return
    links = [AnchorLink(title, anchor, 2) for anchor, title in sections]
    toc = page.toc.items if page.toc is not None else []
    under = toc[0].children if toc and toc[0].level == 1 else toc
    at = 0
    for i, item in enumerate(under):
        if f'id="{item.id}"' in before:
            at = i + 1
    under[at:at] = links
