"""The `plans` MkDocs plugin: an adapter that feeds pages to the compiler and logs its findings.

The plugin only wires events. Compilation is `plancompiler.compiler`; everything the site
shows is rendered by `plancompiler.emit`.
"""

from __future__ import annotations

import html
import os
from typing import Any, Literal

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

from plancompiler.compiler import Compiler, Result, Source
from plancompiler.diagnostics import Severity
from plancompiler.diagnostics.formats import text_line
from plancompiler.mkdocs_plugin.config import PlansConfig
from plancompiler.settings import SettingsError, options_from_mapping
from plancompiler.validate.schemas import SchemaError

log = get_plugin_logger(__name__)

# Front-matter keys MkDocs and mkdocs-material act on; everything else stays with the compiler.
_PAGE_KEYS = ("hide", "tags", "template", "description", "icon", "search", "subtitle", "comments")


class PlansPlugin(BasePlugin[PlansConfig]):
    """Compiles every plan and ADR of the site; fails a strict build on any error."""

    def __init__(self) -> None:
        self.compiler: Compiler | None = None
        self.result: Result | None = None
        self.errors = 0

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
        if self.compiler is None or self.compiler.options != options:
            try:
                self.compiler = Compiler(options)
            except SchemaError as exc:
                raise PluginError(f"plans: {exc}") from None
        return config

    # Run after plugins that generate pages (mkdocs-gen-files and the like), so that their
    # plans are compiled too.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.compiler is not None
        base = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        sources = []
        by_path = {}
        for file in files.documentation_pages():
            path = (
                os.path.relpath(file.abs_src_path, base).replace(os.sep, "/")
                if file.abs_src_path
                else file.src_uri
            )
            sources.append(Source(path, file.src_uri, file.content_bytes))
            by_path[path] = file
        self.compiler.forget(sources)
        self.result = self.compiler.compile(sources)
        self.errors = 0
        for d in self.result.diagnostics:
            if d.severity is Severity.ERROR:
                self.errors += 1
                log.warning(text_line(d))
            else:
                log.info(text_line(d))
        for path, doc in self.result.documents.items():
            by_path[path].content_string = _page_source(doc.data, doc.body)
        return files

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.config.schemas:
            server.watch(self.config.schemas)
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # `--strict -q` hides our warnings from MkDocs' own count; count them ourselves.
        if config.strict and self.errors:
            noun = "error" if self.errors == 1 else "errors"
            raise PluginError(
                f"plans: {self.errors} {noun} in plans and ADRs (listed above; `plans check`"
                " prints the same list)"
            )


def _page_source(data: dict[str, Any], body: str) -> str:
    """What MkDocs reads for a plan or ADR page: its body under a front matter we wrote.

    MkDocs puts a page's `title` into the navigation of every page without escaping it, and
    swallows YAML errors; handing it a title we escaped, and only the page keys it acts on,
    keeps both problems out of the site.
    """
    meta: dict[str, Any] = {k: data[k] for k in _PAGE_KEYS if k in data}
    title = data.get("title")
    if isinstance(title, str):
        meta["title"] = html.escape(title, quote=False)
    if not meta:
        return body
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n" + body
