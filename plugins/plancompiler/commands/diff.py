"""`plans diff`: what changed in the plans between two revisions."""

from __future__ import annotations

import argparse
import sys

from plancompiler.commands.workspace import EXIT_ERRORS, EXIT_OK, Workspace


def run(args: argparse.Namespace) -> int:
    """Print the semantic diff of BASE and HEAD (or the work tree); 1 when it introduces errors."""
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
