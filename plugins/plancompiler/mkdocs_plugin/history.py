"""The site's git history: each plan's last commit date, and the history pass behind the
burn-ups and the stale-work check."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from plancompiler.review.git import GitError, last_commit_dates
from plancompiler.review.history import NOT_IN_GIT, History, HistoryReader
from plancompiler.settings import Options

log = get_plugin_logger(__name__)


def commit_dates(base: str, docs: str) -> Mapping[str, str]:
    """Each file's last commit date by path: one `git log` per build gives every plan its
    default `updated` date."""
    dates = last_commit_dates(Path(base), docs)
    if dates.note:  # shown by `mkdocs build --verbose`, as `plans --verbose` shows it
        log.debug(f"plans: {dates.note}")
    return dates.by_path


class SiteHistory:
    """Reads git history; its reader keeps what the commits say while HEAD stays, for
    `mkdocs serve`."""

    def __init__(self) -> None:
        self.reader: HistoryReader | None = None
        self._dates: tuple[tuple[str, str, str], Mapping[str, str]] | None = None

    def dates(self, base: str, docs: str, head: str | None) -> Mapping[str, str]:
        """Each file's last commit date (`commit_dates`), kept while HEAD stays: the dates are
        those of commits, which a rebuild under `mkdocs serve` after an edit does not change.
        Without a HEAD (no git, no commits, a shallow clone) they are read every time."""
        if head is None:
            return commit_dates(base, docs)
        key = (base, docs, head)
        if self._dates is None or self._dates[0] != key:
            self._dates = (key, commit_dates(base, docs))
        return self._dates[1]

    def read(self, base: str, docs: str, options: Options, today: datetime.date) -> History:
        """The plans' git history: one pass over the docs folder's commits, then the changes not
        yet committed."""
        where = (Path(base), docs, options.adr_dirs, options.schema_dir)
        reader = self.reader
        if reader is None or (reader.root, reader.folder, reader.adr_dirs, reader.schema_dir) != where:
            reader = self.reader = HistoryReader(*where)
        try:
            found = reader.read(today)
        except GitError as exc:
            found = History(note=f"git could not read the history: {exc}")
        # Outside git, the note on dates has said so already.
        if found.note and not found.note.startswith(NOT_IN_GIT):
            log.info(f"plans: {found.note}")
        return found
