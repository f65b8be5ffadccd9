"""Run the performance benchmark and print every figure against its target.

    .venv/bin/python benchmarks/run.py [--repeat 5] [--build-repeat 3] [--sizes 1000,10000]
                                       [--seed 7] [--workdir DIR] [--quick]

It generates the corpora once per size (`generate_corpus.py`, seeded), then times whole
processes, each run as a subprocess `--repeat` times (MkDocs and Sphinx builds
`--build-repeat` times), the commands being compared taking turns so that the machine's
load falls on both alike. Wall time is measured around the subprocess; peak memory is its
maximum resident set size (`/usr/bin/time -f %M`, or `getrusage` in a fresh wrapper
process where GNU time is missing). Medians are reported, and every ratio divides two
medians of the same run:

- `plans check` on 1,000 plans and 333 ADRs against two floors (`floor.py`: read every file
  and parse its front matter with PyYAML's C parser, nothing else; the construct floor loads
  it into Python values, the compose floor, `--compose`, only composes PyYAML's node tree),
  and in seconds. `plans check` keeps each file's front-end work in a disk cache
  (`plancompiler/disk_cache.py`, here in the work folder): it is timed cold (`--no-cache`),
  in the first run with the cache (which writes it), warm (nothing changed since the run
  before) and warm after one plan's title changed (each of those runs changes it, or back);
- `plans check` on 10,000 plans against 1,000 plans, cold and warm, and its peak memory;
- `mkdocs build` of the 1,000-plan corpus with the plugin against the same build with the
  plugin removed from `mkdocs.yml`; the plugin's six generated pages (which cannot be
  switched off) are matched by six static pages of the same names in the build without
  it, so both render the same pages. The plugin's default `nav_plans: auto` leaves the
  plans and ADRs out of the sidebar past 100; without the plugin mkdocs-material lists
  every page. And the 3,000-plan corpus built with the plugin, against the 1,000-plan build
  (not with `--quick`);
- the same build, once each, without mkdocs-material's `navigation.prune`, with it and a short
  `nav:` (the generated indexes only), and with the plugin's `summary: off`, to show what the
  navigation and the summaries cost inside MkDocs;
- `mkdocs serve`: the whole build's wall time, and the plugin's own time (its event
  handlers and its Markdown extension), in the first build and in the rebuilds after one
  plan's title changes (three, one more plan each time; the median is compared), in one
  process as `mkdocs serve` does it;
- the 100-plan corpus converted for sphinx-needs (`sphinx_needs.py`): `sphinx-build`
  against our `mkdocs build`;
- the history pass (`review/history.py`) on a generated git repository of 300 plans and
  2,000 commits (`history_repo.py`) against `git log -p` over the same folder, the two taking
  turns in one process;
- the schedule's share of `plans check` on 1,000 plans: its stage's seconds (in the stage
  breakdown below) against the rest of the command's median.

It also breaks the compiler's work on the 1,000-plan corpus down by stage (start-up,
reading, parse, validate, link, analyse, emit), in one process, median of `--repeat`.

Before measuring, it byte-compiles the package, as pip does when it installs a wheel: the
project's own `.venv` installs it editable, and where `PYTHONDONTWRITEBYTECODE` is set every
process would compile its sources again (0.05 s), while MkDocs, networkx and Sphinx come
compiled.

Progress goes to stderr; the report, in Markdown, to stdout.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import functools
import importlib.metadata
import inspect
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_corpus import generate  # noqa: E402
from history_repo import generate as generate_history  # noqa: E402
from sphinx_needs import convert  # noqa: E402

BIN = Path(sys.executable).parent
GNU_TIME = Path("/usr/bin/time")
GENERATED_PAGES = ("gates.md", "plan-index.md", "decision-log.md", "owners.md", "problems.md", "timeline.md")
MIB = 1024 * 1024
VARIANTS_EXPLAINED = (
    "The same build with the plugin, changed in one way. mkdocs-material writes the navigation"
    " into every page. By default (`nav_plans: auto`) past 100 plans and ADRs the plugin leaves"
    " them out of the sidebar, which lists the generated indexes instead (the plans index links"
    " every plan); `nav_plans: all` lists every plan, as the sidebar did before, where"
    " `navigation.prune` (the corpus's configuration) keeps in each page only its own section,"
    " which in a folder of 1,000 plans is the 1,000 plans. `summary: off` keeps the plugin's"
    " compilation and generated pages and leaves the summaries out of the plan and ADR pages,"
    " which shows what rendering them costs MkDocs."
)

# Targets of the performance issue.
FLOOR_RATIO_MAX = 1.3
CHECK_SECONDS_MAX = 5.0
GROWTH_RATIO_MAX = 11.0
PEAK_BYTES_MAX = 1024 * MIB
BUILD_RATIO_MAX = 0.5
LARGE_BUILD_RATIO_MAX = 3.0
REBUILD_SHARE_MAX = 0.05
REFRESH_SHARE_MAX = 0.10
SPHINX_RATIO_MIN = 5.0
HISTORY_RATIO_MAX = 2.0
SCHEDULE_SHARE_MAX = 0.10
HISTORY_PLANS, HISTORY_COMMITS = 300, 2000


def progress(message: str) -> None:
    """One line of progress on stderr."""
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# -- whole-process measurements ----------------------------------------------------------


@dataclass
class Command:
    """A command line to time, where to run it, and how to check that it did its job."""

    label: str
    argv: list[str]
    cwd: Path
    verify: Callable[[subprocess.CompletedProcess[str]], str | None] | None = None
    before: Callable[[], None] | None = None


@dataclass
class Timing:
    """Every run of one command: wall seconds and peak resident bytes."""

    command: Command
    walls: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak(self) -> float:
        return statistics.median(self.peaks)


_RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(code)\n"
)


def run_once(command: Command, env: dict[str, str], scratch: Path) -> tuple[float, int]:
    """Run `command` once; return (wall seconds, peak resident bytes). Fails loudly if the
    command fails or its output does not pass its check."""
    if command.before is not None:
        command.before()
    report = scratch / "peak.txt"
    if GNU_TIME.exists():
        argv = [str(GNU_TIME), "-f", "%M", "-o", str(report), *command.argv]
    else:
        argv = [sys.executable, "-c", _RUSAGE_WRAPPER, str(report), *command.argv]
    started = perf_counter()
    done = subprocess.run(argv, cwd=command.cwd, env=env, capture_output=True, text=True)
    wall = perf_counter() - started
    problem = f"exit status {done.returncode}" if done.returncode else None
    if problem is None and command.verify is not None:
        problem = command.verify(done)
    if problem is not None:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"benchmark: {command.label} failed: {problem}\n  in {command.cwd}: {' '.join(command.argv)}")
    text = report.read_text().strip().splitlines()
    # GNU time reports kilobytes; so does Linux's ru_maxrss.
    return wall, int(text[-1]) * 1024


def measure(commands: Sequence[Command], repeat: int, env: dict[str, str], scratch: Path) -> list[Timing]:
    """Run the commands in turn, `repeat` rounds, so that load falls on each alike."""
    timings = [Timing(c) for c in commands]
    for round_ in range(1, repeat + 1):
        for timing in timings:
            wall, peak = run_once(timing.command, env, scratch)
            timing.walls.append(wall)
            timing.peaks.append(peak)
            progress(f"{timing.command.label}: run {round_}/{repeat}: {wall:.2f} s, {peak / MIB:.0f} MiB")
    return timings


def expect_clean_check(done: subprocess.CompletedProcess[str]) -> str | None:
    """`plans check` must find the generated corpus free of errors."""
    last = done.stdout.strip().splitlines()[-1:] or [""]
    return None if last[0].startswith("Found 0 errors") else f"expected 'Found 0 errors', got {last[0]!r}"


def fresh(path: Path) -> Callable[[], None]:
    """A `before` hook that removes a build's output so every build starts from nothing."""
    return lambda: shutil.rmtree(path, ignore_errors=True)


def site_build(label: str, mkdocs: str, folder: Path) -> Command:
    """`mkdocs build -q` in `folder`, from an empty site folder each run."""
    return Command(label, [mkdocs, "build", "-q"], folder, before=fresh(folder / "site"))


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- in-process probes, each run in a child process ---------------------------------------


def probe_stages(corpus: Path, repeat: int) -> dict[str, Any]:
    """Time what `plans check` does, stage by stage, `repeat` times; return the medians.

    The files are read in this one process, one after another (`PLANS_NO_FORK=1`), so that
    each stage shows its whole cost; `plans check` itself hands a share to a forked child.
    """
    os.environ["PLANS_NO_FORK"] = "1"
    started = perf_counter()
    from plancompiler.compiler import Compiler, Options, Source
    from plancompiler.diagnostics import formats
    from plancompiler.emit.adr_page import render_adr_summary
    from plancompiler.emit.context import EmitContext, PagePaths
    from plancompiler.emit.decision_log import render_decision_log
    from plancompiler.emit.export import export_json
    from plancompiler.emit.gates_index import render_gates_index
    from plancompiler.emit.plan_page import render_plan_summary
    from plancompiler.emit.plans_index import render_plans_index

    imports = perf_counter() - started
    runs: list[dict[str, float]] = []
    counts: dict[str, int] = {}
    for _ in range(repeat):
        row: dict[str, float] = {}
        t = perf_counter()
        compiler = Compiler(Options())
        row["compiler set-up (schemas)"] = perf_counter() - t
        t = perf_counter()
        sources = []
        for folder, dirs, files in os.walk(corpus / "docs"):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".md"):
                    path = Path(folder) / name
                    rel = path.relative_to(corpus / "docs").as_posix()
                    sources.append(Source(f"docs/{rel}", rel, path.read_bytes()))
        row["read files"] = perf_counter() - t
        t = perf_counter()
        result = compiler.compile(sources)
        total = perf_counter() - t
        for stage, seconds in compiler.timings.items():
            row[stage] = seconds
        row["rest of compile (not in `Compiler.timings`)"] = total - sum(compiler.timings.values())
        t = perf_counter()
        formats.as_text(list(result.diagnostics), result.project.documents)
        row["format diagnostics"] = perf_counter() - t
        t = perf_counter()
        context = EmitContext(result.project, PagePaths(), result.project.pages, html=True)
        for plan in result.project.plans.values():
            render_plan_summary(context, plan)
        for adr in result.project.adrs.values():
            render_adr_summary(context, adr)
        render_gates_index(context)
        render_plans_index(context)
        render_decision_log(context)
        export_json(result.project, result.diagnostics)
        row["emit (every page, indexes, export)"] = perf_counter() - t
        runs.append(row)
        counts = {"documents": result.project.documents, "errors": result.errors}
    stages = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    return {"imports": imports, "stages": stages, "counts": counts}


# What the plugin's `on_files` and `on_page_markdown` call, timed inside them, by the name the
# plugin's modules import them under (older checkouts have some of them, for comparison).
INNER_CALLS = (
    "last_commit_dates",
    "hand_safe_source",
    "plan_summary_key",
    "plan_page_view",
    "render_plan_view",
    "adr_summary_key",
    "adr_summary_view",
    "render_adr_view",
    "_hand_safe_source",
    "export_json",
    "render_plan_summary",
    "render_adr_summary",
    "place_summary",
    "_render_problems",
)


# The plugin's modules whose imports INNER_CALLS names.
PLUGIN_MODULES = ("plugin", "history", "summaries", "generated")


# Rebuilds the serve probe times, each after one more plan gets a new title.
REBUILDS = 3


def probe_serve(corpus: Path, site: Path) -> dict[str, Any]:
    """Build, then change one plan and build again, `REBUILDS` times, in the same process, as
    `mkdocs serve` does; return the plugin's own seconds in each build, by event and by what
    the events call."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.plugins import CombinedEvent

    from plancompiler.compiler import Compiler
    from plancompiler.emit import decision_log, gates_index, owners, plans_index, timeline
    from plancompiler.markdown_ext.xrefs import XrefInlineProcessor
    from plancompiler.mkdocs_plugin.plugin import PlansPlugin

    spent: dict[str, float] = {}
    inner: dict[str, float] = {}

    def timed(into: dict[str, float], name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                into[name] = into.get(name, 0.0) + perf_counter() - started

        return wrapper

    # The plugin's handlers, its own and those of the classes it is made of.
    for name, method in [(n, inspect.getattr_static(PlansPlugin, n)) for n in dir(PlansPlugin)]:
        if not name.startswith("on_"):
            continue
        if isinstance(method, CombinedEvent):  # several handlers of one event, each with its priority
            setattr(PlansPlugin, name, CombinedEvent(*(timed(spent, name, m) for m in method.methods)))
        elif callable(method):
            setattr(PlansPlugin, name, timed(spent, name, method))
    XrefInlineProcessor.handleMatch = timed(spent, "xref links", XrefInlineProcessor.handleMatch)  # type: ignore[method-assign]
    Compiler.compile = timed(inner, "Compiler.compile", Compiler.compile)  # type: ignore[method-assign]
    for module_name in PLUGIN_MODULES:
        try:
            module = importlib.import_module(f"plancompiler.mkdocs_plugin.{module_name}")
        except ImportError:
            continue
        for name in INNER_CALLS:
            if hasattr(module, name):
                setattr(module, name, timed(inner, name, getattr(module, name)))
    for module, name in (
        (gates_index, "render_gates_index"),
        (plans_index, "render_plans_index"),
        (decision_log, "render_decision_log"),
        (owners, "render_owners"),
        (timeline, "render_timeline"),
    ):
        setattr(module, name, timed(inner, name, getattr(module, name)))
    # Git history for the burn-ups and the stale-work check (a subprocess or two per build).
    if hasattr(PlansPlugin, "_history"):
        PlansPlugin._history = timed(inner, "git history", PlansPlugin._history)
    else:
        from plancompiler.mkdocs_plugin.history import SiteHistory

        SiteHistory.read = timed(inner, "git history", SiteHistory.read)  # type: ignore[method-assign]

    plans = sorted((corpus / "docs" / "plans").glob("*.md"))
    # The plans the rebuilds follow a change to, one more each time.
    changed = [plans[len(plans) * (k + 1) // (REBUILDS + 1)] for k in range(REBUILDS)]
    originals = {path: path.read_bytes() for path in changed}
    cwd = os.getcwd()
    os.chdir(corpus)
    builds: list[dict[str, Any]] = []
    config = None
    try:
        for step in range(REBUILDS + 1):
            edited = changed[step - 1] if step else changed[0]
            if step:
                text = originals[edited].decode("utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1)
                edited.write_bytes(text.encode("utf-8"))
            spent.clear()
            inner.clear()
            started = perf_counter()
            config = load_config("mkdocs.yml", site_dir=str(site))
            if not step:
                config.plugins.on_startup(command="serve", dirty=False)
            plugin = config.plugins["plans"]
            assert isinstance(plugin, PlansPlugin)
            parsed = plugin.compiler.parsed if plugin.compiler else 0
            stages = dict(plugin.compiler.timings) if plugin.compiler else {}
            build(config, serve_url="http://127.0.0.1:8000/")
            wall = perf_counter() - started
            if plugin.errors:
                raise SystemExit(f"benchmark: the serve build found {plugin.errors} errors")
            for stage, seconds in plugin.compiler.timings.items():
                inner[f"  compiler: {stage}"] = seconds - stages.get(stage, 0.0)
            builds.append(
                {
                    "step": f"rebuild {step}" if step else "first build",
                    "wall": wall,
                    "plugin": sum(spent.values()),
                    "by_event": dict(sorted(spent.items())),
                    "inner": dict(sorted(inner.items(), key=lambda item: -item[1])),
                    "parsed": plugin.compiler.parsed - parsed,
                    "converted": len(plugin.refresh.converted_now),
                    "rendered": len(plugin.refresh.rendered_now),
                    "edited": edited.relative_to(corpus / "docs").as_posix() if step else "",
                }
            )
    finally:
        for path, content in originals.items():
            path.write_bytes(content)
        os.chdir(cwd)
        if config is not None:
            config.plugins.on_shutdown()
    return {"builds": builds}


def probe_history(repo: Path, repeat: int) -> dict[str, Any]:
    """Time the history pass and `git log -p` over the same folder, taking turns, `repeat`
    times each; return the medians, and what the pass found."""
    from plancompiler.review.history import HistoryReader

    today = datetime.date(2026, 11, 29)
    passes: list[float] = []
    logs: list[float] = []
    pass_cpu: list[float] = []
    log_cpu: list[float] = []
    found = None

    def cpu() -> float:
        # This process's CPU seconds and those of the children it has waited for (git).
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    for _ in range(repeat):
        started, used = perf_counter(), cpu()
        subprocess.run(["git", "log", "-p", "--", "docs"], cwd=repo, stdout=subprocess.DEVNULL, check=True)
        logs.append(perf_counter() - started)
        log_cpu.append(cpu() - used)
        started, used = perf_counter(), cpu()
        found = HistoryReader(repo, "docs").read(today)  # a fresh reader: nothing kept
        passes.append(perf_counter() - started)
        pass_cpu.append(cpu() - used)
    assert found is not None and found.note is None, found.note if found else "no run"
    commits = int(
        subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True, text=True).stdout
    )
    return {
        "pass": statistics.median(passes),
        "git_log_p": statistics.median(logs),
        "passes": passes,
        "logs": logs,
        "pass_cpu": statistics.median(pass_cpu),
        "git_log_p_cpu": statistics.median(log_cpu),
        "plans": len(found.plans),
        "points": sum(len(p.points) for p in found.plans.values()),
        "commits": commits,
    }


def run_probe(kind: str, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run a probe in a fresh interpreter and return its JSON answer."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--probe", kind, *args]
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"benchmark: the {kind} probe failed (exit status {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the report ----------------------------------------------------------------------------


@dataclass
class Verdict:
    """One figure of the report with its target."""

    figure: str
    measured: str
    target: str
    passed: bool | None  # None: not measured in this run

    @property
    def result(self) -> str:
        return {True: "PASS", False: "FAIL", None: "SKIPPED"}[self.passed]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def sphinx_build_path(explicit: str | None) -> Path | None:
    """`sphinx-build` from --sphinx-build, beside this interpreter, in benchmarks/.venv, or
    on PATH."""
    candidates = [Path(explicit)] if explicit else []
    candidates += [BIN / "sphinx-build", HERE / ".venv" / "bin" / "sphinx-build"]
    found = shutil.which("sphinx-build")
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def sphinx_needs_version(sphinx_build: Path) -> str:
    python = sphinx_build.parent / "python"
    code = "import importlib.metadata as m; print(m.version('sphinx'), m.version('sphinx-needs'))"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    if done.returncode:
        return ""
    sphinx, needs = done.stdout.split()
    return f"Sphinx {sphinx}, sphinx-needs {needs}"


def revision() -> str:
    """The commit measured, and whether the compiler's files differ from it."""
    git = ["git", "-C", str(HERE.parent)]
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")  # read only: never take the index lock
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, env=env)
    if head.returncode:
        return "outside git"
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", "plugins", "schemas"], capture_output=True, text=True, env=env
    )
    changed = " with uncommitted changes to the compiler" if dirty.stdout.strip() else ""
    return f"commit {head.stdout.strip()}{changed}"


def versions() -> str:
    """The versions of what the figures depend on."""
    names = ("plancompiler", "mkdocs", "mkdocs-material", "PyYAML", "jsonschema-rs")
    found = []
    for name in names:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each quick command (default 5)")
    parser.add_argument("--build-repeat", type=int, default=3, help="runs of each site build (default 3)")
    parser.add_argument(
        "--sizes", default="1000,10000", help="corpus sizes in plans, comma-separated (default 1000,10000)"
    )
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--workdir", type=Path, help="where the corpora go (default: a temporary folder)")
    parser.add_argument("--quick", action="store_true", help="1,000 plans only, 3 runs, builds once")
    parser.add_argument("--sphinx-build", help="the sphinx-build to compare with (default: found)")
    parser.add_argument(
        "--no-variants",
        action="store_true",
        help="skip the single builds without navigation.prune, with a short nav, with summary: off",
    )
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("probe_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.build_repeat = "1000", min(args.repeat, 3), 1
    return args


def reproduce(args: argparse.Namespace) -> str:
    """The command line that repeats this run."""
    words = [".venv/bin/python", "benchmarks/run.py"]
    if args.quick:
        words.append("--quick")
    words += ["--repeat", str(args.repeat), "--build-repeat", str(args.build_repeat)]
    words += ["--sizes", args.sizes, "--seed", str(args.seed)]
    if args.no_variants:
        words.append("--no-variants")
    return " ".join(words)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.probe == "stages":
        print(json.dumps(probe_stages(Path(args.probe_args[0]), int(args.probe_args[1]))))
        return
    if args.probe == "serve":
        print(json.dumps(probe_serve(Path(args.probe_args[0]), Path(args.probe_args[1]))))
        return
    if args.probe == "history":
        print(json.dumps(probe_history(Path(args.probe_args[0]), int(args.probe_args[1]))))
        return
    for tool in ("plans", "mkdocs"):
        if not (BIN / tool).exists():
            raise SystemExit(
                f"benchmark: no {tool} beside {sys.executable}; run this with the project's .venv/bin/python"
            )
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    if 1000 not in sizes:
        raise SystemExit("benchmark: --sizes must include 1000, the size every target refers to")
    import plancompiler

    compileall.compile_dir(Path(plancompiler.__file__).parent, quiet=1)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("PYTHONPATH", None)
    env.pop("PLANS_NO_CACHE", None)
    date = datetime.datetime.now(datetime.timezone.utc)
    measured = revision()
    load_start = os.getloadavg()
    wall_start = perf_counter()
    temp = None
    if args.workdir is None:
        temp = tempfile.TemporaryDirectory(prefix="plans-bench-")
        work = Path(temp.name)
    else:
        work = args.workdir.resolve()
        work.mkdir(parents=True, exist_ok=True)
    scratch = work / "scratch"
    scratch.mkdir(exist_ok=True)
    # `plans check` keeps its disk cache here, never in the user's cache folder.
    env["PLANS_CACHE_DIR"] = str(work / "plans-cache")
    try:
        report = benchmark(args, sizes, env, work, scratch)
    finally:
        if temp is not None:
            temp.cleanup()
    load_end = os.getloadavg()
    if revision() != measured:
        measured = f"{measured} at the start and {revision()} at the end"
    header = [
        f"Run on {date:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, Python {platform.python_version()},"
        f" load average {load_start[0]:.2f} at the start and {load_end[0]:.2f} at the end,"
        f" {(perf_counter() - wall_start) / 60:.1f} minutes in all; {measured}; {versions()}.",
        "",
        "Reproduce with:",
        "",
        "```sh",
        reproduce(args),
        "```",
        "",
    ]
    print("\n".join(header) + "\n" + report)


def bare_corpus(work: Path, size: int, seed: int) -> Path:
    """The same corpus without the plugin in its `mkdocs.yml`, and with three static pages
    in place of the plugin's generated ones, so that both builds render the same pages."""
    bare = work / f"corpus-{size}-without-plugin"
    if not (bare / "mkdocs.yml").exists():
        progress(f"generating the same {size:,} plans for the build without the plugin")
        generate(bare, size, seed, with_plugin=False)
        for name in GENERATED_PAGES:
            title = name[:-3].replace("-", " ").capitalize()
            (bare / "docs" / name).write_text(f"# {title}\n\nA static page.\n", encoding="utf-8")
    return bare


EDITED_PLAN = "plans/plan-00500.md"
"""The plan whose title the warm runs after an edit change (and change back)."""


def measure_check(corpus: Path, size: int, repeat: int, env: dict[str, str], scratch: Path) -> dict[str, Timing]:
    """`plans check` on one corpus against the two floors: cold (`--no-cache`), the first run
    with the disk cache (which writes it, measured once), warm (nothing changed since the run
    before), and warm after one plan's title changed. Returns the timings by name:
    construct, compose, cold, first, warm, edited."""
    plans, python, floor = str(BIN / "plans"), sys.executable, str(HERE / "floor.py")
    edited = corpus / "docs" / EDITED_PLAN
    original = edited.read_bytes()
    retitled = original.replace(b"\ntitle: ", b"\ntitle: Edited ", 1)

    def toggle() -> None:
        edited.write_bytes(retitled if edited.read_bytes() == original else original)

    def clear_cache() -> None:
        shutil.rmtree(env["PLANS_CACHE_DIR"], ignore_errors=True)

    label = f"({size:,} plans)"
    try:
        (first,) = measure(
            [
                Command(
                    f"plans check, first run with the cache, which writes it {label}",
                    [plans, "check"],
                    corpus,
                    verify=expect_clean_check,
                    before=clear_cache,
                )
            ],
            1,
            env,
            scratch,
        )
        construct, compose, cold, warm, after_edit = measure(
            [
                Command(f"floor.py {label}", [python, floor, str(corpus)], corpus),
                Command(f"floor.py --compose {label}", [python, floor, "--compose", str(corpus)], corpus),
                Command(
                    f"plans check --no-cache (cold) {label}",
                    [plans, "check", "--no-cache"],
                    corpus,
                    verify=expect_clean_check,
                ),
                Command(f"plans check, warm cache {label}", [plans, "check"], corpus, verify=expect_clean_check),
                Command(
                    f"plans check, warm cache, one plan's title edited {label}",
                    [plans, "check"],
                    corpus,
                    verify=expect_clean_check,
                    before=toggle,
                ),
            ],
            repeat,
            env,
            scratch,
        )
    finally:
        edited.write_bytes(original)
    return {
        "construct": construct,
        "compose": compose,
        "cold": cold,
        "first": first,
        "warm": warm,
        "edited": after_edit,
    }


def benchmark(args: argparse.Namespace, sizes: list[int], env: dict[str, str], work: Path, scratch: Path) -> str:
    """Generate, measure and return the report."""
    corpora: dict[int, Path] = {}
    for size in sorted({*sizes, 100, *(() if args.quick else (3000,))}):
        corpora[size] = work / f"corpus-{size}"
        if not (corpora[size] / "mkdocs.yml").exists():
            progress(f"generating {size} plans and {max(1, size // 3)} ADRs")
            generate(corpora[size], size, args.seed)
    mkdocs = str(BIN / "mkdocs")
    python = sys.executable
    verdicts: list[Verdict] = []
    process_rows: list[list[str]] = []

    def row(timing: Timing, corpus: str) -> None:
        process_rows.append(
            [
                timing.command.label,
                corpus,
                str(len(timing.walls)),
                f"{timing.wall:.2f}",
                f"{timing.peak / MIB:.0f}",
            ]
        )

    # plans check against the floors, cold (the disk cache off) and warm (the cache of the
    # run before), then growth.
    check: dict[int, dict[str, Timing]] = {}
    for size in sizes:
        corpus = corpora[size]
        check[size] = times = measure_check(corpus, size, args.repeat, env, scratch)
        for timing in times.values():
            row(timing, f"{size:,} plans")
    floors = ours = check[1000]
    cold, warm = ours["cold"].wall, ours["warm"].wall
    ratio = warm / floors["compose"].wall
    verdicts.append(
        Verdict(
            "`plans check`, 1,000 plans + 333 ADRs, warm cache, against the compose floor",
            f"{ratio:.2f}x ({warm:.2f} s / {floors['compose'].wall:.2f} s); one plan edited"
            f" {ours['edited'].wall / floors['compose'].wall:.2f}x ({ours['edited'].wall:.2f} s);"
            f" cold {cold / floors['compose'].wall:.2f}x ({cold:.2f} s)",
            f"<= {FLOOR_RATIO_MAX}x",
            ratio <= FLOOR_RATIO_MAX,
        )
    )
    ratio = cold / floors["construct"].wall
    verdicts.append(
        Verdict(
            "`plans check`, 1,000 plans + 333 ADRs, cold (no cache), against the construct floor",
            f"{ratio:.2f}x ({cold:.2f} s / {floors['construct'].wall:.2f} s); warm"
            f" {warm / floors['construct'].wall:.2f}x",
            f"<= {FLOOR_RATIO_MAX}x",
            ratio <= FLOOR_RATIO_MAX,
        )
    )
    verdicts.append(
        Verdict(
            "`plans check`, 1,000 plans + 333 ADRs, cold",
            f"{cold:.2f} s",
            f"<= {CHECK_SECONDS_MAX:.0f} s",
            cold <= CHECK_SECONDS_MAX,
        )
    )
    if 10000 in check:
        large, small = check[10000], check[1000]
        growth = {mode: large[mode].wall / small[mode].wall for mode in ("cold", "warm")}
        peak = max(large[mode].peak for mode in ("cold", "first", "warm", "edited"))
        verdicts.append(
            Verdict(
                "`plans check`, 10,000 plans against 1,000, cold and warm",
                f"cold {growth['cold']:.2f}x ({large['cold'].wall:.2f} s / {small['cold'].wall:.2f} s);"
                f" warm {growth['warm']:.2f}x ({large['warm'].wall:.2f} s / {small['warm'].wall:.2f} s)",
                f"<= {GROWTH_RATIO_MAX:.0f}x",
                max(growth.values()) <= GROWTH_RATIO_MAX,
            )
        )
        verdicts.append(
            Verdict(
                "`plans check`, 10,000 plans, peak memory (the most of cold, first and warm runs)",
                f"{peak / MIB:.0f} MiB",
                "< 1,024 MiB",
                peak < PEAK_BYTES_MAX,
            )
        )
    else:
        verdicts.append(Verdict("`plans check`, 10,000 plans against 1,000, cold and warm", "-", "<= 11x", None))
        verdicts.append(Verdict("`plans check`, 10,000 plans, peak memory", "-", "< 1,024 MiB", None))

    # Where the time of `plans check` goes.
    progress(f"stage breakdown on 1,000 plans, {args.repeat} runs in one process")
    stages = run_probe("stages", [str(corpora[1000]), str(args.repeat)], env)
    if stages["counts"]["errors"]:
        raise SystemExit(f"benchmark: the corpus compiled with {stages['counts']['errors']} errors")
    startup = measure(
        [
            Command("python -c 'import plancompiler.cli' (start-up)", [python, "-c", "import plancompiler.cli"], HERE),
            Command("python -c 'import yaml' (the floor's start-up)", [python, "-c", "import yaml"], HERE),
        ],
        args.repeat,
        env,
        scratch,
    )

    # mkdocs build with and without the plugin, on the same pages.
    corpus = corpora[1000]
    bare = bare_corpus(work, 1000, args.seed)
    with_plugin, without_plugin = measure(
        [
            site_build("mkdocs build, with the plugin (1,000 plans)", mkdocs, corpus),
            site_build("mkdocs build, without the plugin (1,000 plans)", mkdocs, bare),
        ],
        args.build_repeat,
        env,
        scratch,
    )
    row(with_plugin, "1,000 plans")
    row(without_plugin, "1,000 plans, same pages")
    ratio = with_plugin.wall / without_plugin.wall
    verdicts.append(
        Verdict(
            "`mkdocs build`, 1,000 plans, with the plugin against without",
            f"{ratio:.2f}x ({with_plugin.wall:.1f} s / {without_plugin.wall:.1f} s)",
            f"<= {BUILD_RATIO_MAX}x",
            ratio <= BUILD_RATIO_MAX,
        )
    )
    pruned_bytes = folder_bytes(corpus / "site")
    if args.quick:
        verdicts.append(
            Verdict("`mkdocs build`, 3,000 plans against 1,000", "-", f"<= {LARGE_BUILD_RATIO_MAX:.0f}x", None)
        )
    else:
        (large_build,) = measure(
            [site_build("mkdocs build, with the plugin (3,000 plans)", mkdocs, corpora[3000])],
            args.build_repeat,
            env,
            scratch,
        )
        row(large_build, "3,000 plans")
        ratio = large_build.wall / with_plugin.wall
        verdicts.append(
            Verdict(
                "`mkdocs build`, 3,000 plans against 1,000",
                f"{ratio:.2f}x ({large_build.wall:.1f} s / {with_plugin.wall:.1f} s)",
                f"<= {LARGE_BUILD_RATIO_MAX:.0f}x",
                ratio <= LARGE_BUILD_RATIO_MAX,
            )
        )
        shutil.rmtree(corpora[3000] / "site", ignore_errors=True)

    # One run each of the same build changed in one way: what the navigation costs at scale,
    # and what the summaries cost inside MkDocs.
    variant_notes: list[str] = []
    if not args.no_variants:
        text = (corpus / "mkdocs.yml").read_text(encoding="utf-8")
        variants = {
            "without navigation.prune": text.replace("  features:\n    - navigation.prune\n", ""),
            "with `nav_plans: all` (every plan in the sidebar)": text.replace(
                "  - plans\n", "  - plans:\n      nav_plans: all\n"
            ),
            "with `summary: off`": text.replace("  - plans\n", '  - plans:\n      summary: "off"\n'),
        }
        commands = []
        for name, config in variants.items():
            slug = "".join(c if c.isalnum() else "-" for c in name)
            (corpus / f"mkdocs-{slug}.yml").write_text(config, encoding="utf-8")
            commands.append(
                Command(
                    f"mkdocs build, with the plugin, {name} (1,000 plans)",
                    [mkdocs, "build", "-q", "-f", f"mkdocs-{slug}.yml", "-d", f"site-{slug}"],
                    corpus,
                    before=fresh(corpus / f"site-{slug}"),
                )
            )
        for (name, _), timing in zip(variants.items(), measure(commands, 1, env, scratch)):
            row(timing, "1,000 plans")
            site = timing.command.cwd / timing.command.argv[-1]
            variant_notes.append(
                f"{name[0].upper()}{name[1:]}: {timing.wall:.1f} s (one run; {timing.wall / with_plugin.wall:.2f}x"
                f" the median of the corpus's own configuration), {folder_bytes(site) / MIB:.0f} MiB of site"
                f" ({pruned_bytes / MIB:.0f} MiB)."
            )
            shutil.rmtree(site, ignore_errors=True)

    # mkdocs serve: the plugin's own time in the first build and in rebuilds.
    progress(f"mkdocs serve: a first build and {REBUILDS} rebuilds, each after editing one plan, in one process")
    serve = run_probe("serve", [str(corpus), str(work / "serve-site")], env)
    first, again = serve["builds"][0], median_rebuild(serve)
    refresh = statistics.median(b["wall"] for b in serve["builds"][1:])
    share = refresh / first["wall"]
    verdicts.append(
        Verdict(
            "`mkdocs serve`, 1,000 plans, edit to refresh (a whole rebuild after one plan's title changes)"
            " against the first build",
            f"{share:.1%} ({refresh:.2f} s / {first['wall']:.2f} s; median of {REBUILDS} rebuilds)",
            f"<= {REFRESH_SHARE_MAX:.0%}",
            share <= REFRESH_SHARE_MAX,
        )
    )
    share = again["plugin"] / first["plugin"]
    verdicts.append(
        Verdict(
            "`mkdocs serve`, plugin's time in a rebuild after one plan changes, against the first build",
            f"{share:.1%} ({again['plugin']:.3f} s / {first['plugin']:.2f} s; median of {REBUILDS} rebuilds)",
            f"<= {REBUILD_SHARE_MAX:.0%}",
            share <= REBUILD_SHARE_MAX,
        )
    )

    # sphinx-needs on the 100-plan corpus.
    sphinx_note = ""
    sphinx_build = sphinx_build_path(args.sphinx_build)
    if sphinx_build is None:
        sphinx_note = (
            "sphinx-build was not found, so the sphinx-needs comparison was skipped. Install it with"
            " `pip install -e '.[bench]'`, or into `benchmarks/.venv` (see the README)."
        )
        progress(sphinx_note)
        verdicts.append(Verdict("Full build, 100 plans: sphinx-needs against ours", "-", ">= 5x", None))
    else:
        small = corpora[100]
        source = work / "sphinx-100"
        if not (source / "conf.py").exists():
            needs = convert(small, source)
            progress(f"converted 100 plans to a Sphinx project with {needs} needs")
        small_bare = bare_corpus(work, 100, args.seed)
        sphinx_t, ours_t, bare_t = measure(
            [
                Command(
                    "sphinx-build -b html -q (100 plans, sphinx-needs)",
                    [str(sphinx_build), "-b", "html", "-q", str(source), str(work / "sphinx-100-html")],
                    work,
                    before=fresh(work / "sphinx-100-html"),
                ),
                site_build("mkdocs build, with the plugin (100 plans)", mkdocs, small),
                site_build("mkdocs build, without the plugin (100 plans)", mkdocs, small_bare),
            ],
            args.build_repeat,
            env,
            scratch,
        )
        row(sphinx_t, "100 plans")
        row(ours_t, "100 plans")
        row(bare_t, "100 plans, same pages")
        ratio = sphinx_t.wall / ours_t.wall
        verdicts.append(
            Verdict(
                "Full build, 100 plans: sphinx-needs against ours",
                f"{ratio:.2f}x ({sphinx_t.wall:.1f} s / {ours_t.wall:.1f} s)",
                f">= {SPHINX_RATIO_MIN:.0f}x",
                ratio >= SPHINX_RATIO_MIN,
            )
        )
        sphinx_note = (
            f"Compared with {sphinx_needs_version(sphinx_build)}. MkDocs alone, without the plugin, builds"
            f" the same pages in {bare_t.wall:.1f} s: against that, sphinx-build takes"
            f" {sphinx_t.wall / bare_t.wall:.2f}x, the most any plugin could show."
        )

    # History and schedule.
    history_repo = work / f"history-{HISTORY_PLANS}-{HISTORY_COMMITS}"
    if not (history_repo / ".git").exists():
        progress(f"generating a repository of {HISTORY_PLANS} plans and {HISTORY_COMMITS} commits")
        generate_history(history_repo, HISTORY_PLANS, HISTORY_COMMITS, args.seed)
    runs = max(args.repeat, 5)
    progress(f"history pass against git log -p, {runs} runs each, taking turns")
    history = run_probe("history", [str(history_repo), str(runs)], env)
    ratio = history["pass"] / history["git_log_p"]
    verdicts.append(
        Verdict(
            f"History pass, {HISTORY_PLANS} plans and {HISTORY_COMMITS:,} commits, against `git log -p`"
            " of the same folder",
            f"{ratio:.2f}x ({history['pass']:.3f} s / {history['git_log_p']:.3f} s); CPU"
            f" {history['pass_cpu'] / history['git_log_p_cpu']:.2f}x"
            f" ({history['pass_cpu']:.3f} s / {history['git_log_p_cpu']:.3f} s)",
            f"<= {HISTORY_RATIO_MAX:.0f}x",
            ratio <= HISTORY_RATIO_MAX,
        )
    )
    schedule = stages["stages"].get("schedule", 0.0)
    cold = check[1000]["cold"].wall
    share = schedule / (cold - schedule)
    verdicts.append(
        Verdict(
            "Schedule's added time in `plans check`, 1,000 plans",
            f"{share:.1%} ({schedule:.3f} s on {cold - schedule:.2f} s, cold)",
            f"< {SCHEDULE_SHARE_MAX:.0%}",
            share < SCHEDULE_SHARE_MAX,
        )
    )

    return render(args, verdicts, process_rows, stages, startup, serve, variant_notes, sphinx_note, history)


def median_rebuild(serve: dict[str, Any]) -> dict[str, Any]:
    """The serve probe's rebuild whose plugin time is the median."""
    rebuilds = sorted(serve["builds"][1:], key=lambda b: b["plugin"])
    return rebuilds[len(rebuilds) // 2]


def render(
    args: argparse.Namespace,
    verdicts: list[Verdict],
    process_rows: list[list[str]],
    stages: dict[str, Any],
    startup: list[Timing],
    serve: dict[str, Any],
    variant_notes: list[str],
    sphinx_note: str,
    history: dict[str, Any],
) -> str:
    """The report in Markdown."""
    out = ["### Targets", ""]
    out.append(
        table(
            ["Figure", "Measured (medians)", "Target", "Result"],
            [[v.figure, v.measured, v.target, v.result] for v in verdicts],
        )
    )
    passed = sum(v.passed is True for v in verdicts)
    failed = sum(v.passed is False for v in verdicts)
    out += ["", f"{passed} passed, {failed} failed.", ""]

    out += ["### Whole processes", ""]
    out.append(
        f"Medians of {args.repeat} run{'s' if args.repeat != 1 else ''} ({args.build_repeat} for site builds);"
        " peak memory is the maximum resident set size."
    )
    out.append("")
    out.append(table(["Command", "Corpus", "Runs", "Wall (s)", "Peak (MiB)"], process_rows))
    out += [
        "",
        "The build without the plugin is the same corpus with `- plans` removed from `mkdocs.yml`."
        " The plugin's six generated pages (Gates Index, plans index, decision log, Owners,"
        " Problems, Timeline) cannot be switched off, so that build gets six static pages of the same"
        " names instead: both builds render the same 1,340 pages. Without the plugin, MkDocs hands mkdocs-material the"
        " plans' `status:` keys, which it shows as icons in every page's navigation; the plugin keeps"
        " its keys to itself, so that build writes a little more HTML.",
    ]
    if variant_notes:
        out += ["", VARIANTS_EXPLAINED, "", *(f"- {note}" for note in variant_notes)]
    if sphinx_note:
        out += ["", sphinx_note]

    out += ["", "### Where the time of `plans check` goes (1,000 plans + 333 ADRs)", ""]
    start_ours, start_floor = startup
    stage_rows = [
        [
            "interpreter start-up and imports (whole process `python -c 'import plancompiler.cli'`)",
            f"{start_ours.wall:.3f}",
        ],
        ["of which the floor's own (`python -c 'import yaml'`)", f"{start_floor.wall:.3f}"],
    ]
    in_process = stages["stages"]
    total = sum(in_process.values())
    stage_rows += [[name, f"{seconds:.3f}"] for name, seconds in in_process.items()]
    stage_rows.append(["total in process (start-up not included)", f"{total:.3f}"])
    out.append(
        f"In one process, median of {args.repeat} runs, each with a fresh compiler, the files read one"
        " after another (`PLANS_NO_FORK=1`) so that each stage shows its whole cost: `plans check`"
        " itself hands half of the new files to a forked child, when a core is free. Parse, validate,"
        " link and analyse"
        " are `Compiler.timings`; emit renders every plan and ADR summary, the three generated"
        " pages and the JSON export, which `plans check` does not do but a build does."
    )
    out.append("")
    out.append(table(["Stage", "Seconds"], stage_rows))

    out += ["", "### `mkdocs serve`: a rebuild after one edit (1,000 plans)", ""]
    edited = ", ".join(f"`{b['edited']}`" for b in serve["builds"][1:])
    out.append(
        f"One process builds; then one plan gets a new title and it builds again, as `mkdocs serve`"
        f" does, {len(serve['builds']) - 1} times ({edited}, one after another). The plugin's time is"
        " the sum of its event handlers and its Markdown extension; the targets compare the median"
        " rebuild with the first build. A page converted had its Markdown turned into HTML again; a"
        " page rendered had the theme's template written around it again (`refresh.py`); the others"
        " are as the last build made them, and their files are left as the last build wrote them."
    )
    out.append("")
    events = sorted({e for b in serve["builds"] for e in b["by_event"]})
    header = ["Build", "Whole build (s)", "Plugin (s)", "Files parsed", "Pages converted", "Pages rendered", *events]
    rows = []
    for b in serve["builds"]:
        rows.append(
            [
                b["step"],
                f"{b['wall']:.1f}",
                f"{b['plugin']:.2f}",
                str(b["parsed"]),
                str(b["converted"]),
                str(b["rendered"]),
                *(f"{b['by_event'].get(e, 0.0):.2f}" for e in events),
            ]
        )
    out.append(table(header, rows))
    first, again = serve["builds"][0], median_rebuild(serve)
    out += [
        "",
        f"Inside those handlers, in the first build and the median rebuild ({again['step']}; seconds;"
        " the compiler's stages are part of `Compiler.compile`):",
        "",
    ]
    names = list(first["inner"]) + [n for n in again["inner"] if n not in first["inner"]]
    history_rows = [
        ["`git log -p -- docs`", *(f"{t:.3f}" for t in history["logs"]), f"{history['git_log_p']:.3f}"],
        ["history pass (`HistoryReader.read`)", *(f"{t:.3f}" for t in history["passes"]), f"{history['pass']:.3f}"],
    ]
    out.append(
        table(
            ["Call", "First build", "Rebuild"],
            [
                [f"`{n.strip()}`", f"{first['inner'].get(n, 0.0):.3f}", f"{again['inner'].get(n, 0.0):.3f}"]
                for n in names
            ],
        )
    )
    out += ["", f"### History pass ({history['plans']} plans, {history['commits']:,} commits)", ""]
    out.append(
        "A repository generated by `history_repo.py`: the first commit adds the plans (every task to"
        " do) and their ADRs; each later commit starts or finishes a task, adds one, changes a plan's"
        " status or its prose, or accepts an ADR. In one process the two commands take turns; each"
        f" row is seconds, run by run, then the median. The pass found {history['points']:,} points of"
        " the plans' series."
        f" CPU time (the process's and its git children's, medians): {history['pass_cpu']:.3f} s for the"
        f" pass, {history['git_log_p_cpu']:.3f} s for `git log -p`. The pass's git processes and its"
        " reading overlap where a core is free, so on a busy machine its wall time nears its CPU time."
    )
    out.append("")
    runs = len(history["passes"])
    out.append(table(["Command", *(f"run {i + 1}" for i in range(runs)), "Median"], history_rows))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
