"""`plans check`: every diagnostic of the project, in the format asked for."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from plancompiler.commands.workspace import EXIT_ERRORS, EXIT_OK, UsageError, Workspace, display_path
from plancompiler.diagnostics import formats
from plancompiler.markdown.views import view_diagnostics

FORMATS = {
    "text": formats.as_text,
    "json": formats.as_json,
    "github": formats.as_github,
    "sarif": formats.as_sarif,
}

# What the command compiled, kept until the process ends: `run` leaves without freeing a
# large site's millions of objects one by one, which took longer than printing the result.
_KEPT: list[object] = []


def run(args: argparse.Namespace) -> int:
    """Print the diagnostics of the project (or of the named paths); 1 when any is an error."""
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
    pages = ((s.path, s.content) for s in ws.with_views)
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
