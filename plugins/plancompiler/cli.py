"""The `plans` command line: check plans in CI and pull requests without building a site."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from plancompiler.compiler import Compiler, Options, Source
from plancompiler.diagnostics import formats
from plancompiler.settings import SettingsError, options_from_mapping, read_mkdocs_yml
from plancompiler.validate.schemas import SchemaError

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def display_path(path: Path, base: Path) -> str:
    """Paths in diagnostics are relative to the project folder, with forward slashes."""
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(path.resolve(), base)).as_posix()


def iter_markdown(root: Path) -> Iterator[Path]:
    """Every `.md` file below `root`, in a stable order; symlinked folders are not followed."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".md"):
                yield Path(folder) / name


def collect_sources(paths: Sequence[Path], docs_dir: Path, base: Path) -> list[Source]:
    """Sources for the given files and folders; `rel` is taken inside the docs folder when
    the file lies in it, so a file's place decides its kind the same way in every front end."""
    sources = []
    for root in paths:
        files = [root] if root.is_file() else list(iter_markdown(root))
        for file in files:
            resolved = file.resolve()
            try:
                rel = resolved.relative_to(docs_dir.resolve()).as_posix()
            except ValueError:
                rel = resolved.relative_to(root.resolve()).as_posix() if root.is_dir() else file.name
            try:
                content = file.read_bytes()
            except OSError as exc:
                print(f"plans: cannot read {file}: {exc.strerror or exc}", file=sys.stderr)
                continue
            sources.append(Source(display_path(file, base), rel, content))
    return sources


def _check(args: argparse.Namespace) -> int:
    config = Path(args.config)
    if config.is_file():
        try:
            site = read_mkdocs_yml(config)
            options = options_from_mapping(site.plugin, site.base_dir)
        except SettingsError as exc:
            print(f"plans: {exc}", file=sys.stderr)
            return EXIT_USAGE
        base, docs_dir = site.base_dir, site.docs_dir
    elif args.config != "mkdocs.yml":
        print(f"plans: config file {config} does not exist", file=sys.stderr)
        return EXIT_USAGE
    else:
        base, docs_dir, options = Path.cwd().resolve(), Path("docs"), Options()
    paths = [Path(p) for p in args.paths] or [docs_dir]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"plans: no such file or folder: {missing[0]}", file=sys.stderr)
        return EXIT_USAGE
    try:
        compiler = Compiler(options)
    except SchemaError as exc:
        print(f"plans: {exc}", file=sys.stderr)
        return EXIT_USAGE
    result = compiler.compile(collect_sources(paths, docs_dir, base))
    render = {"text": formats.as_text, "json": formats.as_json}[args.format]
    sys.stdout.write(render(result.diagnostics, result.project.documents))
    return EXIT_ERRORS if result.errors else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plans",
        description="Compile and check implementation plans and ADRs written as Markdown.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="report every diagnostic; exit 1 when any is an error",
        description="Compile the plans and ADRs and print every diagnostic, sorted, with a"
        " summary line. Exit status: 0 without errors, 1 with errors, 2 on bad usage.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders to compile (default: docs_dir of the MkDocs configuration)",
    )
    check.add_argument("--config", "-f", default="mkdocs.yml", help="MkDocs configuration file")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    check.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `plans` command."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        return 130
    except BrokenPipeError:  # pragma: no cover - `plans check | head`
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
