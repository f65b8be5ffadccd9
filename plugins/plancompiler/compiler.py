"""The pipeline: parse -> validate -> link -> analyse, giving one model and its diagnostics.

This module is the core's front door. It imports nothing from MkDocs; the plugin and
the CLI are adapters that hand it sources and present what it returns.
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from time import perf_counter
from typing import Any

from plancompiler import parallel
from plancompiler.analyse import analyse
from plancompiler.analyse import warm_up as analysis_warm_up
from plancompiler.analyse.forecast import Schedule, TaskTrace, TimeOptions, check_dates, critical_paths, forecast
from plancompiler.analyse.gates import gate_state
from plancompiler.diagnostics import Diagnostic, Reporter, SeverityPolicy
from plancompiler.ids import PLAN_ID
from plancompiler.link.build import build_adr, build_plan
from plancompiler.link.prose import XrefResolver
from plancompiler.link.resolve import resolve
from plancompiler.link.symbols import PlanEntries, Symbols, plan_entries
from plancompiler.model import Adr, Analysis, Key, Links, Plan, Project
from plancompiler.parse.document import DEFAULT_ADR_DIRS, ParsedDocument, page_body, read_document
from plancompiler.parse.markdown_scan import XrefUse, scan
from plancompiler.parse.yaml_tree import Mark, Marks, YamlProblem
from plancompiler.validate.check import check_schema
from plancompiler.validate.normalise import normalise
from plancompiler.validate.schemas import SchemaSet, load_schemas
from plancompiler.vocabulary import TaskStatus

CHILD_SHARE = 0.45
_Key = tuple[str, str, bytes]
_ID_LINE = re.compile(r"^id[ \t]*:[ \t]*[\"']?([a-z0-9][a-z0-9._-]*)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Source:
    """One Markdown file: `path` as diagnostics show it, `rel` inside the docs folder.

    `digest` is `digest(content)` when the caller has it: a caller that knows a file is
    unchanged since the last compile (`Compiler.knows`) may then leave `content` empty.
    """

    path: str
    rel: str
    content: bytes | str
    digest: bytes | None = None


@dataclass(frozen=True)
class Options:
    """What a project can configure about compilation."""

    adr_dirs: tuple[str, ...] = DEFAULT_ADR_DIRS
    severity: tuple[tuple[str, str], ...] = ()
    schema_dir: str | None = None
    time: TimeOptions = field(default_factory=TimeOptions)


@dataclass(frozen=True)
class Result:
    """A compiled project, its sorted diagnostics, and the documents it came from."""

    project: Project
    diagnostics: tuple[Diagnostic, ...]
    documents: dict[str, ParsedDocument] = field(repr=False)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity.value == "error")


@dataclass(slots=True)
class _Checked:
    """A file after parse, normalise and schema check: what the cache keeps.

    `doc` is None for an ordinary page; its prose is still scanned for cross-references.
    """

    doc: ParsedDocument | None
    problems: list[YamlProblem]
    uses: list[XrefUse]
    title: str | None
    built: tuple[str | None, Plan, list[YamlProblem], PlanEntries] | None = None
    adr: Adr | None = None


@dataclass(frozen=True, slots=True)
class _Linked:
    """The outcome of linking and analysing, and the plans, ADRs and citations it read."""

    inputs: tuple[object, ...]
    diagnostics: list[Diagnostic]
    links: Links
    analysis: Analysis
    schedule: Schedule


@dataclass(frozen=True, slots=True)
class _Crossed:
    """The outcome of checking the prose's cross-references, and what it read."""

    inputs: tuple[object, ...]
    diagnostics: list[Diagnostic]
    citations: list[tuple[Key, Key]]
    pages: dict[str, str]


def _same_inputs(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    """Whether linking and analysing `new` must give what `old` gave: the same plans and
    ADRs in the same order, changed at most in their titles, and the same citations."""
    if len(old) != len(new):
        return False
    for before, after in zip(old, new):
        if before is after:
            continue
        if type(before) is not type(after):
            return False
        if isinstance(before, (Plan, Adr)) and isinstance(after, (Plan, Adr)):
            if _untitled(before) != _untitled(after):
                return False
        elif before != after:
            return False
    return True


def _untitled(doc: Plan | Adr) -> Plan | Adr:
    """A plan or ADR with its titles blanked: what linking and analysis read of it."""
    if isinstance(doc, Adr):
        return replace(doc, title="")
    return replace(
        doc,
        title="",
        phases=tuple(
            replace(phase, title="", tasks=tuple(replace(task, title="") for task in phase.tasks))
            for phase in doc.phases
        ),
        gates=tuple(replace(gate, title="") for gate in doc.gates),
        risks=tuple(replace(risk, title="") for risk in doc.risks),
    )


class Compiler:
    """Compiles sets of sources; remembers each file's front-end work between runs.

    The cache is keyed by the file's path and content, so a rebuild under `mkdocs serve`
    parses and validates only the files that changed.
    """

    def __init__(self, options: Options | None = None, keep_marks: bool = True) -> None:
        """`keep_marks=False` drops the position of every value once a document's model is
        built, which saves a third of the memory of a one-off compile; the rules that compare
        with a base revision, and a model built again under `mkdocs serve`, need them."""
        self.options = options or Options()
        self.keep_marks = keep_marks
        self.schemas: SchemaSet = load_schemas(self.options.schema_dir)
        self.policy = SeverityPolicy(dict(self.options.severity))
        self._cache: dict[_Key, _Checked] = {}
        self._linked: _Linked | None = None
        self._crossed: _Crossed | None = None
        self._dated: tuple[Schedule, object, int, list[Diagnostic]] | None = None
        """The last date checks: the schedule and history they read, and what they found."""
        self.parsed = 0
        # Seconds spent per stage since this compiler was made (the benchmark reports them).
        self.timings: dict[str, float] = dict.fromkeys(("parse", "validate", "link", "analyse", "schedule"), 0.0)

    def knows(self, source: Source) -> bool:
        """Whether the last compile had this file, with this content (by `source.digest`):
        it may then be compiled again without its content."""
        return source.digest is not None and _cache_key(source) in self._cache

    def front_end(self, source: Source, key: _Key | None = None) -> _Checked:
        """Parse, normalise and validate one file, and find its cross-references; cached.
        `key` is the source's `_cache_key`, when the caller has it already."""
        if key is None:
            key = _cache_key(source)
        if key in self._cache:
            return self._cache[key]
        self.parsed += 1
        started = perf_counter()
        doc = read_document(source.path, source.rel, source.content, self.options.adr_dirs)
        parsed = perf_counter()
        self.timings["parse"] += parsed - started
        if doc is None:
            uses, title = scan(*page_body(source.content))
            checked = _Checked(None, [], uses, title)
        else:
            problems = list(doc.problems)
            if doc.readable:
                problems += normalise(doc, self.schemas, self.options.adr_dirs)
                problems += check_schema(doc, self.schemas)
            elif doc.kind == "adr":
                # Keep the record in the site under its file name's number and heading, so
                # that gates tied to it do not report it missing on top of its own problem.
                doc.data = {}
                doc.marks = Marks()
                normalise(doc, self.schemas, self.options.adr_dirs)
            self.timings["validate"] += perf_counter() - parsed
            uses, title = scan(doc.body, doc.body_line) if doc.readable or doc.kind == "adr" else ([], None)
            if doc.readable and (doc.kind == "adr" or PLAN_ID.match(str(doc.data.get("id", "")))):
                doc.text = ""  # only needed to recover the id of a plan that has none
            checked = _Checked(doc, problems, uses, title)
        self._cache[key] = checked
        return checked

    def _receive(self, child: parallel.Forked[_Checked], keys: list[_Key]) -> None:
        """Put the child's front ends into the cache; if it failed, the parent's loop
        reads those files itself."""
        analysis_warm_up()  # while the child finishes its share
        results = child.collect(_unpack)
        if results is None:
            return
        self.parsed += len(results)
        for key, checked in zip(keys, results):
            self._cache[key] = checked

    def compile(
        self,
        sources: Iterable[Source],
        dates: Mapping[str, str] | None = None,
        loops: Iterable[tuple[str, str]] = (),
        history: Callable[[], Mapping[str, Mapping[str, TaskTrace]] | None] | None = None,
        today: datetime.date | None = None,
    ) -> Result:
        """Compile every source into one project.

        `dates` maps source paths to their last-change dates (from git); a plan without an
        `updated:` key takes its file's date. `loops` are folder links that point back at a
        folder containing them, as (link, target) display paths; the adapter left their files out.
        `history` gives what git says about each plan's tasks, by plan and task id; it is asked
        only when some task in progress or started could be stale or early. `today` is the day
        the schedule starts from (default: the site's `today:` option, else the date).

        Python's cyclic garbage collector is paused meanwhile: compiling makes millions of
        small objects that all stay alive, and on a large site the collector's passes over
        them took a quarter of the time. What the compiler throws away has no cycles.
        """
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._compile(sources, dates, loops, history, today or self.options.time.today)
        finally:
            if collecting:
                gc.enable()

    def _compile(
        self,
        sources: Iterable[Source],
        dates: Mapping[str, str] | None,
        loops: Iterable[tuple[str, str]],
        history: Callable[[], Mapping[str, Mapping[str, TaskTrace]] | None] | None,
        today: datetime.date | None,
    ) -> Result:
        reporter = Reporter(self.policy)
        for link, target in loops:
            reporter.report(
                "PLN009",
                link,
                1,
                1,
                f"{link} links back to {target}, a folder that contains it; the files below it are"
                " left out (remove the link or point it elsewhere)",
            )
        symbols = Symbols()
        documents: dict[str, ParsedDocument] = {}
        # Last first, so that popping walks the files in order; a file's bytes are let go as
        # soon as it is read (on a 10,000-plan site they are a tenth of the peak memory).
        pending = sorted(((s, _cache_key(s)) for s in sources), key=lambda item: item[0].path, reverse=True)
        del sources
        seen = {key for _, key in pending}
        if len(self._cache) > len(seen) or not seen.issuperset(self._cache):
            for key in [k for k in self._cache if k not in seen]:  # files gone or changed
                del self._cache[key]
        # On a large site a forked child reads the last of the new files meanwhile; its
        # share is under half, since the parent also builds and links every plan.
        fresh = [item for item in pending if item[1] not in self._cache]
        theirs = fresh[: int(len(fresh) * CHILD_SHARE)]  # `pending` is reversed: these come last
        del fresh
        child = parallel.fork_work(theirs, lambda item: _pack(self.front_end(*item)))
        prose: list[tuple[Source, _Checked]] = []
        while pending:
            source, key = pending.pop()
            if child is not None and source.path >= theirs[-1][0].path:
                self._receive(child, [k for _, k in theirs])
                child, theirs = None, []
            checked = self.front_end(source, key)
            if checked.uses:
                prose.append((Source(source.path, source.rel, b""), checked))
            doc = checked.doc
            if doc is None:
                continue
            documents[doc.path] = doc
            for p in checked.problems:
                reporter.report(p.code, doc.path, p.line, p.col, p.message)
            if doc.kind == "plan":
                self._add_plan(checked, symbols, reporter, _file_date(doc, dates))
            else:
                self._add_adr(checked, symbols, reporter)
        linking = perf_counter()
        citations, pages = self._cross_references(prose, symbols, reporter)
        self.timings["link"] += perf_counter() - linking
        project = self._link_and_analyse(
            symbols, citations, reporter, len(documents), pages, today or datetime.date.today()
        )
        traces = history() if history is not None and _may_be_stale_or_early(project) else None
        checking = perf_counter()
        reporter.extend(self._check_dates(project, traces))
        self.timings["schedule"] += perf_counter() - checking
        return Result(project, reporter.sorted(), documents)

    def _check_dates(self, project: Project, traces: Mapping[str, Mapping[str, TaskTrace]] | None) -> list[Diagnostic]:
        """The date checks' diagnostics; the last compilation's while it kept its schedule (so
        nothing they read changed but titles, which they do not read) and history says what
        it said."""
        stale_after = self.options.time.stale_after
        plan_schedule = project.schedule
        assert plan_schedule is not None
        last = self._dated
        if last is not None and last[0] is plan_schedule and last[1] == traces and last[2] == stale_after:
            return last[3]
        stage = Reporter(self.policy)
        check_dates(project, project.analysis.gate_states, plan_schedule, traces, stale_after, stage)
        self._dated = (plan_schedule, traces, stale_after, stage.items)
        return stage.items

    def _link_and_analyse(
        self,
        symbols: Symbols,
        citations: list[tuple[Key, Key]],
        reporter: Reporter,
        documents: int,
        pages: dict[str, str],
        today: datetime.date,
    ) -> Project:
        """Check every reference and run the analyses, or take both from the previous
        compilation when nothing they read has changed.

        Under `mkdocs serve` most edits change a title or the prose of one page: every plan
        and ADR is then what it was, or differs only in its titles, which no reference or
        analysis reads, and linking and analysing the whole site again would give the same
        diagnostics, the same analysis and the same schedule.
        """
        linking = perf_counter()
        inputs = (
            *symbols.plans.values(),
            *symbols.adrs.values(),
            frozenset(symbols.broken),
            tuple(citations),
            today,
        )
        last = self._linked
        if last is not None and _same_inputs(last.inputs, inputs):
            self._linked = replace(last, inputs=inputs)
            reporter.extend(last.diagnostics)
            self.timings["link"] += perf_counter() - linking
            return replace(
                symbols.project(last.links, documents, pages), analysis=last.analysis, schedule=last.schedule
            )
        stage = Reporter(self.policy)
        project = symbols.project(resolve(symbols, citations, stage), documents, pages)
        scheduling = perf_counter()
        states = {gid: gate_state(project, gate) for gid, gate in project.gates.items()}
        plan_schedule = forecast(project, states, self.options.time, today)
        analysing = perf_counter()
        # Where a whole plan is scheduled, its critical path is the chain the schedule finds.
        analysis = analyse(project, stage, critical_paths(plan_schedule))
        self.timings["link"] += scheduling - linking
        self.timings["schedule"] += analysing - scheduling
        self.timings["analyse"] += perf_counter() - analysing
        found = stage.items
        self._linked = _Linked(inputs, found, project.links, analysis, plan_schedule)
        reporter.extend(found)
        return replace(project, analysis=analysis, schedule=plan_schedule)

    def _cross_references(
        self, prose: list[tuple[Source, _Checked]], symbols: Symbols, reporter: Reporter
    ) -> tuple[list[tuple[Key, Key]], dict[str, str]]:
        """Report unresolved and stale prose references; return (citing, cited) key pairs
        for the backlinks, and the titles of ordinary pages that cite something.

        As with linking, the previous compilation's findings stand while no plan or ADR changed
        beyond its titles (which no reference reads) and every page cites what it cited."""
        inputs = (
            *symbols.plans.values(),
            *symbols.adrs.values(),
            *((s.path, s.rel, c.title, c.doc and (c.doc.kind, c.doc.data.get("id")), c.uses) for s, c in prose),
        )
        last = self._crossed
        if last is not None and _same_inputs(last.inputs, inputs):
            self._crossed = replace(last, inputs=inputs)
            reporter.extend(last.diagnostics)
            return last.citations, last.pages
        stage = Reporter(self.policy)
        citations, pages = self._resolve_prose(prose, symbols, stage)
        self._crossed = _Crossed(inputs, stage.items, citations, pages)
        reporter.extend(stage.items)
        return citations, pages

    def _resolve_prose(
        self, prose: list[tuple[Source, _Checked]], symbols: Symbols, reporter: Reporter
    ) -> tuple[list[tuple[Key, Key]], dict[str, str]]:
        resolver = XrefResolver(symbols.plans, symbols.adrs, symbols.gates)
        citations: list[tuple[Key, Key]] = []
        pages: dict[str, str] = {}
        for source, checked in prose:
            citing = _citing_key(source, checked, symbols)
            for use in checked.uses:
                target = resolver.resolve(use.label)
                if target is None:
                    if resolver.is_checked(use.label):
                        reporter.report(
                            "PLN015",
                            source.path,
                            use.line,
                            use.col,
                            f"cross-reference [{use.label}] matches no"
                            f" {_shape_name(use.label)}; correct the id, or define the link"
                            f" yourself ([{use.label}]: url)",
                        )
                    continue
                if target.stale is not None:
                    adr = target.stale
                    successor = f" by {adr.superseded_by.text}" if adr.superseded_by else ""
                    reporter.report(
                        "PLN016",
                        source.path,
                        use.line,
                        use.col,
                        f"[{use.label}] cites {adr.id}, which is {adr.status}{successor}; cite the"
                        " decision in force instead",
                    )
                if citing and target.key != citing:
                    citations.append((citing, target.key))
                    if checked.doc is None:
                        pages[source.rel] = checked.title or source.rel
        return citations, dict(sorted(pages.items()))

    def _add_plan(self, checked: _Checked, symbols: Symbols, reporter: Reporter, date: str | None) -> None:
        doc = checked.doc
        assert doc is not None
        plan_id = doc.data.get("id")
        if not (isinstance(plan_id, str) and PLAN_ID.match(plan_id)):
            # Unreadable or without a valid id: remember the id it seems to have, so that
            # references to it are not reported on top of its own diagnostics.
            found = _ID_LINE.search(doc.text[:65536])
            if found:
                symbols.broken.add(found.group(1))
            return
        # The model of an unchanged file is kept with its parse: a rebuild links and analyses
        # again, but builds only the plans whose files changed.
        if checked.built is None or checked.built[0] != date:
            problems: list[YamlProblem] = []
            plan = build_plan(doc, plan_id, problems)
            if plan.updated is None and date:
                plan = replace(plan, updated=date)
            self._done_with_marks(doc)
            checked.built = (date, plan, problems, plan_entries(plan))
        _, plan, problems, entries = checked.built
        for p in problems:
            reporter.report(p.code, doc.path, p.line, p.col, p.message)
        symbols.add_plan(plan, reporter, entries)

    def _done_with_marks(self, doc: ParsedDocument) -> None:
        if self.keep_marks:
            doc.marks.forget()  # lookups made while building; rebuilt on demand
        else:
            doc.marks = Marks()

    def _add_adr(self, checked: _Checked, symbols: Symbols, reporter: Reporter) -> None:
        doc = checked.doc
        assert doc is not None
        adr_id = doc.data.get("id")
        if isinstance(adr_id, str) and adr_id.startswith("ADR-"):
            if checked.adr is None:
                checked.adr = build_adr(doc, adr_id)
                self._done_with_marks(doc)
            symbols.add_adr(checked.adr, reporter)


def _may_be_stale_or_early(project: Project) -> bool:
    """Whether some task is in progress, or started while a date pins its start: only then
    does git history have something to say about the plans."""
    for plan in project.plans.values():
        pinned = plan.start is not None
        for phase in plan.phases:
            for task in phase.tasks:
                if task.status is TaskStatus.IN_PROGRESS or (
                    task.status is TaskStatus.DONE and (pinned or phase.start is not None or task.start is not None)
                ):
                    return True
    return False


def _file_date(doc: ParsedDocument, dates: Mapping[str, str] | None) -> str | None:
    """The last-change date of a plan's file, when the plan does not say `updated:` itself."""
    updated = doc.data.get("updated")
    if dates is None or (isinstance(updated, str) and updated.strip()):
        return None
    return dates.get(doc.path)


def _pack(checked: _Checked) -> tuple[object, ...]:
    """A front end's result as plain values, to cross from the forked child (`parallel`)."""
    uses = [(u.label, u.line, u.col) for u in checked.uses]
    problems = [(p.code, p.line, p.col, p.message) for p in checked.problems]
    doc = checked.doc
    if doc is None:
        return (None, problems, uses, checked.title)
    marks = doc.marks
    packed_doc = (
        doc.path,
        doc.rel,
        doc.kind,
        doc.data,
        marks.root,
        [(path, m.line, m.col, m.key_line, m.key_col, m.raw) for path, m in marks.extra.items()],
        marks.typed,
        doc.body,
        doc.body_line,
        doc.text,
        [(p.code, p.line, p.col, p.message) for p in doc.problems],
        doc.readable,
    )
    return (packed_doc, problems, uses, checked.title)


def _unpack(packed: tuple[Any, ...]) -> _Checked:
    packed_doc, problems, uses, title = packed
    doc = None
    if packed_doc is not None:
        path, rel, kind, data, root, extra, typed, body, body_line, text, doc_problems, readable = packed_doc
        marks = Marks(root)
        marks.extra = {tuple(p): Mark(line, col, kl, kc, raw) for p, line, col, kl, kc, raw in extra}
        marks.typed = [(tuple(p), raw) for p, raw in typed]
        doc = ParsedDocument(
            path, rel, kind, data, marks, body, body_line, text, [YamlProblem(*p) for p in doc_problems], readable
        )
    return _Checked(doc, [YamlProblem(*p) for p in problems], [XrefUse(*u) for u in uses], title)


def digest(content: bytes | str) -> bytes:
    """What identifies a file's content in the cache (the content itself would keep a second
    copy of every file in memory). SHA-256 has hardware help on most machines: it digests a
    site twice as fast as BLAKE2 here."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.sha256(data).digest()[:16]


def _cache_key(source: Source) -> _Key:
    """A file's identity for the cache: its paths and the digest of its content."""
    return (source.path, source.rel, source.digest if source.digest is not None else digest(source.content))


def _citing_key(source: Source, checked: _Checked, symbols: Symbols) -> Key | None:
    doc = checked.doc
    if doc is None:
        return Key.of("page", source.rel)
    ident = doc.data.get("id")
    if doc.kind == "plan" and ident in symbols.plans and symbols.plans[ident].path == doc.path:
        return symbols.plans[ident].key
    if doc.kind == "adr" and ident in symbols.adrs and symbols.adrs[ident].path == doc.path:
        return symbols.adrs[ident].key
    return None


def _shape_name(label: str) -> str:
    if label.upper().startswith("ADR-"):
        return "ADR"
    if "/" in label:
        return f"task or phase of plan '{label.split('/', 1)[0]}'"
    return "gate"


def compile_sources(sources: Iterable[Source], options: Options | None = None) -> Result:
    """Compile once, without keeping a cache."""
    return Compiler(options).compile(sources)
