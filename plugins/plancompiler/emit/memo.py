"""Pieces of output kept from one build to the next.

`mkdocs serve` rebuilds the whole site after every edit, yet an edit to one plan changes a
handful of summaries, index rows and export entries. Emitters ask a `Memo` for each piece
with a key holding everything the piece is made from, and make it again only when the key
differs from the one it was made with.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar, cast

from plancompiler.emit.reads import Record, changed_records, records_read
from plancompiler.model import Adr, Plan

T = TypeVar("T")
Item = TypeVar("Item", bound=Hashable)


class Memo:
    """Pieces by name, each with the key it was made from; pieces a build does not ask for
    are forgotten at the start of the next one, so the memo holds about one build's worth.

    Keys are compared by identity, then with `==` (which, inside tuples, looks at identity
    first too): the model of a plan whose file did not change is the very same object in
    the next build (the compiler keeps it), so a key holding it compares in no time, and a
    key holding a rebuilt one compares by value. Whatever a piece's maker reads must be in
    its key.
    """

    def __init__(self) -> None:
        self._last: dict[Hashable, tuple[object, object]] = {}
        self._this: dict[Hashable, tuple[object, object]] = {}
        self.changed: set[Record] | None = None
        """The plans and records that are not the last build's objects, when the rest of the
        model is the last build's; None when anything may have changed."""
        self.keeping = False
        """Whether a build comes after this one (`mkdocs serve`)."""
        self._model: tuple[tuple[object, ...], Mapping[str, Plan | Adr]] | None = None

    def new_build(self) -> None:
        """Start a build: the pieces of the last one are still at hand, older ones are not."""
        self._last, self._this = self._this, {}
        self.changed = None

    def compiled(self, shared: tuple[object, ...], records: Mapping[str, Plan | Adr], keeping: bool) -> None:
        """This build's model: `shared`, what pieces read of it besides the plans and records
        (the links, the analysis, the schedule), and its plans and records by source path.
        When `shared` is the last build's (the compiler kept it: no plan or record changed
        beyond its titles or prose), `changed` names the plans and records that are not the
        last build's objects."""
        last, self.keeping = self._model, keeping
        same = last is not None and all(a is b or a == b for a, b in zip(last[0], shared, strict=True))
        self.changed = changed_records(last[1], records) if last is not None and same else None
        self._model = (shared, records) if keeping else None

    def kept(self, name: Hashable, key: object) -> object | None:
        """The piece called `name` if it was made for `key` (it is then kept for the next build
        too), else None; pieces are never None."""
        for kept in (self._this.get(name), self._last.get(name)):
            if kept is not None and (kept[0] is key or kept[0] == key):
                self._this[name] = kept
                return kept[1]
        return None

    def keep(self, name: Hashable, key: object, value: T) -> T:
        """Keep `value` as the piece called `name`, made for `key`."""
        self._this[name] = (key, value)
        return value

    def get(self, name: Hashable, key: object, make: Callable[[], T]) -> T:
        """The piece called `name` as `make` gives it for `key`, made only when not kept."""
        value = self.kept(name, key)
        return cast(T, value) if value is not None else self.keep(name, key, make())

    def made(self, name: Hashable, args: tuple[object, ...], make: Callable[..., T]) -> T:
        """`make(*args)`, made again only when an argument is not the very object it was the
        last time. For a view made from the model alone: the model is immutable, and what did
        not change is the same object in the next build, so an equal view is not gathered again."""
        kept = self._this.get(name) or self._last.get(name)
        if kept is not None:
            last = cast("tuple[object, ...]", kept[0])
            if len(last) == len(args) and all(a is b for a, b in zip(last, args)):
                self._this[name] = kept
                return cast(T, kept[1])
        return self.keep(name, args, make(*args))

    def gathered(self, name: Hashable, gather: Callable[[], T], also: object = None) -> T:
        """What `gather()` gives (model objects in tuples, as `emit.reads` reads them), or what
        it gave the last build when none of the plans and records among it changed since
        (`changed`) and `also`, what else it read, is equal."""
        changed = self.changed
        if changed is not None:
            kept = self._this.get(name) or self._last.get(name)
            if kept is not None:
                records, was_also = cast("tuple[frozenset[Record], object]", kept[0])
                if records.isdisjoint(changed) and (was_also is also or was_also == also):
                    self._this[name] = kept
                    return cast(T, kept[1])
        value = gather()
        if self.keeping:
            self._this[name] = ((records_read(cast("tuple[object, ...]", value)), also), value)
        return value

    def each(self, name: Hashable, keys: Iterable[tuple[Item, object]], make: Callable[[Item], T]) -> list[T]:
        """The pieces of a list called `name`, in order: `keys` gives each item (an id, unique
        in the list) with its key, and `make(item)` makes an item's piece when not kept."""
        kept = self._this.get(name) or self._last.get(name)
        last = cast("dict[Item, tuple[object, T]]", kept[1]) if kept is not None else {}
        this: dict[Item, tuple[object, T]] = {}
        out = []
        for item, key in keys:
            piece = last.get(item)
            if piece is None or (piece[0] is not key and piece[0] != key):
                piece = (key, make(item))
            this[item] = piece
            out.append(piece[1])
        self._this[name] = (None, this)
        return out
