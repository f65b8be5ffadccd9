"""A Python-Markdown extension that turns `[ADR-0003]`, `[G02]`, `[plan-id]` and
`[plan-id/P1.2]` into links to their targets.

It runs wherever Python-Markdown runs, not only under MkDocs. It only renders: finding
unresolved labels and reporting them is compilation's job (`plancompiler.link.prose`), so
the CLI and the plugin agree. Links point at the target's Markdown source relative to the
current page (`../decisions/ADR-0003-x.md`), which MkDocs turns into a URL and checks.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor

from plancompiler.ids import normalise_adr_id
from plancompiler.link.prose import XrefResolver

XREF_RE = r"(?<![\]!\\^])\[([A-Za-z0-9][A-Za-z0-9._/-]*)\](?![\[(])"


class XrefInlineProcessor(InlineProcessor):
    """Replaces an undefined bracketed id with a link; leaves everything else alone."""

    def __init__(self, pattern: str, md: Markdown, extension: XrefExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(self, m: Any, data: str) -> tuple[Any, int | None, int | None]:  # noqa: N802
        label = m.group(1)
        resolver = self.extension.resolver
        if resolver is None or label.lower() in self.md.references:
            return None, None, None
        target = resolver.resolve(label)
        if target is None:
            return None, None, None
        page = self.extension.page_src
        href = posixpath.relpath(target.rel, posixpath.dirname(page) or ".") if target.rel != page else ""
        link = etree.Element(
            "a",
            {
                "href": href + (f"#{target.fragment}" if target.fragment else ""),
                "title": target.title,
                "class": "plans-xref",
            },
        )
        link.text = label
        if target.stale is None:
            return link, m.start(0), m.end(0)
        wrapper = etree.Element("span", {"class": "plans-xref-stale"})
        wrapper.append(link)
        note = etree.SubElement(wrapper, "span", {"class": "plans-xref-state"})
        adr = target.stale
        note.text = f" ({adr.status}"
        successor = resolver.adrs.get(normalise_adr_id(adr.superseded_by.text) or "") if adr.superseded_by else None
        if successor is not None:
            note.text += " by "
            succ = etree.SubElement(
                note,
                "a",
                {
                    "href": posixpath.relpath(successor.rel, posixpath.dirname(page) or "."),
                    "title": f"{successor.id}: {successor.title}",
                    "class": "plans-xref",
                },
            )
            succ.text = successor.id
            succ.tail = ")"
        else:
            note.text += ")"
        return wrapper, m.start(0), m.end(0)


class XrefExtension(Extension):
    """`XrefExtension(resolver=...)`; the adapter sets `page_src` before each page."""

    def __init__(self, resolver: XrefResolver | None = None, **kwargs: Any) -> None:
        self.resolver = resolver
        self.page_src = ""
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        # Above 'reference' (170) so an id wins over nothing, but below 'backtick' (190)
        # and 'escape' (180): code spans and escaped brackets are left alone.
        md.inlinePatterns.register(XrefInlineProcessor(XREF_RE, md, self), "plancompiler_xref", 175)


def makeExtension(**kwargs: Any) -> XrefExtension:  # noqa: N802
    return XrefExtension(**kwargs)
