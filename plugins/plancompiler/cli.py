"""The `plans` command line: check, diff and scaffold plans without building a site."""

from __future__ import annotations

import argparse
import datetime
import difflib
import gc
import html
import json
import os
import posixpath
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from plancompiler.compiler import Compiler, Options, Result, Source
from plancompiler.diagnostics import formats
from plancompiler.emit.context import PagePaths
from plancompiler.ids import PLAN_ID, SLUG_ID, adr_number, normalise_adr_id
from plancompiler.markdown.views import view_diagnostics
from plancompiler.parse.document import symlink_loops
from plancompiler.review import git
from plancompiler.settings import SettingsError, options_from_mapping, read_mkdocs_yml
from plancompiler.validate.schemas import SchemaError

# What only some commands need is imported by them: `plans check`, the command run most
# often (by pre-commit, on every commit), starts without the review and history modules.
if TYPE_CHECKING:
    from plancompiler.review.history import History, TaskTrace

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS = {
    "text": formats.as_text,
    "json": formats.as_json,
    "github": formats.as_github,
    "sarif": formats.as_sarif,
}


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
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".md"):
                yield Path(folder) / name


CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


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
    pages: PagePaths = PagePaths()
    """Where the plugin puts its generated pages."""
    verbose: bool = False
    today: datetime.date = field(default_factory=datetime.date.today)
    """The day schedules start from: the site's `today:` (or `PLANS_TODAY`), else the date."""
    sources: list[Source] = field(default_factory=list)
    """The files the last `compile_worktree` read."""

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
        pages = PagePaths()
        if config is not None:
            try:
                site = read_mkdocs_yml(config)
                options = options_from_mapping(site.plugin, site.base_dir)
            except SettingsError as exc:
                raise UsageError(str(exc)) from None
            base, docs_dir = site.base_dir, site.docs_dir
            if isinstance(site.plugin.get("templates"), str):
                templates = base / site.plugin["templates"]
            pages = PagePaths(**{f.name: v for f in fields(PagePaths) if isinstance(v := site.plugin.get(f.name), str)})
        else:
            base, docs_dir, options = cwd, cwd / "docs", Options()
        try:
            compiler = Compiler(options, keep_marks=keep_marks, store=docs_dir if cache else None)
        except SchemaError as exc:
            raise UsageError(str(exc)) from None
        today = options.time.today or datetime.date.today()
        return cls(base, docs_dir, options, compiler, templates, config, pages, verbose, today)

    def worktree_sources(self, paths: Sequence[Path] = ()) -> list[Source]:
        """Sources for the given files and folders (default: the docs folder).

        `rel`, by which a file's place makes it an ADR, is the path inside the docs folder
        when the file lies in it, the same way as under MkDocs. Elsewhere it starts at the
        folder holding the named file or folder, so that folder's own name counts:
        `plans check doc/adr` finds the ADRs of `doc/adr/0001-x.md`.
        """
        sources = []
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
            files = [root] if root.is_file() else list(iter_markdown(root))
            root_resolved = root.resolve()
            named = Path(os.path.abspath(root))
            for file in files:
                # `iter_markdown` does not enter linked folders, so below `root` only a linked
                # file needs resolving (one system call per folder of its path).
                resolved = (
                    file.resolve() if file is root or file.is_symlink() else root_resolved / file.relative_to(root)
                )
                try:
                    rel = resolved.relative_to(docs_resolved).as_posix()
                except ValueError:
                    parts = (named.name, file.relative_to(root).as_posix()) if file is not root else named.parts[-2:]
                    rel = "/".join(p for p in parts if p)
                try:
                    content = file.read_bytes()
                except OSError as exc:
                    print(f"plans: cannot read {file}: {exc.strerror or exc}", file=sys.stderr)
                    continue
                sources.append(Source(_relative(resolved, self.base), rel, content))
        return sources

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
        self.sources = self.worktree_sources(paths)
        result = self.compiler.compile(
            self.sources,
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


# -- plans check ---------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    ws = Workspace.load(args.config, keep_marks=bool(args.base), verbose=args.verbose, cache=not args.no_cache)
    named = [Path(p) for p in args.paths]
    for path in named:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
    if ws.config is None:
        # No project around: the named files and folders are the project.
        result, wanted = ws.compile_worktree(named), []
    else:
        # References cross files: the whole project is compiled, and the named paths only
        # choose which of its diagnostics are shown.
        wanted = [p.resolve() for p in named]
        docs = ws.docs_dir.resolve()
        for path, absolute in zip(named, wanted):
            if not (_within(absolute, [docs]) or _within(docs, [absolute])):
                raise UsageError(
                    f"{path} is outside the docs folder {display_path(ws.docs_dir, Path.cwd())} of"
                    f" {display_path(ws.config, Path.cwd())}; check it from its own project, or pass --config"
                )
        result = ws.compile_worktree()
    _KEPT.append(result)
    # View blocks are read when a page is built; a check reads them the same way.
    pages = ((s.path, s.content) for s in ws.sources)
    views = view_diagnostics(result.project, pages, ws.compiler.policy)
    diagnostics = tuple(sorted({*result.diagnostics, *views}, key=lambda d: d.sort_key))
    if args.base:
        from plancompiler.review.base_rules import base_rules

        base = ws.compile_revision(args.base)
        extra = base_rules(base, result, args.base, ws.compiler.policy)
        diagnostics = tuple(sorted(set(diagnostics) | set(extra), key=lambda d: d.sort_key))
    documents: Sequence[str] = list(result.documents)
    if wanted:
        diagnostics = tuple(d for d in diagnostics if _within(Path(os.path.normpath(ws.base / d.path)), wanted))
        documents = [p for p in documents if _within(Path(os.path.normpath(ws.base / p)), wanted)]
    if not documents:
        where = ", ".join(map(str, named)) or display_path(ws.docs_dir, Path.cwd())
        kinds = ", ".join(ws.options.adr_dirs)
        print(
            f"plans: no plan and no ADR found in {where}: a plan says 'kind: plan' in its front matter,"
            f" an ADR is a numbered file (0001-title.md) in a folder named {kinds}",
            file=sys.stderr,
        )
    if args.format == "text":
        sys.stdout.write(formats.as_text(diagnostics, len(documents), result.documents))
    else:
        sys.stdout.write(FORMATS[args.format](diagnostics, len(documents)))
    return EXIT_ERRORS if any(d.severity.value == "error" for d in diagnostics) else EXIT_OK


def _within(path: Path, folders: Sequence[Path]) -> bool:
    """Whether `path` is one of `folders` or lies below one of them (no system call)."""
    return any(path == folder or folder in path.parents for folder in folders)


# -- plans diff ----------------------------------------------------------------------------


def _diff(args: argparse.Namespace) -> int:
    from plancompiler.review.diff import as_json, as_markdown, semantic_diff

    ws = Workspace.load(args.config, verbose=args.verbose, cache=not args.no_cache)
    before = ws.compile_revision(args.base)
    if args.head:
        after, head_name = ws.compile_revision(args.head), args.head
    else:
        # Neither side reads history: what time alone did to a plan is no change of the branch's.
        after, head_name = ws.compile_worktree(with_history=False), "work tree"
    diff = semantic_diff(before, after, args.base, head_name)
    sys.stdout.write(as_json(diff) if args.format == "json" else as_markdown(diff))
    return EXIT_ERRORS if diff.introduces_errors else EXIT_OK


# -- plans history -------------------------------------------------------------------------


def _history(args: argparse.Namespace) -> int:
    from plancompiler.review import progress

    ws = Workspace.load(args.config, verbose=args.verbose, cache=not args.no_cache)
    found = ws.history(keep=True)
    if found.note:
        raise UsageError(f"no history to show: {found.note}")
    current = ws.compile_worktree(with_history=False)
    plans = current.project.plans
    known = sorted(set(found.plans) | set(plans))
    if args.plan:
        if args.plan not in known:
            close = difflib.get_close_matches(args.plan, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise UsageError(f"no plan '{args.plan}' in the work tree or its history{hint}")
        chosen = [args.plan]
    else:
        chosen = [p for p in known if p in found.plans]
    schedule = current.project.schedule
    forecasts = {pid: (f.finish, f.waits) for pid, f in schedule.plans.items()} if schedule else {}
    top = git.toplevel(ws.base) or ws.base
    prefix = Path(os.path.relpath(ws.docs_dir.resolve(), top)).as_posix()
    reports = progress.report(found, Compiler(ws.options), prefix, plans, forecasts, chosen, ws.today)
    if args.format == "json":
        sys.stdout.write(progress.as_json(reports))
    elif args.format == "markdown":
        sys.stdout.write(progress.as_markdown(reports))
    else:
        sys.stdout.write(progress.as_text(reports))
    return EXIT_OK


# -- plans new -----------------------------------------------------------------------------

_SLUG_DROP = re.compile(r"[^a-z0-9]+")
# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def slugify(title: str, limit: int = 60) -> str:
    """A file-name-safe slug: lower-case letters, digits and single dashes; never a path.
    Accented letters lose their accents first (`Über café` -> `uber-cafe`)."""
    decomposed = unicodedata.normalize("NFKD", title.lower().translate(_LETTERS))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = _SLUG_DROP.sub("-", plain).strip("-")[:limit].strip("-")
    return slug or "untitled"


def _template(ws: Workspace, kind: str, chosen: str | None) -> str:
    for candidate in (Path(chosen) if chosen else None, ws.templates / f"{kind}.md" if ws.templates else None):
        if candidate is not None:
            if not candidate.is_file():
                raise UsageError(f"template {candidate} does not exist")
            return candidate.read_text(encoding="utf-8")
    return (TEMPLATES / f"{kind}.md").read_text(encoding="utf-8")


def _fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


class Taken(Exception):
    """`plans new` would write an id or a file that exists: printed as `plans: error: ...`, exit 1."""


def _new(args: argparse.Namespace) -> int:
    ws = Workspace.load(args.config, verbose=args.verbose, cache=not args.no_cache)
    title = " ".join(args.title.split())
    if not title:
        raise UsageError("the title must not be empty")
    if not ws.docs_dir.exists():
        _start_docs_folder(ws)
    current = ws.compile_worktree()
    values = {
        "title_yaml": json.dumps(title, ensure_ascii=False),
        "title_md": html.escape(title, quote=False),
        "date": datetime.date.today().isoformat(),
    }
    if args.kind == "plan":
        plan_id = args.id or slugify(title)
        if not PLAN_ID.match(plan_id):
            raise UsageError(f"--id '{plan_id}' is not a plan id: use lower-case letters, digits and dashes")
        taken = current.project.plans.get(plan_id)
        if taken is not None:
            raise Taken(f"plan id '{plan_id}' is taken by {taken.path}; choose another with --id")
        folder = Path(args.dir) if args.dir else ws.docs_dir
        target = folder / f"{plan_id}.md"
        values["id"] = plan_id
    else:
        adrs = list(current.project.adrs.values())
        folder = Path(args.dir) if args.dir else _adr_folder(ws, current)
        try:
            in_folder: str | None = folder.resolve().relative_to(ws.docs_dir.resolve()).as_posix()
        except ValueError:
            in_folder = None
        names = [posixpath.basename(a.rel) for a in adrs if posixpath.dirname(a.rel) == in_folder]
        if args.id:
            adr_id = normalise_adr_id(args.id)
            if adr_id is None:
                raise UsageError(
                    f"--id '{args.id}' is not an ADR id: write ADR-0042, 42, or a dated slug such as"
                    " 20260501-use-a-queue"
                )
            taken_adr = current.project.adrs.get(adr_id)
            if taken_adr is not None:
                raise Taken(f"{adr_id} is taken by {taken_adr.path}; choose another with --id")
            number = adr_number(adr_id)
            if number is None:
                name = f"{adr_id}.md"  # a log4brains slug is the file's name
            else:
                numbered = [n for n in names if not SLUG_ID.match(n.removesuffix(".md"))]
                name = record_name(numbered, number, slugify(title), values["date"])
        else:
            if args.base:
                adrs += ws.compile_revision(args.base).project.adrs.values()
            numbers = [adr_number(a.id) for a in adrs]
            number = max((n for n in numbers if n is not None), default=0) + 1
            name = record_name(names, number, slugify(title), values["date"])
        target = folder / name
        stem = name.removesuffix(".md")
        dated = SLUG_ID.match(stem) is not None
        values["id"] = stem if dated else f"ADR-{number:04d}"
        values["number"] = "" if dated else f"{number:04d}"
    resolved_folder = folder.resolve()
    if target.resolve().parent != resolved_folder:  # pragma: no cover - slugify forbids it
        raise UsageError(f"refusing to write outside {folder}")
    if target.exists():
        raise Taken(f"{display_path(target, ws.base)} already exists; choose another id with --id")
    resolved_folder.mkdir(parents=True, exist_ok=True)
    target.write_text(_fill(_template(ws, args.kind, args.template), values), encoding="utf-8")
    print(display_path(target, ws.base))
    return EXIT_OK


_HOME_PAGE = """\
# {title}

Plans and decisions of this project, compiled by the `plans` MkDocs plugin.

- [Plans]({plans}): every plan, its status and progress
- [Gates]({gates}): the decision checkpoints and the ADRs that pass them
- [Decision log]({decisions}): every architecture decision record
"""


def _start_docs_folder(ws: Workspace) -> None:
    """A project's first `plans new`: the docs folder, with a home page that links the plugin's
    generated pages, so the site's root is not a 404."""
    ws.docs_dir.mkdir(parents=True)
    home = ws.docs_dir / "index.md"
    title = ws.base.name.replace("-", " ").replace("_", " ").strip().capitalize() or "Plans"
    pages = ws.pages
    text = _HOME_PAGE.format(
        title=title, plans=pages.plans_index, gates=pages.gates_index, decisions=pages.decision_log
    )
    home.write_text(text, encoding="utf-8")
    print(display_path(home, ws.base))


_RECORD_NAME = re.compile(r"^(?P<prefix>adr[-_])?(?P<number>\d+)[-_]", re.IGNORECASE)


def record_name(names: Sequence[str], number: int, slug: str, today: str) -> str:
    """The file name of a new decision record, in the style of the folder's records: a
    log4brains date slug (`20260501-x.md`), `adr-NNN-x.md`, `ADR-NNNN-x.md`, or `NNNN-x.md`."""
    latest = max(names, default="")
    if SLUG_ID.match(latest.removesuffix(".md")):
        return f"{today.replace('-', '')}-{slug}.md"
    match = _RECORD_NAME.match(latest)
    if match is None:
        return f"{number:04d}-{slug}.md"
    width = len(match.group("number"))
    return f"{match.group('prefix') or ''}{number:0{width}d}-{slug}.md"


def _adr_folder(ws: Workspace, current: Result) -> Path:
    """Where new records go: the folder holding most of the records, else the first decisions
    folder that exists, else the first of `adr_dirs`."""
    folders = Counter(posixpath.dirname(a.rel) for a in current.project.adrs.values())
    if folders:
        return ws.docs_dir / folders.most_common(1)[0][0]
    for name in ws.options.adr_dirs:
        if (ws.docs_dir / name).is_dir():
            return ws.docs_dir / name
    return ws.docs_dir / ws.options.adr_dirs[0]


# -- the parser ----------------------------------------------------------------------------


class _PrintVersion(argparse.Action):
    """`plans --version`; the installed version is looked up only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> NoReturn:
        from importlib import metadata

        try:
            version = metadata.version("plancompiler")
        except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
            from plancompiler import __version__ as version
        print(f"plans {version}")
        parser.exit()


def _project_options(command: argparse.ArgumentParser) -> None:
    """What every subcommand takes: where the project is, and how much to say."""
    command.add_argument(
        "--config",
        "-f",
        metavar="FILE",
        help="MkDocs configuration file (default: mkdocs.yml in the current folder or the nearest folder above)",
    )
    command.add_argument(
        "--verbose", "-v", action="store_true", help="also print notes, such as where plans' dates come from"
    )
    command.add_argument(
        "--no-cache",
        action="store_true",
        help="read every file afresh, and keep nothing for the next run (also: PLANS_NO_CACHE=1); the cache is"
        " in $PLANS_CACHE_DIR, else $XDG_CACHE_HOME/plancompiler, else ~/.cache/plancompiler",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plans",
        description="Compile, check, compare and scaffold implementation plans and ADRs.",
    )
    parser.add_argument("--version", action=_PrintVersion, nargs=0, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="report every diagnostic; exit 1 when any is an error",
        description="Compile the plans and ADRs of the project and print every diagnostic, sorted,"
        " with a summary line. Exit status: 0 without errors, 1 with errors, 2 on bad usage.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="report only the diagnostics of these files and folders; the whole project is compiled"
        " all the same (without a mkdocs.yml, the named files and folders are the project)",
    )
    _project_options(check)
    check.add_argument("--format", choices=tuple(FORMATS), default="text", help="output format")
    check.add_argument(
        "--base",
        metavar="REV",
        help="also apply the rules that compare with a base revision (ids taken, accepted ADRs edited)",
    )
    check.set_defaults(run=_check)

    diff = commands.add_parser(
        "diff",
        help="semantic diff of plans between two git revisions",
        description="Compile the plans at BASE and at HEAD (default: the work tree) straight from"
        " git and print what changed: plans, phases, tasks, gates, ADRs, dependencies, critical"
        " paths and diagnostics. Exit status 1 when the change introduces errors.",
    )
    diff.add_argument("base", metavar="BASE", help="base revision, e.g. origin/main")
    diff.add_argument("head", metavar="HEAD", nargs="?", help="head revision (default: the work tree)")
    _project_options(diff)
    diff.add_argument("--format", choices=("markdown", "json"), default="markdown", help="output format")
    diff.set_defaults(run=_diff)

    history = commands.add_parser(
        "history",
        help="each plan's progress and forecast over its git history",
        description="Read the git history of the docs folder in one pass and print, per plan, every"
        " commit that changed it (done and total estimate in working days, open gates, the forecast"
        " finish as of that day) and the slips: forecast and scope changes between commits.",
    )
    history.add_argument("plan", metavar="PLAN", nargs="?", help="the id of one plan (default: every plan)")
    _project_options(history)
    history.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format")
    history.set_defaults(run=_history)

    new = commands.add_parser(
        "new",
        help="scaffold a plan or an ADR from a template",
        description="Write a new plan or ADR that compiles without diagnostics. ADRs get the next"
        " free number in the work tree (and in the base revision with --base). Creates the docs"
        " folder, with a home page, when there is none. Exit status 1 when the id is taken.",
    )
    new.add_argument("kind", choices=("plan", "adr"))
    new.add_argument("title")
    _project_options(new)
    new.add_argument(
        "--id", help="the plan id (default: the title as a slug) or the ADR number (default: the next free one)"
    )
    new.add_argument("--base", metavar="REV", help="also avoid ADR numbers used at this revision")
    new.add_argument("--dir", help="folder to write to (default: docs_dir, or its decisions folder)")
    new.add_argument("--template", help="template file to use instead of the configured one")
    new.set_defaults(run=_new)
    parser.set_defaults(commands=commands.choices)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `plans` command."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        # A subcommand's own usage, as git and ruff print it, not the top-level one.
        args.commands[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return int(args.run(args))
    except UsageError as exc:
        print(f"plans: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Taken as exc:
        print(f"plans: error: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        return 130
    except BrokenPipeError:  # pragma: no cover - `plans check | head`
        return EXIT_OK


# What the command compiled, kept until the process ends: `run` leaves without freeing a
# large site's millions of objects one by one, which took longer than printing the result.
_KEPT: list[object] = []


def run() -> NoReturn:
    """The `plans` console script: `main`, then exit at once with its status."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # pragma: no cover - `plans check | head`
        pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
