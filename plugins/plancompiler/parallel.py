"""Hand part of a batch of independent work to one forked child process.

Reading front matter is most of a large site's compile time, and each file is read on its
own, so on a machine with more than one core a forked child reads a share of the files
while the parent reads and links the rest. The child starts with the parent's memory (its
modules, compiled schemas and the files' bytes), works through its share and sends back
plain values (`marshal`, several times quicker than `pickle` for the nested tuples, lists
and dicts it sends). Whatever goes wrong in the child, `collect` answers None and the
parent does that share itself, so the result never depends on the fork.
"""

from __future__ import annotations

import marshal
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# A child's share below this many items saves less than the fork and the transfer cost.
MIN_ITEMS = 100


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
    """A child at work on a share of the items; `collect` waits for its results."""

    def __init__(self, pid: int, read_end: int, count: int) -> None:
        self._pid, self._read_end, self._count = pid, read_end, count

    def collect(self, receive: Callable[[Any], R]) -> list[R] | None:
        """The child's results in its items' order, or None if it failed in any way."""
        with os.fdopen(self._read_end, "rb") as incoming:
            payload = incoming.read()
        _, status = os.waitpid(self._pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        values = _unpack(payload)
        del payload
        if values is None or len(values) != self._count:
            return None
        for i, value in enumerate(values):  # in place: each plain value is let go once turned
            values[i] = receive(value)
        return values


def fork_work(items: Sequence[T], work: Callable[[T], Any]) -> Forked[Any] | None:
    """Start a child that computes `work(item)` for each item (plain values that `marshal`
    can carry); None when the items are too few, forking is not safe or no core is free."""
    if len(items) < MIN_ITEMS or not can_fork() or not core_free():
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the child's side; the parent checks what it sends
        _child(items, work, read_end, write_end)
    os.close(write_end)
    return Forked(pid, read_end, len(items))


def _child(items: Sequence[T], work: Callable[[T], Any], read_end: int, write_end: int) -> None:  # pragma: no cover
    """Do `items`, write the results to the pipe, and leave without running any exit code
    (no atexit handlers, no flushing the parent's buffered output a second time)."""
    code = 1
    try:
        os.close(read_end)
        # A value marshal cannot carry raises here, and the parent does this share itself.
        payload = marshal.dumps([work(item) for item in items])
        with os.fdopen(write_end, "wb") as outgoing:
            outgoing.write(payload)
        code = 0
    finally:
        os._exit(code)


def _unpack(payload: bytes) -> list[Any] | None:
    try:
        found = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return found if isinstance(found, list) else None
