"""Placing a rendered summary into a page's own Markdown, and what else a page takes from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plancompiler.emit.plan_page import SECTIONS
from plancompiler.emit.search_text import search_text

MARKER = "<!-- plans:summary -->"
_LEADING_H1 = re.compile(r"\A(\s*#[ \t]+[^\n]*\n)")
_IDS = re.compile(r' id="([^"]+)"')


@dataclass(frozen=True, slots=True)
class Summary:
    """A plan's or ADR's rendered summary and what its page takes from it besides the HTML."""

    html: str
    ids: tuple[str, ...]
    """Every id in the summary, for the site generator's check of links to anchors."""
    sections: tuple[tuple[str, str], ...]
    """The summary's own headings (id, title), for the page's table of contents."""
    mermaid: bool
    """Whether the summary draws a diagram."""
    search: str
    """The summary as the site's search index reads it (`search_text`)."""

    @classmethod
    def of(cls, html: str) -> Summary:
        return cls(
            html,
            tuple(_IDS.findall(html)),
            tuple((anchor, title) for anchor, title in SECTIONS.items() if f'id="{anchor}"' in html),
            'class="mermaid"' in html,
            search_text(html),
        )


def place_summary(markdown: str, summary: str, mode: str) -> str:
    """At the marker when the page has one; else, in `top` mode, after a leading `# ` title
    (which stays the page's heading) or at the very top."""
    if MARKER in markdown:
        return markdown.replace(MARKER, "\n" + summary + "\n", 1)
    if mode != "top":
        return markdown
    heading = _LEADING_H1.match(markdown)
    if heading:
        return heading.group(1) + "\n" + summary + "\n" + markdown[heading.end() :]
    return summary + "\n" + markdown
