"""Build Python values from YAML front matter, keeping the position of every key and value.

The tree is built from the parser's event stream rather than from PyYAML's composer:
the event stream is flat (no recursion, so nesting 100,000 levels deep cannot crash the
interpreter), tags are seen before anything is constructed (so an unsafe tag is refused,
never executed), and aliases are counted as they are expanded (so a 'billion laughs'
document is refused after a bounded amount of work).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from sys import intern as _intern
from typing import Any, NoReturn

import yaml

try:  # libyaml keeps line marks, and is several times faster than the pure-Python parser.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

MAX_DEPTH = 64
MAX_ALIAS_NODES = 100_000

_TAG = "tag:yaml.org,2002:"
_SAFE_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_SAFE_COLLECTION_TAGS = {_TAG + "map", _TAG + "seq", _TAG + "omap"}
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a value sits in the file (1-based), where its key sits, and its raw text.

    `raw` is the scalar exactly as written when YAML 1.1 would read a plain scalar as
    something other than a string (`0011` is the octal 9, `no` is False): ids and
    titles are recovered from it.
    """

    line: int
    col: int
    key_line: int
    key_col: int
    raw: str | None = None


@dataclass(slots=True)
class YamlProblem:
    """A problem found while reading the YAML, before any schema is applied."""

    code: str
    line: int
    col: int
    message: str


class Marks:
    """Positions of every key and value, looked up by path.

    Positions are kept as a tree shaped like the data (one small tuple per value), and a
    `Mark` is made only when someone asks; stages may add marks of their own (a title taken
    from the heading, a key renamed from MADR's spelling).
    """

    __slots__ = ("root", "extra", "typed", "aliased", "_cache")

    def __init__(self, root: tuple[Any, ...] | None = None) -> None:
        self.root = root
        self.extra: dict[Path, Mark] = {}
        self.typed: list[tuple[Path, str]] = []
        self.aliased = True
        """Whether a YAML alias may make one mapping or list stand in two places of the values
        (unless the reader found none, it may)."""
        self._cache: dict[Path, tuple[Any, ...] | None] = {}

    def entry(self, path: Path) -> tuple[Any, ...] | None:
        """The position tuple at `path`: (key line, key col, line, col, raw, children).

        Lookups are remembered, so the many paths that share a prefix (every key of a task)
        walk that prefix once.
        """
        if not path:
            return self.root
        cache = self._cache
        if path in cache:
            return cache[path]
        parent = self.entry(path[:-1])
        found = None
        if parent is not None:
            child, part = parent[5], path[-1]
            if type(child) is dict:
                found = child.get(part)
            elif type(child) is list and type(part) is int and 0 <= part < len(child):
                found = child[part]
        cache[path] = found
        return found

    def get(self, path: Path, default: Mark | None = None) -> Mark | None:
        if self.extra:
            found = self.extra.get(path)
            if found is not None:
                return found
        entry = self.entry(path)
        if entry is None:
            return default
        return Mark(entry[2], entry[3], entry[0], entry[1], entry[4])

    def forget(self) -> None:
        """Drop remembered lookups (they are rebuilt on demand); saves memory on large sites."""
        self._cache.clear()

    def copy(self) -> Marks:
        """Marks of the same values, to which a stage making a new document adds its own."""
        marks = Marks(self.root)
        marks.extra = dict(self.extra)
        marks.typed = self.typed
        marks.aliased = self.aliased
        return marks

    def to_plain(self) -> tuple[object, ...]:
        """The marks as plain values (`marshal` carries them from a forked child)."""
        extra = [(path, m.line, m.col, m.key_line, m.key_col, m.raw) for path, m in self.extra.items()]
        return (self.root, extra, self.typed, self.aliased)

    @classmethod
    def from_plain(cls, plain: tuple[Any, ...]) -> Marks:
        """The marks `to_plain` gave."""
        root, extra, typed, aliased = plain
        marks = cls(root)
        marks.extra = {tuple(p): Mark(line, col, kl, kc, raw) for p, line, col, kl, kc, raw in extra}
        marks.typed = [(tuple(p), raw) for p, raw in typed]
        marks.aliased = aliased
        return marks

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self.get(path) is not None

    def __getitem__(self, path: Path) -> Mark:
        found = self.get(path)
        if found is None:
            raise KeyError(path)
        return found

    def __setitem__(self, path: Path, mark: Mark) -> None:
        self.extra[path] = mark


@dataclass(slots=True)
class Tree:
    """The front matter as plain Python values, with the marks of every path."""

    data: Any = None
    marks: Marks = field(default_factory=Marks)
    problems: list[YamlProblem] = field(default_factory=list)


class _Abort(Exception):
    """Reading stops: the problem is recorded and no partial data is trusted."""


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


_FIRST_CHARS = frozenset(k for k in _resolver.yaml_implicit_resolvers if k)


@lru_cache(maxsize=16384)
def _plain(text: str) -> tuple[Any, str | None]:
    """A plain scalar read with YAML 1.1's implicit types (`_construct`): statuses, owners,
    estimates and dates repeat, and what they read as is immutable, so it is kept."""
    return _construct(_resolver.resolve(yaml.ScalarNode, text, (True, False)), text)


def _construct(tag: str, text: str) -> tuple[Any, str | None]:
    """The scalar `text` read as `tag`, and `text` when that is no string (None otherwise)."""
    if tag == _TAG + "str":
        return text, None
    try:
        return _constructor.construct_object(yaml.ScalarNode(tag, text)), text
    except (yaml.constructor.ConstructorError, ValueError, OverflowError):
        # `2026-13-45` looks like a date but is none: keep the text for the schema to judge.
        return text, None
    finally:
        # The constructor remembers every node it was given, for documents it builds whole.
        _constructor.constructed_objects.clear()
        _constructor.recursive_objects.clear()


def _scalar(event: Any) -> tuple[Any, str | None]:
    """Construct a scalar with YAML 1.1 rules; return it and its raw text if it is no string."""
    tag = event.tag
    text = event.value
    if tag is None:
        if event.style or (text and text[0] not in _FIRST_CHARS):
            return text, None  # quoted, or plain text that no implicit type starts like
        return _plain(text)
    if tag == "!":
        return text, None
    return _construct(tag, text)


def _kind(value: Any) -> str:
    return "a sequence" if isinstance(value, list) else "a mapping"


def read_yaml(text: str, line_offset: int) -> Tree:
    """Read one YAML document; `line_offset` is the file line of the text's first line, less 1."""
    tree = Tree()
    try:
        loader = _Loader(text)
        try:
            _build(tree, loader, line_offset)
        finally:
            loader.dispose()
    except _Abort:
        tree.data = None
    except yaml.MarkedYAMLError as exc:
        tree.problems.append(_syntax_problem(text, exc, line_offset))
        tree.data = None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line = before.count("\n") + 1 + line_offset
        col = len(before) - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        tree.problems.append(
            YamlProblem(
                "PLN002",
                line,
                col,
                f"YAML syntax error: character U+{ord(char):04X} is not allowed in YAML; remove it",
            )
        )
        tree.data = None
    except yaml.YAMLError as exc:  # pragma: no cover - every libyaml error is marked
        tree.problems.append(YamlProblem("PLN002", line_offset + 1, 1, f"YAML error: {exc}"))
        tree.data = None
    return tree


def _syntax_problem(text: str, exc: yaml.MarkedYAMLError, line_offset: int) -> YamlProblem:
    """The parser's error, placed where the mistake is and explained when its cause is known."""
    from plancompiler.parse.yaml_errors import explain  # a clean site never needs it

    mark, opened = exc.problem_mark or exc.context_mark, exc.context_mark
    explained = explain(
        text,
        line_offset + 1,
        exc.context,
        exc.problem,
        (mark.line, mark.column) if mark else None,
        (opened.line, opened.column) if opened else None,
    )
    said = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
    line, col = explained.line + 1 + line_offset, explained.col + 1
    if explained.code == "PLN006":
        return YamlProblem(
            "PLN006", line, col, f"front matter is nested too deep for the YAML reader; flatten it ({said})"
        )
    if explained.cause:
        return YamlProblem("PLN002", line, col, f"YAML syntax error: {explained.cause} (PyYAML: {said})")
    return YamlProblem("PLN002", line, col, f"YAML syntax error: {said}")


_NO_KEY = object()
_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_MapStart, _SeqStart = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MapEnd, _SeqEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent
_DocumentStart, _StreamEnd = yaml.DocumentStartEvent, yaml.StreamEndEvent


def _fail(tree: Tree, code: str, line: int, col: int, message: str) -> NoReturn:
    tree.problems.append(YamlProblem(code, line, col, message))
    raise _Abort


def _unsafe(tree: Tree, tag: str, line: int, col: int) -> NoReturn:
    _fail(
        tree,
        "PLN005",
        line,
        col,
        f"YAML tag '{_short_tag(tag)}' is not allowed in front matter: it is loaded with a"
        " safe loader that builds only strings, numbers, booleans, dates, lists and"
        " mappings; remove the tag",
    )


def _build(tree: Tree, loader: Any, offset: int) -> None:
    """Turn the parser's events into values and position tuples: a push-down automaton
    written as one loop, since it runs once per event of every front matter in the site.

    The innermost open mapping or sequence lives in local variables (its values, its
    children's positions, whether it is a mapping, the key waiting for a value and where
    that key is, where the collection starts, its anchor and how many nodes it holds);
    `outer` keeps the enclosing ones as lists of the same, innermost last.
    """
    get = loader.get_event  # without `yaml.parse`'s per-event `check_event` round trip
    typed = tree.marks.typed
    tree.marks.aliased = False
    outer: list[list[Any]] = []
    anchors: dict[str, tuple[Any, int, Any]] = {}
    alias_nodes = 0
    documents = 0
    root: tuple[Any, ...] | None = None
    values: Any = None  # None outside any collection
    places: Any = None
    is_map = False
    key: Any = _NO_KEY
    key_line = key_col = start_line = start_col = size = 0
    anchor: str | None = None
    while True:
        event = get()
        kind = type(event)
        if kind is _Scalar or kind is _Alias:
            mark = event.start_mark
            line, col = mark.line + 1 + offset, mark.column + 1
            if kind is _Scalar:
                tag = event.tag
                if tag is not None and tag != "!" and tag not in _SAFE_SCALAR_TAGS:
                    _unsafe(tree, tag, line, col)
                text = event.value
                if is_map and key is _NO_KEY:
                    # Keys are names: kept as written (`yes:` is the key 'yes', `1:` is '1').
                    if text in values:
                        first = places.get(text)
                        where = f" (first on line {first[0]})" if first else ""
                        _fail(
                            tree,
                            "PLN008",
                            line,
                            col,
                            f"key '{text}' is given twice in the same mapping{where}; keep one",
                        )
                    key, key_line, key_col = _intern(text), line, col
                    continue
                if tag is not None:
                    value, raw = _scalar(event)
                elif event.style or (text and text[0] not in _FIRST_CHARS):
                    value, raw = text, None  # quoted, or plain text that no implicit type starts like
                else:
                    value, raw = _plain(text)
                nodes, child = 1, None
                if event.anchor:
                    anchors[event.anchor] = (value, 1, None)
            else:
                tree.marks.aliased = True
                if event.anchor not in anchors:  # pragma: no cover - the parser rejects these
                    _fail(
                        tree,
                        "PLN002",
                        line,
                        col,
                        f"YAML alias '*{event.anchor}' has no anchor: a value that starts with '*' is an"
                        " alias in YAML; put the value in quotes",
                    )
                value, nodes, child = anchors[event.anchor]
                raw = None
                alias_nodes += nodes
                if alias_nodes > MAX_ALIAS_NODES:
                    _fail(
                        tree,
                        "PLN006",
                        line,
                        col,
                        f"YAML aliases expand to more than {MAX_ALIAS_NODES} nodes; refusing to"
                        " expand them (write the values out instead of nesting anchors)",
                    )
                if is_map and key is _NO_KEY:
                    if isinstance(value, (dict, list)):
                        _fail(tree, "PLN052", line, col, "mapping keys must be plain text, not " + _kind(value))
                    text = str(value)
                    if text in values:
                        _fail(tree, "PLN008", line, col, f"key '{text}' is given twice in the same mapping; keep one")
                    key, key_line, key_col = _intern(text), line, col
                    continue
            if values is None:
                tree.data = value
                root = (line, col, line, col, raw, child)
                continue
            size += nodes
            if is_map:
                if key == "<<" and isinstance(value, (dict, list)):
                    key = _NO_KEY
                    _merge(values, value)
                    continue
                values[key] = value
                places[key] = (key_line, key_col, line, col, raw, child)
                if raw is not None:
                    typed.append((_path(outer, key), raw))
                key = _NO_KEY
            else:
                if raw is not None:
                    typed.append((_path(outer, len(values)), raw))
                values.append(value)
                places.append((line, col, line, col, raw, child))
        elif kind is _MapStart or kind is _SeqStart:
            mark = event.start_mark
            line, col = mark.line + 1 + offset, mark.column + 1
            tag = event.tag
            if tag is not None and tag != "!" and tag not in _SAFE_COLLECTION_TAGS:
                _unsafe(tree, tag, line, col)
            if values is not None:
                if len(outer) + 1 >= MAX_DEPTH:
                    _fail(
                        tree,
                        "PLN006",
                        line,
                        col,
                        f"front matter is nested more than {MAX_DEPTH} levels deep; flatten it",
                    )
                if is_map and key is _NO_KEY:
                    # `? [a, b]`: a collection as a key, which no plan or ADR key can be.
                    what = "a mapping" if kind is _MapStart else "a sequence"
                    _fail(tree, "PLN052", line, col, f"mapping keys must be plain text, not {what}")
                outer.append([values, places, is_map, key, key_line, key_col, start_line, start_col, anchor, size])
            is_map = kind is _MapStart
            values, places = ({}, {}) if is_map else ([], [])
            key, key_line, key_col = _NO_KEY, 0, 0
            start_line, start_col, anchor, size = line, col, event.anchor, 1
        elif kind is _MapEnd or kind is _SeqEnd:
            done, done_places, done_line, done_col, done_size = values, places, start_line, start_col, size
            if anchor:
                anchors[anchor] = (done, done_size, done_places)
            if not outer:
                tree.data = done
                root = (done_line, done_col, done_line, done_col, None, done_places)
                values = places = None
                is_map, key = False, _NO_KEY
                continue
            values, places, is_map, key, key_line, key_col, start_line, start_col, anchor, size = outer.pop()
            size += done_size
            if is_map:
                if key == "<<":
                    key = _NO_KEY
                    _merge(values, done)
                    continue
                values[key] = done
                places[key] = (key_line, key_col, done_line, done_col, None, done_places)
                key = _NO_KEY
            else:
                values.append(done)
                places.append((done_line, done_col, done_line, done_col, None, done_places))
        elif kind is _StreamEnd:
            break
        elif kind is _DocumentStart:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                _fail(
                    tree,
                    "PLN002",
                    mark.line + 1 + offset,
                    mark.column + 1,
                    "front matter holds more than one YAML document; remove the extra '---'",
                )
    tree.marks.root = root


def _path(outer: list[list[Any]], last: str | int) -> Path:
    """The path of the child `last` of the innermost open collection, whose enclosing ones
    are `outer` (each child's place in them is the key waiting there, or the next index)."""
    parts: list[str | int] = [frame[3] if frame[2] else len(frame[0]) for frame in outer]
    parts.append(last)
    return tuple(parts)


def _merge(target: dict[str, Any], value: Any) -> None:
    """YAML merge keys (`<<: *base`): keys of the merged mappings that are not set here."""
    for source in value if isinstance(value, list) else [value]:
        if isinstance(source, dict):
            for k, v in source.items():
                target.setdefault(k, v)
