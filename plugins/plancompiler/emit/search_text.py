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
_MERMAID_START, _MERMAID_END = '<pre class="mermaid">', "</pre>"
_TAG = re.compile(r"<[^>]*>")


def words(html: str) -> str:
    """The words of a piece of HTML, on one line; a Mermaid graph has none."""
    return _flat(_without_graphs(html))


def search_text(summary: str) -> str:
    """`summary`'s headings as they are, and the text below each as one paragraph."""
    out = []
    for i, part in enumerate(_HEADING.split(_without_graphs(summary))):
        if i % 2:
            out.append(part)
            continue
        text = _flat(part)
        if text:
            out.append(f"<p>{text}</p>")
    return "\n".join(out)


def _flat(html: str) -> str:
    """The text between the tags of `html`, on one line."""
    return " ".join(_TAG.sub(" ", html).split())


def _without_graphs(html: str) -> str:
    """`html` with a space for each Mermaid graph (found with `str.find`: a lazy regex
    took longer than the rest of the search text)."""
    start = html.find(_MERMAID_START)
    if start < 0:
        return html
    parts, done = [], 0
    while start >= 0:
        end = html.find(_MERMAID_END, start)
        if end < 0:
            break
        parts += [html[done:start], " "]
        done = end + len(_MERMAID_END)
        start = html.find(_MERMAID_START, done)
    parts.append(html[done:])
    return "".join(parts)
