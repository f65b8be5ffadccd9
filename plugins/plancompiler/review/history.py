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
commit changes a line or two of one plan: each such line is read once per text it ever had,
and the rest of the front matter once per text it had, so a long history costs little more
than git's own work. Front matter with anchors, aliases or tags is read by the hardened
reader of `parse.yaml_tree` instead.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import queue
import re
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import yaml

from plancompiler.ids import normalise_adr_id
from plancompiler.link.build import estimate_days
from plancompiler.parse.document import DEFAULT_ADR_DIRS, MAX_FRONT_MATTER_CHARS, adr_number_from_name, read_document
from plancompiler.parse.yaml_tree import read_yaml
from plancompiler.review.git import GitError, _git, toplevel
from plancompiler.validate.normalise import normalise
from plancompiler.validate.schemas import load_schemas

TASK_STATUSES = {"todo", "in-progress", "blocked", "done", "cancelled"}
NOT_STARTED = {"todo", "blocked"}

_FRONT = re.compile(rb"\A(?:\xef\xbb\xbf)?---[ \t]*\r?\n")
_CLOSE = re.compile(rb"\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
_KIND_ADR = re.compile(rb"^kind[ \t]*:[ \t]*[\"']?adr\b", re.MULTILINE)
# One list item holding one flow mapping, alone on its line.
# An anchor, an alias or a tag: such text is read by the hardened reader.
_SPECIAL = re.compile(r"(?:^|[\s\[{,:])[&*!][^\s,\[\]{}]")
_PLACEHOLDER = "__plans_flow_item_{}__"
_READ_KEYS = {"kind", "id", "gates", "phases"}
# Where a top-level key starts: a line that does not continue the value above it.
_TOP_LEVEL = re.compile(r"\n(?=[^\s#\-])")
_FLOW_ITEMS = re.compile(r"^([ \t]*)- (\{.*\})[ \t]*(?:#[^\n]*)?$", re.MULTILINE)


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
    """(gate id, ADR id as written, waived)."""
    done: float
    scope: float


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
    ) -> None:
        self.root, self.folder, self.adr_dirs, self.schema_dir, self.keep = root, folder, adr_dirs, schema_dir, keep
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
                return History(note="not a git repository, so there is no history")
            return History(note="no commits yet, so there is no history")
        if shallow == "true":
            return History(note="a shallow clone has no history; fetch all of it (git fetch --unshallow)")
        top = Path(top_text)
        prefix = os.path.relpath(self.root.resolve(), top).replace(os.sep, "/")
        scope = (self.folder if prefix == "." else f"{prefix}/{self.folder}").strip("/") or "."
        if self._last is None or self._last[0] != f"{head}:{scope}":
            walk = _Walk(top, scope, self.adr_dirs, self.schema_dir, self.keep)
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
            ["git", "cat-file", "--batch"],
            cwd=top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    assert log.stdout is not None and cat.stdin is not None and cat.stdout is not None
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
                    into.flush()
                listed.put((sha, day, changes, len(new)))
        except BaseException as exc:  # reported by the caller, whose thread it is
            failure.append(exc)
        finally:
            with contextlib.suppress(BrokenPipeError, OSError):
                into.close()
            listed.put(None)

    def drain(out: IO[bytes]) -> None:
        try:
            while header := out.readline():
                parts = header.split()
                if len(parts) < 3:  # `<blob> missing`
                    arrived.put(None)
                    continue
                data = out.read(int(parts[2]))
                out.read(1)
                arrived.put(data)
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

    def __init__(self, top: Path, scope: str, adr_dirs: tuple[str, ...], schema_dir: str | None, keep: bool) -> None:
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
        self.reader = _Reader()
        self.blobs: dict[str, bytes] = {}
        self._adr_cache: dict[str, _Adr | None] = {}

    def copy(self) -> _Walk:
        """A walk that goes on from here without changing this one."""
        other = _Walk(self.top, self.scope, self.adr_dirs, self.schema_dir, self.keep)
        other.files, other.adrs, other.adr_paths = dict(self.files), dict(self.adrs), self.adr_paths
        other.where = dict(self.where)
        other.plans = {
            k: _Tracker(t.version, dict(t.traces), list(t.points), list(t.versions), t.open_gates)
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
        adrs_changed = False
        for path, blob, content in changes:
            before = self.files.pop(path, None)
            if before is not None:
                if before[0].startswith("adr:"):
                    self.adr_paths = {p: b for p, b in self.adr_paths.items() if p != path}
                    self.adrs.pop(before[0][4:], None)
                    adrs_changed = True
                else:
                    touched.add(before[0])
                    if self.where.get(before[0]) == path:
                        del self.where[before[0]]
            if content is None:
                continue
            # `kind: plan` makes a plan wherever it is; a file that is not one may be an ADR.
            version = self.reader.plan(content)
            if version is None:
                adr = self._adr(path, blob, content)
                if adr is not None:
                    self.files[path] = (f"adr:{adr.adr_id}", blob)
                    self.adrs[adr.adr_id] = adr
                    self.adr_paths = {**self.adr_paths, path: blob}
                    adrs_changed = True
                continue
            self.files[path] = (version.plan_id, blob)
            self.where[version.plan_id] = path
            tracker = self.plans.setdefault(version.plan_id, _Tracker())
            self._trace(tracker, version, day)
            tracker.version = version
            touched.add(version.plan_id)
        for plan_id in touched:
            if plan_id not in self.where:
                self.plans[plan_id].version = None  # its file is gone, or no plan any more
        # An ADR's change may open or pass the gates of any plan.
        for plan_id in self.where if adrs_changed else touched & self.where.keys():
            tracker = self.plans[plan_id]
            assert tracker.version is not None
            open_gates = _open_gates(tracker.version, self.adrs)
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
        if adr_number_from_name(rel, self.adr_dirs) is None and not _KIND_ADR.search(_front(content) or b""):
            return None
        found = None
        doc = read_document(path, rel, content, self.adr_dirs)
        if doc is not None and doc.kind == "adr":
            if doc.readable:
                normalise(doc, load_schemas(self.schema_dir), self.adr_dirs)
            adr_id = doc.data.get("id")
            if isinstance(adr_id, str) and adr_id.startswith("ADR-"):
                status = doc.data.get("status")
                successor = doc.data.get("superseded_by")
                found = _Adr(
                    adr_id,
                    status if isinstance(status, str) else None,
                    successor if isinstance(successor, str) else None,
                )
        if blob != "work tree":
            self._adr_cache[blob] = found
        return found

    def _trace(self, tracker: _Tracker, version: _PlanVersion, day: datetime.date) -> None:
        before = tracker.version.tasks if tracker.version is not None else {}
        traces: dict[str, TaskTrace] = {}
        for task_id, (status, _, entry) in version.tasks.items():
            old = tracker.traces.get(task_id)
            if old is None or task_id not in before:
                started = day if status not in NOT_STARTED and status != "cancelled" else None
                traces[task_id] = TaskTrace(status, day, started, day)
                continue
            if before[task_id][2] == entry:
                traces[task_id] = old
                continue
            since = old.since if old.status == status else day
            started = old.started
            if status in ("in-progress", "done") and old.status in NOT_STARTED:
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


def _open_gates(version: _PlanVersion, adrs: Mapping[str, _Adr]) -> int:
    """The plan's gates neither waived nor tied to an ADR that is accepted, following
    supersession to the record in force."""
    count = 0
    for _, adr_ref, waived in version.gates:
        if waived:
            continue
        adr = adrs.get(normalise_adr_id(adr_ref) or adr_ref) if adr_ref else None
        seen = set()
        while adr is not None and adr.status == "superseded" and adr.superseded_by and adr.adr_id not in seen:
            seen.add(adr.adr_id)
            adr = adrs.get(adr.superseded_by)
        if adr is None or adr.status != "accepted":
            count += 1
    return count


def _front(content: bytes) -> bytes | None:
    """A file's front matter, up to its closing line; None without one."""
    opening = _FRONT.match(content)
    if opening is None:
        return None
    # The closing line, or the opening's own end when the front matter is empty.
    start = opening.end() - 1
    ends = [at for mark in (b"\n---", b"\n...") if (at := content.find(mark, start)) >= 0]
    while ends:
        at = min(ends)
        if _CLOSE.match(content, at):
            return content[opening.end() : at + 1]
        ends = [found for mark in (b"\n---", b"\n...") if (found := content.find(mark, at + 1)) >= 0]
    return None


class _Reader:
    """Reads what the pass needs of a plan's front matter, remembering what it read: each
    line-sized item once per text it ever had, the rest of the front matter (its skeleton)
    once per text it had."""

    def __init__(self) -> None:
        self.versions: dict[bytes, _PlanVersion | None] = {}
        self.skeletons: dict[str, _Skeleton | None] = {}
        self.tasks: dict[str, tuple[str, str, float] | None] = {}
        self.gates: dict[str, tuple[str, str | None, bool] | None] = {}

    def plan(self, content: bytes) -> _PlanVersion | None:
        """What the pass needs of a plan file; None for any other file, or a plan whose front
        matter cannot be read (its last readable version stands)."""
        raw = _front(content)
        if raw is None:
            return None
        if raw in self.versions:
            return self.versions[raw]
        found = None
        if b"plan" in raw and len(raw) <= MAX_FRONT_MATTER_CHARS:
            found = self._read(raw.decode("utf-8", "replace"))
        self.versions[raw] = found
        return found

    def _read(self, text: str) -> _PlanVersion | None:
        # Only the top-level keys the pass reads are kept (a top-level key starts a line), and
        # their one-line items are read on their own.
        items: list[str] = []

        def take(match: re.Match[str]) -> str:
            items.append(match.group(2))
            return f"{match.group(1)}- {_PLACEHOLDER.format(len(items) - 1)}"

        blocks = _TOP_LEVEL.split(text)
        kept = "\n".join(b for b in blocks if b.split(":", 1)[0].strip() in _READ_KEYS)
        skeleton = _FLOW_ITEMS.sub(take, kept)
        if skeleton not in self.skeletons:
            self.skeletons[skeleton] = _Skeleton.read(skeleton, len(items))
        shape = self.skeletons[skeleton]
        if shape is not None:
            version = shape.version(items, self)
            if version is not None:
                return version
        # A line that looked like an item but was not one, an item YAML reads otherwise than
        # on its own line, or front matter with anchors and aliases: read it whole.
        data = _load(text)
        return _version(data) if isinstance(data, dict) and data.get("kind") == "plan" else None

    def task(self, text: str) -> tuple[str, str, float] | None:
        """(id, status, estimate in days) of a task written on one line."""
        if text not in self.tasks:
            item = _flow_item(text)
            found = None
            if item is not None and isinstance(item.get("id"), str):
                status = item.get("status")
                found = (item["id"], status if status in TASK_STATUSES else "todo", _days(item.get("estimate")))
            self.tasks[text] = found
        return self.tasks[text]

    def gate(self, text: str) -> tuple[str, str | None, bool] | None:
        """(id, ADR as written, waived) of a gate written on one line."""
        if text not in self.gates:
            item = _flow_item(text)
            found = None
            if item is not None and isinstance(item.get("id"), str):
                adr = item.get("adr")
                found = (item["id"], adr if isinstance(adr, str) else None, item.get("waived") in _TRUE)
            self.gates[text] = found
        return self.gates[text]


@dataclass(frozen=True, slots=True)
class _Skeleton:
    """A plan's front matter with its one-line items taken out: its id, what each item is (a
    task, a gate, or something the pass does not read), and the tasks and gates written
    otherwise, in the order they all come."""

    plan_id: str
    tasks: tuple[int | tuple[str, str, float, str], ...]
    """An item's number, or (id, status, days, entry) of a task written over several lines."""
    gates: tuple[int | tuple[str, str | None, bool], ...]

    @classmethod
    def read(cls, skeleton: str, items: int) -> _Skeleton | None:
        data = _load(skeleton)
        if not isinstance(data, dict) or data.get("kind") != "plan" or not isinstance(data.get("id"), str):
            return None
        found: set[int] = set()
        phases = [ph for ph in data.get("phases") or [] if isinstance(ph, dict)]
        tasks = _slots((t for ph in phases for t in ph.get("tasks") or []), _task_entry, found)
        gates = _slots(data.get("gates") or [], _gate_entry, found)
        # Every item must be a task or a gate: one elsewhere (a phase written on one line) or
        # nowhere (a line inside a quoted text) calls for reading the front matter whole.
        if len(found) != items:
            return None
        return cls(data["id"], tuple(tasks), tuple(gates))

    def version(self, items: list[str], reader: _Reader) -> _PlanVersion | None:
        tasks: list[tuple[str, str, float, str]] = []
        for slot in self.tasks:
            if isinstance(slot, int):
                task = reader.task(items[slot])
                if task is None:
                    return None
                tasks.append((*task, items[slot]))
            else:
                tasks.append(slot)
        gates = []
        for place in self.gates:
            gate = reader.gate(items[place]) if isinstance(place, int) else place
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
        status if status in TASK_STATUSES else "todo",
        _days(task.get("estimate")),
        repr(sorted(task.items(), key=lambda kv: str(kv[0]))),
    )


def _gate_entry(gate: Any) -> tuple[str, str | None, bool] | None:
    if not isinstance(gate, dict) or not isinstance(gate.get("id"), str):
        return None
    adr = gate.get("adr")
    waived = gate.get("waived")
    return (
        gate["id"],
        str(adr) if isinstance(adr, (str, int)) and not isinstance(adr, bool) else None,
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
    done = sum(days for _, status, days, _ in tasks if status == "done")
    scope = sum(days for _, status, days, _ in tasks if status != "cancelled")
    entries = {task_id: (status, days, entry) for task_id, status, days, entry in tasks}
    return _PlanVersion(plan_id, entries, tuple(gates), done, scope)


_PLACEHOLDER_RE = re.compile(r"^__plans_flow_item_(\d+)__$")
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
