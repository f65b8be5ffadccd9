"""Each file's front-end work, kept on disk between runs of the `plans` command.

Reading a file's front matter, validating it and building its plan or ADR is most of what
`plans check` does, and between two runs (a pre-commit hook, a CI job that restores its
cache, an author checking again) few files change. A project's cache is one pack of records:
a file's key (its path, its place in the docs folder, the digest of its content) and what
the front end made of it (`front_end.Checked`, pickled). Linking, analysis and the schedule
read the whole site and run every time.

- Where: `$PLANS_CACHE_DIR`, else `$XDG_CACHE_HOME/plancompiler`, else `~/.cache/plancompiler`.
  `PLANS_NO_CACHE=1`, or `--no-cache` on the command line, turns it off.
- What makes a pack stale: its name digests the package's version, the size and time of each
  of its modules (an editable install changes without a new version), the schemas, the
  options the front end reads, and the project's folder. A changed file is a new key.
- Concurrent runs and damage: a pack is written to a temporary file and renamed over the old
  one, so a reader sees one whole pack, old or new, and of two runs writing at once the last
  wins. Each record carries a CRC-32 and is read by an unpickler that builds only the
  compiler's own dataclasses and dates; a record that fails any check is a miss, never an
  error, and a cache that cannot be read or written is no cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import importlib
import io
import marshal
import os
import pickle
import struct
import time
import zlib
from collections.abc import Collection, Iterator, Mapping
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path
from typing import IO, Any

from plancompiler.front_end import CacheKey as Key
from plancompiler.parse.yaml_tree import Marks

FORMAT = b"plancompiler-front-end-cache 1\n"
_RECORD = struct.Struct("<III")  # key length, value length, CRC-32 of both
_PACKAGE = Path(__file__).resolve().parent
STALE_DAYS = 30
"""Packs not written for this long (another version's, a project gone) are removed."""


def cache_folder(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The folder packs go to, or None when the cache is turned off."""
    if environ.get("PLANS_NO_CACHE", "") not in ("", "0"):
        return None
    if environ.get("PLANS_CACHE_DIR"):
        return Path(environ["PLANS_CACHE_DIR"])
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "plancompiler"


def code_stamp() -> str:
    """The package's version and the size and time of every module: a development install
    changes its code without changing its version."""
    from plancompiler import __version__

    digest = hashlib.sha256(__version__.encode())
    for folder, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class DiskCache:
    """One project's pack: `recall` what earlier runs kept, `keep` what this run has."""

    def __init__(self, pack: Path) -> None:
        self.pack = pack
        self._on_disk: set[Key] = set()

    @classmethod
    def for_project(cls, project: Path, *setup: object) -> DiskCache | None:
        """The cache of `project` (its folder) for a compiler set up with `setup` (schemas'
        fingerprint, options the front end reads); None when the cache is off."""
        folder = cache_folder()
        if folder is None:
            return None
        place = hashlib.sha256(str(project.resolve()).encode()).hexdigest()[:16]
        identity = hashlib.sha256(repr((FORMAT, code_stamp(), setup)).encode()).hexdigest()[:16]
        return cls(folder / f"{place}-{identity}.pack")

    def recall(self, wanted: Collection[Key]) -> dict[Key, Any]:
        """The kept front ends of the `wanted` keys that the pack has and that read back whole."""
        found: dict[Key, Any] = {}
        try:
            with open(self.pack, "rb") as stream:
                for key, value in _records(stream):
                    if key in wanted:
                        try:
                            found[key] = _Unpickler(io.BytesIO(value)).load()
                        except Exception:  # a record that reads back wrong is a miss, written again
                            continue
                    self._on_disk.add(key)
        except OSError:
            pass
        return found

    def keep(self, entries: Mapping[Key, Any]) -> None:
        """Write the pack again with exactly `entries`, if it does not hold them already.
        Records already on disk are copied as they are; the others are pickled."""
        if self._on_disk == entries.keys():
            return
        import tempfile

        try:
            self.pack.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.pack.parent, prefix=".pack-")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(FORMAT)
                written = self._copy_kept(out, entries)
                for key, value in entries.items():
                    if key not in written:
                        _write(out, marshal.dumps(key), _dumps(value))
            os.replace(temporary, self.pack)
            self._on_disk = set(entries)
        except Exception:  # a full disk, a value that does not pickle: no cache this time
            _remove(temporary)
            return
        self._prune()

    def _copy_kept(self, out: IO[bytes], entries: Mapping[Key, Any]) -> set[Key]:
        """Copy the records of the current pack (perhaps written by another run meanwhile)
        that this run recalled unchanged; return their keys."""
        written: set[Key] = set()
        try:
            with open(self.pack, "rb") as stream:
                for key, value in _records(stream):
                    if key in entries and key in self._on_disk and key not in written:
                        _write(out, marshal.dumps(key), value)
                        written.add(key)
        except OSError:
            pass
        return written

    def _prune(self) -> None:
        """Remove packs nobody has written for `STALE_DAYS`, and this project's packs made
        by another version or setup."""
        place = self.pack.name.split("-", 1)[0]
        limit = time.time() - STALE_DAYS * 86400
        try:
            with os.scandir(self.pack.parent) as listing:
                for entry in listing:
                    if entry.name == self.pack.name or not entry.name.endswith(".pack"):
                        continue
                    if entry.name.startswith(place + "-") or entry.stat().st_mtime < limit:
                        _remove(entry.path)
        except OSError:
            pass


def _records(stream: IO[bytes]) -> Iterator[tuple[Key, bytes]]:
    """The (key, pickled value) records of a pack, up to the first damaged one."""
    if stream.read(len(FORMAT)) != FORMAT:
        return
    while True:
        head = stream.read(_RECORD.size)
        if len(head) != _RECORD.size:
            return
        key_size, value_size, crc = _RECORD.unpack(head)
        body = stream.read(key_size + value_size)
        if len(body) != key_size + value_size or zlib.crc32(body) != crc:
            return
        try:
            key = marshal.loads(body[:key_size])
        except Exception:
            return
        if not (type(key) is tuple and len(key) == 3):
            return
        yield key, body[key_size:]


def _write(out: IO[bytes], key: bytes, value: bytes) -> None:
    out.write(_RECORD.pack(len(key), len(value), zlib.crc32(value, zlib.crc32(key))))
    out.write(key)
    out.write(value)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


@cache
def _init_fields(cls: object) -> tuple[str, ...] | None:
    """The fields a dataclass of this package is made from, in order; None for other types."""
    if not (isinstance(cls, type) and cls.__module__.startswith("plancompiler.") and dataclasses.is_dataclass(cls)):
        return None
    found = dataclasses.fields(cls)
    if not all(f.init for f in found):
        return None
    return tuple(f.name for f in found)


class _Pickler(pickle.Pickler):
    """Dataclasses as their class called with their fields, which reads back quicker than
    pickle's default for frozen slotted classes (a `setattr` per field, found anew each time)."""

    def reducer_override(self, obj: Any) -> Any:
        kind: Any = type(obj)
        names = _init_fields(kind)
        if names is not None:
            return kind, tuple([getattr(obj, name) for name in names])
        if kind is Marks:
            return Marks, (obj.root,), (None, {"extra": obj.extra, "typed": obj.typed})
        return NotImplemented


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


class _Unpickler(pickle.Unpickler):
    """Builds the package's dataclasses and enums, its `Marks` and dates, and nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        return _allowed(module, name)


@lru_cache(maxsize=256)
def _allowed(module: str, name: str) -> Any:
    """The class a record names, if the cache may build it (every record names the same few)."""
    if (module, name) == ("datetime", "date"):
        return datetime.date
    if module.startswith("plancompiler."):
        found = getattr(importlib.import_module(module), name, None)
        if found is Marks or _init_fields(found) is not None or (isinstance(found, type) and issubclass(found, Enum)):
            return found
    raise pickle.UnpicklingError(f"{module}.{name} is not kept in the cache")
