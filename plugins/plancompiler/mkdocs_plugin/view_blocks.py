"""View blocks in the site's pages (a `plans` fence): each one rendered from the compiled
site by `plancompiler.markdown`, or its diagnostic in the log."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from plancompiler.compiler import Result
from plancompiler.diagnostics import Diagnostic, SeverityPolicy
from plancompiler.emit import problems
from plancompiler.emit.context import EmitContext
from plancompiler.emit.memo import Memo
from plancompiler.markdown.fences import ViewsExtension
from plancompiler.markdown.view_html import ViewSite, render_block
from plancompiler.markdown.views import block_line, view_blocks

EXTENSION = "plancompiler.markdown"
"""The Markdown extension's name in mkdocs.yml (for site engines without plugins)."""


class PageViews:
    """Renders the view blocks of the page MkDocs is reading, and notes their anchors."""

    def __init__(self, report: Callable[[Diagnostic], None]) -> None:
        self.extension = ViewsExtension()
        self.report = report
        self.ids: tuple[str, ...] = ()
        """The anchors of the views on the page being rendered."""
        self.source_paths: dict[str, str] = {}
        """Each page's file path as diagnostics show it, by source path."""
        self.found: tuple[problems.FileProblems, ...] = ()
        """This build's diagnostics by file, for `view: problems`."""
        self.site: tuple[EmitContext, Result, SeverityPolicy, Memo] | None = None
        self._mentions: dict[str, tuple[str, bool]] = {}
        """Whether each page's Markdown names `plans` at all, with that Markdown: under
        `mkdocs serve` a page whose source did not change hands over the very same string."""
        self._mentioned: dict[str, tuple[str, bool]] = {}

    def configure(self, config: MkDocsConfig) -> None:
        """Read view blocks with the plugin's extension: the plugin does what the Markdown
        extension does, and more, so one of them runs."""
        if EXTENSION in config.markdown_extensions:
            config.markdown_extensions.remove(EXTENSION)
            config.mdx_configs.pop(EXTENSION, None)
        if self.extension not in config.markdown_extensions:
            config.markdown_extensions.append(self.extension)  # type: ignore[arg-type]

    def new_build(
        self,
        source_paths: dict[str, str],
        found: tuple[problems.FileProblems, ...],
        site: tuple[EmitContext, Result, SeverityPolicy, Memo],
    ) -> None:
        """Take this build's pages, diagnostics and compiled site."""
        self.source_paths, self.found, self.site = source_paths, found, site
        self._mentioned, self._mentions = self._mentions, {}

    def start_page(self, page: Page, markdown: str) -> None:
        """Get ready for the page MkDocs is about to render."""
        self.ids = ()
        src = page.file.src_uri
        kept = self._mentioned.get(src)
        if kept is None or kept[0] is not markdown:
            kept = (markdown, "plans" in markdown)  # a search through the whole page
        self._mentions[src] = kept
        self.extension.render = partial(self._view, page.file) if kept[1] else None

    def has_views(self, page: Page) -> bool:
        """Whether the page's Markdown, being converted, has view blocks (which read the model)."""
        return self.extension.render is not None and bool(view_blocks(page.markdown or ""))

    def mark_anchors(self, page: Page) -> None:
        """MkDocs checks links to anchors against the ids it saw: the views' are among them."""
        if self.ids and page.present_anchor_ids is not None:
            page.present_anchor_ids.update(self.ids)

    def _view(self, file: File, body: str, number: int) -> str:
        """A view block of the page: its view, or its diagnostic (a warning in the log)."""
        assert self.site is not None
        ctx, result, policy, memo = self.site
        path = self.source_paths.get(file.src_uri, file.src_uri)
        doc = result.documents.get(path)
        where = (path, block_line(doc.text if doc is not None else file.content_string, number))
        view = render_block(ViewSite(ctx, self.found, memo), file.src_uri, body, where, policy, self.report)
        self.ids += view.ids
        return view.html
