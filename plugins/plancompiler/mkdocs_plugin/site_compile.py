"""The site's pages handed to the compiler, with what git says of them."""

from __future__ import annotations

import datetime
import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from plancompiler.compiler import Compiler, Result
from plancompiler.mkdocs_plugin.history import SiteHistory
from plancompiler.mkdocs_plugin.stat_cache import StatCache
from plancompiler.mkdocs_plugin.symlink_loops import drop_symlink_loops
from plancompiler.review.history import History


class SiteCompile:
    """Compiles the documentation pages MkDocs found; keeps, for `mkdocs serve`, which files
    are unchanged on disk and what git history said."""

    def __init__(self) -> None:
        self.stat_cache = StatCache()
        self.history = SiteHistory()

    def run(self, compiler: Compiler, files: Files, config: MkDocsConfig) -> tuple[Result, dict[str, File], History]:
        """The compiled site, each page's file by the path diagnostics show, and the history."""
        base = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        loops = drop_symlink_loops(files, config.docs_dir, base)
        sources, by_path = self.stat_cache.sources(files, base, compiler.knows)
        docs = os.path.relpath(config.docs_dir, base).replace(os.sep, "/")
        today = compiler.options.time.today or datetime.date.today()
        history = self.history.read(base, docs, compiler.options, today)
        dates = self.history.dates(base, docs, history.head)
        result = compiler.compile(sources, dates=dates, loops=loops, history=lambda: history.traces, today=today)
        return result, by_path, history
