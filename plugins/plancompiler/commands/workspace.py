"""The project a `plans` command works on: its configuration, docs folder and compiler."""

from __future__ import annotations

import datetime
import gc
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from plancompiler.compiler import Compiler, Options, Result, Source
from plancompiler.markdown.views import LANGUAGE
from plancompiler.parse.document import symlink_loops
from plancompiler.review import git
from plancompiler.settings import SettingsError, options_from_mapping, read_mkdocs_yml
from plancompiler.validate.schemas import SchemaError

# What only some commands need is imported by them: `plans check`, the command run most
# often (by pre-commit, on every commit), starts without the review and history modules.
if TYPE_CHECKING:
    from plancompiler.emit.context import PagePaths
    from plancompiler.review.history import History, TaskTrace

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or configuration: printed as `plans: ...`, exit status 2."""


def display_path(path: Path, base: Path) -> str:
    """Paths in diagnostics are relative to the project folder, with forward slashes."""
    return _relative(path.resolve(), base)


def _relative(resolved: Path, base: Path) -> str:
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(resolved, base)).as_posix()


def _shown(path: str, base: Path) -> str:
    """A path relative to the project folder without resolving links (a link shows as itself)."""
    return Path(os.path.relpath(path, os.path.realpath(base))).as_posix()


def iter_markdown(root: Path) -> Iterator[Path]:
    """Every `.md` file below `root`, in a stable order; symlinked folders are not followed."""
    for inside in _markdown_below(os.fspath(root)):
        yield root / inside


def _markdown_below(root: str) -> Iterator[str]:
    """`iter_markdown` as paths relative to `root`, with the system's separator (no path
    objects: a large docs folder has thousands of files)."""
    prefix = len(os.path.join(root, ""))
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        below = folder[prefix:]
        for name in sorted(files):
            if name.endswith(".md"):
                yield os.path.join(below, name) if below else name


def _below(path: str, folder: str) -> str | None:
    """`path` relative to `folder` with forward slashes, when it lies below it (both absolute
    and normalised, as `Path` prints them); None otherwise."""
    prefix = os.path.join(folder, "")
    return path[len(prefix) :].replace(os.sep, "/") if path.startswith(prefix) and path != prefix else None


CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
_VIEW_LANGUAGE = LANGUAGE.encode()


def _handed_over(sources: list[Source]) -> Iterator[Source]:
    """Each source, let go by `sources` as it is handed over: a large site's bytes are then
    freed file by file as the compiler reads them, and their memory serves what it builds."""
    sources.reverse()
    while sources:
        yield sources.pop()


def find_config(start: Path) -> Path | None:
    """The MkDocs configuration of the project `start` is in: `mkdocs.yml` (or `mkdocs.yaml`)
    in `start` or the nearest folder above it, the way ruff and mypy find their settings."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


@dataclass
class Workspace:
    """A project as the CLI sees it: where it is, its docs folder, and its compiler."""

    base: Path
    docs_dir: Path
    options: Options
    compiler: Compiler
    templates: Path | None
    config: Path | None = None
    """The MkDocs configuration read, or None in a folder without one."""
    plugin: Mapping[str, object] = field(default_factory=dict)
    """The plans plugin's options in the MkDocs configuration."""
    verbose: bool = False
    today: datetime.date = field(default_factory=datetime.date.today)
    """The day schedules start from: the site's `today:` (or `PLANS_TODAY`), else the date."""
    with_views: list[Source] = field(default_factory=list)
    """The files the last `compile_worktree` read that may hold view blocks (they name the
    `plans` language): the others' bytes are let go as soon as the compiler has read them."""

    @classmethod
    def load(
        cls, config_arg: str | None, keep_marks: bool = True, verbose: bool = False, cache: bool = True
    ) -> Workspace:
        """The project of `--config`, else of the nearest mkdocs.yml at or above the current
        folder, else the current folder with its `docs` folder and default options. With
        `cache`, each file's front-end work is kept on disk for the next run (`disk_cache`)."""
        cwd = Path.cwd().resolve()
        if config_arg is not None and not Path(config_arg).is_file():
            raise UsageError(f"config file {config_arg} does not exist")
        config = Path(config_arg) if config_arg is not None else find_config(cwd)
        templates = None
        plugin: Mapping[str, object] = {}
        if config is not None:
            try:
                site = read_mkdocs_yml(config)
                options = options_from_mapping(site.plugin, site.base_dir)
            except SettingsError as exc:
                raise UsageError(str(exc)) from None
            base, docs_dir = site.base_dir, site.docs_dir
            if isinstance(site.plugin.get("templates"), str):
                templates = base / site.plugin["templates"]
            plugin = site.plugin
        else:
            base, docs_dir, options = cwd, cwd / "docs", Options()
        try:
            compiler = Compiler(options, keep_marks=keep_marks, store=docs_dir if cache else None)
        except SchemaError as exc:
            raise UsageError(str(exc)) from None
        today = options.time.today or datetime.date.today()
        return cls(base, docs_dir, options, compiler, templates, config, plugin, verbose, today)

    @property
    def pages(self) -> PagePaths:
        """Where the plugin puts its generated pages (the emitter's module is imported only by
        the commands that ask)."""
        from plancompiler.emit.context import PagePaths

        return PagePaths(**{f.name: v for f in fields(PagePaths) if isinstance(v := self.plugin.get(f.name), str)})

    def worktree_sources(self, paths: Sequence[Path] = ()) -> list[Source]:
        """Sources for the given files and folders (default: the docs folder).

        `rel`, by which a file's place makes it an ADR, is the path inside the docs folder
        when the file lies in it, the same way as under MkDocs. Elsewhere it starts at the
        folder holding the named file or folder, so that folder's own name counts:
        `plans check doc/adr` finds the ADRs of `doc/adr/0001-x.md`.
        """
        sources: list[Source] = []
        docs_resolved = self.docs_dir.resolve()
        for root in paths or [self.docs_dir]:
            if not root.exists():
                if not paths and self.config is not None:
                    raise UsageError(
                        f"the docs folder {display_path(root, Path.cwd())} of {display_path(self.config, Path.cwd())}"
                        " does not exist; create it, or set docs_dir in the configuration"
                    )
                if not paths:
                    raise UsageError(
                        "there is no mkdocs.yml here or in a folder above, and no docs folder here; run in"
                        " your project, pass --config, or name the files and folders to check"
                    )
                raise UsageError(f"no such file or folder: {root}")
            named = Path(os.path.abspath(root))
            if root.is_file():
                resolved = root.resolve()
                try:
                    rel = resolved.relative_to(docs_resolved).as_posix()
                except ValueError:
                    rel = "/".join(p for p in named.parts[-2:] if p)
                self._add_source(sources, str(root), str(resolved), rel)
                continue
            # Paths as text: a docs folder has thousands of files, and `Path` operations on
            # each took as long as reading them.
            root_text, root_resolved, docs_text = os.fspath(root), str(root.resolve()), str(docs_resolved)
            for inside in _markdown_below(root_text):
                file = os.path.join(root_text, inside)
                # `iter_markdown` does not enter linked folders, so below `root` only a linked
                # file needs resolving (one system call per folder of its path).
                target = str(Path(file).resolve()) if os.path.islink(file) else os.path.join(root_resolved, inside)
                within = _below(target, docs_text)
                if within is None:
                    within = "/".join(p for p in (named.name, inside.replace(os.sep, "/")) if p)
                self._add_source(sources, file, target, within)
        return sources

    def _add_source(self, sources: list[Source], file: str, resolved: str, rel: str) -> None:
        """Read `file` (whose links `resolved` resolves) into `sources`; a file that cannot be
        read is reported and left out."""
        try:
            with open(file, "rb") as opened:
                content = opened.read()
        except OSError as exc:
            print(f"plans: cannot read {Path(file)}: {exc.strerror or exc}", file=sys.stderr)
            return
        shown = _below(resolved, str(self.base))
        sources.append(Source(shown if shown is not None else _relative(Path(resolved), self.base), rel, content))

    def revision_sources(self, rev: str) -> list[Source]:
        """The docs folder's Markdown files at a git revision, read without a checkout."""
        top = git.toplevel(self.base)
        if top is None:
            raise UsageError(f"{self.base} is not inside a git repository, so '{rev}' cannot be read")
        docs = Path(os.path.relpath(self.docs_dir.resolve(), top)).as_posix()
        try:
            files = git.read_tree(top, rev, docs)
        except git.GitError as exc:
            raise UsageError(str(exc)) from None
        sources = []
        for path, content in sorted(files.items()):
            rel = Path(os.path.relpath(top / path, self.docs_dir.resolve())).as_posix()
            sources.append(Source(display_path(top / path, self.base), rel, content))
        return sources

    def dates(self) -> Mapping[str, str]:
        folder = Path(os.path.relpath(self.docs_dir.resolve(), self.base)).as_posix()
        found = git.last_commit_dates(self.base, folder)
        if found.note and self.verbose:
            print(f"plans: note: {found.note}", file=sys.stderr)
        return found.by_path

    def history(self, keep: bool = False) -> History:
        """What git history says about the plans of the docs folder (one pass, up to today)."""
        from plancompiler.review.history import History, HistoryReader

        folder = Path(os.path.relpath(self.docs_dir.resolve(), self.base)).as_posix()
        reader = HistoryReader(self.base, folder, self.options.adr_dirs, self.options.schema_dir, keep)
        try:
            return reader.read(self.today)
        except git.GitError as exc:
            return History(note=f"git could not read the history: {exc}")

    def _traces(self) -> dict[str, dict[str, TaskTrace]] | None:
        from plancompiler.review.history import NOT_IN_GIT

        found = self.history()
        if found.note:
            # Outside git, the note on dates has said so already.
            if self.verbose and found.note != NOT_IN_GIT:
                print(f"plans: note: {found.note}; work in progress is not checked for staleness", file=sys.stderr)
            return None
        return found.traces

    def compile_worktree(self, paths: Sequence[Path] = (), with_history: bool = True) -> Result:
        loops = [
            (_shown(link, self.base), _shown(target, self.base))
            for root in paths or [self.docs_dir]
            if Path(root).is_dir()
            for link, target in symlink_loops(root)
        ]
        sources = self.worktree_sources(paths)
        self.with_views = [s for s in sources if _VIEW_LANGUAGE in s.content]
        result = self.compiler.compile(
            _handed_over(sources),
            dates=self.dates(),
            loops=loops,
            history=self._traces if with_history else None,
            today=self.today,
        )
        # What the compile made lives until the command ends; the collector would walk all
        # of it on its first pass after the compile (a tenth of a second on a large site).
        gc.freeze()
        return result

    def compile_revision(self, rev: str) -> Result:
        # A fresh compiler: the cache is keyed by path and content, so sharing it would be
        # correct too, but a revision's files are read once anyway.
        return Compiler(self.options).compile(self.revision_sources(rev), today=self.today)
