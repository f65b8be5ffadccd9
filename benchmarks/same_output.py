"""Record what the compiler writes for a few sites, and compare two records byte for byte.

    .venv/bin/python benchmarks/same_output.py record OUT [--content-rev REV] [--plans 1000]
    .venv/bin/python benchmarks/same_output.py compare BEFORE AFTER

A change that reshapes the compiler without changing what it does must leave its output
alone. `record` builds, with whatever `plancompiler` this interpreter imports (put another
checkout's `plugins` folder first on `PYTHONPATH` to record that one):

- the project's own site, from its files at `--content-rev` (default `main`), so that two
  records of different code read the same plans;
- the corpus of `generate_corpus.py` (`--plans`, seed 7);
- the broken inputs of `tests/broken/docs` and, where it is present, the real MADR records
  of `../shared/corpora/madr` (check only: they are not sites).

Each site's content is copied to a fresh git repository with one commit at a fixed date,
so that plans without `updated:` take the same date from git in every record. For each
site it keeps the generated pages, the HTML of every plan and ADR page, `plans.json`,
and the output and exit status of `plans check --format json`. `compare` prints every file
that is missing, extra or different (with the first lines that differ) and exits 1 when
there is any.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate_corpus import generate  # noqa: E402

SEED = 7
GIT_DATE = "2026-01-05T12:00:00+00:00"
SITE_FILES = ("mkdocs.yml", "plans", "schemas", "site_overrides")
# The generated pages, by their default paths; a page a version of the plugin does not make
# is left out of its record (and shows as missing in a comparison with one that does).
GENERATED = ("gates.md", "plan-index.md", "decision-log.md", "owners.md", "problems.md", "timeline.md")
SHARED_MADR = REPO.parent / "shared" / "corpora" / "madr"


def _run(argv: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PLANS_TODAY="2026-01-05")
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"same_output: {' '.join(argv)} failed in {cwd} (exit status {done.returncode})")
    return done


def _commit(folder: Path) -> None:
    """Make `folder` a git repository holding its files in one commit at `GIT_DATE`."""
    env = dict(
        os.environ,
        GIT_AUTHOR_DATE=GIT_DATE,
        GIT_COMMITTER_DATE=GIT_DATE,
        GIT_AUTHOR_NAME="Record",
        GIT_AUTHOR_EMAIL="record@example.org",
        GIT_COMMITTER_NAME="Record",
        GIT_COMMITTER_EMAIL="record@example.org",
    )
    for argv in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "content"]):
        subprocess.run(argv, cwd=folder, env=env, check=True, capture_output=True)


def _own_site(into: Path, rev: str) -> Path:
    """The project's own site as it is at `rev`."""
    archive = subprocess.run(["git", "archive", rev, *SITE_FILES], cwd=REPO, capture_output=True, check=True)
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    _commit(into)
    return into


def _corpus(into: Path, plans: int) -> Path:
    generate(into, plans=plans, seed=SEED)
    _commit(into)
    return into


def _page_html(site: Path, source: str) -> Path:
    """Where MkDocs (with directory URLs) writes the page of a Markdown source."""
    stem = source[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return site / (stem + ".html")
    return site / stem / "index.html"


def _record_site(folder: Path, out: Path) -> None:
    python = sys.executable
    site = folder / "site-built"
    _run([python, "-m", "mkdocs", "build", "-q", "-d", str(site)], folder)
    export = (site / "plans.json").read_bytes()
    (out / "plans.json").write_bytes(export)
    model = json.loads(export)
    generated = [page for page in GENERATED if _page_html(site, page).exists()]
    sources = [*generated, *(p["source"] for p in model["plans"]), *(a["source"] for a in model["adrs"])]
    for source in sources:
        target = out / "pages" / (source + ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_page_html(site, source).read_bytes())
    _record_check(folder, out, [])


def _record_check(folder: Path, out: Path, paths: list[str]) -> None:
    done = _run([sys.executable, "-m", "plancompiler.cli", "check", "--format", "json", *paths], folder, check=False)
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"same_output: plans check failed in {folder} (exit status {done.returncode})")
    out.mkdir(parents=True, exist_ok=True)
    (out / "check.json").write_text(done.stdout, encoding="utf-8")
    (out / "check.status").write_text(f"{done.returncode}\n", encoding="utf-8")


def record(out: Path, rev: str, plans: int) -> None:
    """Build every site with the `plancompiler` this interpreter imports; keep what it wrote."""
    import plancompiler

    if out.exists():
        raise SystemExit(f"same_output: {out} exists; record into a new folder")
    print(f"recording with {Path(plancompiler.__file__).parent}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="same-output-") as temp:
        work = Path(temp)
        sites = {"own-site": _own_site(work / "own-site", rev), "corpus": _corpus(work / "corpus", plans)}
        for name, folder in sites.items():
            print(f"building {name}", file=sys.stderr)
            (out / name).mkdir(parents=True)
            _record_site(folder, out / name)
        broken = work / "broken"
        shutil.copytree(REPO / "tests" / "broken" / "docs", broken / "docs")
        _commit(broken)
        _record_check(broken, out / "broken", ["docs"])
        if SHARED_MADR.is_dir():
            madr = work / "madr"
            shutil.copytree(SHARED_MADR, madr / "docs" / "decisions")
            _commit(madr)
            _record_check(madr, out / "madr", ["docs"])
    files = sum(1 for p in out.rglob("*") if p.is_file())
    print(f"recorded {files} files in {out}", file=sys.stderr)


def compare(before: Path, after: Path, shown: int = 20) -> int:
    """Print every difference between two records; the number of files that differ."""
    old = {p.relative_to(before).as_posix() for p in before.rglob("*") if p.is_file()}
    new = {p.relative_to(after).as_posix() for p in after.rglob("*") if p.is_file()}
    differ = same = 0
    for name in sorted(old - new):
        print(f"only in {before}: {name}")
        differ += 1
    for name in sorted(new - old):
        print(f"only in {after}: {name}")
        differ += 1
    for name in sorted(old & new):
        a, b = (before / name).read_bytes(), (after / name).read_bytes()
        if a == b:
            same += 1
            continue
        differ += 1
        print(f"differs: {name}")
        lines = difflib.unified_diff(
            a.decode("utf-8", "replace").splitlines(),
            b.decode("utf-8", "replace").splitlines(),
            "before/" + name,
            "after/" + name,
            lineterm="",
            n=1,
        )
        for count, line in enumerate(lines):
            if count >= shown:
                print("  ...")
                break
            print("  " + line[:300])
    print(f"{same} files identical, {differ} differ or are missing, of {len(old | new)}")
    return differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("record", help="build the sites and keep what they wrote")
    rec.add_argument("out", type=Path)
    rec.add_argument("--content-rev", default="main", help="revision of the project's own site (default main)")
    rec.add_argument("--plans", type=int, default=1000, help="plans in the generated corpus (default 1000)")
    cmp = commands.add_parser("compare", help="compare two records byte for byte")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.out.resolve(), args.content_rev, args.plans)
        return 0
    return 1 if compare(args.before, args.after) else 0


if __name__ == "__main__":
    sys.exit(main())
