"""The pipeline: parse -> validate -> link -> analyse, giving one model and its diagnostics.

This module is the core's front door. It imports nothing from MkDocs; the plugin and
the CLI are adapters that hand it sources and present what it returns. Each file is read
on its own (`Compiler._read`); what makes that fast on a large site, or again after an edit
under `mkdocs serve`, is `FrontEnd`'s business.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING

from plancompiler.analyse import analyse, rebind
from plancompiler.analyse.forecast import Schedule, TaskTrace, TimeOptions, check_dates, critical_paths, forecast
from plancompiler.analyse.gates import gate_states
from plancompiler.diagnostics import Diagnostic, Reporter, SeverityPolicy
from plancompiler.front_end import Checked, FrontEnd, Source
from plancompiler.ids import PLAN_ID, normalise_adr_id
from plancompiler.link.build import build_adr, build_plan
from plancompiler.link.prose import Prose, cross_references
from plancompiler.link.resolve import resolve
from plancompiler.link.symbols import PlanEntries, Symbols, plan_entries
from plancompiler.model import Adr, Analysis, Key, Links, Plan, Project
from plancompiler.parse.document import (
    DEFAULT_ADR_DIRS,
    ParsedDocument,
    looks_numbered,
    page_body,
    read_document,
    report_loops,
)
from plancompiler.parse.markdown_scan import scan
from plancompiler.parse.record import read_record
from plancompiler.parse.yaml_tree import Marks, YamlProblem
from plancompiler.validate.adr_status import DEFAULT_ALIASES
from plancompiler.validate.check import check_schema
from plancompiler.validate.normalise import normalise
from plancompiler.validate.schemas import SchemaSet, load_schemas
from plancompiler.vocabulary import TaskStatus

if TYPE_CHECKING:
    from plancompiler.disk_cache import DiskCache

__all__ = ["Compiler", "Options", "Result", "Source", "compile_sources"]

_ID_LINE = re.compile(r"^id[ \t]*:[ \t]*[\"']?([a-z0-9][a-z0-9._-]*)", re.MULTILINE)


@dataclass(frozen=True)
class Options:
    """What a project can configure about compilation."""

    adr_dirs: tuple[str, ...] = DEFAULT_ADR_DIRS
    severity: tuple[tuple[str, str], ...] = ()
    schema_dir: str | None = None
    time: TimeOptions = field(default_factory=TimeOptions)
    adr_status_aliases: tuple[tuple[str, str], ...] = tuple(sorted(DEFAULT_ALIASES.items()))
    """Status words of decision records and the state each stands for (`alias_key`s)."""


@dataclass(frozen=True)
class Result:
    """A compiled project, its sorted diagnostics, and the documents it came from."""

    project: Project
    diagnostics: tuple[Diagnostic, ...]
    documents: dict[str, ParsedDocument] = field(repr=False)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity.value == "error")


class Timings(dict[str, float]):
    """Seconds spent per stage since the compiler was made (the benchmark reports them)."""

    def __init__(self) -> None:
        super().__init__(dict.fromkeys(("parse", "validate", "link", "analyse", "schedule"), 0.0))

    def since(self, stage: str, started: float) -> float:
        """Count the time from `started` until now to `stage`; return now."""
        now = perf_counter()
        self[stage] += now - started
        return now


@dataclass(frozen=True, slots=True)
class _BuiltPlan:
    """A plan's model, kept with its file's front end: a rebuild links and analyses again,
    but builds only the plans whose files changed."""

    date: str | None
    plan: Plan
    problems: tuple[YamlProblem, ...]
    entries: PlanEntries


class _AsLinked:
    """A plan or an ADR as linking and analysis read it: equal to another exactly when the two
    differ at most in their titles, which no reference or analysis reads. The copy without
    titles is made only when two different documents are compared: a first compile never
    compares, and a rebuild compares the few documents whose files changed."""

    __slots__ = ("doc", "_untitled")

    def __init__(self, doc: Plan | Adr) -> None:
        self.doc = doc
        self._untitled: Plan | Adr | None = None

    def untitled(self) -> Plan | Adr:
        """The document with its titles blanked."""
        if self._untitled is None:
            self._untitled = _untitled(self.doc)
        return self._untitled

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _AsLinked):
            return NotImplemented
        return self.doc is other.doc or (type(self.doc) is type(other.doc) and self.untitled() == other.untitled())

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class _LinkInputs:
    """What linking and analysing read: every plan and ADR as linking reads it, in order, the
    broken plan ids, the citations and the day."""

    documents: tuple[_AsLinked, ...]
    broken: frozenset[str]
    citations: tuple[tuple[Key, Key], ...]
    today: datetime.date


@dataclass(frozen=True, slots=True)
class _ProseInputs:
    """What checking the prose's cross-references reads: every plan and ADR as linking reads
    it, in order, and what each page cites."""

    documents: tuple[_AsLinked, ...]
    prose: tuple[Prose, ...]


@dataclass(frozen=True, slots=True)
class _Linked:
    """The outcome of linking and analysing, and what it read."""

    inputs: _LinkInputs
    diagnostics: list[Diagnostic]
    links: Links
    analysis: Analysis
    schedule: Schedule


@dataclass(frozen=True, slots=True)
class _Crossed:
    """The outcome of checking the prose's cross-references, and what it read."""

    inputs: _ProseInputs
    diagnostics: list[Diagnostic]
    citations: list[tuple[Key, Key]]
    pages: dict[str, str]


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

    `fast=False` turns off what only makes compiling faster (`FrontEnd`); `keep_marks=False`
    lets go of the position of every value once a document's model is built, which saves a
    third of the memory of a one-off compile (the rules that compare with a base revision,
    and a model built again under `mkdocs serve`, need them).
    """

    def __init__(
        self, options: Options | None = None, keep_marks: bool = True, fast: bool = True, store: Path | None = None
    ) -> None:
        """`store` is a project's folder: each file's front-end work is then also kept on disk
        for the next process (`disk_cache`), unless the user turned that cache off."""
        self.options = options or Options()
        self.schemas: SchemaSet = load_schemas(self.options.schema_dir)
        disk: DiskCache | None = None
        if store is not None and fast:
            from plancompiler.disk_cache import DiskCache  # imported only by compilers that keep one

            # Every option `_read` reads is part of the cache's identity.
            disk = DiskCache.for_project(
                store, self.schemas.fingerprint, self.options.adr_dirs, self.options.adr_status_aliases, keep_marks
            )
        self.policy = SeverityPolicy(dict(self.options.severity))
        self.aliases = dict(self.options.adr_status_aliases)
        # The front end is handed `_read` for each compile rather than kept with it: a compiler
        # that others let go of is then freed at once, not by the cyclic collector.
        self.front_end = FrontEnd(fast=fast, keep_marks=keep_marks, store=disk)
        self.timings = Timings()
        self._linked: _Linked | None = None
        self._crossed: _Crossed | None = None
        self._as_linked: dict[int, _AsLinked] = {}
        """Each plan and ADR of the last compile as linking reads it, by the document's id: an
        unchanged document is the same object in the next compile, and keeps its view."""
        self._dated: tuple[Schedule, object, int, list[Diagnostic]] | None = None
        """The last date checks: the schedule and history they read, and what they found."""

    @property
    def parsed(self) -> int:
        """Files read so far; the others were known from an earlier compile."""
        return self.front_end.parsed

    def knows(self, source: Source) -> bool:
        """Whether the last compile had this file, with this content (by `source.digest`):
        it may then be compiled again without its content."""
        return self.front_end.knows(source)

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
        """
        today = today or self.options.time.today or datetime.date.today()
        with self.front_end.paused_gc():
            reporter = Reporter(self.policy)
            report_loops(loops, reporter)
            symbols = Symbols()
            documents: dict[str, ParsedDocument] = {}
            prose: list[Prose] = []
            record_like: list[str] = []
            for source, checked in self.front_end.read(sources, self._read, _reusable(dates)):
                if checked.uses:
                    prose.append(_prose(source, checked))
                if checked.doc is None:
                    if checked.record_like:
                        record_like.append(source.path)
                    continue
                for p in checked.problems:
                    reporter.report(p.code, checked.doc.path, p.line, p.col, p.message)
                if checked.doc.kind == "plan":
                    self._add_plan(checked, symbols, reporter, _file_date(checked.doc, dates))
                else:
                    self._add_adr(checked, symbols, reporter)
                documents[checked.doc.path] = checked.doc
            linking = perf_counter()
            symbols.link_adrs()
            _unread_records(record_like, self.options.adr_dirs, reporter)
            as_linked = self._linked_documents(symbols)
            citations, pages = self._cross_references(prose, symbols, as_linked, reporter)
            self.timings.since("link", linking)
            project = self._link_and_analyse(symbols, as_linked, citations, reporter, len(documents), pages, today)
            traces = history() if history is not None and _may_be_stale_or_early(project) else None
            checking = perf_counter()
            reporter.extend(self._check_dates(project, traces))
            self.timings.since("schedule", checking)
            return Result(project, reporter.sorted(), documents)

    def _read(self, source: Source) -> Checked:
        """One file's front end: parse it, normalise and validate its front matter, and scan
        its prose for cross-references and its title."""
        started = perf_counter()
        doc = read_document(source.path, source.rel, source.content, self.options.adr_dirs)
        started = self.timings.since("parse", started)
        if doc is None:
            body, body_line = page_body(source.content)
            uses, title = scan(body, body_line)
            # Named and written like a decision record, in a folder that is not one of adr_dirs.
            record_like = looks_numbered(source.rel) and read_record(body, body_line).found
            return Checked(None, (), tuple(uses), title, record_like=record_like)
        problems = list(doc.problems)
        if doc.readable:
            doc, found = normalise(doc, self.schemas, self.options.adr_dirs, self.aliases)
            problems += found
            problems += check_schema(doc, self.schemas)
        elif doc.kind == "adr":
            # Keep the record in the site under its file name's number and heading, so
            # that gates tied to it do not report it missing on top of its own problem.
            doc, _ = normalise(doc.with_values({}, Marks()), self.schemas, self.options.adr_dirs, self.aliases)
        self.timings.since("validate", started)
        uses, title = scan(doc.body, doc.body_line) if doc.readable or doc.kind == "adr" else ([], None)
        if doc.kind == "adr" and doc.derived.get("relations"):
            # What a relation line links to is a relation of the record, not a citation.
            related = {line for *_, line, _col in doc.derived["relations"]}
            uses = [use for use in uses if use.line not in related]
        if doc.readable and (doc.kind == "adr" or PLAN_ID.match(str(doc.data.get("id", "")))):
            doc = doc.without_text()  # only needed to recover the id of a plan that has none
        return Checked(doc, tuple(problems), tuple(uses), title)

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

    def _linked_documents(self, symbols: Symbols) -> tuple[_AsLinked, ...]:
        """Every plan, then every ADR, as linking reads it (`_AsLinked`)."""
        kept, self._as_linked = self._as_linked, {}
        found = []
        documents: list[Plan | Adr] = [*symbols.plans.values(), *symbols.adrs.values()]
        for doc in documents:
            view = kept.get(id(doc))
            if view is None or view.doc is not doc:
                view = _AsLinked(doc)
            self._as_linked[id(doc)] = view
            found.append(view)
        return tuple(found)

    def _link_and_analyse(
        self,
        symbols: Symbols,
        as_linked: tuple[_AsLinked, ...],
        citations: list[tuple[Key, Key]],
        reporter: Reporter,
        documents: int,
        pages: dict[str, str],
        today: datetime.date,
    ) -> Project:
        """Resolve every reference and run the analyses, or take both from the previous
        compilation when nothing they read has changed.

        Under `mkdocs serve` most edits change a title or the prose of one page: every plan
        and ADR is then what it was, or differs only in its titles, which no reference or
        analysis reads, and linking and analysing the whole site again would give the same
        diagnostics, the same analysis and the same schedule.
        """
        linking = perf_counter()
        inputs = _LinkInputs(as_linked, frozenset(symbols.broken), tuple(citations), today)
        last = self._linked
        if last is not None and last.inputs == inputs:
            self._linked = replace(last, inputs=inputs)
            reporter.extend(last.diagnostics)
            self.timings.since("link", linking)
            project = symbols.project(last.links, documents, pages)
            return replace(project, analysis=rebind(last.analysis, project), schedule=last.schedule)
        stage = Reporter(self.policy)
        links = resolve(symbols, citations, stage)
        self.timings.since("link", linking)
        project = symbols.project(links, documents, pages)  # sorting the indexes is no stage's work
        # The gates' states are the analysis's; the schedule reads them first.
        analysing = perf_counter()
        states = gate_states(project)
        scheduling = self.timings.since("analyse", analysing)
        plan_schedule = forecast(project, states, self.options.time, today)
        analysing = self.timings.since("schedule", scheduling)
        # Where a whole plan is scheduled, its critical path is the chain the schedule finds.
        analysis = analyse(project, stage, critical_paths(plan_schedule), states)
        self.timings.since("analyse", analysing)
        self._linked = _Linked(inputs, stage.items, project.links, analysis, plan_schedule)
        reporter.extend(stage.items)
        return replace(project, analysis=analysis, schedule=plan_schedule)

    def _cross_references(
        self, prose: list[Prose], symbols: Symbols, as_linked: tuple[_AsLinked, ...], reporter: Reporter
    ) -> tuple[list[tuple[Key, Key]], dict[str, str]]:
        """`link.prose.cross_references`, or its previous findings while no plan or ADR changed
        beyond its titles (which no reference reads) and every page cites what it cited."""
        inputs = _ProseInputs(as_linked, tuple(prose))
        last = self._crossed
        if last is not None and last.inputs == inputs:
            self._crossed = replace(last, inputs=inputs)
            reporter.extend(last.diagnostics)
            return last.citations, last.pages
        stage = Reporter(self.policy)
        citations, pages = cross_references(prose, symbols, stage)
        self._crossed = _Crossed(inputs, stage.items, citations, pages)
        reporter.extend(stage.items)
        return citations, pages

    def _add_plan(self, checked: Checked, symbols: Symbols, reporter: Reporter, date: str | None) -> None:
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
        built = checked.model
        if not isinstance(built, _BuiltPlan) or built.date != date:
            problems: list[YamlProblem] = []
            plan = build_plan(doc, plan_id, problems)
            if plan.updated is None and date:
                plan = replace(plan, updated=date)
            built = checked.model = _BuiltPlan(date, plan, tuple(problems), plan_entries(plan))
            self.front_end.release(checked)
        for p in built.problems:
            reporter.report(p.code, doc.path, p.line, p.col, p.message)
        symbols.add_plan(built.plan, reporter, built.entries)

    def _add_adr(self, checked: Checked, symbols: Symbols, reporter: Reporter) -> None:
        doc = checked.doc
        assert doc is not None
        adr_id = doc.data.get("id")
        if isinstance(adr_id, str) and normalise_adr_id(adr_id) == adr_id:
            if not isinstance(checked.model, Adr):
                checked.model = build_adr(doc, adr_id)
                self.front_end.release(checked)
            symbols.add_adr(checked.model, reporter)


def _reusable(dates: Mapping[str, str] | None) -> Callable[[Checked], bool]:
    """Whether a file's front end kept on disk may stand for this compile's: not a plan's
    model built with another file date, whose value positions may be gone."""

    def reusable(checked: Checked) -> bool:
        built = checked.model
        return not isinstance(built, _BuiltPlan) or checked.doc is None or built.date == _file_date(checked.doc, dates)

    return reusable


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


def _unread_records(paths: list[str], adr_dirs: tuple[str, ...], reporter: Reporter) -> None:
    """One line per folder of pages that look like decision records but are not read as ones,
    naming the option that would make them so."""
    by_folder: dict[str, list[str]] = {}
    for path in paths:
        folder, _, name = path.rpartition("/")
        by_folder.setdefault(folder, []).append(name)
    for folder, names in sorted(by_folder.items()):
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        name = folder.rpartition("/")[2] or folder
        noun = "file looks" if len(names) == 1 else "files look"
        reporter.report(
            "PLN067",
            f"{folder}/{names[0]}" if folder else names[0],
            1,
            1,
            f"{len(names)} {noun} like decision records ({shown}) but '{name}' is not one of the"
            f" decision folders ({', '.join(adr_dirs)}); add '{name}' to the plans plugin's adr_dirs"
            " option to read them as records",
        )


def _prose(source: Source, checked: Checked) -> Prose:
    """What `link.prose` needs of a page whose prose holds labels."""
    doc = checked.doc
    kind, ident = (doc.kind, doc.data.get("id")) if doc is not None else (None, None)
    return Prose(source.path, source.rel, kind, ident, checked.title, checked.uses)


def compile_sources(sources: Iterable[Source], options: Options | None = None) -> Result:
    """Compile once, without keeping a cache."""
    return Compiler(options).compile(sources)
