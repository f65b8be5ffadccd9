"""What makes the compiler's front end fast on large sites, behind one switch.

The compiler reads each file on its own (parse, normalise, validate, scan the prose: see
`Compiler`), and `FrontEnd` runs that work over a set of sources with three speed-ups that
change nothing in the result:

- each file's result is kept between compiles, under its path and the digest of its
  content, so that a rebuild under `mkdocs serve` reads only the files that changed;
- on a large site a forked child reads a share of the new files meanwhile (`parallel`);
- Python's cyclic garbage collector is paused while a compile runs (`paused_gc`);
- with a `store` (`disk_cache`), the results are also kept on disk for the next process,
  which reads them back instead of the files that did not change (`plans check`).

`FrontEnd(fast=False)` turns all three off: every file is read again, in this process,
with the collector running.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plancompiler import parallel

if TYPE_CHECKING:
    from plancompiler.disk_cache import DiskCache
from plancompiler.parse.document import ParsedDocument
from plancompiler.parse.markdown_scan import XrefUse
from plancompiler.parse.yaml_tree import Marks, YamlProblem

# The forked child's share of the new files. The parent builds every plan, its own as it
# reads them and the child's as they arrive, but reads the smaller files: the decision
# records sort before the plans, which the child's share is all of on a large site.
CHILD_SHARE = 0.5

CacheKey = tuple[str, str, bytes]


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


@dataclass(slots=True)
class Checked:
    """One file after the front end: its document (None for an ordinary page, whose prose is
    still scanned for cross-references), the problems found, the labels in its prose and its
    first heading.

    `model` is what the compiler built from the document, kept with it for as long as the
    file does not change.
    """

    doc: ParsedDocument | None
    problems: tuple[YamlProblem, ...]
    uses: tuple[XrefUse, ...]
    title: str | None
    model: object = None
    record_like: bool = False
    """An ordinary page named and written like a decision record (numbered, with a status or
    a date), in a folder that is not one of `adr_dirs`."""

    def to_plain(self) -> tuple[object, ...]:
        """The result as plain values, to cross from a forked child (`parallel`)."""
        uses = [(u.label, u.line, u.col, u.target, u.block) for u in self.uses]
        problems = [(p.code, p.line, p.col, p.message) for p in self.problems]
        return (self.doc.to_plain() if self.doc else None, problems, uses, self.title, self.record_like)

    @classmethod
    def from_plain(cls, plain: tuple[Any, ...]) -> Checked:
        """The result `to_plain` gave."""
        doc, problems, uses, title, record_like = plain
        return cls(
            ParsedDocument.from_plain(doc) if doc is not None else None,
            tuple(YamlProblem(*p) for p in problems),
            tuple(XrefUse(*u) for u in uses),
            title,
            record_like=record_like,
        )


def digest(content: bytes | str) -> bytes:
    """What identifies a file's content in the cache (the content itself would keep a second
    copy of every file in memory). SHA-256 has hardware help on most machines: it digests a
    site twice as fast as BLAKE2 here."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.sha256(data).digest()[:16]


def cache_key(source: Source) -> CacheKey:
    """A file's identity for the cache: its paths and the digest of its content."""
    return (source.path, source.rel, source.digest if source.digest is not None else digest(source.content))


class _PausedGc:
    """Pauses the collector, when `pause`, until the context ends."""

    __slots__ = ("pause",)

    def __init__(self, pause: bool) -> None:
        self.pause = pause

    def __enter__(self) -> None:
        if self.pause:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        # Nothing the collector tracks is made between here and the caller, so its first pass
        # over all that the compile made comes with the caller's next object, not in here.
        if self.pause:
            gc.enable()


class FrontEnd:
    """Runs one file's front end over sources (`read`), fast unless `fast` is false.

    `keep_marks=False` lets go of every document's value positions once the compiler has
    built its model (`release`): a third of the memory of a one-off compile. The rules that
    compare with a base revision, and a model built again under `mkdocs serve`, need them.
    `store` keeps the results on disk between processes.
    """

    def __init__(
        self,
        fast: bool = True,
        keep_marks: bool = True,
        store: DiskCache | None = None,
    ) -> None:
        self.fast, self.keep_marks = fast, keep_marks
        self.store = store if fast else None
        self._kept: dict[CacheKey, Checked] = {}
        self.parsed = 0
        """Files read so far, by this process or its child."""

    def knows(self, source: Source) -> bool:
        """Whether the last compile had this file, with this content (by `source.digest`):
        it may then be compiled again without its content."""
        return source.digest is not None and cache_key(source) in self._kept

    def paused_gc(self) -> _PausedGc:
        """A context in which Python's cyclic garbage collector is paused.

        Compiling makes millions of small objects that all stay alive, and on a large site the
        collector's passes over them took a quarter of the time. What the compiler throws away
        has no cycles.
        """
        return _PausedGc(self.fast and gc.isenabled())

    def read(
        self,
        sources: Iterable[Source],
        work: Callable[[Source], Checked],
        reusable: Callable[[Checked], bool] = lambda _: True,
    ) -> Iterator[tuple[Source, Checked]]:
        """Each source with its front end's result (`work`), in the order of their paths.

        Results of files gone or changed since the last compile are let go; a source's bytes
        are let go as soon as it is read (on a 10,000-plan site they are a tenth of the peak
        memory). A result the disk cache has is taken if `reusable` says so; once the caller
        has had every result (and built its models), the disk cache is written.
        """
        # Last first, so that popping walks the files in order.
        pending = sorted(((s, cache_key(s)) for s in sources), key=lambda item: item[0].path, reverse=True)
        del sources
        if not self.fast:
            self._kept.clear()
        seen = {key for _, key in pending}
        if len(self._kept) > len(seen) or not seen.issuperset(self._kept):
            for key in [k for k in self._kept if k not in seen]:
                del self._kept[key]
        if self.store is not None:
            self._recall(seen, reusable)
        fresh = [item for item in pending if item[1] not in self._kept]
        # `pending` is reversed: the child's share is the files that come last, in order.
        theirs = fresh[: int(len(fresh) * CHILD_SHARE)][::-1] if self.fast else []
        del fresh
        child = parallel.fork_work(theirs, lambda item: self._checked(*item, work).to_plain())
        their_keys = [key for _, key in theirs]
        del theirs
        results = child.results(Checked.from_plain) if child is not None else None
        arriving = zip(their_keys, results or ())
        awaited = set(their_keys) if results is not None else set()
        try:
            while pending:
                source, key = pending.pop()
                if key in awaited and key not in self._kept:
                    self._receive(arriving, key)
                yield source, self._checked(source, key, work)
        finally:
            if child is not None:
                child.close()  # the child is waited for, whatever became of this compile
        if not self.fast:
            self._kept.clear()
        elif self.store is not None:
            self.store.keep(self._kept)

    def release(self, checked: Checked) -> None:
        """The compiler is done with the positions of `checked`'s values (its model is built)."""
        if checked.doc is None:
            return
        if self.keep_marks:
            checked.doc.marks.forget()  # look-ups made while building; made again on demand
        else:
            checked.doc = checked.doc.with_values(checked.doc.data, Marks())

    def _recall(self, keys: set[CacheKey], reusable: Callable[[Checked], bool]) -> None:
        """Take from the disk cache the results of files this process has not read."""
        assert self.store is not None
        for key, checked in self.store.recall({k for k in keys if k not in self._kept}).items():
            if isinstance(checked, Checked) and reusable(checked):
                self._kept[key] = checked

    def _checked(self, source: Source, key: CacheKey, work: Callable[[Source], Checked]) -> Checked:
        found = self._kept.get(key)
        if found is None:
            self.parsed += 1
            found = self._kept[key] = work(source)
        return found

    def _receive(self, arriving: Iterator[tuple[CacheKey, Checked | None]], key: CacheKey) -> None:
        """Keep the child's results, as it sends them, up to that of `key`; a file whose
        result the child did not send (it failed) `read` does itself."""
        for their_key, checked in arriving:
            if checked is not None:
                self.parsed += 1
                self._kept[their_key] = checked
            if their_key == key:
                return
