"""Which Markdown files `mkdocs serve` need not read again: those unchanged on disk since the
last build, handed to the compiler by the digest it already knows."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from mkdocs.structure.files import File, Files

from plancompiler.compiler import Source
from plancompiler.front_end import digest

# A file is taken as unchanged when its size, times and inode are those it had when it was
# read, and it had been last written at least this long before (in nanoseconds): a file system
# whose clock ticks coarser than that could show a later write with the same time.
SETTLED_NS = 2_000_000_000


class StatCache:
    """Each Markdown file read by the last build, by path: its `os.stat` figures and its
    content's digest, while it stays settled (`SETTLED_NS`)."""

    def __init__(self) -> None:
        self.on_disk: dict[str, tuple[tuple[int, ...], bytes]] = {}

    def sources(self, files: Files, base: str, knows: Callable[[Source], bool]) -> tuple[list[Source], dict[str, File]]:
        """The site's pages as the compiler takes them, and each page's file by its path
        relative to `base`; `knows` tells whether the compiler still has a digest's document."""
        sources = []
        by_path: dict[str, File] = {}
        under_base = base + os.sep
        on_disk, self.on_disk = self.on_disk, {}
        for file in files.documentation_pages():
            path = file.abs_src_path or file.src_uri
            if file.abs_src_path:
                # The prefix is cut off directly: os.path.relpath costs more than the rest of the loop.
                path = path[len(under_base) :] if path.startswith(under_base) else os.path.relpath(path, base)
                path = path.replace(os.sep, "/")
            sources.append(self._source(file, path, on_disk, knows))
            by_path[path] = file
        return sources, by_path

    def _source(
        self,
        file: File,
        path: str,
        on_disk: dict[str, tuple[tuple[int, ...], bytes]],
        knows: Callable[[Source], bool],
    ) -> Source:
        """The page as the compiler takes it. Under `mkdocs serve` every page is handed over
        again after each edit: a file unchanged on disk since the last build is handed over by
        its digest, without reading it again."""
        where = file.abs_src_path
        # Only a file MkDocs would read from disk: not one generated, nor one whose content
        # another plugin has set.
        if not where or file.generated_by or getattr(file, "_content", b"") is not None:
            return Source(path, file.src_uri, file.content_bytes)
        try:
            before = time.time_ns()
            found = os.stat(where)
        except OSError:
            return Source(path, file.src_uri, file.content_bytes)  # MkDocs reports it
        seen = (found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino, found.st_dev)
        known = on_disk.get(where)
        if known is not None and known[0] == seen:
            source = Source(path, file.src_uri, b"", known[1])
            if knows(source):
                self.on_disk[where] = known
                return source
        content = file.content_bytes
        key = digest(content)
        if max(found.st_mtime_ns, found.st_ctime_ns) < before - SETTLED_NS:
            self.on_disk[where] = (seen, key)
        return Source(path, file.src_uri, content, key)
