"""Time a site build under each engine: MkDocs and ProperDocs (the `plans` plugin) and
Zensical (the `plancompiler.markdown` extension, from the same mkdocs.yml).

    .venv/bin/python benchmarks/engines.py [--repeat 3] [--plans 300] [--seed 7]

Builds the project's own site (a copy, in a git repository of its own so that every engine
finds the same history) and a generated corpus (`generate_corpus.py`) with pages holding the
views of the generated pages, so that every engine renders the same pages; and Zensical once
more without the extension, for what the extension costs. Each build starts
from an empty site folder, and Zensical's from an empty cache (`--clean`); the engines take
turns, and the median wall time of `--repeat` runs is reported, in Markdown, on stdout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import generate  # noqa: E402
from run import Command, fresh, measure, progress, table  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENGINES = ("mkdocs", "properdocs", "zensical")
BARE = "without-plancompiler.yml"
VIEW_PAGES = {
    "gates.md": ("Gates Index", "gates"),
    "plan-index.md": ("Plans", "plans"),
    "decision-log.md": ("Decision log", "decisions"),
    "owners.md": ("Owners", "owners"),
    "timeline.md": ("Timeline", "timeline"),
    "problems.md": ("Problems", "problems"),
}


def build(engine: str, folder: Path, config: str = "mkdocs.yml") -> Command:
    """One engine's build of the site in `folder`, from nothing."""
    argv = [str(BIN / engine), "build", "-f", config] + (["--clean"] if engine == "zensical" else ["-q"])

    def before() -> None:
        fresh(folder / "site")()
        fresh(folder / ".cache")()

    return Command(f"{engine} build -f {config}", argv, folder, before=before)


def without_extension(folder: Path) -> str:
    """A configuration beside `mkdocs.yml` without `plancompiler.markdown`: Zensical's own
    time for the same pages, plans left as they are written."""
    text = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    (folder / BARE).write_text(text.replace("  - plancompiler.markdown\n", ""), encoding="utf-8")
    return BARE


def project_copy(work: Path) -> Path:
    """The project's site sources in a git repository of their own (one commit)."""
    copy = work / "project"
    for name in ("plans", "schemas", "site_overrides"):
        shutil.copytree(REPO / name, copy / name)
    shutil.copy(REPO / "mkdocs.yml", copy / "mkdocs.yml")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    subprocess.run(["git", "add", "-A"], cwd=copy, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "site"], cwd=copy, check=True)
    return copy


def corpus(work: Path, plans: int, seed: int) -> Path:
    """The generated corpus, with the generated pages written as view pages."""
    folder = work / f"corpus-{plans}"
    generate(folder, plans, seed)
    for name, (title, view) in VIEW_PAGES.items():
        (folder / "docs" / name).write_text(f"# {title}\n\n```plans\nview: {view}\n```\n", encoding="utf-8")
    return folder


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="builds per engine and site (default 3)")
    parser.add_argument("--plans", type=int, default=300, help="plans in the generated corpus (default 300)")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryDirectory(prefix="plans-engines-") as tmp:
        work, scratch = Path(tmp), Path(tmp) / "scratch"
        scratch.mkdir()
        sites = {
            "the project's site": project_copy(work),
            f"{args.plans}-plan corpus": corpus(work, args.plans, args.seed),
        }
        rows = []
        for label, folder in sites.items():
            progress(f"building {label} with {', '.join(ENGINES)}")
            commands = [build(e, folder) for e in ENGINES] + [build("zensical", folder, without_extension(folder))]
            timings = measure(commands, args.repeat, env, scratch)
            rows.append([label, *(f"{t.wall:.2f} s" for t in timings)])
    header = ["Site", *(f"`{e} build`" for e in ENGINES), "`zensical build` without the extension"]
    print(f"Median wall time of {args.repeat} builds each, from an empty site folder:\n")
    print(table(header, rows))


if __name__ == "__main__":
    main()
