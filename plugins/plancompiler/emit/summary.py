"""HTML the plugin puts into pages after Markdown is done, and what else a page takes from it:
the summaries of plan and ADR pages (placed in the page's own Markdown), and the bodies of
the generated pages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from plancompiler.emit.plan_page import DETAIL_MARK, SECTIONS
from plancompiler.emit.search_text import search_text, words
from plancompiler.parse.markdown_scan import leading_heading

MARKER = "<!-- plans:summary -->"
_IDS = re.compile(r' id="([^"]+)"')


@dataclass(frozen=True, slots=True)
class Summary:
    """A plan's or ADR's rendered summary, or a generated page's body, and what its page takes
    from it besides the HTML."""

    html: str
    """The card at the top of a plan's or ADR's page, or a generated page's body."""
    ids: tuple[str, ...]
    """Every id in the summary, for the site generator's check of links to anchors."""
    sections: tuple[tuple[str, str], ...]
    """The summary's own headings (id, title), for the page's table of contents."""
    mermaid: bool
    """Whether the summary draws a diagram."""
    search: str
    """The summary as the site's search index reads it (`search_text`)."""
    detail: str = ""
    """What a plan's page shows below the author's prose (`render_plan_summary`)."""

    @classmethod
    def of(cls, html: str) -> Summary:
        """A plan's or ADR's summary from its renderer's HTML (card, `DETAIL_MARK`, detail)."""
        ids = tuple(_IDS.findall(html))
        found = set(ids)
        card, _, detail = html.partition(DETAIL_MARK)
        return cls(
            ascii_html(card),
            ids,
            tuple((anchor, title) for anchor, title in SECTIONS.items() if anchor in found),
            'class="mermaid"' in html,
            ascii_html(search_text(html)),
            ascii_html(detail),
        )


@dataclass(frozen=True, slots=True)
class Row:
    """A row of a generated page's table, with its words and ids: a page of a thousand rows
    is put together from the rows kept from the last build and the few made again."""

    html: str
    words: str
    ids: tuple[str, ...]

    @classmethod
    def of(cls, html: str) -> Row:
        return cls(ascii_html(html), ascii_html(words(html)), tuple(_IDS.findall(html)))


def generated_body(
    lead: str, rows: Sequence[Row] = (), tail: str = "", sections: tuple[tuple[str, str], ...] = ()
) -> Summary:
    """The body of a generated page, below its title: `lead` (prose, a graph, a table's head),
    `rows`, then `tail`; `sections` are its headings (id, title) for the table of contents.
    Its search text is one paragraph of all its words."""
    text = " ".join(w for w in (ascii_html(words(lead)), *(r.words for r in rows), ascii_html(words(tail))) if w)
    return Summary(
        "".join((ascii_html(lead), *(r.html for r in rows), ascii_html(tail))),
        (*_IDS.findall(lead), *(i for r in rows for i in r.ids), *_IDS.findall(tail)),
        sections,
        any('class="mermaid"' in part for part in (lead, tail, *(r.html for r in rows))),
        f"<p>{text}</p>" if text else "",
    )


def ascii_html(text: str) -> str:
    """HTML text with every character beyond ASCII written as a character reference, which
    browsers and search indexes read as the character itself.

    Python keeps a string at one byte a character only while every character fits: one
    dash in a summary made the whole page two bytes a character when the summary was put
    in, and putting summaries into ASCII pages took four times as long.
    """
    return text if text.isascii() else text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def place_summary(markdown: str, card: str, detail: str, mode: str) -> str:
    """Put a page's `card` and `detail` into its Markdown, the author's prose between them.

    `top`: the card after a leading `# ` title (which stays the page's heading) or at the very
    top, and the detail where the page writes the marker, else at its end. `marker`: both at
    the marker, and nothing on a page without one. `off`: nothing. A page without `detail` (an
    ADR's) has its card at the marker when it writes one.
    """
    if mode == "off" or (mode != "top" and MARKER not in markdown):
        return markdown
    if mode != "top" or (not detail and MARKER in markdown):
        return markdown.replace(MARKER, "\n" + card + "\n\n" + detail + "\n", 1)
    if detail:
        if MARKER in markdown:
            markdown = markdown.replace(MARKER, "\n" + detail + "\n", 1)
        else:
            markdown = markdown.rstrip("\n") + "\n\n" + detail + "\n"
    heading = leading_heading(markdown)
    if heading is not None and heading.line_break:
        return markdown[: heading.end] + "\n" + card + "\n" + markdown[heading.end :]
    return card + "\n" + markdown
