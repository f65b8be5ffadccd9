"""The `plans` MkDocs plugin: an adapter that feeds pages to the compiler, logs its findings
and adds what `plancompiler.emit` renders to the site.

The plugin only dispatches MkDocs' events to the collaborators that do the work, each in a
module named for it; compilation is `plancompiler.compiler`, and every page, graph and export
is rendered by `plancompiler.emit`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from plancompiler.compiler import Compiler
from plancompiler.emit import problems
from plancompiler.emit.context import EmitContext, PagePaths
from plancompiler.emit.export import export_json
from plancompiler.emit.memo import Memo
from plancompiler.emit.summary import Summary
from plancompiler.link.prose import XrefResolver
from plancompiler.markdown_ext.xrefs import XrefExtension
from plancompiler.mkdocs_plugin.assets import CSS_URI, ScriptTags, add_asset_files
from plancompiler.mkdocs_plugin.config import PlansConfig
from plancompiler.mkdocs_plugin.diagnostic_log import DiagnosticLog
from plancompiler.mkdocs_plugin.front_matter import hand_safe_source
from plancompiler.mkdocs_plugin.gc_pause import (
    collect_after_rebuild,
    freeze_at_exit,
    pause_during_rebuild,
    settle_after_first_serve_build,
)
from plancompiler.mkdocs_plugin.generated import Render, add_export, add_generated_pages
from plancompiler.mkdocs_plugin.navigation import Whereabouts
from plancompiler.mkdocs_plugin.options import compiler_options, page_paths
from plancompiler.mkdocs_plugin.page_content import Fills, draws_graphs, slot_at, with_problems
from plancompiler.mkdocs_plugin.page_hooks import PageHooks
from plancompiler.mkdocs_plugin.refresh import Refresh
from plancompiler.mkdocs_plugin.search_swap import SearchSwap
from plancompiler.mkdocs_plugin.site_compile import SiteCompile
from plancompiler.mkdocs_plugin.summaries import SLOT, PageSummaries
from plancompiler.mkdocs_plugin.urls import RelativeUrls, where_pages_go
from plancompiler.mkdocs_plugin.view_blocks import PageViews
from plancompiler.model import Adr, Plan
from plancompiler.validate.schemas import SchemaError


class PlansPlugin(PageHooks, BasePlugin[PlansConfig]):
    """Compiles every plan and ADR of the site; fails a strict build on any error."""

    def __init__(self) -> None:
        self.compiler: Compiler | None = None
        self.paths = PagePaths()
        self.xrefs = XrefExtension()
        self.diagnostics = DiagnosticLog()
        self.views = PageViews(self.diagnostics.report)
        self.memo = Memo()
        """What the last build rendered, for `mkdocs serve` to render again only what changed."""
        self.fills = Fills()
        self.site = SiteCompile()
        self.cards = PageSummaries()
        self.search = SearchSwap()
        self.scripts = ScriptTags()
        self.context: EmitContext | None = None  # the model as this build's pages render it
        self.generated: dict[str, Render] = {}  # what renders each generated page's body
        self.problems: dict[str, problems.FileProblems] = {}  # diagnostics by page source path
        self.mermaid = "bundled"  # read for every page: `self.config` costs more than the rest
        self.whereabouts = Whereabouts({})  # plan pages the navigation leaves out, their way back
        self.refresh = Refresh(self.xrefs.target)  # under `mkdocs serve`, what each page made last
        self.command = "build"

    @property
    def errors(self) -> int:
        """This build's errors so far."""
        return self.diagnostics.errors

    @property
    def summaries(self) -> dict[str, Summary]:
        """This build's plan and ADR summaries by page source path."""
        return self.cards.made

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup keeps this instance alive across `mkdocs serve` rebuilds,
        # and with it the compiler's parse cache.
        self.command = command
        freeze_at_exit()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if self.command == "serve":
            pause_during_rebuild()  # until on_post_build or on_build_error
        options = compiler_options(self.config, config.config_file_path)
        self.paths = page_paths(self.config)
        if self.compiler is None or self.compiler.options != options:
            try:
                self.compiler = Compiler(options)
            except SchemaError as exc:
                raise PluginError(f"plans: {exc}") from None
        self.mermaid = self.config.mermaid
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if self.xrefs not in config.markdown_extensions:
            config.markdown_extensions.append(self.xrefs)  # type: ignore[arg-type]
        self.views.configure(config)
        return config

    # Run after plugins that generate pages (mkdocs-gen-files and the like), so that their
    # plans are compiled too.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        compiler, memo, paths = self.compiler, self.memo, self.paths
        assert compiler is not None
        memo.new_build()
        self.fills.new_build(keeping=self.command == "serve")
        self.search.clear()
        result, by_path, history = self.site.run(compiler, files, config)
        self.diagnostics.compiled(result)
        for path, doc in result.documents.items():
            hand_safe_source(by_path[path], memo, doc.kind, doc.data, doc.body)
        pages = {path: file.src_uri for path, file in by_path.items()}
        found = problems.gather(result.diagnostics, pages, result.documents)
        self.problems = {f.page: f for f in found if f.page is not None}
        project = result.project
        self.xrefs.resolver = XrefResolver(
            project.plans, project.adrs, project.gates, paths.gates_index, project.links.adrs
        )
        self.generated = add_generated_pages(files, config, paths, found, SLOT)
        add_export(files, config, paths.export, export_json(project, result.diagnostics, memo, history))
        add_asset_files(files, config, self.mermaid)
        by_rel: dict[str, Plan | Adr] = {
            **{p.rel: p for p in project.plans.values()},
            **{a.rel: a for a in project.adrs.values()},
        }
        plans_nav = (self.config.nav_plans, self.config.nav_plans_limit, config.nav is not None)
        self.whereabouts = Whereabouts.of_site(files, by_rel, paths, *plans_nav)
        where = where_pages_go(config)
        context = EmitContext(project, paths, project.pages, history=history)
        self.context = replace(context, html=True, urls=RelativeUrls(files), urls_key=where)
        memo.compiled((project.links, project.schedule, project.pages), by_rel, keeping=self.command == "serve")
        self.cards.prepare(self.context, by_rel, self.config.summary, memo)
        source_paths = {file.src_uri: path for path, file in by_path.items()}
        self.views.new_build(source_paths, found, (self.context, result, compiler.policy, memo))
        self.refresh.start(self.command == "serve", config, files, lambda: self.xrefs.used, self.views.has_views)
        return files

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
        self.views.start_page(page, markdown)
        return self.cards.markdown(page.file.src_uri, markdown)

    def on_page_content(self, html_out: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src, ctx, converted = page.file.src_uri, self.context, html_out
        assert ctx is not None
        crumb = self.whereabouts.breadcrumb(page)
        self.views.mark_anchors(page)
        found, render = self.problems.get(src), self.generated.get(src)

        def scripts(graphs: bool) -> str:
            return self.scripts.for_page(page, graphs, self.mermaid)

        if found is None and render is None and src in self.cards.due:
            kept = self.fills.kept(page, converted, crumb, lambda: self.cards.summary(src, ctx, self.memo), scripts)
            if kept is not None:
                self.search.hold(src, *kept)
                return kept[0]
        html_out = crumb + html_out
        if found is not None:
            html_out = with_problems(html_out, ctx, src, found)
        at = slot_at(html_out) if render is not None or src in self.cards.due else -1
        if at < 0:  # a view block's graph or table needs the scripts too
            graphs = draws_graphs(html_out)
            return html_out + (scripts(graphs) if graphs or "data-plans-sort" in html_out else "")
        summary = render(ctx, self.memo) if render is not None else self.cards.summary(src, ctx, self.memo)
        full, searchable = self.fills.fill(page, converted, crumb, html_out, at, summary, scripts, found is None)
        self.search.hold(src, full, searchable)  # `full` is the very object the search swap looks for
        return full

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.refresh.set_aside(config.site_dir)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.config.schemas:
            server.watch(self.config.schemas)
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.command == "serve":
            settle_after_first_serve_build()
            collect_after_rebuild()
        self.diagnostics.fail_strict_build(config.strict)

    def on_build_error(self, *, error: Exception) -> None:
        collect_after_rebuild()
