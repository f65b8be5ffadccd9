"""The `plans` command line: check, diff and scaffold plans without building a site.

This module reads the command line and dispatches it; each command lives in
`plancompiler.commands`, named for it, and works on a `Workspace`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from plancompiler.commands import check as check_command
from plancompiler.commands import diff as diff_command
from plancompiler.commands import history as history_command
from plancompiler.commands import new as new_command
from plancompiler.commands.check import FORMATS
from plancompiler.commands.new import Taken
from plancompiler.commands.workspace import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, UsageError
from plancompiler.commands.workspace import Workspace as Workspace  # the project a command works on, for callers


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
    check.set_defaults(run=check_command.run)

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
    diff.set_defaults(run=diff_command.run)

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
    history.set_defaults(run=history_command.run)

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
    new.set_defaults(run=new_command.run)
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
