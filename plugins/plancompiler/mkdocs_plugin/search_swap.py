"""The search index reads a page's summary as plain words, not as its tables and graphs.

Search plugins (mkdocs-material's and MkDocs' own) index `page.content` in `on_page_context`
at the default priority. Just before them the page's content holds its summary as
`search_text` (headings, and the words under each), and just after them the full summary
again: reading the summary's tables and graph tag by tag cost the search index more time
than rendering the page.
"""

from __future__ import annotations

from mkdocs.structure.pages import Page


class SearchSwap:
    """A page's content with its summary, and with the summary's search text instead, between
    `on_page_content` and the search index (`on_page_context`)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, str]] = {}

    def clear(self) -> None:
        """Forget the last build's pages."""
        self.pages.clear()

    def hold(self, src: str, full: str, searchable: str) -> None:
        """Keep the page `src`'s two contents until the search index has read it."""
        self.pages[src] = (full, searchable)

    def before_index(self, page: Page) -> None:
        """Give the search index the page's searchable content."""
        found = self.pages.get(page.file.src_uri)
        if found is not None and page.content is found[0]:
            page.content = found[1]

    def after_index(self, page: Page) -> None:
        """Put the page's full content back once the search index has read it."""
        found = self.pages.pop(page.file.src_uri, None)
        if found is not None and page.content is found[1]:
            page.content = found[0]
