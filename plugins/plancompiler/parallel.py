"""Hand part of a batch of independent work to one forked child process.

Reading front matter is most of a large site's compile time, and each file is read on its
own, so on a machine with more than one core a forked child reads a share of the files
while the parent reads and links the rest. The child starts with the parent's memory (its
modules, compiled schemas and the files' bytes), works through its share and sends back
plain values (`marshal`, several times quicker than `pickle` for the nested tuples, lists
and dicts it sends).

The child sends its results a chunk at a time, as it finishes them, so that the parent,
once done with its own share, takes up the child's first results while the child still
works on its last: each chunk is written to an in-memory file (which, unlike a pipe, never
makes the child wait for the parent to read), and a byte on a pipe says that one more is
there. Whatever goes wrong in the child, the parent does the items it has no result for
itself, so the result never depends on the fork.
"""

from __future__ import annotations

import marshal
import os
import struct
import sys
import threading
from collections.abc import Callable, Generator, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# A child's share below this many items saves less than the fork and the transfer cost.
MIN_ITEMS = 100
# Items per chunk the child sends: small enough that the parent soon has the first ones,
# large enough that a chunk's overhead does not count.
CHUNK = 32
_LENGTH = struct.Struct("<Q")


def can_fork() -> bool:
    """Whether handing work to a forked child is safe and worth it here.

    Only on Linux (macOS frameworks are not safe across fork, Windows has none), with a
    second core, and while this process runs a single thread: a fork copies only the
    calling thread, so another thread's held locks would stay held in the child.
    `PLANS_NO_FORK=1` turns it off.
    """
    return (
        sys.platform.startswith("linux")
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and os.environ.get("PLANS_NO_FORK", "") in ("", "0")
    )


def core_free() -> bool:
    """Whether a core this process may use is idle now, so that a child would run beside it.

    When other programs keep every other core busy, a child only shares this process's
    time with it (the scheduler gives each program its share), and costs the transfer of
    its results on top. Linux counts the tasks running now in `/proc/loadavg`, this one
    included. `PLANS_NO_FORK=0` forks all the same.
    """
    if os.environ.get("PLANS_NO_FORK") == "0":
        return True
    try:
        with open("/proc/loadavg", "rb") as loadavg:
            running = int(loadavg.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return True
    return running - 1 < len(os.sched_getaffinity(0)) - 1


class Forked(Generic[R]):
    """A child at work on a share of the items; `results` gives what it sends, in order."""

    def __init__(self, pid: int, spool: int, notices: int, count: int) -> None:
        self._pid, self._spool, self._notices, self._count = pid, spool, notices, count
        self._open = True

    def results(self, receive: Callable[[Any], R]) -> Generator[R | None, None, None]:
        """Each item's result (`receive` of the plain value the child sent), in the items'
        order, as soon as the child has sent its chunk; None for every item from the first
        chunk the child did not send whole, which the caller then does itself."""
        given = offset = 0
        try:
            while given < self._count:
                chunk = self._next_chunk(offset, min(CHUNK, self._count - given))
                if chunk is None:
                    break
                values, offset = chunk
                for value in values:
                    given += 1
                    yield receive(value)
        finally:
            self.close()
        for _ in range(self._count - given):
            yield None

    def _next_chunk(self, offset: int, size: int) -> tuple[list[Any], int] | None:
        """The plain values of the chunk of `size` items at `offset` of the spool, and where
        the next one starts, once the child says it is written; None when the child stopped
        before it (it failed, or `results` was not read to the end)."""
        try:
            if not os.read(self._notices, 1):
                return None
            (length,) = _LENGTH.unpack(os.pread(self._spool, _LENGTH.size, offset))
            start = offset + _LENGTH.size
            payload = os.pread(self._spool, length, start)
        except (OSError, struct.error):
            return None
        values = _unpack(payload) if len(payload) == length else None
        return (values, start + length) if values is not None and len(values) == size else None

    def close(self) -> None:
        """Let the child go and wait for it, whether or not it sent everything (`results`
        does, once it has given every result)."""
        if self._open:
            self._open = False
            os.close(self._notices)  # a child still writing notices gets EPIPE and leaves
            os.close(self._spool)
            os.waitpid(self._pid, 0)


def fork_work(items: Sequence[T], work: Callable[[T], Any]) -> Forked[Any] | None:
    """Start a child that computes `work(item)` for each item (plain values that `marshal`
    can carry); None when the items are too few, forking is not safe or no core is free."""
    if len(items) < MIN_ITEMS or not can_fork() or not core_free():
        return None
    try:
        spool = os.memfd_create("plans-front-end", os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (spool, read_end, write_end):
            os.close(fd)
        return None
    if pid == 0:  # pragma: no cover - the child's side; the parent checks what it sends
        _child(items, work, spool, read_end, write_end)
    os.close(write_end)
    return Forked(pid, spool, read_end, len(items))


def _child(
    items: Sequence[T], work: Callable[[T], Any], spool: int, read_end: int, write_end: int
) -> None:  # pragma: no cover
    """Do `items` a chunk at a time, writing each chunk to `spool` and a byte to the pipe
    when it is there, and leave without running any exit code (no atexit handlers, no
    flushing the parent's buffered output a second time)."""
    code = 1
    try:
        os.close(read_end)
        for start in range(0, len(items), CHUNK):
            # A value marshal cannot carry raises here, and the parent does the rest itself.
            payload = marshal.dumps([work(item) for item in items[start : start + CHUNK]])
            record = memoryview(_LENGTH.pack(len(payload)) + payload)
            while record:
                record = record[os.write(spool, record) :]
            os.write(write_end, b".")
        code = 0
    finally:
        os._exit(code)


def _unpack(payload: bytes) -> list[Any] | None:
    try:
        found = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return found if isinstance(found, list) else None
