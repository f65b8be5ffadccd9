"""`plans history`: each plan's progress and forecast over its git history."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path

from plancompiler.commands.workspace import EXIT_OK, UsageError, Workspace
from plancompiler.compiler import Compiler
from plancompiler.review import git


def run(args: argparse.Namespace) -> int:
    """Print the progress report of one plan, or of every plan with a history."""
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
