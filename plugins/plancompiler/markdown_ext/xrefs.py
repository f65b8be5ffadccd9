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

from plancompiler.link.prose import Target, XrefResolver
from plancompiler.parse.markdown_scan import LABEL_PATTERN, inside, link_texts


class XrefInlineProcessor(InlineProcessor):
    """Replaces an undefined bracketed id with a link; leaves everything else alone."""

    def __init__(self, pattern: str, md: Markdown, extension: XrefExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(self, m: Any, data: str) -> tuple[Any, int | None, int | None]:  # noqa: N802
        label = m.group(1)
        ext = self.extension
        if label.lower() in self.md.references or inside(ext.link_texts(data), m.start(0), m.end(0)):
            return None, None, None
        target = ext.target(label)
        if target is None:
            return None, None, None
        href = ext.href(target.rel)
        link = etree.Element(
            "a",
            {
                "href": f"{href}#{target.fragment}" if target.fragment else href,
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
        successor = target.successor
        if successor is not None:
            note.text += " by "
            succ = etree.SubElement(
                note,
                "a",
                {
                    "href": ext.href(successor.rel, same_page=False),
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
        self._resolver = resolver
        self._targets: dict[str, Target | None] = {}
        self._hrefs: dict[tuple[str, str], str] = {}
        self._texts: tuple[str | None, list[tuple[int, int]]] = (None, [])
        self._page_src = ""
        self.used: dict[str, Target | None] = {}
        """The labels the current page has resolved, and what each resolved to: what its
        HTML read from the records (a rebuild under `mkdocs serve` compares them)."""
        super().__init__(**kwargs)

    @property
    def page_src(self) -> str:
        """The source path of the page being converted."""
        return self._page_src

    @page_src.setter
    def page_src(self, value: str) -> None:
        self._page_src = value
        self.used = {}

    @property
    def resolver(self) -> XrefResolver | None:
        return self._resolver

    @resolver.setter
    def resolver(self, value: XrefResolver | None) -> None:
        self._resolver = value
        self._targets = {}

    def target(self, label: str) -> Target | None:
        """What `label` resolves to (None without a resolver); each label is resolved once
        per resolver."""
        try:
            found = self._targets[label]
        except KeyError:
            found = self._targets[label] = self._resolver.resolve(label) if self._resolver is not None else None
        self.used[label] = found
        return found

    def link_texts(self, data: str) -> list[tuple[int, int]]:
        """`link_texts` of the text being processed: one paragraph is asked for each of its
        labels, so the last answer is kept."""
        if self._texts[0] != data:
            self._texts = (data, link_texts(data))
        return self._texts[1]

    def href(self, rel: str, same_page: bool = True) -> str:
        """The link from the current page to the source `rel` (empty for the page itself,
        unless `same_page` is false); `posixpath.relpath` is slow, so its answers are kept."""
        page = self._page_src
        if rel == page and same_page:
            return ""
        try:
            return self._hrefs[rel, page]
        except KeyError:
            href = self._hrefs[rel, page] = posixpath.relpath(rel, posixpath.dirname(page) or ".")
            return href

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        # Above 'reference' (170) so an id wins over nothing, but below 'backtick' (190)
        # and 'escape' (180): code spans and escaped brackets are left alone.
        md.inlinePatterns.register(XrefInlineProcessor(LABEL_PATTERN, md, self), "plancompiler_xref", 175)


def makeExtension(**kwargs: Any) -> XrefExtension:  # noqa: N802
    return XrefExtension(**kwargs)
