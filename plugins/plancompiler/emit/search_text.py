"""The text of a summary as a site search index should see it.

A summary is dense HTML: task tables, badges, links in every cell and a Mermaid graph.
Search plugins (mkdocs-material's, MkDocs' own) read a page's HTML tag by tag, and on a
plan page the summary's tags outnumber the prose's, so indexing them cost more than
rendering the page. What a reader searches a summary for is its words: task ids, titles,
owners, gate ids. This keeps the summary's headings, with their ids, so that a result
still opens at the right section, and puts the words under each heading into one
paragraph. Mermaid's graph source is left out: it is markup, not text to find.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"(<h[1-6][^>]*>.*?</h[1-6]>)", re.S)
_MERMAID = re.compile(r'<pre class="mermaid">.*?</pre>', re.S)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def words(html: str) -> str:
    """The words of a piece of HTML, on one line; a Mermaid graph has none."""
    return _SPACE.sub(" ", _TAG.sub(" ", _MERMAID.sub(" ", html))).strip()


def search_text(summary: str) -> str:
    """`summary`'s headings as they are, and the text below each as one paragraph."""
    out = []
    for i, part in enumerate(_HEADING.split(_MERMAID.sub(" ", summary))):
        if i % 2:
            out.append(part)
            continue
        words = _SPACE.sub(" ", _TAG.sub(" ", part)).strip()
        if words:
            out.append(f"<p>{words}</p>")
    return "\n".join(out)
