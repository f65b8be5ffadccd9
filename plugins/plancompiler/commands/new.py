"""`plans new`: a plan or an ADR scaffolded from a template."""

from __future__ import annotations

import argparse
import datetime
import html
import json
import posixpath
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from plancompiler.commands.workspace import EXIT_OK, UsageError, Workspace, display_path
from plancompiler.compiler import Result
from plancompiler.ids import PLAN_ID, SLUG_ID, adr_number, normalise_adr_id

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

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


def run(args: argparse.Namespace) -> int:
    """Write a new plan or ADR and print its path; 1 when its id or file is taken."""
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
