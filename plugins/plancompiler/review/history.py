"""Progress over time, read from the git history of the plan files.

One pass, without a checkout: one `git log` lists every commit that changed a Markdown file
of the docs folder (first parents only, oldest first, with the blob each change left), and
one `cat-file --batch` reads those blobs, as `review.git.read_tree` does for `plans diff`.
Walking the commits in order gives, per plan (by its id, so a renamed file keeps its
history), the series of commits that changed it or the state of its gates: the day, the
estimate done, the estimate in scope and the gates still open; and, per task, the day its
status was set and the day its entry last changed. Changes not yet committed count as made
today.

Plans keep one task to a line more often than not (`- {id: P1.2, status: done, ...}`), and a
commit changes a line or two of one plan, so a long history costs little more than git's own
work (the benchmark holds it to twice `git log -p`):

- each such line is read once per text it ever had, by a reader of plain flow mappings;
- the rest of the front matter (its skeleton: the keys the pass reads, with each run of
  one-line items as one line) once per text it had, line by line when it has the usual shape,
  else by libyaml's base loader; with anchors, aliases or tags, by the hardened reader of
  `parse.yaml_tree`;
- a version that differs from the file's last one in one task's line is that version with the
  one task changed, and only that task's history is brought up to date.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import queue
import re
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import yaml

from plancompiler.ids import normalise_adr_id
from plancompiler.link.build import estimate_days
from plancompiler.parse.document import (
    DEFAULT_ADR_DIRS,
    MAX_FRONT_MATTER_CHARS,
    ParsedDocument,
    adr_name,
    read_document,
)
from plancompiler.parse.yaml_tree import read_yaml
from plancompiler.review.git import GitError, _git, toplevel
from plancompiler.validate.normalise import normalise
from plancompiler.validate.schemas import load_schemas
from plancompiler.vocabulary import STARTED, AdrStatus, TaskStatus

# Past versions are read as text: their statuses are compared as the words they are.
TASK_STATUSES = frozenset(TaskStatus)
NOT_STARTED = frozenset({TaskStatus.TODO, TaskStatus.BLOCKED})

_FRONT = re.compile(rb"\A(?:\xef\xbb\xbf)?---[ \t]*\r?\n")
_CLOSE = re.compile(rb"\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
_KIND_ADR = re.compile(rb"^kind[ \t]*:[ \t]*[\"']?adr\b", re.MULTILINE)
# One list item holding one flow mapping, alone on its line.
# An anchor, an alias or a tag: such text is read by the hardened reader.
_SPECIAL = re.compile(r"(?:^|[\s\[{,:])[&*!][^\s,\[\]{}]")
_PLACEHOLDER = "__plans_flow_run_{}__"
_READ_KEYS = {"kind", "id", "gates", "phases"}
# A phase's key the pass does not read, with its whole value on its line: left out of the
# skeleton, which is then much the same from plan to plan and quick to read.
_INERT = re.compile(
    r"^[ \t]+(?:title|goal|duration|deliverables|exit_criteria|depends_on|gates|start|due|x-[\w.-]*)"
    r"[ \t]*:[ \t]*[^\s|>&*!].*\n",
    re.MULTILINE,
)
# Where a top-level key starts: a line that does not continue the value above it.
_TOP_LEVEL = re.compile(r"\n(?=[^\s#\-])")
# A run of one-line items at one indentation: the items of one list.
_FLOW_RUNS = re.compile(r"^([ \t]*)- \{.*\}[ \t]*(?:#[^\n]*)?(?:\n\1- \{.*\}[ \t]*(?:#[^\n]*)?)*$", re.MULTILINE)
_FLOW_ITEM = re.compile(r"^[ \t]*- (\{.*\})[ \t]*(?:#[^\n]*)?$")
# A top-level key with a plain word (`status: draft`), as bytes.
_UNREAD_LINE = re.compile(rb"([A-Za-z_][A-Za-z0-9_-]*):[ \t]*[A-Za-z0-9][A-Za-z0-9._-]*[ \t]*\r?")


@dataclass(frozen=True, slots=True)
class Point:
    """A plan as of one commit: the estimate done and in scope (working days), the gates it
    declares that are still open, and the commit (empty for changes not yet committed)."""

    commit: str
    date: datetime.date
    done_days: float
    scope_days: float
    open_gates: int


@dataclass(frozen=True, slots=True)
class TaskTrace:
    """A task as history shows it: its status, the day that status was set (`since`), the day
    it last went from not started to in progress or done (`started`), and the day its entry
    last changed."""

    status: str
    since: datetime.date
    started: datetime.date | None
    changed: datetime.date


@dataclass(frozen=True, slots=True)
class Version:
    """Where a point's plan was, and the ADR files of the time, to compile it again."""

    path: str
    blob: str
    adrs: Mapping[str, str]
    """ADR path -> blob, as of the point's commit."""


@dataclass(frozen=True)
class PlanHistory:
    """One plan's series, oldest first, and its tasks as of the last change."""

    plan: str
    points: tuple[Point, ...]
    tasks: dict[str, TaskTrace]
    versions: tuple[Version | None, ...] = ()
    """Per point, what `History.content` needs to compile it again (kept on request)."""


@dataclass(frozen=True)
class History:
    """What git history says about every plan; `note` says why there is none."""

    plans: dict[str, PlanHistory] = field(default_factory=dict)
    note: str | None = None
    head: str | None = None
    blobs: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    @property
    def available(self) -> bool:
        return self.note is None

    @property
    def traces(self) -> dict[str, dict[str, TaskTrace]]:
        """Each plan's tasks, by plan id and task id, for the compiler's date checks."""
        return {plan_id: found.tasks for plan_id, found in self.plans.items()}

    def content(self, blob: str) -> bytes:
        """A blob read by the pass (`keep=True`)."""
        return self.blobs[blob]


@dataclass(slots=True)
class _PlanVersion:
    """What the pass reads of one version of a plan."""

    plan_id: str
    tasks: dict[str, tuple[str, float, str]]
    """Task id -> (status, estimate in days, the entry as text, to tell changes)."""
    gates: tuple[tuple[str, str | None, bool], ...]
    """(gate id, ADR id, waived)."""
    done: float
    scope: float
    edited: tuple[bytes, str | None] | None = None
    """When this version is another's with one task's line changed or added: that version's
    front matter and the task's id (None when no task changed), so that only that task's
    history is brought up to date."""


@dataclass(slots=True)
class _Adr:
    adr_id: str
    status: str | None
    superseded_by: str | None


@dataclass(slots=True)
class _Tracker:
    """The state of one plan while walking: its last version, its tasks, its points."""

    version: _PlanVersion | None = None
    traces: dict[str, TaskTrace] = field(default_factory=dict)
    points: list[Point] = field(default_factory=list)
    versions: list[Version | None] = field(default_factory=list)
    open_gates: int = -1
    consulted: frozenset[str] = frozenset()
    """The ADRs its gates' states were read from, supersession included."""


NOT_IN_GIT = "not a git repository, so there is no history"


class HistoryReader:
    """Reads the history of one docs folder; keeps the committed part while HEAD stays, so that
    `mkdocs serve` reads only what changed in the work tree on each rebuild."""

    def __init__(
        self,
        root: Path,
        folder: str,
        adr_dirs: tuple[str, ...] = DEFAULT_ADR_DIRS,
        schema_dir: str | None = None,
        keep: bool = False,
        shortcuts: bool = True,
    ) -> None:
        """`keep` keeps every version's content (for `plans history`'s forecasts); without
        `shortcuts`, every version of a plan is read whole (the tests compare the two)."""
        self.root, self.folder, self.adr_dirs, self.schema_dir, self.keep = root, folder, adr_dirs, schema_dir, keep
        self.shortcuts = shortcuts
        self._last: tuple[str, _Walk] | None = None

    def read(self, today: datetime.date) -> History:
        """The history up to now: the commits, then the changes in the work tree as of `today`."""
        try:
            # One process for the three questions; it fails in a repository without commits.
            top_text, shallow, head = (
                _git(self.root, "rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD")
                .decode()
                .split("\n")[:3]
            )
        except (GitError, ValueError):
            if toplevel(self.root) is None:
                return History(note=NOT_IN_GIT)
            return History(note="no commits yet, so there is no history")
        if shallow == "true":
            return History(note="a shallow clone has no history; fetch all of it (git fetch --unshallow)")
        top = Path(top_text)
        prefix = os.path.relpath(self.root.resolve(), top).replace(os.sep, "/")
        scope = (self.folder if prefix == "." else f"{prefix}/{self.folder}").strip("/") or "."
        if self._last is None or self._last[0] != f"{head}:{scope}":
            walk = _Walk(top, scope, self.adr_dirs, self.schema_dir, self.keep, self.shortcuts)
            walk.commits()
            self._last = (f"{head}:{scope}", walk)
        walk = self._last[1]
        changes = walk.work_tree()
        if changes:
            walk = walk.copy()  # the commits' walk stays as it is for the next read
            walk.apply("", today, changes)
        return walk.history(head)


def read_history(
    root: Path,
    folder: str,
    today: datetime.date,
    adr_dirs: tuple[str, ...] = DEFAULT_ADR_DIRS,
    schema_dir: str | None = None,
    keep: bool = False,
) -> History:
    """The history of the docs folder `folder` (relative to `root`), up to `today`."""
    return HistoryReader(root, folder, adr_dirs, schema_dir, keep).read(today)


Change = tuple[str, str, "bytes | None"]
"""A file a commit changed: its path, its new blob (zeros: deleted) and the blob's content."""

_LOG_FORMAT = "--format=%x00%H %cs"


def _commits(top: Path, scope: str) -> Iterator[tuple[str, datetime.date, list[Change]]]:
    """Every commit on the first-parent line that changed a Markdown file under `scope`, oldest
    first, with those files and their new content.

    `git log` lists the commits and the blob each change left; a thread hands each blob not
    seen before to one `cat-file --batch` as soon as its commit is listed, and another drains
    cat-file's output as it comes: git lists, decompresses and the caller reads at once."""
    try:
        log = subprocess.Popen(
            ["git", "log", "--reverse", "--first-parent", "-m", _LOG_FORMAT, "--raw", "-z", "--no-renames",
             "--no-abbrev", "--", scope],
            cwd=top, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        cat = subprocess.Popen(
            ["git", "cat-file", "--batch", "--buffer"],
            cwd=top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    assert log.stdout is not None and cat.stdin is not None and cat.stdout is not None
    # A pipe of a megabyte lets git decompress a hundred blobs ahead of the walk (Linux).
    with contextlib.suppress(ImportError, OSError, AttributeError):
        import fcntl

        fcntl.fcntl(cat.stdout.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    listed: queue.SimpleQueue[tuple[str, datetime.date, list[tuple[str, str]], int] | None] = queue.SimpleQueue()
    arrived: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    failure: list[BaseException] = []

    def list_commits(out: IO[bytes], into: IO[bytes]) -> None:
        seen: set[str] = set()
        try:
            for sha, day, changes in _parse_log(out):
                new = [blob for _, blob in changes if blob.strip("0") and blob not in seen]
                seen.update(new)
                if new:
                    into.write("".join(f"{blob}\n" for blob in new).encode())
                listed.put((sha, day, changes, len(new)))
        except BaseException as exc:  # reported by the caller, whose thread it is
            failure.append(exc)
        finally:
            with contextlib.suppress(BrokenPipeError, OSError):
                into.close()
            listed.put(None)

    def drain(out: IO[bytes]) -> None:
        # Large reads, each without the interpreter's lock, and little Python between them:
        # the walk holds the lock most of the time, and git stops when the pipe is full.
        fd = out.fileno()
        buffer = b""
        try:
            while chunk := os.read(fd, 1 << 20):
                buffer = buffer + chunk if buffer else chunk
                at = 0
                while (end := buffer.find(b"\n", at)) >= 0:
                    parts = buffer[at:end].split()
                    if len(parts) < 3:  # `<blob> missing`
                        arrived.put(None)
                        at = end + 1
                        continue
                    size = int(parts[2])
                    if end + 1 + size + 1 > len(buffer):
                        break  # the rest of this blob is still coming
                    arrived.put(buffer[end + 1 : end + 1 + size])
                    at = end + 1 + size + 1
                buffer = buffer[at:]
        finally:
            out.close()

    threads = [
        threading.Thread(target=list_commits, args=(log.stdout, cat.stdin), daemon=True),
        threading.Thread(target=drain, args=(cat.stdout,), daemon=True),
    ]
    for thread in threads:
        thread.start()
    contents: dict[str, bytes | None] = {}
    try:
        while (entry := listed.get()) is not None:
            sha, day, changes, _ = entry
            # The blobs this commit is the first to need arrive in the order it lists them.
            for blob in dict.fromkeys(b for _, b in changes if b.strip("0") and b not in contents):
                contents[blob] = arrived.get()
            yield sha, day, [(path, blob, contents.get(blob)) for path, blob in changes]
    finally:
        for thread in threads:
            thread.join()
        log.wait()
        cat.wait()
    if failure:
        raise failure[0]
    if log.returncode:
        assert log.stderr is not None
        message = log.stderr.read().decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else "git log failed")


def _parse_log(out: IO[bytes]) -> Iterator[tuple[str, datetime.date, list[tuple[str, str]]]]:
    """The commits of `git log -z --raw` output as it is read: each commit once its last change is."""
    current: tuple[str, datetime.date, list[tuple[str, str]]] | None = None
    pending = b""
    path_next: bytes | None = None
    while chunk := out.read(65536):
        tokens = (pending + chunk).split(b"\0")
        pending = tokens.pop()
        for token in tokens:
            if path_next is not None:
                path = token.decode("utf-8", "surrogateescape")
                if current is not None and path.endswith(".md"):
                    current[2].append((path, path_next.split()[3].decode()))
                path_next = None
            elif token.startswith((b":", b"\n:")):
                path_next = token.lstrip(b"\n")
            elif token.strip(b"\n"):
                if current is not None:
                    yield current
                sha, _, day = token.strip(b"\n").decode().partition(" ")
                current = (sha, datetime.date.fromisoformat(day), [])
    if current is not None:
        yield current


class _Walk:
    """The walk over the commits, and what it has found so far."""

    def __init__(
        self,
        top: Path,
        scope: str,
        adr_dirs: tuple[str, ...],
        schema_dir: str | None,
        keep: bool,
        shortcuts: bool = True,
    ) -> None:
        self.top, self.scope, self.adr_dirs, self.schema_dir, self.keep = top, scope, adr_dirs, schema_dir, keep
        self.files: dict[str, tuple[str, str]] = {}
        """Path -> (plan id or `adr:` + ADR id, blob), for files that are plans or ADRs now."""
        self.adrs: dict[str, _Adr] = {}
        """ADR id -> what it says, as of now."""
        self.adr_paths: dict[str, str] = {}
        """ADR path -> blob, as of now (shared between versions until an ADR changes)."""
        self.plans: dict[str, _Tracker] = {}
        self.where: dict[str, str] = {}
        """Plan id -> the path of its file now."""
        self.fronts: dict[str, bytes | None] = {}
        """Path -> the front matter its last version had."""
        self.reader = _Reader(shortcuts)
        self.blobs: dict[str, bytes] = {}
        self._adr_cache: dict[str, _Adr | None] = {}

    def copy(self) -> _Walk:
        """A walk that goes on from here without changing this one."""
        other = _Walk(self.top, self.scope, self.adr_dirs, self.schema_dir, self.keep, self.reader.shortcuts)
        other.files, other.adrs, other.adr_paths = dict(self.files), dict(self.adrs), self.adr_paths
        other.where, other.fronts = dict(self.where), dict(self.fronts)
        other.plans = {
            k: _Tracker(t.version, dict(t.traces), list(t.points), list(t.versions), t.open_gates, t.consulted)
            for k, t in self.plans.items()
        }
        other.reader, other.blobs, other._adr_cache = self.reader, self.blobs, self._adr_cache
        return other

    def rel(self, path: str) -> str:
        return path if self.scope == "." else path[len(self.scope) + 1 :]

    def commits(self) -> None:
        """Walk every commit of the folder's history."""
        for sha, day, changes in _commits(self.top, self.scope):
            self.apply(sha, day, changes)
            if self.keep:
                self.blobs.update((blob, data) for _, blob, data in changes if data is not None)

    def work_tree(self) -> list[tuple[str, str, bytes | None]]:
        """Changes not yet committed (path, `work tree` or zeros when deleted, content)."""
        try:
            status = _git(self.top, "status", "--porcelain", "-z", "--untracked-files=all", "--", self.scope)
        except GitError:
            return []
        changes: list[tuple[str, str, bytes | None]] = []
        records = status.split(b"\0")
        i = 0
        while i < len(records):
            record = records[i]
            i += 1
            if len(record) < 4:
                continue
            code, path = record[:2], record[3:].decode("utf-8", "surrogateescape")
            if code[:1] in (b"R", b"C"):
                i += 1  # the file's former name follows; it is gone from the tree
            if not path.endswith(".md"):
                continue
            try:
                content: bytes | None = (self.top / path).read_bytes()
            except OSError:
                content = None
            changes.append((path, "work tree" if content is not None else "0", content))
        return changes

    def apply(self, sha: str, day: datetime.date, changes: list[tuple[str, str, bytes | None]]) -> None:
        """One commit's changes: files that became, stayed or stopped being plans and ADRs."""
        touched: set[str] = set()
        adrs_changed: set[str] = set()
        for path, blob, content in changes:
            before = self.files.pop(path, None)
            if before is not None:
                if before[0].startswith("adr:"):
                    self.adr_paths = {p: b for p, b in self.adr_paths.items() if p != path}
                    self.adrs.pop(before[0][4:], None)
                    adrs_changed.add(before[0][4:])
                else:
                    touched.add(before[0])
                    if self.where.get(before[0]) == path:
                        del self.where[before[0]]
            if content is None:
                continue
            # `kind: plan` makes a plan wherever it is; a file that is not one may be an ADR.
            front = _front(content)
            last_front = self.fronts.get(path)
            version = self.reader.plan(front, last_front) if front is not None else None
            self.fronts[path] = front
            if version is None:
                adr = self._adr(path, blob, content)
                if adr is not None:
                    self.files[path] = (f"adr:{adr.adr_id}", blob)
                    self.adrs[adr.adr_id] = adr
                    self.adr_paths = {**self.adr_paths, path: blob}
                    adrs_changed.add(adr.adr_id)
                continue
            self.files[path] = (version.plan_id, blob)
            self.where[version.plan_id] = path
            tracker = self.plans.setdefault(version.plan_id, _Tracker())
            self._trace(tracker, version, day, last_front if tracker.version is not None else None)
            tracker.version = version
            touched.add(version.plan_id)
        for plan_id in touched:
            if plan_id not in self.where:
                self.plans[plan_id].version = None  # its file is gone, or no plan any more
        # An ADR's change opens or passes the gates of the plans that consult it.
        affected = touched & self.where.keys()
        if adrs_changed:
            affected |= {pid for pid in self.where if self.plans[pid].consulted & adrs_changed}
        for plan_id in affected:
            tracker = self.plans[plan_id]
            assert tracker.version is not None
            open_gates, tracker.consulted = _open_gates(tracker.version, self.adrs)
            if sha and (plan_id in touched or open_gates != tracker.open_gates):
                tracker.points.append(Point(sha, day, tracker.version.done, tracker.version.scope, open_gates))
                if self.keep:
                    path = self.where[plan_id]
                    tracker.versions.append(Version(path, self.files[path][1], self.adr_paths))
            tracker.open_gates = open_gates

    def _adr(self, path: str, blob: str, content: bytes) -> _Adr | None:
        if blob in self._adr_cache and blob != "work tree":
            return self._adr_cache[blob]
        rel = self.rel(path)
        # Only a file in a decisions folder or with `kind: adr` is read as an ADR.
        if adr_name(rel, self.adr_dirs) is None and not _KIND_ADR.search(_front(content) or b""):
            return None
        found = None
        doc = read_document(path, rel, content, self.adr_dirs)
        if doc is not None and doc.kind == "adr":
            if doc.readable:
                doc, _ = normalise(doc, load_schemas(self.schema_dir), self.adr_dirs)
            adr_id = doc.data.get("id")
            if isinstance(adr_id, str) and normalise_adr_id(adr_id) == adr_id:
                status = doc.data.get("status")
                found = _Adr(adr_id, status if isinstance(status, str) else None, self._successor(doc))
        if blob != "work tree":
            self._adr_cache[blob] = found
        return found

    def _successor(self, doc: ParsedDocument) -> str | None:
        """The id of the record a version of an ADR says supersedes it: `superseded_by:`, or a
        `Superseded by [...](...)` line of its body, by the file it links or the id it names."""
        named = doc.data.get("superseded_by")
        if isinstance(named, str):
            return named
        for kind, _label, text, path, *_ in doc.derived.get("relations", ()):
            if kind == "superseded-by":
                by_name = adr_name(path, self.adr_dirs) if path else None
                return by_name.id if by_name is not None else normalise_adr_id(text)
        return None

    def _trace(self, tracker: _Tracker, version: _PlanVersion, day: datetime.date, front: bytes | None) -> None:
        before = tracker.version.tasks if tracker.version is not None else {}
        traces: dict[str, TaskTrace] = {}
        items: Iterable[tuple[str, tuple[str, float, str]]] = version.tasks.items()
        if version.edited is not None and version.edited[0] == front and tracker.version is not None:
            # One task's line changed since this file's last version: the others stand.
            traces = dict(tracker.traces)
            task_id = version.edited[1]
            items = [(task_id, version.tasks[task_id])] if task_id is not None else []
        for task_id, (status, _, entry) in items:
            old = tracker.traces.get(task_id)
            if old is None or task_id not in before:
                started = day if status not in NOT_STARTED and status != TaskStatus.CANCELLED else None
                traces[task_id] = TaskTrace(status, day, started, day)
                continue
            if before[task_id][2] == entry:
                traces[task_id] = old
                continue
            since = old.since if old.status == status else day
            started = old.started
            if status in STARTED and old.status in NOT_STARTED:
                started = day
            elif status in NOT_STARTED:
                started = None
            traces[task_id] = TaskTrace(status, since, started, day)
        tracker.traces = traces

    def history(self, head: str) -> History:
        plans = {
            plan_id: PlanHistory(plan_id, tuple(t.points), dict(t.traces), tuple(t.versions))
            for plan_id, t in sorted(self.plans.items())
            if t.version is not None
        }
        return History(plans, None, head, self.blobs)


def _open_gates(version: _PlanVersion, adrs: Mapping[str, _Adr]) -> tuple[int, frozenset[str]]:
    """The plan's gates neither waived nor tied to an ADR that is accepted, following
    supersession to the record in force; and the ADR ids that told."""
    count = 0
    consulted: set[str] = set()
    for _, adr_id, waived in version.gates:
        if waived:
            continue
        if adr_id:
            consulted.add(adr_id)
        adr = adrs.get(adr_id) if adr_id else None
        seen = {adr_id}
        while adr is not None and adr.status == AdrStatus.SUPERSEDED and adr.superseded_by not in seen | {None}:
            assert adr.superseded_by is not None
            seen.add(adr.superseded_by)
            consulted.add(adr.superseded_by)
            adr = adrs.get(adr.superseded_by)
        if adr is None or adr.status != AdrStatus.ACCEPTED:
            count += 1
    return count, frozenset(consulted)


def _changed_line(a: bytes, b: bytes) -> tuple[int, bytes | None, bytes | None]:
    """Where `a` and `b` differ, when that is within one line of each: the line's start and
    the line in each; (0, None, None) otherwise. Prefix and suffix are found by halving, each
    step one comparison of two slices."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    prefix = low
    low, high = 0, min(len(a), len(b)) - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    end_a, end_b = len(a) - low, len(b) - low
    if end_a <= prefix or end_b <= prefix:
        return 0, None, None  # a line added or taken away: not one line changed
    start = a.rfind(b"\n", 0, prefix) + 1
    line_a = a[start : _line_end(a, end_a)]
    line_b = b[start : _line_end(b, end_b)]
    if b"\n" in line_a or b"\n" in line_b:
        return 0, None, None
    return start, line_a, line_b


def _line_end(text: bytes, at: int) -> int:
    found = text.find(b"\n", at - 1)
    return len(text) if found < 0 else found


def _front(content: bytes) -> bytes | None:
    """A file's front matter, up to its closing line; None without one."""
    opening = _FRONT.match(content)
    if opening is None:
        return None
    # The closing line (`---`, or YAML's `...` before it), or the opening's own end when the
    # front matter is empty.
    at = opening.end() - 1
    while True:
        dashes = content.find(b"\n---", at)
        dots = content.find(b"\n...", at, dashes if dashes >= 0 else len(content))
        found = dots if dots >= 0 else dashes
        if found < 0:
            return None
        if _CLOSE.match(content, found):
            return content[opening.end() : found + 1]
        at = found + 1


class _Reader:
    """Reads what the pass needs of a plan's front matter, remembering what it read: each
    line-sized item once per text it ever had, the rest of the front matter (its skeleton)
    once per text it had."""

    def __init__(self, shortcuts: bool = True) -> None:
        self.shortcuts = shortcuts
        self.versions: dict[bytes, _PlanVersion | None] = {}
        self.skeletons: dict[str, _Skeleton | None] = {}
        self.tasks: dict[str, tuple[str, str, float] | None] = {}
        self.gates: dict[str, tuple[str, str | None, bool] | None] = {}
        self.task_runs: dict[tuple[str, ...], list[tuple[str, str, float, str]] | None] = {}
        self.parsed: dict[bytes | None, tuple[_Skeleton, tuple[tuple[str, ...], ...]]] = {}
        """Front matter read through its skeleton, with the skeleton and the runs it had."""
        """The tasks of a run of one-line items, by the run's lines: a commit changes one run."""

    def plan(self, raw: bytes, before: bytes | None = None) -> _PlanVersion | None:
        """What the pass needs of a file's front matter (`_front`); None when it is no plan,
        or a plan that cannot be read (its last readable version stands). `before` is the
        front matter of the file's last version: a change to one task's line is read as that
        alone."""
        if raw in self.versions:
            return self.versions[raw]
        found = None
        if b"plan" in raw and len(raw) <= MAX_FRONT_MATTER_CHARS:
            found = self._edited(before, raw) if before in self.parsed and self.shortcuts else None
            if found is None:
                found = self._read(raw, raw.decode("utf-8", "replace"))
        self.versions[raw] = found
        return found

    def _edited(self, before: bytes | None, raw: bytes) -> _PlanVersion | None:
        """The version `raw` is when it differs from `before` in one line: a one-line item both
        times at the same indentation, whose old text stands once in `before`'s runs, or a
        top-level key the pass does not read; or when it has one line more (`_added`)."""
        assert before is not None
        shape, runs = self.parsed[before]
        start, old_line, new_line = _changed_line(before, raw)
        if old_line is None or new_line is None:
            return self._added(before, raw)
        previous = self.versions.get(before)
        unread = _UNREAD_LINE.fullmatch(old_line), _UNREAD_LINE.fullmatch(new_line)
        if (
            previous is not None
            and unread[0]
            and unread[1]
            and unread[0].group(1) == unread[1].group(1)
            and unread[0].group(1).decode() not in _READ_KEYS
        ):
            # A top-level key the pass does not read (`status: draft`), a plain word before
            # and after: the version before, as it was.
            self.parsed[raw] = (shape, runs)
            return _PlanVersion(
                previous.plan_id, previous.tasks, previous.gates, previous.done, previous.scope, (before, None)
            )
        old = _FLOW_ITEM.match(old_line.decode("utf-8", "replace"))
        new = _FLOW_ITEM.match(new_line.decode("utf-8", "replace"))
        if old is None or new is None or old_line[: old.start(1)] != new_line[: new.start(1)]:
            return None
        places = [(r, i) for r, run in enumerate(runs) for i, text in enumerate(run) if text == old.group(1)]
        if len(places) != 1:
            return None
        (r, i), edited = places[0], list(runs)
        edited[r] = (*runs[r][:i], new.group(1), *runs[r][i + 1 :])
        was, now = self.task(old.group(1)), self.task(new.group(1))
        if previous is not None and r in shape.tasks and was is not None and now is not None and was[0] == now[0]:
            # One task changed, and kept its id: the version before, with that task's line.
            tasks = dict(previous.tasks)
            tasks[now[0]] = (now[1], now[2], new.group(1))
            done, scope = previous.done, previous.scope
            for (_, status, days), sign in ((was, -1), (now, 1)):
                if status != TaskStatus.CANCELLED:
                    scope += sign * days
                    if status == TaskStatus.DONE:
                        done += sign * days
            version: _PlanVersion | None = _PlanVersion(
                previous.plan_id, tasks, previous.gates, done, scope, (before, now[0])
            )
        else:
            version = shape.version(edited, self)
        if version is not None:
            self.parsed[raw] = (shape, tuple(edited))
        return version

    def _added(self, before: bytes, raw: bytes) -> _PlanVersion | None:
        """The version `raw` is when it is `before` with one line more: a one-line item at the
        indentation of the one-line item above or below it, whose text stands once in
        `before`'s runs. A task added to a phase is the commonest change after a status."""
        old_lines, new_lines = before.split(b"\n"), raw.split(b"\n")
        if len(new_lines) != len(old_lines) + 1:
            return None
        at = 0
        while at < len(old_lines) and old_lines[at] == new_lines[at]:
            at += 1
        if old_lines[at:] != new_lines[at + 1 :]:
            return None
        line = new_lines[at]
        new = _FLOW_ITEM.match(line.decode("utf-8", "replace"))
        if new is None:
            return None
        shape, runs = self.parsed[before]
        # Beside the item above it (after it in its run), else the one below (before it).
        for neighbour, offset in ((at - 1, 1), (at, 0)):
            if not 0 <= neighbour < len(old_lines):
                continue
            item = _FLOW_ITEM.match(old_lines[neighbour].decode("utf-8", "replace"))
            if item is None or old_lines[neighbour][: item.start(1)] != line[: new.start(1)]:
                continue
            places = [(r, i) for r, run in enumerate(runs) for i, text in enumerate(run) if text == item.group(1)]
            if len(places) != 1:
                return None
            (r, i), edited = places[0], list(runs)
            edited[r] = (*runs[r][: i + offset], new.group(1), *runs[r][i + offset :])
            version = self._with_task(before, r in shape.tasks, item.group(1), offset, new.group(1))
            if version is None:
                version = shape.version(edited, self)
            if version is not None:
                self.parsed[raw] = (shape, tuple(edited))
            return version
        return None

    def _with_task(self, before: bytes, in_tasks: bool, beside: str, offset: int, text: str) -> _PlanVersion | None:
        """The version before with the task written `text` added after (`offset` 1) or before
        (0) the task written `beside`, in its place; None unless both are tasks and the new
        one's id is new."""
        previous = self.versions.get(before)
        neighbour, now = self.task(beside), self.task(text)
        if not in_tasks or previous is None or neighbour is None or now is None or now[0] in previous.tasks:
            return None
        if previous.tasks.get(neighbour[0], (None, None, None))[2] != beside:
            return None  # the neighbour's id is written twice: its place is not certain
        entry = (now[1], now[2], text)
        tasks: dict[str, tuple[str, float, str]] = {}
        for task_id, found in previous.tasks.items():
            if task_id == neighbour[0] and not offset:
                tasks[now[0]] = entry
            tasks[task_id] = found
            if task_id == neighbour[0] and offset:
                tasks[now[0]] = entry
        done, scope = previous.done, previous.scope
        if now[1] != TaskStatus.CANCELLED:
            scope += now[2]
            if now[1] == TaskStatus.DONE:
                done += now[2]
        return _PlanVersion(previous.plan_id, tasks, previous.gates, done, scope, (before, now[0]))

    def _read(self, raw: bytes, text: str) -> _PlanVersion | None:
        # Only the top-level keys the pass reads are kept (a top-level key starts a line), and
        # their one-line items are read on their own. A run of such items (the tasks of a
        # phase) stands as one line in the skeleton, so that adding a task leaves it as it was.
        if not self.shortcuts:
            data = _load(text)
            return _version(data) if isinstance(data, dict) and data.get("kind") == "plan" else None
        runs: list[tuple[str, ...]] = []

        def take(match: re.Match[str]) -> str:
            runs.append(tuple(m.group(1) for line in match.group(0).split("\n") if (m := _FLOW_ITEM.match(line))))
            return f"{match.group(1)}- {_PLACEHOLDER.format(len(runs) - 1)}"

        blocks = _TOP_LEVEL.split(text)
        kept = "\n".join(b for b in blocks if b.split(":", 1)[0].strip() in _READ_KEYS)
        skeleton = _FLOW_RUNS.sub(take, _INERT.sub("", kept))
        if skeleton not in self.skeletons:
            self.skeletons[skeleton] = _Skeleton.read(skeleton, len(runs))
        shape = self.skeletons[skeleton]
        if shape is not None:
            version = shape.version(runs, self)
            if version is not None:
                self.parsed[raw] = (shape, tuple(runs))
                return version
        # A line that looked like an item but was not one, an item YAML reads otherwise than
        # on its own line, or front matter with anchors and aliases: read it whole.
        data = _load(text)
        return _version(data) if isinstance(data, dict) and data.get("kind") == "plan" else None

    def run_of_tasks(self, texts: tuple[str, ...]) -> list[tuple[str, str, float, str]] | None:
        """(id, status, days, line) of each task of a run; None if one is not a task."""
        if texts not in self.task_runs:
            found: list[tuple[str, str, float, str]] | None = []
            for text in texts:
                task = self.task(text)
                if task is None or found is None:
                    found = None
                    break
                found.append((*task, text))
            self.task_runs[texts] = found
        return self.task_runs[texts]

    def task(self, text: str) -> tuple[str, str, float] | None:
        """(id, status, estimate in days) of a task written on one line."""
        if text not in self.tasks:
            item = _flow_item(text)
            found = None
            if item is not None and isinstance(item.get("id"), str):
                status = item.get("status")
                found = (
                    item["id"],
                    status if status in TASK_STATUSES else TaskStatus.TODO.value,
                    _days(item.get("estimate")),
                )
            self.tasks[text] = found
        return self.tasks[text]

    def gate(self, text: str) -> tuple[str, str | None, bool] | None:
        """(id, ADR id, waived) of a gate written on one line."""
        if text not in self.gates:
            item = _flow_item(text)
            found = None
            if item is not None and isinstance(item.get("id"), str):
                adr = item.get("adr")
                adr_id = (normalise_adr_id(adr) or adr) if isinstance(adr, str) else None
                found = (item["id"], adr_id, item.get("waived") in _TRUE)
            self.gates[text] = found
        return self.gates[text]


@dataclass(frozen=True, slots=True)
class _Skeleton:
    """A plan's front matter with its runs of one-line items taken out: its id, where each run
    stood (among the tasks or the gates), and the tasks and gates written otherwise, in the
    order they all come."""

    plan_id: str
    tasks: tuple[int | tuple[str, str, float, str], ...]
    """A run's number, or (id, status, days, entry) of a task written over several lines."""
    gates: tuple[int | tuple[str, str | None, bool], ...]

    @classmethod
    def read(cls, skeleton: str, runs: int) -> _Skeleton | None:
        plain = cls.plain(skeleton, runs)
        if plain is not None:
            return plain
        data = _load(skeleton)
        if not isinstance(data, dict) or data.get("kind") != "plan" or not isinstance(data.get("id"), str):
            return None
        found: set[int] = set()
        phases = [ph for ph in data.get("phases") or [] if isinstance(ph, dict)]
        tasks = _slots((t for ph in phases for t in ph.get("tasks") or []), _task_entry, found)
        gates = _slots(data.get("gates") or [], _gate_entry, found)
        # Every run must be of tasks or of gates: one elsewhere (phases written one to a line)
        # or nowhere (lines inside a quoted text) calls for reading the front matter whole.
        if len(found) != runs:
            return None
        return cls(data["id"], tuple(tasks), tuple(gates))

    @classmethod
    def plain(cls, skeleton: str, runs: int) -> _Skeleton | None:
        """The skeleton most plans have, read line by line: `kind` and `id` with plain
        values, `gates:` with a run of gates, `phases:` with entries of an `id:` and `tasks:`
        with a run of tasks. None for any other line: YAML reads those."""
        plan_id = kind = None
        tasks: list[int] = []
        gates: list[int] = []
        section = ""
        for line in skeleton.split("\n"):
            match = _PLAIN_LINE.fullmatch(line)
            if match is None:
                return None
            key, value, run, phase = match.group("key", "value", "run", "phase")
            if key is not None:
                if value is None:
                    section = key if key in ("gates", "phases") else "?"
                elif key == "id":
                    plan_id = value
                elif key == "kind":
                    kind = value
            elif run is not None:
                if section == "gates":
                    gates.append(int(run))
                elif section == "tasks":
                    tasks.append(int(run))
                else:
                    return None
            elif phase is not None:
                if section not in ("phases", "tasks"):
                    return None
                section = "phase"
            elif match.group("tasks") is not None:
                if section != "phase":
                    return None
                section = "tasks"
        if kind != "plan" or plan_id is None or len(tasks) + len(gates) != runs:
            return None
        return cls(plan_id, tuple(tasks), tuple(gates))

    def version(self, runs: Sequence[tuple[str, ...]], reader: _Reader) -> _PlanVersion | None:
        tasks: list[tuple[str, str, float, str]] = []
        for slot in self.tasks:
            if not isinstance(slot, int):
                tasks.append(slot)
                continue
            run = reader.run_of_tasks(runs[slot])
            if run is None:
                return None
            tasks += run
        gates = []
        for place in self.gates:
            for gate in (reader.gate(text) for text in runs[place]) if isinstance(place, int) else (place,):
                if gate is None:
                    return None
                gates.append(gate)
        return _plan_version(self.plan_id, tasks, gates)


Entry = TypeVar("Entry")


def _slots(entries: Iterable[Any], written: Callable[[Any], Entry | None], found: set[int]) -> list[int | Entry]:
    """Each entry's item number where a one-line item stood, else what `written` reads of it."""
    slots: list[int | Entry] = []
    for entry in entries:
        number = _placeholder(entry)
        if number is not None:
            slots.append(number)
            found.add(number)
        elif (value := written(entry)) is not None:
            slots.append(value)
    return slots


def _load(text: str) -> Any:
    """Front matter read by libyaml, every value as the text it is (as `_flow_item` reads an
    item); with anchors, aliases or tags, by the hardened reader of the compiler instead."""
    if _SPECIAL.search(text):
        tree = read_yaml(text, line_offset=1)
        return None if tree.problems else tree.data
    try:
        return yaml.load(text, Loader=_LOAD)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


def _placeholder(value: Any) -> int | None:
    if isinstance(value, str) and (match := _PLACEHOLDER_RE.match(value)):
        return int(match.group(1))
    return None


def _task_entry(task: Any) -> tuple[str, str, float, str] | None:
    if not isinstance(task, dict) or not isinstance(task.get("id"), str):
        return None
    status = task.get("status")
    return (
        task["id"],
        status if status in TASK_STATUSES else TaskStatus.TODO.value,
        _days(task.get("estimate")),
        repr(sorted(task.items(), key=lambda kv: str(kv[0]))),
    )


def _gate_entry(gate: Any) -> tuple[str, str | None, bool] | None:
    if not isinstance(gate, dict) or not isinstance(gate.get("id"), str):
        return None
    adr = gate.get("adr")
    waived = gate.get("waived")
    written = str(adr) if isinstance(adr, (str, int)) and not isinstance(adr, bool) else None
    return (
        gate["id"],
        (normalise_adr_id(written) or written) if written else None,
        waived is True or waived in _TRUE,
    )


def _version(data: dict[str, Any]) -> _PlanVersion | None:
    """What the pass needs of front matter read whole."""
    plan_id = data.get("id")
    if not isinstance(plan_id, str):
        return None
    phases = [ph for ph in data.get("phases") or [] if isinstance(ph, dict)]
    tasks = [e for ph in phases for t in ph.get("tasks") or [] if (e := _task_entry(t)) is not None]
    return _plan_version(plan_id, tasks, [g for gate in data.get("gates") or [] if (g := _gate_entry(gate))])


def _plan_version(
    plan_id: str, tasks: list[tuple[str, str, float, str]], gates: list[tuple[str, str | None, bool]]
) -> _PlanVersion:
    """A version from its tasks (id, status, days, entry) and gates: the estimate done and in
    scope count as the plan's progress does (cancelled tasks left out)."""
    done = sum(days for _, status, days, _ in tasks if status == TaskStatus.DONE)
    scope = sum(days for _, status, days, _ in tasks if status != TaskStatus.CANCELLED)
    entries = {task_id: (status, days, entry) for task_id, status, days, entry in tasks}
    return _PlanVersion(plan_id, entries, tuple(gates), done, scope)


_PLACEHOLDER_RE = re.compile(r"^__plans_flow_run_(\d+)__$")
# The lines of the skeleton most plans have (`_Skeleton.plain`): a top-level key with a plain
# word or nothing, a run, a phase's `- id:`, a phase's `tasks:`, a blank line or a comment.
_WORD = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_PLAIN_LINE = re.compile(
    rf"(?:(?P<key>kind|id|gates|phases):[ \t]*(?P<value>{_WORD})?"
    r"|[ \t]+- __plans_flow_run_(?P<run>\d+)__"
    rf"|[ \t]+- id:[ \t]*(?P<phase>{_WORD})"
    r"|[ \t]+(?P<tasks>tasks):"
    r"|[ \t]*(?:#.*)?)[ \t]*\r?"
)
# YAML 1.1's words for true, as PyYAML reads them.
_TRUE = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}
_NUMBER = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")
_LOAD = yaml.CBaseLoader if hasattr(yaml, "CBaseLoader") else yaml.BaseLoader
# `key: value,` in a flow mapping: the value single- or double-quoted (without escapes), a
# flat list, a plain word, or nothing.
_PAIR = re.compile(
    r"""[ ]*([^\s:,\[\]{}'"&*!|>%@`#][^:,\[\]{}]*?)[ ]*:[ ]+"""
    r"""(?:'((?:[^']|'')*)'|"([^"\\]*)"|\[([^\[\]{}'"]*)\]|([^\s,\[\]{}'"&*!|>%@`#][^,\[\]{}]*?)|)[ ]*(?:,|$)"""
)


def _days(value: Any) -> float:
    """An estimate in working days, whether YAML typed it or left it as text (`3` is 3 days)."""
    if isinstance(value, str) and _NUMBER.match(value):
        return float(value)
    return estimate_days(value) or 0.0


def _flow_item(text: str) -> dict[str, Any] | None:
    """A one-line flow mapping of plain and quoted words and flat lists, each value the text
    it is (`{id: P1.2, status: done, depends_on: [P1.1]}`); None for anything it might not
    read as YAML would (nested mappings, escapes, a key twice): the caller asks YAML then."""
    body = text[1:-1]
    out: dict[str, Any] = {}
    pos = 0
    for match in _PAIR.finditer(body):
        if match.start() != pos:
            return None
        pos = match.end()
        key, single, double, listed, plain = match.groups()
        if key in out:
            return None
        if single is not None:
            out[key] = single.replace("''", "'")
        elif double is not None:
            out[key] = double
        elif listed is not None:
            out[key] = [w.strip() for w in listed.split(",") if w.strip()]
        elif plain is not None:
            if ": " in plain or " #" in plain:
                return None
            out[key] = plain
        else:
            out[key] = None
    return out if not body[pos:].strip() else None
