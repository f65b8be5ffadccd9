"""The plugin's handlers of the events MkDocs sends around a page's template: the search
index's view of a card, the navigation's lit index and, under `mkdocs serve`, what the
template wrote, each passed on to the collaborator that does the work."""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.pages import Page

from plancompiler.mkdocs_plugin.navigation import Whereabouts
from plancompiler.mkdocs_plugin.refresh import Refresh
from plancompiler.mkdocs_plugin.search_swap import SearchSwap


class PageHooks:
    """`on_page_context` and `on_post_page` of the `plans` plugin."""

    refresh: Refresh
    search: SearchSwap
    whereabouts: Whereabouts

    @event_priority(1)
    def _before_search_index(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self.refresh.before_index(page)
        self.search.before_index(page)
        return context

    @event_priority(-1)
    def _after_search_index(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self.refresh.after_index(page)
        self.search.after_index(page)
        return context

    def _index_as_current(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self.whereabouts.light(page)
        return self.refresh.context(context, page)

    on_page_context = CombinedEvent(_before_search_index, _index_as_current, _after_search_index)

    # First of all `on_post_page` handlers: what the template wrote, as the next build's
    # template would write it again.
    @event_priority(100)
    def _written(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self.refresh.written(output, page)

    def _dim_index(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self.whereabouts.dim()
        return output

    # Last of all: nothing to write where the page's file holds this output already.
    @event_priority(-100)
    def _unwritten(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self.refresh.unwritten(output, page)

    on_post_page = CombinedEvent(_written, _dim_index, _unwritten)
