"""Placing a rendered summary into a page's own Markdown."""

from __future__ import annotations

import re

MARKER = "<!-- plans:summary -->"
_LEADING_H1 = re.compile(r"\A(\s*#[ \t]+[^\n]*\n)")


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
