"""The `plans` MkDocs plugin: an adapter that feeds pages to the compiler, logs its findings
and adds what `plancompiler.emit` renders to the site.

The plugin only wires events; compilation is `plancompiler.compiler`, and every page,
graph and export is rendered by `plancompiler.emit`.
"""

from __future__ import annotations

import atexit
import datetime
import gc
import html
import json
import os
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from plancompiler.compiler import Compiler, Result, Source
from plancompiler.diagnostics import Diagnostic, Severity
from plancompiler.diagnostics.formats import text_line
from plancompiler.emit import decision_log, gates_index, owners, plans_index, problems, timeline
from plancompiler.emit.adr_page import adr_summary_key, numbered_heading, numbered_title, render_adr_summary
from plancompiler.emit.context import EmitContext, PagePaths
from plancompiler.emit.export import export_json
from plancompiler.emit.memo import Memo
from plancompiler.emit.plan_page import plan_summary_key, render_plan_summary
from plancompiler.emit.summary import Summary, place_summary
from plancompiler.front_end import digest
from plancompiler.link.prose import XrefResolver
from plancompiler.markdown.fences import ViewsExtension
from plancompiler.markdown.view_html import ViewSite, render_block
from plancompiler.markdown.views import block_line, view_blocks
from plancompiler.markdown_ext.xrefs import XrefExtension
from plancompiler.mkdocs_plugin.config import PlansConfig
from plancompiler.mkdocs_plugin.navigation import Whereabouts
from plancompiler.mkdocs_plugin.refresh import Refresh
from plancompiler.model import Adr, Plan
from plancompiler.parse.document import page_body, symlink_loops
from plancompiler.review.git import GitError, last_commit_dates
from plancompiler.review.history import NOT_IN_GIT, History, HistoryReader
from plancompiler.settings import SettingsError, options_from_mapping
from plancompiler.validate.schemas import SchemaError

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "emit" / "assets"
CSS_URI = "assets/plancompiler/plans.css"
MERMAID_URI = "assets/plancompiler/mermaid.min.js"
PANZOOM_URI = "assets/plancompiler/panzoom.min.js"
SCRIPT_URI = "assets/plancompiler/plans.js"
EXTENSION = "plancompiler.markdown"
"""The Markdown extension's name in mkdocs.yml (for site engines without plugins)."""

# Where a plan's or ADR's card, or a generated page's body, goes in its Markdown, and where
# a plan's detail goes; replaced by their HTML.
SLOT = '<div class="plans-summary-slot"></div>'
DETAIL_SLOT = '<div class="plans-detail-slot"></div>'
_SLOT_BLOCK = f"\n{SLOT}\n"
_DETAIL_BLOCK = f"\n{DETAIL_SLOT}\n"
# Generated pages that are one wide table: the table takes the table of contents' room.
_NO_TOC = "---\nhide: [toc]\n---\n"

# A file is taken as unchanged when its size, times and inode are those it had when it was
# read, and it had been last written at least this long before (in nanoseconds): a file system
# whose clock ticks coarser than that could show a later write with the same time.
_SETTLED_NS = 2_000_000_000

_FREEZE_AT_EXIT = False

# Front-matter keys MkDocs and mkdocs-material act on; everything else stays with the compiler.
_PAGE_KEYS = ("hide", "tags", "template", "description", "icon", "search", "subtitle", "comments")


class PlansPlugin(BasePlugin[PlansConfig]):
    """Compiles every plan and ADR of the site; fails a strict build on any error."""

    def __init__(self) -> None:
        self.compiler: Compiler | None = None
        self.result: Result | None = None
        self.context: EmitContext | None = None
        self.xrefs = XrefExtension()
        self.views = ViewsExtension()
        self.view_ids: tuple[str, ...] = ()
        """The anchors of the views on the page being rendered."""
        self.source_paths: dict[str, str] = {}
        """Each page's file path as diagnostics show it, by source path."""
        self.errors = 0
        self.by_rel: dict[str, Plan | Adr] = {}
        self.memo = Memo()
        """What the last build rendered, for `mkdocs serve` to render again only what changed."""
        self.on_disk: dict[str, tuple[tuple[int, ...], bytes]] = {}
        """Each Markdown file read by the last build, by path: its `os.stat` figures and its
        content's digest, while it stays settled (`_SETTLED_NS`)."""
        self.summaries: dict[str, Summary] = {}
        """This build's summaries by page source path."""
        self.summary_context: EmitContext | None = None
        self.generated: dict[str, Callable[[EmitContext, Memo], Summary]] = {}
        """What renders the body of each generated page, by source path: rendered when MkDocs
        reaches the page (every page's URL is final then) and put in where its Markdown has
        the slot."""
        self.due: dict[str, tuple[tuple[object, ...], Summary | None]] = {}
        """Each plan's and ADR's summary key and, when the last build made it for that key, the
        summary, by source path: worked out for the whole site in one go (page by page, between
        MkDocs' own work, the same look-ups take several times as long)."""
        self.placed: dict[str, tuple[str, str]] = {}
        """For each plan and ADR page, the Markdown MkDocs is expected to hand over (its body)
        and that Markdown with the summary's slot in place: made once per version of the
        body, while the summary's place is looked for page by page otherwise."""
        self.for_search: dict[str, tuple[str, str]] = {}
        """A page's content with its summary, and with the summary's search text instead,
        between `on_page_content` and the search index (`on_page_context`)."""
        self.history_reader: HistoryReader | None = None
        """Reads git history; it keeps what the commits say while HEAD stays, for `mkdocs serve`."""
        self.script_tags: dict[tuple[str, bool, str], str] = {}
        """The `<script>` tags by Mermaid's source, whether the page draws graphs, and page URL
        (they point at the scripts relative to the page)."""
        self.found: tuple[problems.FileProblems, ...] = ()
        """This build's diagnostics by file, for the Problems page and `view: problems`."""
        self.problems: dict[str, problems.FileProblems] = {}
        """This build's diagnostics by the page (source path) of the file they are in."""
        # Options read for every page; reading them from `self.config` costs more than the rest.
        self.summary_mode = "top"
        self.mermaid = "bundled"
        self.whereabouts = Whereabouts({})
        """Which plan and ADR pages the navigation leaves out, and their way back to an index."""
        self.refresh = Refresh(self.xrefs.target)
        """Under `mkdocs serve`, what each page's conversion and template made in the last build."""
        self.command = "build"

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup keeps this instance alive across `mkdocs serve` rebuilds,
        # and with it the compiler's parse cache.
        self.command = command
        # When the process ends, Python's exit would walk everything still alive (the model,
        # every page and its navigation) with its cyclic collector, to free memory the
        # system takes back anyway: a tenth of a second after `mkdocs build` of 100 plans.
        # Frozen objects are left out of that walk; freezing at exit, not after the build,
        # leaves a process that builds again and again to collect as usual.
        global _FREEZE_AT_EXIT
        if not _FREEZE_AT_EXIT:
            _FREEZE_AT_EXIT = True
            atexit.register(gc.freeze)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        try:
            options = options_from_mapping(
                {
                    "adr_dirs": self.config.adr_dirs,
                    "adr_status_aliases": self.config.adr_status_aliases,
                    "severity": self.config.severity,
                    "schemas": self.config.schemas,
                    "calendar": self.config.calendar,
                    "today": self.config.today,
                    "stale_after": self.config.stale_after,
                },
                os.path.dirname(config.config_file_path or "."),
            )
        except SettingsError as exc:
            raise PluginError(f"plans: {exc}") from None
        paths = [
            self.config.gates_index,
            self.config.plans_index,
            self.config.decision_log,
            self.config.owners,
            self.config.problems,
            self.config.timeline,
        ]
        for value in paths:
            if not value.endswith(".md") or value.startswith(("/", "..")):
                raise PluginError(f"plans: generated page path {value!r} must be a .md path inside the docs folder")
        if len(set(paths)) != len(paths):
            raise PluginError(
                "plans: gates_index, plans_index, decision_log, owners, problems and timeline must be different paths"
            )
        if self.compiler is None or self.compiler.options != options:
            try:
                self.compiler = Compiler(options)
            except SchemaError as exc:
                raise PluginError(f"plans: {exc}") from None
        self.summary_mode, self.mermaid = self.config.summary, self.config.mermaid
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if self.xrefs not in config.markdown_extensions:
            config.markdown_extensions.append(self.xrefs)  # type: ignore[arg-type]
        # The plugin does what the Markdown extension does, and more: one of them runs.
        if EXTENSION in config.markdown_extensions:
            config.markdown_extensions.remove(EXTENSION)
            config.mdx_configs.pop(EXTENSION, None)
        if self.views not in config.markdown_extensions:
            config.markdown_extensions.append(self.views)  # type: ignore[arg-type]
        return config

    # Run after plugins that generate pages (mkdocs-gen-files and the like), so that their
    # plans are compiled too.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.compiler is not None
        base = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        # MkDocs follows folder links; one that points back up repeats the tree until the
        # system refuses, and the build dies copying those files. Leave them out.
        loops = symlink_loops(config.docs_dir)
        if loops:
            inside = tuple(link + os.sep for link, _ in loops)
            for file in [f for f in files if f.abs_src_path and f.abs_src_path.startswith(inside)]:
                files.remove(file)
        sources = []
        by_path: dict[str, File] = {}
        under_base = base + os.sep
        on_disk, self.on_disk = self.on_disk, {}
        for file in files.documentation_pages():
            path = file.abs_src_path or file.src_uri
            if file.abs_src_path:
                # The prefix is cut off directly: os.path.relpath costs more than the rest of the loop.
                path = path[len(under_base) :] if path.startswith(under_base) else os.path.relpath(path, base)
                path = path.replace(os.sep, "/")
            sources.append(self._source(file, path, on_disk))
            by_path[path] = file
            self.source_paths[file.src_uri] = path
        memo = self.memo
        memo.new_build()
        self.summaries.clear()
        self.for_search.clear()
        # One `git log` per build gives every plan its default `updated` date.
        docs = os.path.relpath(config.docs_dir, base).replace(os.sep, "/")
        dates = last_commit_dates(Path(base), docs)
        if dates.note:  # shown by `mkdocs build --verbose`, as `plans --verbose` shows it
            log.debug(f"plans: {dates.note}")
        shown = [(_shown(link, base), _shown(target, base)) for link, target in loops]
        today = self.compiler.options.time.today or datetime.date.today()
        history = self._history(base, docs, today)
        result = self.result = self.compiler.compile(
            sources, dates=dates.by_path, loops=shown, history=lambda: history.traces, today=today
        )
        self._log(result)
        for path, doc in result.documents.items():
            _hand_safe_source(by_path[path], memo, doc.kind, doc.data, doc.body)
        pages = {path: file.src_uri for path, file in by_path.items()}
        found = problems.gather(result.diagnostics, pages, result.documents)
        self.problems = {f.page: f for f in found if f.page is not None}
        self.found = found

        paths = PagePaths(
            self.config.gates_index,
            self.config.plans_index,
            self.config.decision_log,
            self.config.export,
            self.config.owners,
            self.config.problems,
            self.config.timeline,
        )
        context = self.context = EmitContext(result.project, paths, result.project.pages, history=history)
        self.by_rel = {p.rel: p for p in result.project.plans.values()}
        self.by_rel.update({a.rel: a for a in result.project.adrs.values()})
        self.xrefs.resolver = XrefResolver(
            result.project.plans,
            result.project.adrs,
            result.project.gates,
            paths.gates_index,
            result.project.links.adrs,
        )
        # A generated page's Markdown is its title; its body, tables of every gate, plan or ADR,
        # is written as HTML and put in after Markdown (`on_page_content`).
        generated: dict[str, tuple[str, Callable[[EmitContext, Memo], Summary], str]] = {
            paths.gates_index: (gates_index.TITLE, gates_index.render_gates_index, ""),
            paths.plans_index: (plans_index.TITLE, plans_index.render_plans_index, _NO_TOC),
            paths.decision_log: (decision_log.TITLE, decision_log.render_decision_log, _NO_TOC),
            paths.owners: (owners.TITLE, owners.render_owners, ""),
            paths.problems: (problems.TITLE, partial(_render_problems, found), _NO_TOC),
            paths.timeline: (timeline.TITLE, timeline.render_timeline, _NO_TOC),
        }
        for uri, (title, _, front) in list(generated.items()):
            written = files.get_file_from_path(uri)
            if written is not None and view_blocks(page_body(written.content_string)[0]):
                del generated[uri]  # the page the author wrote shows the view itself
                continue
            if written is not None:
                raise PluginError(
                    f"plans: {uri} already exists in the docs folder; choose another path for the"
                    " generated page in the plugin's options"
                )
            files.append(File.generated(config, uri, content=f"{front}# {title}\n\n{SLOT}\n"))
        export = export_json(result.project, result.diagnostics, memo, history)
        files.append(File.generated(config, paths.export, content=export))
        for uri, name in ((CSS_URI, "plans.css"), (SCRIPT_URI, "plans.js"), (PANZOOM_URI, "panzoom.min.js")):
            files.append(File.generated(config, uri, abs_src_path=str(ASSETS / name)))
        if self.mermaid == "bundled":
            files.append(File.generated(config, MERMAID_URI, abs_src_path=str(ASSETS / "mermaid.min.js")))
        self.whereabouts = Whereabouts.of_site(
            files, self.by_rel, paths, self.config.nav_plans, self.config.nav_plans_limit, config.nav is not None
        )
        self.summary_context = replace(context, html=True, urls=_RelativeUrls(files), urls_key=_where_pages_go(config))
        self.generated = {uri: render for uri, (_, render, _) in generated.items()}
        self.due, self.placed = {}, {}
        if self.summary_mode != "off":
            self.due = self._summaries_due(config)
            for src, target in self.by_rel.items():
                key = (_shown_body(target), self.summary_mode, isinstance(target, Plan))
                self.placed[src] = memo.get(("placed", src), key, partial(_placed, *key))
        self.refresh.start(self.command == "serve", config, files, lambda: self.xrefs.used, self._has_views)
        return files

    def _history(self, base: str, docs: str, today: datetime.date) -> History:
        """The plans' git history: one pass over the docs folder's commits, then the changes not
        yet committed."""
        assert self.compiler is not None
        options = self.compiler.options
        where = (Path(base), docs, options.adr_dirs, options.schema_dir)
        reader = self.history_reader
        if reader is None or (reader.root, reader.folder, reader.adr_dirs, reader.schema_dir) != where:
            reader = self.history_reader = HistoryReader(*where)
        try:
            found = reader.read(today)
        except GitError as exc:
            found = History(note=f"git could not read the history: {exc}")
        # Outside git, the note on dates has said so already.
        if found.note and not found.note.startswith(NOT_IN_GIT):
            log.info(f"plans: {found.note}")
        return found

    def _source(self, file: File, path: str, on_disk: dict[str, tuple[tuple[int, ...], bytes]]) -> Source:
        """The page as the compiler takes it. Under `mkdocs serve` every page is handed over
        again after each edit: a file unchanged on disk since the last build is handed over by
        its digest, without reading it again."""
        where = file.abs_src_path
        # Only a file MkDocs would read from disk: not one generated, nor one whose content
        # another plugin has set.
        if not where or file.generated_by or getattr(file, "_content", b"") is not None:
            return Source(path, file.src_uri, file.content_bytes)
        try:
            before = time.time_ns()
            found = os.stat(where)
        except OSError:
            return Source(path, file.src_uri, file.content_bytes)  # MkDocs reports it
        seen = (found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino, found.st_dev)
        known = on_disk.get(where)
        if known is not None and known[0] == seen:
            source = Source(path, file.src_uri, b"", known[1])
            if self.compiler is not None and self.compiler.knows(source):
                self.on_disk[where] = known
                return source
        content = file.content_bytes
        key = digest(content)
        if max(found.st_mtime_ns, found.st_ctime_ns) < before - _SETTLED_NS:
            self.on_disk[where] = (seen, key)
        return Source(path, file.src_uri, content, key)

    def _summaries_due(self, config: MkDocsConfig) -> dict[str, tuple[tuple[object, ...], Summary | None]]:
        """Each summary's key, and the summary when the last build made it for that key."""
        assert self.summary_context is not None
        ctx, memo = self.summary_context, self.memo
        # A summary's links are relative to its page: where pages go is in the key too.
        where = _where_pages_go(config)
        due: dict[str, tuple[tuple[object, ...], Summary | None]] = {}
        for src, target in self.by_rel.items():
            inputs = plan_summary_key(ctx, target) if isinstance(target, Plan) else adr_summary_key(ctx, target)
            key = (where, inputs)
            due[src] = (key, cast("Summary | None", memo.kept(("summary", src), key)))
        return due

    def _log(self, result: Result) -> None:
        self.errors = 0
        for d in result.diagnostics:
            self._report(d, result.documents)

    def _report(self, diagnostic: Diagnostic, documents: dict[str, Any] | None = None) -> None:
        """Log a diagnostic: an error as a warning on MkDocs' logger (`--strict` fails), and
        counted (`-q` hides it from MkDocs' count)."""
        if diagnostic.severity is Severity.ERROR:
            self.errors += 1
            log.warning(text_line(diagnostic, documents))
        else:
            log.info(text_line(diagnostic, documents))

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.whereabouts.read(nav, files)
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        return self.refresh.adopt(page)

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        assert self.whereabouts.nav is not None
        return self.refresh.plan(env, self.whereabouts.nav, files)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.xrefs.page_src = page.file.src_uri
        self.view_ids = ()
        self.views.render = partial(self._view, page.file) if "plans" in markdown else None
        if page.file.src_uri not in self.by_rel or self.summary_mode == "off":
            return markdown
        # The summary itself is HTML, put in after Markdown is done (on_page_content):
        # MkDocs would otherwise parse every task table of the site as Markdown.
        expected, placed = self.placed[page.file.src_uri]
        if markdown == expected:
            return placed
        detail = _DETAIL_BLOCK if isinstance(self.by_rel[page.file.src_uri], Plan) else ""
        return place_summary(markdown, _SLOT_BLOCK, detail, self.summary_mode)

    def _has_views(self, page: Page) -> bool:
        """Whether the page's Markdown, being converted, has view blocks (which read the model)."""
        return self.views.render is not None and bool(view_blocks(page.markdown or ""))

    def _view(self, file: File, body: str, number: int) -> str:
        """A view block of the page: its view, or its diagnostic (a warning in the log)."""
        assert self.summary_context is not None and self.compiler is not None and self.result is not None
        path = self.source_paths.get(file.src_uri, file.src_uri)
        doc = self.result.documents.get(path)
        where = (path, block_line(doc.text if doc is not None else file.content_string, number))
        site = ViewSite(self.summary_context, self.found, self.memo)
        view = render_block(site, file.src_uri, body, where, self.compiler.policy, self._report)
        self.view_ids += view.ids
        return view.html

    def on_page_content(self, html_out: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        html_out = self.whereabouts.breadcrumb(page) + html_out
        if self.view_ids and page.present_anchor_ids is not None:
            page.present_anchor_ids.update(self.view_ids)
        found = self.problems.get(src)
        if found is not None:
            html_out = self._with_problems(html_out, src, found)
        render = self.generated.get(src)
        at = html_out.find(SLOT) if render is not None or src in self.due else -1
        if at < 0:
            # Searched for in the page's content, not in the whole output page, whose
            # navigation alone can be larger than the content on a big site.
            if 'class="mermaid"' in html_out:
                return html_out + self._script_tags(page, graphs=True)
            if "data-plans-sort" in html_out:
                return html_out + self._script_tags(page, graphs=False)
            return html_out
        if render is not None:
            assert self.summary_context is not None
            summary = render(self.summary_context, self.memo)
        else:
            summary = self._summary(src)
            self.summaries[src] = summary
        head, tail = html_out[:at], html_out[at + len(SLOT) :]
        # A plan's detail goes where its slot is: after the prose, or at the page's marker.
        mid, detail_at = "", tail.find(DETAIL_SLOT)
        if detail_at >= 0:
            mid, tail = tail[:detail_at], tail[detail_at + len(DETAIL_SLOT) :]
        _add_to_toc(page, summary.sections, mid)
        # MkDocs checks links to anchors against the ids it saw while rendering Markdown;
        # the summary's ids (phases, tasks) arrive after that.
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(summary.ids)
        drawn = summary.mermaid or 'class="mermaid"' in head or 'class="mermaid"' in tail or 'class="mermaid"' in mid
        needs_script = drawn or "data-plans-sort" in summary.html
        script = self._script_tags(page, graphs=drawn) if needs_script else ""
        # One copy of the page for the summary and the script.
        full = "".join((head, summary.html, mid, summary.detail, tail, script))
        self.for_search[src] = (full, "".join((head, summary.search, mid, tail, script)))
        return full

    def _with_problems(self, html_out: str, src: str, found: problems.FileProblems) -> str:
        """The page's content with its own diagnostics at the top, under its title."""
        assert self.summary_context is not None
        shown = problems.render_page_problems(self.summary_context, src, found)
        end = html_out.find("</h1>")
        if end < 0:
            return shown + html_out
        end += len("</h1>")
        return html_out[:end] + shown + html_out[end:]

    # Search plugins (mkdocs-material's and MkDocs' own) index `page.content` in
    # `on_page_context` at the default priority. Just before them the page's content
    # holds its summary as `search_text` (headings, and the words under each), and just
    # after them the full summary again: reading the summary's tables and graph tag by
    # tag cost the search index more time than rendering the page.
    @event_priority(1)
    def _searchable_summary(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self.refresh.before_index(page)
        found = self.for_search.get(page.file.src_uri)
        if found is not None and page.content is found[0]:
            page.content = found[1]
        return context

    @event_priority(-1)
    def _full_summary(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self.refresh.after_index(page)
        found = self.for_search.pop(page.file.src_uri, None)
        if found is not None and page.content is found[1]:
            page.content = found[0]
        return context

    def _index_as_current(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self.whereabouts.light(page)
        return self.refresh.context(context, page)

    on_page_context = CombinedEvent(_searchable_summary, _index_as_current, _full_summary)

    # First of all `on_post_page` handlers: what the template wrote, as the next build's
    # template would write it again.
    @event_priority(100)
    def _written(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self.refresh.written(output, page)

    def _dim_index(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self.whereabouts.dim()
        return output

    on_post_page = CombinedEvent(_written, _dim_index)

    def _summary(self, src: str) -> Summary:
        """The summary of the page `src`: under `mkdocs serve` every page is rebuilt after each
        edit, and a summary whose inputs did not change is the one of the previous build."""
        key, summary = self.due[src]
        if summary is None:
            ctx, target = self.summary_context, self.by_rel[src]
            assert ctx is not None
            html_summary = (
                render_plan_summary(ctx, target) if isinstance(target, Plan) else render_adr_summary(ctx, target)
            )
            summary = self.memo.keep(("summary", src), key, Summary.of(html_summary))
        return summary

    def _script_tags(self, page: Page, graphs: bool) -> str:
        """The tags that load Mermaid (on a page with a diagram), Panzoom and plans.js (which
        sort tables and open graphs full size), put at the end of the page's content.

        Classic scripts there run before mkdocs-material's bundle (at the end of the body),
        which then finds a global `mermaid` instead of fetching one from a CDN, and renders
        each diagram through plans.js, which keeps it legible.
        """
        mermaid = MERMAID_URI if self.mermaid == "bundled" else self.mermaid
        tag = self.script_tags.get((mermaid, graphs, page.url))
        if tag is None:
            scripts = [mermaid] if graphs and self.mermaid != "off" else []
            scripts += [PANZOOM_URI, SCRIPT_URI] if graphs else [SCRIPT_URI]
            tags = []
            for src in scripts:
                shown = src
                if not urlsplit(src).scheme and not src.startswith("/"):
                    shown = get_relative_url(src, page.url)  # a path inside the site, seen from this page
                tags.append(f'<script src="{html.escape(shown)}"></script>')
            tag = self.script_tags[mermaid, graphs, page.url] = "\n" + "\n".join(tags) + "\n"
        return tag

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.config.schemas:
            server.watch(self.config.schemas)
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # `--strict -q` hides our warnings from MkDocs' own count; count them ourselves.
        if config.strict and self.errors:
            noun = "error" if self.errors == 1 else "errors"
            raise PluginError(
                f"plans: {self.errors} {noun} in plans and ADRs (listed above; `plans check` prints the same list)"
            )


def _placed(body: str, mode: str, plan: bool) -> tuple[str, str]:
    """The Markdown MkDocs hands over for a page whose source is a front matter and `body`,
    and that Markdown with the slots of the card and (for a plan) the detail in place."""
    expected = body.lstrip("\n")
    return expected, place_summary(expected, _SLOT_BLOCK, _DETAIL_BLOCK if plan else "", mode)


def _shown_body(target: Plan | Adr) -> str:
    """The body of a plan's or ADR's page as MkDocs gets it: an ADR's first heading carries
    its number."""
    return numbered_heading(target.body, target.id) if isinstance(target, Adr) else target.body


def _add_to_toc(page: Page, sections: tuple[tuple[str, str], ...], before: str = "") -> None:
    """The summary's sections join the page's table of contents, under its title: after the
    page's own headings that come before them (those whose ids are in `before`)."""
    if not sections:
        return
    links = [AnchorLink(title, anchor, 2) for anchor, title in sections]
    toc = page.toc.items if page.toc is not None else []
    under = toc[0].children if toc and toc[0].level == 1 else toc
    at = 0
    for i, item in enumerate(under):
        if f'id="{item.id}"' in before:
            at = i + 1
    under[at:at] = links


def _where_pages_go(config: MkDocsConfig) -> tuple[object, ...]:
    """What decides the URL of a page besides its path, for the keys of pieces kept between
    builds: the site (one process can build several, and MkDocs keeps this plugin between
    them) and `use_directory_urls`. A plugin that moves a page whose content did not change
    (a blog post given a new date) is not seen: restart `mkdocs serve` then."""
    return (config.config_file_path, config.use_directory_urls)


class _RelativeUrls:
    """The URL of the page `there` as seen from the page `here`, both named by source path;
    summaries link to the same pages again and again, and each pair is worked out once."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self.known: dict[tuple[str, str], str] = {}

    def __call__(self, here: str, there: str) -> str:
        try:
            return self.known[here, there]
        except KeyError:
            url = self.known[here, there] = get_relative_url(_url(self.files, there), _url(self.files, here))
            return url


def _url(files: Files, src: str) -> str:
    file = files.src_uris.get(src)
    if file is None or not file.is_documentation_page() or not file.inclusion.is_included():
        return src
    return file.url


def _render_problems(found: tuple[problems.FileProblems, ...], ctx: EmitContext, memo: Memo) -> Summary:
    return problems.render_problems(ctx, found, memo)


def _shown(path: str, base: str) -> str:
    return os.path.relpath(path, os.path.realpath(base)).replace(os.sep, "/")


def _hand_safe_source(file: File, memo: Memo, kind: str, data: dict[str, Any], body: str) -> None:
    """Give MkDocs the page's body under a front matter we wrote.

    MkDocs puts a page's `title` into the navigation of every page without escaping it, and
    swallows (or chokes on) YAML it cannot read; handing it an escaped title and only the
    page keys it acts on keeps both problems out of the site. An ADR's title and first
    heading carry its number (`ADR-0007: Title`), in the navigation and on its page.
    """
    meta: dict[str, Any] = {k: data[k] for k in _PAGE_KEYS if k in data}
    title = data.get("title")
    adr = data.get("id")
    if kind == "adr" and isinstance(adr, str):
        title = numbered_title(adr, title) if isinstance(title, str) else title
        body = numbered_heading(body, adr)
    source = memo.get(("source", file.src_uri), (body, title, meta), partial(_safe_source, meta, title, body))
    original = file.abs_src_path
    file.content_string = source
    file.abs_src_path = original  # keep edit links and file-based plugins working


def _safe_source(meta: dict[str, Any], title: object, body: str) -> str:
    if isinstance(title, str):
        meta = {**meta, "title": html.escape(title, quote=False)}
    if not meta:
        return body
    # JSON is YAML, and much quicker to write than a YAML dump of every page's keys.
    return "---\n" + json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n---\n" + body
