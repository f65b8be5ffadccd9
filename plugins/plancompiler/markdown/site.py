"""The site as the Markdown extension sees it: where it is, its options, and its compiled model.

A site engine renders page after page through fresh Markdown instances and says nothing when
a build starts or ends. The docs folder is therefore compiled once and kept, by the folder's
listing (each file's size and times); a page rendered after a file changed (a rebuild under
`zensical serve`) compiles again, and the compiler's own cache parses only the files whose
content changed.
"""

from __future__ import annotations

import datetime
import logging
import os
import shutil
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from plancompiler.compiler import Compiler, Options, Result, Source
from plancompiler.diagnostics import Diagnostic, Severity, SeverityPolicy
from plancompiler.diagnostics.formats import text_line
from plancompiler.emit import problems
from plancompiler.emit.context import EmitContext, PagePaths
from plancompiler.emit.export import export_json
from plancompiler.emit.memo import Memo
from plancompiler.link.prose import XrefResolver
from plancompiler.model import Adr, Plan
from plancompiler.review.git import GitError, last_commit_dates
from plancompiler.review.history import History, HistoryReader
from plancompiler.settings import SettingsError, options_from_mapping, read_mkdocs_yml
from plancompiler.validate.schemas import SchemaError

log = logging.getLogger("plancompiler")

ASSETS = Path(__file__).resolve().parent.parent / "emit" / "assets"
ASSET_DIR = "assets/plancompiler"
"""Where the stylesheet and scripts go in the built site (the plugin uses the same place)."""
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")

OPTION_NAMES = (
    "adr_dirs",
    "adr_status_aliases",
    "severity",
    "schemas",
    "calendar",
    "today",
    "stale_after",
    "summary",
    "gates_index",
    "plans_index",
    "decision_log",
    "owners",
    "problems",
    "timeline",
    "export",
    "mermaid",
)
"""The `plans` plugin's options that the extension reads too, from the same place."""


class PlansSiteError(Exception):
    """The site cannot be compiled as configured; the message says what to change."""


@dataclass(frozen=True)
class EngineSite:
    """What the site engine says about the site, and the options of the extension and plugin."""

    root: str
    docs_dir: str
    site_dir: str | None
    strict: bool
    options: tuple[tuple[str, str], ...]
    """The options, as `repr`s by name: a key for the cache that any value fits in."""
    raw: Mapping[str, Any] = field(compare=False, hash=False, repr=False, default_factory=dict)


def engine_site(config: Mapping[str, Any], extension_options: Mapping[str, Any]) -> EngineSite:
    """The site of a Zensical configuration (a mapping with `root_dir` and `docs_dir`): the
    options written under the `plans` plugin in its mkdocs.yml, with those given to the
    extension itself on top."""
    root = str(config.get("root_dir") or ".")
    options: dict[str, Any] = {}
    for name in CONFIG_NAMES:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            options.update(_plugin_options(path))
            break
    options.update({k: v for k, v in extension_options.items() if k in OPTION_NAMES and v not in (None, "")})
    docs = os.path.join(root, str(config.get("docs_dir") or "docs"))
    site_dir = config.get("site_dir")
    return EngineSite(
        os.path.abspath(root),
        os.path.abspath(docs),
        os.path.abspath(os.path.join(root, str(site_dir))) if site_dir else None,
        bool(config.get("strict")) or _strict_command(),
        tuple(sorted((k, repr(v)) for k, v in options.items())),
        options,
    )


_read_options: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}


def _plugin_options(path: str) -> dict[str, Any]:
    """The `plans` plugin's options in the configuration file `path`; read again only when
    the file changes (every page asks)."""
    stat = os.stat(path)
    seen = (stat.st_mtime_ns, stat.st_size)
    known = _read_options.get(path)
    if known is None or known[0] != seen:
        try:
            known = _read_options[path] = (seen, read_mkdocs_yml(path).plugin)
        except SettingsError as exc:
            raise PlansSiteError(str(exc)) from None
    return dict(known[1])


def _strict_command() -> bool:
    """Whether this process is `zensical build --strict` (Zensical keeps the flag to itself)."""
    args = sys.argv[1:]
    return "build" in args and any(a in ("--strict", "-s") for a in args)


@dataclass
class CompiledSite:
    """One compilation of the docs folder and what pages read of it."""

    result: Result
    ctx: EmitContext
    """For HTML links to pages' sources (`../decisions/ADR-0001-x.md`)."""
    resolver: XrefResolver
    page_problems: dict[str, problems.FileProblems]
    """Diagnostics by the page (source path in the docs folder) of the file they are in."""
    found: tuple[problems.FileProblems, ...]
    policy: SeverityPolicy
    by_rel: dict[str, Plan | Adr]
    sources: dict[str, Source]
    """By source path in the docs folder."""
    memo: Memo
    summary: str
    mermaid: str
    strict: bool
    errors: int = 0
    reported: set[Diagnostic] = field(default_factory=set)
    """Diagnostics of view blocks already in the build log."""

    def report(self, diagnostic: Diagnostic) -> None:
        """Log a diagnostic found while rendering a page, once per compilation."""
        if diagnostic in self.reported:
            return
        self.reported.add(diagnostic)
        line = text_line(diagnostic)
        if diagnostic.severity is Severity.ERROR:
            self.errors += 1
            log.warning(line)
        elif diagnostic.severity is Severity.WARNING:
            log.warning(line)
        else:
            log.info(line)


class SiteCompiler:
    """Compiles a site when a page needs it and its files changed since the last time."""

    def __init__(self, site: EngineSite) -> None:
        self.site = site
        self.lock = threading.Lock()
        self.listing: tuple[tuple[str, int, int, int], ...] | None = None
        self.compiled: CompiledSite | None = None
        self.history_reader: HistoryReader | None = None
        try:
            self.options: Options = options_from_mapping(site.raw, site.root)
            self.compiler = Compiler(self.options)
        except (SettingsError, SchemaError) as exc:
            raise PlansSiteError(f"plans: {exc}") from None

    def current(self) -> CompiledSite:
        """The compiled site, compiled again when a Markdown file changed."""
        with self.lock:
            listing = _listing(self.site.docs_dir)
            if self.compiled is None or listing != self.listing:
                self.compiled = self._compile(listing)
                self.listing = listing
            return self.compiled

    def _compile(self, listing: tuple[tuple[str, int, int, int], ...]) -> CompiledSite:
        site, raw = self.site, self.site.raw
        base = Path(site.root)
        sources: dict[str, Source] = {}
        for path, *_ in listing:
            rel = os.path.relpath(path, site.docs_dir).replace(os.sep, "/")
            try:
                content = Path(path).read_bytes()
            except OSError as exc:
                log.warning(f"plans: cannot read {path}: {exc.strerror or exc}")
                continue
            sources[rel] = Source(os.path.relpath(path, base).replace(os.sep, "/"), rel, content)
        docs = os.path.relpath(site.docs_dir, base).replace(os.sep, "/")
        dates = last_commit_dates(base, docs)
        today = self.options.time.today or datetime.date.today()
        history = self._history(base, docs, today)
        result = self.compiler.compile(
            list(sources.values()), dates=dates.by_path, history=lambda: history.traces, today=today
        )
        paths = PagePaths(**{f.name: v for f in fields(PagePaths) if isinstance(v := raw.get(f.name), str)})
        # Zensical takes every link of a page's HTML as relative to the page's source file, as
        # MkDocs takes links to `.md` files: links are written that way, and it checks them.
        ctx = EmitContext(result.project, paths, result.project.pages, html=True, history=history)
        pages = {s.path: rel for rel, s in sources.items()}
        found = problems.gather(result.diagnostics, pages, result.documents)
        by_rel: dict[str, Plan | Adr] = {p.rel: p for p in result.project.plans.values()}
        by_rel.update({a.rel: a for a in result.project.adrs.values()})
        project = result.project
        resolver = XrefResolver(project.plans, project.adrs, project.gates, paths.gates_index, project.links.adrs)
        compiled = CompiledSite(
            result,
            ctx,
            resolver,
            {f.page: f for f in found if f.page is not None},
            found,
            self.compiler.policy,
            by_rel,
            sources,
            self.compiled.memo if self.compiled is not None else Memo(),
            "off" if raw.get("summary") is False else str(raw.get("summary") or "top"),
            "off" if raw.get("mermaid") is False else str(raw.get("mermaid") or "bundled"),
            site.strict,
        )
        compiled.memo.new_build()
        for d in result.diagnostics:
            compiled.report(d)
        self._write_site_files(compiled, paths.export, history)
        return compiled

    def _history(self, base: Path, docs: str, today: datetime.date) -> History:
        where = (base, docs, self.options.adr_dirs, self.options.schema_dir)
        reader = self.history_reader
        if reader is None or (reader.root, reader.folder, reader.adr_dirs, reader.schema_dir) != where:
            reader = self.history_reader = HistoryReader(*where)
        try:
            return reader.read(today)
        except GitError as exc:
            return History(note=f"git could not read the history: {exc}")

    def _write_site_files(self, compiled: CompiledSite, export: str, history: History) -> None:
        """The stylesheet, scripts and JSON export, written into the built site: an engine
        that runs Markdown extensions has no other way to take files from one."""
        site_dir = self.site.site_dir
        if site_dir is None:
            return
        assets = Path(site_dir, ASSET_DIR)
        try:
            assets.mkdir(parents=True, exist_ok=True)
            names = ["plans.css", "plans.js", "panzoom.min.js"]
            if compiled.mermaid == "bundled":
                names.append("mermaid.min.js")
            for name in names:
                target = assets / name
                if not target.exists() or target.stat().st_size != (ASSETS / name).stat().st_size:
                    shutil.copyfile(ASSETS / name, target)
            result = compiled.result
            Path(site_dir, export).write_text(
                export_json(result.project, result.diagnostics, compiled.memo, history), encoding="utf-8"
            )
        except OSError as exc:
            log.warning(f"plans: cannot write {site_dir}: {exc.strerror or exc}")


def _listing(docs_dir: str) -> tuple[tuple[str, int, int, int], ...]:
    """Every Markdown file of the docs folder with its size and times: what decides whether
    the site must be compiled again. Asked for each page, so it walks with `os.scandir`
    (no path objects) in the order `iter_markdown` reads the folder; links to folders are not
    followed."""
    found = []
    pending = [docs_dir]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        below = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                below.append(entry.path)
            elif entry.name.endswith(".md"):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                found.append((entry.path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))
        pending.extend(reversed(below))
    return tuple(found)


_compilers: dict[EngineSite, SiteCompiler] = {}
_compilers_lock = threading.Lock()


def site_compiler(site: EngineSite) -> SiteCompiler:
    """The compiler of `site`, made once per process (pages and rebuilds share it)."""
    with _compilers_lock:
        found = _compilers.get(site)
        if found is None:
            found = _compilers[site] = SiteCompiler(site)
        return found
