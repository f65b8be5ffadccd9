"""The `plans` MkDocs plugin: an adapter that feeds pages to the compiler, logs its findings
and adds what `plancompiler.emit` renders to the site.

The plugin only wires events; compilation is `plancompiler.compiler`, and every page,
graph and export is rendered by `plancompiler.emit`.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from plancompiler.compiler import Compiler, Result, Source
from plancompiler.diagnostics import Severity
from plancompiler.diagnostics.formats import text_line
from plancompiler.emit.adr_page import adr_summary_key, render_adr_summary
from plancompiler.emit.context import EmitContext, PagePaths
from plancompiler.emit.decision_log import render_decision_log
from plancompiler.emit.export import export_json
from plancompiler.emit.gates_index import render_gates_index
from plancompiler.emit.plan_page import SECTIONS, plan_summary_key, render_plan_summary
from plancompiler.emit.plans_index import render_plans_index
from plancompiler.emit.summary import place_summary
from plancompiler.link.prose import XrefResolver
from plancompiler.markdown_ext.xrefs import XrefExtension
from plancompiler.mkdocs_plugin.config import PlansConfig
from plancompiler.model import Adr, Plan
from plancompiler.parse.document import symlink_loops
from plancompiler.review.git import last_commit_dates
from plancompiler.settings import SettingsError, options_from_mapping
from plancompiler.validate.schemas import SchemaError

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "emit" / "assets"
CSS_URI = "assets/plancompiler/plans.css"
MERMAID_URI = "assets/plancompiler/mermaid.min.js"

# Front-matter keys MkDocs and mkdocs-material act on; everything else stays with the compiler.
# Where a plan's or ADR's summary goes in its Markdown; replaced by the summary's HTML.
SLOT = '<div class="plans-summary-slot"></div>'

_IDS = re.compile(r' id="([^"]+)"')

_PAGE_KEYS = ("hide", "tags", "template", "description", "icon", "search", "subtitle", "comments")


class PlansPlugin(BasePlugin[PlansConfig]):
    """Compiles every plan and ADR of the site; fails a strict build on any error."""

    def __init__(self) -> None:
        self.compiler: Compiler | None = None
        self.result: Result | None = None
        self.context: EmitContext | None = None
        self.xrefs = XrefExtension()
        self.errors = 0
        self.by_rel: dict[str, Plan | Adr] = {}
        self.summaries: dict[str, tuple[tuple[object, ...], str]] = {}
        self.summary_context: EmitContext | None = None
        self.mermaid_pages: set[str] = set()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup keeps this instance alive across `mkdocs serve` rebuilds,
        # and with it the compiler's parse cache.
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        try:
            options = options_from_mapping(
                {
                    "adr_dirs": self.config.adr_dirs,
                    "severity": self.config.severity,
                    "schemas": self.config.schemas,
                },
                os.path.dirname(config.config_file_path or "."),
            )
        except SettingsError as exc:
            raise PluginError(f"plans: {exc}") from None
        paths = [self.config.gates_index, self.config.plans_index, self.config.decision_log]
        for value in paths:
            if not value.endswith(".md") or value.startswith(("/", "..")):
                raise PluginError(f"plans: generated page path {value!r} must be a .md path inside the docs folder")
        if len(set(paths)) != len(paths):
            raise PluginError("plans: gates_index, plans_index and decision_log must be different paths")
        if self.compiler is None or self.compiler.options != options:
            try:
                self.compiler = Compiler(options)
            except SchemaError as exc:
                raise PluginError(f"plans: {exc}") from None
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if self.xrefs not in config.markdown_extensions:
            config.markdown_extensions.append(self.xrefs)  # type: ignore[arg-type]
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
        for file in files.documentation_pages():
            path = os.path.relpath(file.abs_src_path, base).replace(os.sep, "/") if file.abs_src_path else file.src_uri
            sources.append(Source(path, file.src_uri, file.content_bytes))
            by_path[path] = file
        self.compiler.forget(sources)
        self.mermaid_pages.clear()
        # One `git log` per build gives every plan its default `updated` date.
        docs = os.path.relpath(config.docs_dir, base).replace(os.sep, "/")
        dates = last_commit_dates(Path(base), docs)
        if dates.note:
            log.info(f"plans: {dates.note}")
        shown = [(_shown(link, base), _shown(target, base)) for link, target in loops]
        result = self.result = self.compiler.compile(sources, dates=dates.by_path, loops=shown)
        self._log(result)
        for path, doc in result.documents.items():
            _hand_safe_source(by_path[path], doc.data, doc.body)

        paths = PagePaths(
            self.config.gates_index, self.config.plans_index, self.config.decision_log, self.config.export
        )
        context = self.context = EmitContext(result.project, paths, result.project.pages)
        self.by_rel = {p.rel: p for p in result.project.plans.values()}
        self.by_rel.update({a.rel: a for a in result.project.adrs.values()})
        self.xrefs.resolver = XrefResolver(
            result.project.plans, result.project.adrs, result.project.gates, paths.gates_index
        )
        generated = {
            paths.gates_index: render_gates_index(context),
            paths.plans_index: render_plans_index(context),
            paths.decision_log: render_decision_log(context),
        }
        for uri, content in generated.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(
                    f"plans: {uri} already exists in the docs folder; choose another path for the"
                    " generated page in the plugin's options"
                )
            files.append(File.generated(config, uri, content=content))
        files.append(File.generated(config, paths.export, content=export_json(result.project, result.diagnostics)))
        files.append(File.generated(config, CSS_URI, abs_src_path=str(ASSETS / "plans.css")))
        if self.config.mermaid == "bundled":
            files.append(File.generated(config, MERMAID_URI, abs_src_path=str(ASSETS / "mermaid.min.js")))
        urls = {f.src_uri: f.url for f in files.documentation_pages()}
        self.summary_context = replace(
            context, html=True, urls=lambda here, there: get_relative_url(urls.get(there, there), urls.get(here, here))
        )
        return files

    def _log(self, result: Result) -> None:
        self.errors = 0
        for d in result.diagnostics:
            if d.severity is Severity.ERROR:
                self.errors += 1
                log.warning(text_line(d))
            else:
                log.info(text_line(d))

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.xrefs.page_src = page.file.src_uri
        if page.file.src_uri not in self.by_rel or self.config.summary == "off":
            return markdown
        # The summary itself is HTML, put in after Markdown is done (on_page_content):
        # MkDocs would otherwise parse every task table of the site as Markdown.
        return place_summary(markdown, f"\n{SLOT}\n", self.config.summary)

    def on_page_content(self, html_out: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        html_out = self._with_summary(html_out, page)
        # Noted here, on the page's content, rather than searched for in the whole output
        # page, whose navigation alone can be larger than the content on a big site.
        if 'class="mermaid"' in html_out:
            self.mermaid_pages.add(page.file.src_uri)
        return html_out

    def _with_summary(self, html_out: str, page: Page) -> str:
        target = self.by_rel.get(page.file.src_uri)
        if target is None or SLOT not in html_out or self.summary_context is None:
            return html_out
        # Under `mkdocs serve` every page is rebuilt after each edit; a summary whose inputs
        # did not change is taken from the previous build.
        ctx = self.summary_context
        if isinstance(target, Plan):
            key: tuple[object, ...] = (page.url, plan_summary_key(ctx, target))
            cached = self.summaries.get(page.file.src_uri)
            summary = cached[1] if cached is not None and cached[0] == key else render_plan_summary(ctx, target)
        else:
            key = (page.url, adr_summary_key(ctx, target))
            cached = self.summaries.get(page.file.src_uri)
            summary = cached[1] if cached is not None and cached[0] == key else render_adr_summary(ctx, target)
        self.summaries[page.file.src_uri] = (key, summary)
        _add_to_toc(page, summary)
        # MkDocs checks links to anchors against the ids it saw while rendering Markdown;
        # the summary's ids (phases, tasks) arrive after that.
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(_IDS.findall(summary))
        return html_out.replace(SLOT, summary, 1)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.config.mermaid == "off" or page.file.src_uri not in self.mermaid_pages:
            return output
        src = MERMAID_URI if self.config.mermaid == "bundled" else self.config.mermaid
        if not urlsplit(src).scheme and not src.startswith("/"):
            src = get_relative_url(src, page.url)  # a path inside the site, seen from this page
        # Loaded in <head>, before mkdocs-material's bundle looks for a global `mermaid`
        # and would otherwise fetch one from a CDN.
        tag = f'<script src="{html.escape(src)}"></script>'
        return output.replace("</head>", tag + "\n</head>", 1)

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


def _add_to_toc(page: Page, summary: str) -> None:
    """The summary's sections join the page's table of contents, under its title."""
    links = [AnchorLink(title, anchor, 2) for anchor, title in SECTIONS.items() if f'id="{anchor}"' in summary]
    if not links:
        return
    toc = page.toc.items if page.toc is not None else []
    if toc and toc[0].level == 1:
        toc[0].children[:0] = links
    else:
        toc[:0] = links


def _shown(path: str, base: str) -> str:
    return os.path.relpath(path, os.path.realpath(base)).replace(os.sep, "/")


def _hand_safe_source(file: File, data: dict[str, Any], body: str) -> None:
    """Give MkDocs the page's body under a front matter we wrote.

    MkDocs puts a page's `title` into the navigation of every page without escaping it, and
    swallows (or chokes on) YAML it cannot read; handing it an escaped title and only the
    page keys it acts on keeps both problems out of the site.
    """
    meta: dict[str, Any] = {k: data[k] for k in _PAGE_KEYS if k in data}
    title = data.get("title")
    if isinstance(title, str):
        meta["title"] = html.escape(title, quote=False)
    source = body
    if meta:
        # JSON is YAML, and much quicker to write than a YAML dump of every page's keys.
        source = "---\n" + json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n---\n" + body
    original = file.abs_src_path
    file.content_string = source
    file.abs_src_path = original  # keep edit links and file-based plugins working
