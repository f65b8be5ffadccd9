"""Under `mkdocs serve`, a rebuild after an edit renders again only the pages the edit can
affect.

MkDocs builds a page in two steps, and a rebuild runs both for every page: it converts the
page's Markdown to HTML (`Page.render`), then renders the theme's template around it, with
the whole navigation (`_build_page`), which on a large site is most of a build. MkDocs' own
`--dirty` skips both for a file older than its output, but then leaves the skipped pages
out of the search index, shows file names for their titles in the navigation of the pages
it does build, and misses every page whose output another file decides (a summary, a
backlink, a cross-reference's title). So this module keeps, for each page, what each step
made in the last build and everything that step read, and skips a step when all of it is
the same again:

- the conversion reads the page's Markdown (after every plugin's `on_page_markdown`: the
  summary's place, the title the plugin hands over), the site's files and their URLs (links
  between pages), the configuration, and the records its cross-references name
  (`XrefExtension.used`). Its content, table of contents, title, anchors and warnings are
  then those of the last build; the page's `on_page_content` handlers run as usual (the
  summary, read from the records, goes in there). A page with view blocks (```` ```plans
  ````), which read the whole model while its Markdown is converted, is converted every time.
- the template reads the page's final content, table of contents, metadata and title, the
  whole navigation (every entry's title, URL and metadata), the configuration and the day
  of the build. Where all are the same, the template is the one-line `CARRIED_TEMPLATE`,
  which writes out what the theme wrote last time; the search index, the sitemap and every
  `on_page_context` and `on_post_page` handler still see the page as before. With
  mkdocs-material's search, whose index is most of what is left of a rebuild (it reads
  every page's HTML again), the page is marked `search: exclude` for it and its entries
  are those it made last time, put in at the same place.
- reading a page's front matter (YAML) is skipped too when its source is the same.
- writing a page is skipped when its file already holds what it would write. MkDocs
  empties the site folder before each build (leaving hidden entries alone) and writes every
  page again, which on a large site is most of a rebuild's time; so before that the last
  build's output is moved into a hidden folder (`set_aside`), and moved back once the files
  are known (`start`) when the site's files and configuration are those of the last build,
  or else removed (a page gone or moved, the configuration changed: everything is written).
  A carried page whose output is its template's (no `on_post_page` handler changed it, now
  or last time) then hands MkDocs an empty output, which MkDocs does not write.

So an edit renders again the changed page; every page whose summary, backlinks or
cross-reference titles read the changed record (their content changed); the generated
pages, when what they list changed; and every page when the navigation changed (a title it
shows, a file added or removed, the configuration). `mkdocs build` keeps nothing.
A Markdown extension that reads other files (`pymdownx.snippets`) turns the first step off.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_build_date, meta

CARRIED_TEMPLATE = "plancompiler/carried.html"
# Where the last build's output waits, in the site folder, while MkDocs empties it.
_SET_ASIDE = ".plans-last-build"
_CARRIED = "plans_carried"
# Extensions whose HTML depends on files other than the page: a page using them is converted
# every time.
_READ_OTHER_FILES = ("pymdownx.snippets", "markdown_include", "mdx_include")

Toc = tuple[tuple[str, str, int, bool, "Toc"], ...]


@dataclass(frozen=True, slots=True)
class _Converted:
    """What `Page.render` made of a page, and what decided it."""

    key: tuple[object, ...]
    xrefs: tuple[tuple[str, object], ...]
    """The cross-references the Markdown resolved, and what each showed."""
    content: str
    toc: Toc
    title: str | None
    anchors: frozenset[str] | None
    links: Any
    logged: tuple[logging.LogRecord, ...]


class _Capture(logging.Handler):
    """Keeps the records logged while a page is converted, to log them again when the
    conversion is taken from the last build (a strict build counts them)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Refresh:
    """What the last build converted and rendered, page by page (see the module's doc).

    `resolved` gives, for a page's cross-reference labels, what each resolves to now.
    """

    def __init__(self, resolved: Callable[[str], object]) -> None:
        self.resolved = resolved
        self.active = False
        self.converted: dict[str, _Converted] = {}
        self.rendered: dict[str, tuple[tuple[object, ...], str]] = {}
        self.site_key: tuple[object, ...] = ()
        self.convertible = True
        self.used: Callable[[], Mapping[str, object]] = dict
        self.reads_model: Callable[[Page], bool] = lambda page: False
        self._carried: dict[str, MutableMapping[str, Any]] = {}
        """This build's pages whose template is the last build's output, with their own metadata."""
        self._keys: dict[str, tuple[object, ...]] = {}
        self._nav_key: tuple[object, ...] = ()
        self.sources: dict[str, tuple[str, str, dict[str, Any]]] = {}
        """Each page's source, and its Markdown and metadata, as the last build read them."""
        self.indexed: dict[str, tuple[tuple[object, ...], list[dict[str, Any]]]] = {}
        """Each page's search entries (mkdocs-material's), and the template key they go with."""
        self._search: Any = None
        self._compiled = _CompiledTemplates()
        self._index_from = 0
        self.converted_now: list[str] = []
        """Source paths of the pages this build converted from Markdown."""
        self.rendered_now: list[str] = []
        """Source paths of the pages this build rendered with the theme's template."""
        self.written_to = ""
        """The site folder the last build wrote every page into (none: not known)."""
        self._aside: tuple[str, tuple[object, ...]] | None = None
        """The folder holding the last build's output while MkDocs cleans, and that build's key."""
        self._on_disk = False
        """Whether the site folder holds the last build's pages, as `as_written` describes them."""
        self.as_written: dict[str, bool] = {}
        """For each page, whether its file holds its template's output (`rendered`) as it is."""
        self.unwritten_now: set[str] = set()
        """Source paths of the pages whose file this build left as the last build wrote it."""

    def start(
        self,
        active: bool,
        config: MkDocsConfig,
        files: Files,
        used: Callable[[], Mapping[str, object]],
        reads_model: Callable[[Page], bool],
    ) -> None:
        """A build begins (`on_files`, once the files are final): note what every page's
        conversion reads from the site. `used` gives the labels the page being converted has
        resolved so far; `reads_model` whether the page's Markdown has view blocks."""
        self.active, self.used, self.reads_model = active, used, reads_model
        self.converted_now, self.rendered_now = [], []
        self.unwritten_now = _QUIET_SKIPS.pages = set()
        self._carried, self._keys = {}, {}
        self._on_disk, self.written_to = False, ""
        if not active:
            for kept in (self.converted, self.rendered, self.sources, self.indexed, self.as_written):
                kept.clear()
            self._take_back(config.site_dir, restore=False)
            return
        self._search = next(
            (
                plugin
                for plugin in config.plugins.values()
                if type(plugin).__module__.startswith("material.plugins.search")
                and isinstance(getattr(getattr(plugin, "search_index", None), "entries", None), list)
            ),
            None,
        )
        config_file = config.config_file_path
        try:
            with open(config_file or "", "rb") as stream:
                config_digest = hashlib.sha256(stream.read()).hexdigest()
        except OSError:
            config_digest = ""
        extensions = [str(e) for e in config.markdown_extensions]
        self.convertible = not any(name.startswith(_READ_OTHER_FILES) for name in extensions)
        site_key = (
            config_file,
            config_digest,
            config.site_url,
            config.use_directory_urls,
            repr(extensions),
            get_build_date(),
            tuple((f.src_uri, f.url, f.inclusion.value) for f in files),
        )
        # Every page's keys hold the site's: compared here once, the same object after, so
        # that comparing a page's key finds it the same at once rather than file by file.
        self.site_key = _same(site_key, self.site_key)
        present = set(files.src_uris)
        for kept in (self.converted, self.rendered, self.sources, self.indexed, self.as_written):
            for gone in [src for src in kept if src not in present]:
                del kept[gone]
        aside = self._aside
        self._on_disk = self._take_back(config.site_dir, restore=aside is not None and aside[1] == self.site_key)
        if not self._on_disk:
            self.as_written.clear()  # MkDocs emptied the folder: every page is written
        self.written_to = config.site_dir

    def set_aside(self, site_dir: str) -> None:
        """Before MkDocs empties the site folder (`on_pre_build`): move the last build's output
        where the emptying leaves it, a hidden folder inside."""
        self._take_back(site_dir, restore=False)  # what a build that failed early left there
        last, self.written_to = self.written_to, ""
        if not last or os.path.realpath(last) != os.path.realpath(site_dir):
            return
        aside = os.path.join(site_dir, _SET_ASIDE)
        try:
            os.mkdir(aside)
            for entry in os.listdir(site_dir):
                if not entry.startswith("."):
                    os.rename(os.path.join(site_dir, entry), os.path.join(aside, entry))
        except OSError:
            self._take_back(site_dir, restore=False)
            return
        self._aside = (aside, self.site_key)

    def _take_back(self, site_dir: str, restore: bool) -> bool:
        """Move the set-aside output back into the site folder (where nothing of this build
        is in its way yet), or remove it; whether the folder now holds it."""
        aside = os.path.join(site_dir, _SET_ASIDE)
        self._aside = None
        if not os.path.isdir(aside):
            return False
        if restore:
            try:
                entries = os.listdir(aside)
                if not any(os.path.lexists(os.path.join(site_dir, entry)) for entry in entries):
                    for entry in entries:
                        os.rename(os.path.join(aside, entry), os.path.join(site_dir, entry))
                    os.rmdir(aside)
                    return True
            except OSError:
                pass
        shutil.rmtree(aside, ignore_errors=True)
        return False

    def adopt(self, page: Page) -> Page:
        """Let this build take the page's conversion from the last (`on_pre_page`)."""
        if self.active and type(page) is Page:
            page.__class__ = _RememberingPage
            page._plans_refresh = self  # type: ignore[attr-defined]
        return page

    def read(self, page: Page, config: MkDocsConfig) -> None:
        """`Page.read_source`, with the front matter of the last build when the source is the same."""
        source = config.plugins.on_page_read_source(page=page, config=config)
        if source is None:
            try:
                source = page.file.content_string
            except (OSError, ValueError):
                Page.read_source(page, config)  # which reports the problem as MkDocs does
                return
        kept = self.sources.get(page.file.src_uri)
        if kept is None or kept[0] != source:
            markdown, found = meta.get_data(source)
            kept = self.sources[page.file.src_uri] = (source, markdown, found)
        # A copy: plugins may change a page's metadata in place.
        page.markdown, page.meta = kept[1], copy.deepcopy(kept[2])

    def convert(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """`Page.render`, or what it made in the last build when nothing it reads changed."""
        src = page.file.src_uri
        key = (page.markdown, page.file.url, self.site_key)
        kept = self.converted.get(src)
        if (
            self.convertible
            and kept is not None
            and not self.reads_model(page)
            and kept.key == key
            and all(self.resolved(label) == shown for label, shown in kept.xrefs)
        ):
            page.content = kept.content
            page.toc = TableOfContents(_toc(kept.toc))
            page._title_from_render = kept.title
            page.present_anchor_ids = set(kept.anchors) if kept.anchors is not None else None
            page.links_to_anchors = kept.links
            for record in kept.logged:
                logging.getLogger(record.name).handle(record)
            return
        capture = _Capture()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(capture)
        try:
            Page.render(page, config, files)
        finally:
            logger.removeHandler(capture)
        self.converted_now.append(src)
        anchors = page.present_anchor_ids
        self.converted[src] = _Converted(
            key,
            tuple(self.used().items()),
            page.content or "",
            toc_snapshot(page.toc),
            page._title_from_render,
            frozenset(anchors) if anchors is not None else None,
            page.links_to_anchors,
            tuple(capture.records),
        )

    def plan(self, env: jinja2.Environment, nav: Navigation, files: Files) -> jinja2.Environment:
        """Once every page is converted (`on_env`): the pages whose template would write what
        it wrote last time get `CARRIED_TEMPLATE`."""
        if not self.active:
            return env
        # The theme's templates are compiled again for each build's new environment; their
        # compiled code is kept between builds, by template and digest of its source.
        if env.bytecode_cache is None:
            env.bytecode_cache = self._compiled
        carried = jinja2.DictLoader({CARRIED_TEMPLATE: "{{ " + _CARRIED + " }}"})
        env.loader = jinja2.ChoiceLoader([env.loader, carried] if env.loader else [carried])
        shown = (_nav_key(nav.items), nav.homepage.url if nav.homepage else None)
        nav_key = self._nav_key = _same(shown, self._nav_key)
        for file in files.documentation_pages():
            page = file.page
            if page is None:
                continue
            src = file.src_uri
            kept = self.rendered.get(src)
            # The last build's table of contents where it is the same, which its key then
            # compares at once (a site's tables of contents take longer to copy than to compare).
            toc = kept[0][1] if kept is not None and toc_matches(page.toc, kept[0][1]) else toc_snapshot(page.toc)  # type: ignore[arg-type]
            key = self._keys[src] = (
                page.content,
                toc,
                _frozen(page.meta),
                page.title,
                page.url,
                page.edit_url,
                page.canonical_url,
                nav_key,
                self.site_key,
            )
            if kept is not None and kept[0] == key:
                self._carried[src] = page.meta
                page.meta = {**page.meta, "template": CARRIED_TEMPLATE}
                indexed = self.indexed.get(src)
                if self._search is not None and indexed is not None and indexed[0] == key:
                    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        return env

    def before_index(self, page: Page) -> None:
        """Just before the search plugins index the page (`on_page_context`)."""
        if self._search is not None:
            self._index_from = len(self._search.search_index.entries)

    def after_index(self, page: Page) -> None:
        """Just after the search plugins indexed the page: its entries, made now or kept."""
        if self._search is None:
            return
        src = page.file.src_uri
        entries = self._search.search_index.entries
        if src in self._carried and "search" in page.meta and page.meta["search"].get("exclude"):
            if not (self._carried[src].get("search") or {}).get("exclude"):
                entries.extend(self.indexed[src][1])  # the search plugin only writes them out
        elif src in self._keys:
            self.indexed[src] = (self._keys[src], entries[self._index_from :])

    def context(self, context: Any, page: Page) -> Any:
        """The last build's output for a carried page's template (`on_page_context`)."""
        if page.file.src_uri in self._carried:
            context[_CARRIED] = self.rendered[page.file.src_uri][1]
        return context

    def written(self, output: str, page: Page) -> str:
        """What the template wrote, kept for the next build (first of `on_post_page`)."""
        src = page.file.src_uri
        meta = self._carried.pop(src, None)
        if meta is not None:
            page.meta = meta
        elif self.active and src in self._keys:
            self.as_written.pop(src, None)  # until `unwritten` sees what is written
            # Marked safe once, as the next build's template takes it: `Markup` copies the text.
            self.rendered[src] = (self._keys[src], Markup(output))
            self.rendered_now.append(src)
        return output

    def unwritten(self, output: str, page: Page) -> str:
        """Last of `on_post_page`: an empty output, which MkDocs does not write, for a page
        whose file holds this output already."""
        src = page.file.src_uri
        kept = self.rendered.get(src)
        if not self.active or kept is None or src not in self._keys:
            return output
        as_rendered = output == kept[1]
        if as_rendered and self._on_disk and src not in self.rendered_now and self.as_written.get(src):
            self.unwritten_now.add(src)
            return ""
        self.as_written[src] = as_rendered
        return output


class _QuietSkips(logging.Filter):
    """MkDocs says that it skipped a page with an empty output: not for the pages whose file
    `Refresh.unwritten` left as it was."""

    _BEFORE, _AFTER = "Page skipped: '", "'. Generated empty output."

    def __init__(self) -> None:
        super().__init__()
        self.pages: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith(self._BEFORE) and message.endswith(self._AFTER):
            return message[len(self._BEFORE) : -len(self._AFTER)] not in self.pages
        return True


_QUIET_SKIPS = _QuietSkips()
logging.getLogger("mkdocs.commands.build").addFilter(_QUIET_SKIPS)


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's compiled templates, in memory, for the next build of the same process."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.kept.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # a source changed since is compiled again (its checksum)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.kept.clear()


class _RememberingPage(Page):
    """A page whose front matter and conversion may be the last build's (`Refresh.read`,
    `Refresh.convert`)."""

    def read_source(self, config: MkDocsConfig) -> None:
        self._plans_refresh.read(self, config)  # type: ignore[attr-defined]

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self._plans_refresh.convert(self, config, files)  # type: ignore[attr-defined]


def toc_snapshot(toc: Iterable[AnchorLink] | None) -> Toc:
    """A table of contents as plain values: each entry's title, id, level, whether it is the
    active one, and its children."""
    if not toc:
        return ()
    return tuple([(a.title, a.id, a.level, _active(a), toc_snapshot(a.children)) for a in toc])


def toc_matches(toc: Iterable[AnchorLink] | None, snapshot: Toc) -> bool:
    """Whether `toc` is what `snapshot` was taken of (`toc_snapshot(toc) == snapshot`, without
    taking another)."""
    items = list(toc) if toc else []
    if len(items) != len(snapshot):
        return False
    for link, (title, anchor_id, level, active, children) in zip(items, snapshot):
        if link.title != title or link.id != anchor_id or link.level != level or _active(link) != active:
            return False
        if (link.children or children) and not toc_matches(link.children, children):
            return False
    return True


def _active(link: AnchorLink) -> bool:
    """Whether a theme or plugin marked the entry as the active one (MkDocs itself does not:
    looking in the entry's attributes spares the exception a missing attribute costs)."""
    found = getattr(link, "__dict__", None)
    return bool(found.get("active", False) if found is not None else getattr(link, "active", False))


def _toc(snapshot: Toc) -> list[AnchorLink]:
    items = []
    for title, anchor_id, level, active, children in snapshot:
        link = AnchorLink(title, anchor_id, level)
        if active:
            link.active = True  # type: ignore[attr-defined]
        link.children = _toc(children)
        items.append(link)
    return items


def _same(key: tuple[object, ...], last: tuple[object, ...]) -> tuple[object, ...]:
    """The last build's key where it equals this build's."""
    return last if key == last else key


# One encoder for every page's metadata (`json.dumps` with options makes one per call).
_META = json.JSONEncoder(sort_keys=True, default=repr)


def _frozen(meta: Any) -> str:
    return _META.encode(meta)


def _nav_key(items: Iterable[object]) -> tuple[object, ...]:
    """What the navigation shows on every page: each entry's kind, title, URL and metadata."""
    found: list[object] = []
    for item in items:
        if isinstance(item, Page):
            found.append(("page", item.title, item.url, item.file.src_uri, _frozen(item.meta)))
        elif isinstance(item, Section):
            found.append(("section", item.title, _nav_key(item.children)))
        elif isinstance(item, Link):
            found.append(("link", item.title, item.url))
        else:
            found.append(("other", repr(item)))
    return tuple(found)
