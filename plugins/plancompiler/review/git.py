"""Reading a project straight from git: files at a revision and last-commit dates.

Everything goes through a handful of `git` processes per run (never one per file): one
`ls-tree` and one `cat-file --batch` to read a revision, one `log` for all dates.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """A git command failed; the message is git's own, shortened."""


def _git(cwd: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def toplevel(path: Path) -> Path | None:
    """The work tree's root, or None outside a git repository."""
    try:
        return Path(_git(path, "rev-parse", "--show-toplevel").decode().strip())
    except GitError:
        return None


def resolve(root: Path, rev: str) -> str:
    """The commit a revision names; a clear error for a name git does not know."""
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"unknown revision '{rev}'") from None


def read_tree(root: Path, rev: str, folder: str) -> dict[str, bytes]:
    """Every `.md` file under `folder` (relative to the repository root) at `rev`, by path."""
    commit = resolve(root, rev)
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", folder or ".")
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        kind, obj = meta.split()[1:3]
        path = name.decode("utf-8", "surrogateescape")
        if kind == b"blob" and path.endswith(".md"):
            entries.append((path, obj.decode()))
    if not entries:
        return {}
    batch = _git(root, "cat-file", "--batch", data="".join(f"{o}\n" for _, o in entries).encode())
    files: dict[str, bytes] = {}
    offset = 0
    for path, _ in entries:
        end = batch.index(b"\n", offset)
        size = int(batch[offset:end].split()[2])
        files[path] = batch[end + 1 : end + 1 + size]
        offset = end + 1 + size + 1
    return files


@dataclass(frozen=True)
class Dates:
    """Last-change dates by path relative to the repository root, and where they came from."""

    by_path: Mapping[str, str]
    source: str  # "git" or "mtime"
    note: str | None = None


def last_commit_dates(root: Path, folder: str) -> Dates:
    """One `git log` for the whole folder; file times when git history is not available."""
    top = toplevel(root)
    if top is None:
        return _mtimes(root, folder, "not a git repository: dates are the files' modification times")
    try:
        shallow = _git(top, "rev-parse", "--is-shallow-repository").decode().strip() == "true"
    except GitError:
        shallow = False
    if shallow:
        return _mtimes(root, folder, "shallow clone: dates are the files' modification times")
    prefix = os.path.relpath(root.resolve(), top).replace(os.sep, "/")
    scope = folder if prefix == "." else f"{prefix}/{folder}"
    try:
        log = _git(top, "log", "--format=%x00%cs", "--name-only", "-z", "--no-renames", "--", scope)
    except GitError:
        return _mtimes(root, folder, "no commits yet: dates are the files' modification times")
    dates: dict[str, str] = {}
    current = ""
    for token in log.split(b"\0"):
        text = token.decode("utf-8", "surrogateescape").strip("\n")
        if not text:
            continue
        if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
            current = text
            continue
        for name in text.split("\n"):
            if name and name not in dates:
                rel = name if prefix == "." else os.path.relpath(name, prefix).replace(os.sep, "/")
                dates[rel] = current
    return Dates(dates, "git")


class _FileTimes(Mapping[str, str]):
    """Modification dates of the Markdown files below `root/folder`, by path relative to
    `root`, each read when asked for: most plans say `updated:` themselves."""

    def __init__(self, root: Path, folder: str) -> None:
        self.root, self.folder = str(root), folder

    def __getitem__(self, path: str) -> str:
        if not path.endswith(".md") or not (path == self.folder or path.startswith(self.folder.rstrip("/") + "/")):
            raise KeyError(path)
        try:
            seconds = os.stat(os.path.join(self.root, path)).st_mtime
        except (OSError, ValueError):
            raise KeyError(path) from None
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc).date().isoformat()

    def __iter__(self) -> Iterator[str]:
        base = Path(self.root) / self.folder
        for path in sorted(base.rglob("*.md")) if base.is_dir() else []:
            yield path.relative_to(self.root).as_posix()

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _mtimes(root: Path, folder: str, note: str) -> Dates:
    return Dates(_FileTimes(root, folder), "mtime", note)
