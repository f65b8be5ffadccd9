"""Navigation that scales: past a number of plans, the sidebar lists the generated indexes
instead of every plan and ADR.

mkdocs-material writes the whole navigation into every page, so a sidebar of every plan
makes a build's work grow with the square of the number of pages, and a sidebar of a
thousand plans helps no reader. When MkDocs builds the navigation from the docs folder (no
`nav:` in mkdocs.yml), the plan and ADR pages are marked "not in nav", as MkDocs' own
`not_in_nav` does: they are built, searched, listed in the sitemap and linked from the
indexes, and left out of the sidebar, whose entries are then the site's other pages and the
generated indexes. A page left out shows where it sits: a breadcrumb to its index above its
title, and its index marked as the current entry of the sidebar.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from plancompiler.emit import decision_log, plans_index
from plancompiler.emit.context import PagePaths
from plancompiler.model import Adr, Plan

NAV_MODES = ("auto", "all", "index")


def leaves_out(mode: str, limit: int, count: int, explicit_nav: bool) -> bool:
    """Whether the plans and ADRs stay out of the navigation MkDocs builds from the folder:
    always with `index`, never with `all`, and with `auto` when there are more than `limit`.
    A `nav:` written in mkdocs.yml is the author's and is left as written."""
    if explicit_nav or mode == "all":
        return False
    return mode == "index" or count > limit


def leave_out_of_nav(files: Files, sources: Iterable[str]) -> None:
    """Mark the pages `sources` (source paths) as built but not in the navigation."""
    by_src = files.src_uris  # by source path as MkDocs keys it: `get_file_from_path` normalises each path
    for src in sources:
        file = by_src.get(src)
        if file is not None and file.inclusion.is_in_nav():
            file.inclusion = InclusionLevel.NOT_IN_NAV


@dataclass(frozen=True, slots=True)
class Trail:
    """Where a page outside the navigation sits: the index that lists it (source path) and
    the index's title."""

    index: str
    title: str


class Whereabouts:
    """Which plan and ADR pages the navigation leaves out, and the trail of each to its index."""

    def __init__(self, trails: dict[str, Trail], indexes: tuple[str, ...] = (), first: bool = False) -> None:
        self.trails = trails
        """By page source path: every plan's and ADR's index."""
        self.indexes = indexes
        """The generated pages (source paths), in the order the sidebar lists them when `first`."""
        self.first = first
        """Whether the generated indexes come first in the sidebar, after the home page: when
        they stand for the plans and ADRs the navigation leaves out."""
        self.outside: dict[str, Trail] = {}
        """This build's pages that the navigation does not list."""
        self.nav: Navigation | None = None
        self.files: Files | None = None
        self._lit: Page | None = None

    @classmethod
    def of_site(
        cls,
        files: Files,
        pages: Mapping[str, Plan | Adr],
        paths: PagePaths,
        mode: str,
        limit: int,
        explicit_nav: bool,
    ) -> Whereabouts:
        """The trails of the site's plans and ADRs (`pages`, by source path) to the plans index
        and the decision log; when the option `mode` (`nav_plans`) leaves them out of the
        navigation, they are marked so in `files` and the generated indexes come first."""
        # Every plan has the same trail, and every ADR.
        to_plans, to_log = Trail(paths.plans_index, plans_index.TITLE), Trail(paths.decision_log, decision_log.TITLE)
        trails = {src: to_plans if isinstance(target, Plan) else to_log for src, target in pages.items()}
        cut = leaves_out(mode, limit, len(trails), explicit_nav)
        if cut:
            leave_out_of_nav(files, trails)
        indexes = (
            paths.plans_index,
            paths.gates_index,
            paths.decision_log,
            paths.owners,
            paths.timeline,
            paths.problems,
        )
        return cls(trails, indexes, first=cut)

    def read(self, nav: Navigation, files: Files) -> None:
        """Note which plans and ADRs the built navigation lists; put the indexes first when
        they stand for the plans and ADRs."""
        listed = {page.file.src_uri for page in nav.pages}
        self.nav, self.files = nav, files
        self.outside = {src: trail for src, trail in self.trails.items() if src not in listed}
        if self.first:
            _indexes_first(nav, self.indexes)

    def _index(self, page: Page) -> tuple[Trail, Page] | None:
        """The trail of a page left out of the navigation, and its index's page."""
        trail = self.outside.get(page.file.src_uri)
        # By source path as MkDocs keys it (`get_file_from_path` normalises the path on each call).
        index = self.files.src_uris.get(trail.index) if trail is not None and self.files else None
        if trail is None or index is None or not isinstance(index.page, Page):
            return None
        return trail, index.page

    def breadcrumb(self, page: Page) -> str:
        """The breadcrumb shown above the title of a page left out of the navigation: the
        home page, if the site has one, and the page's index. Empty for other pages."""
        found = self._index(page)
        if found is None:
            return ""
        trail, index = found
        steps = []
        home = self.nav.homepage if self.nav is not None else None
        if home is not None and home.file.src_uri != trail.index:
            steps.append((home.title or "Home", home.url))
        steps.append((trail.title, index.url))
        return _crumbs(page.url, tuple(steps))

    def light(self, page: Page) -> None:
        """While a page left out of the navigation is rendered, its index is the sidebar's
        current entry (with the sections above it), as MkDocs marks a page in the navigation."""
        found = self._index(page)
        if found is not None and not found[1].active:
            found[1].active = True
            self._lit = found[1]

    def dim(self) -> None:
        """The index marked by `light` is no longer the current entry."""
        if self._lit is not None:
            self._lit.active = False
            self._lit = None


@functools.cache
def _crumbs(url: str, steps: tuple[tuple[str, str], ...]) -> str:
    """The breadcrumb of the page at `url`: a link to each step (title, URL). Kept for the
    next build, which under `mkdocs serve` shows the same on every page but the edited."""
    items = "".join(
        f'<li><a href="{html.escape(get_relative_url(there, url))}">{html.escape(title)}</a></li>'
        for title, there in steps
    )
    return f'<nav class="plans-crumbs" aria-label="Breadcrumb"><ol>{items}</ol></nav>\n'


def _indexes_first(nav: Navigation, indexes: tuple[str, ...]) -> None:
    """Move the top-level entries of the pages `indexes` (source paths) after the home page, in
    that order; MkDocs would sort them among the site's other pages by file name."""
    top: dict[str, Page] = {item.file.src_uri: item for item in nav.items if isinstance(item, Page)}
    chosen = [top[src] for src in indexes if src in top]
    rest = [item for item in nav.items if item not in chosen]
    at = 1 if rest and isinstance(rest[0], Page) and rest[0].is_homepage else 0
    nav.items[:] = [*rest[:at], *chosen, *rest[at:]]
    pages = list(_pages(nav.items))
    nav.pages[:] = pages
    for before, page, after in zip([None, *pages[:-1]], pages, [*pages[1:], None]):
        page.previous_page, page.next_page = before, after


def _pages(items: Iterable[object]) -> Iterable[Page]:
    for item in items:
        if isinstance(item, Page):
            yield item
        elif getattr(item, "children", None):
            yield from _pages(item.children)  # type: ignore[attr-defined]
