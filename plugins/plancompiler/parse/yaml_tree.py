"""Build Python values from YAML front matter, keeping the position of every key and value.

The tree is built from the parser's event stream rather than from PyYAML's composer:
the event stream is flat (no recursion, so nesting 100,000 levels deep cannot crash the
interpreter), tags are seen before anything is constructed (so an unsafe tag is refused,
never executed), and aliases are counted as they are expanded (so a 'billion laughs'
document is refused after a bounded amount of work).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

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


@dataclass(slots=True)
class Tree:
    """The front matter as plain Python values, with a mark for every path."""

    data: Any = None
    marks: dict[Path, Mark] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)


class _Abort(Exception):
    """Reading stops: the problem is recorded and no partial data is trusted."""


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _scalar(event: yaml.ScalarEvent) -> tuple[Any, str | None]:
    """Construct a scalar with YAML 1.1 rules; return it and its raw text if it is no string."""
    tag = event.tag
    plain = not event.style
    if tag in (None, "!"):
        if not plain or tag == "!":
            return event.value, None
        tag = _resolver.resolve(yaml.ScalarNode, event.value, (True, False))
    if tag == _TAG + "str":
        return event.value, None
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        value = _constructor.construct_object(node)
    except (yaml.constructor.ConstructorError, ValueError, OverflowError):
        # `2026-13-45` looks like a date but is none: keep the text for the schema to judge.
        return event.value, None
    return value, event.value


def _kind(value: Any) -> str:
    return "a sequence" if isinstance(value, list) else "a mapping"


def read_yaml(text: str, line_offset: int) -> Tree:
    """Read one YAML document; `line_offset` is the file line of the text's first line, less 1."""
    tree = Tree()
    builder = _Builder(tree, line_offset)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except _Abort:
        tree.data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark and mark.line >= text.count("\n"):
            # "found unexpected end of stream": the end says nothing; where the unclosed
            # quote or bracket was opened does.
            mark = exc.context_mark
        line = mark.line + 1 + line_offset if mark else line_offset + 1
        col = mark.column + 1 if mark else 1
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        tree.problems.append(YamlProblem("PLN002", line, col, f"YAML syntax error: {problem}"))
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


class _Frame:
    __slots__ = ("value", "path", "key", "key_mark", "anchor", "size")

    def __init__(self, value: Any, path: Path, anchor: str | None) -> None:
        self.value = value
        self.path = path
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (0, 0)
        self.anchor = anchor
        self.size = 1


_NO_KEY = object()


class _Builder:
    """Turns parser events into values and marks (a push-down automaton, no recursion)."""

    def __init__(self, tree: Tree, line_offset: int) -> None:
        self.tree = tree
        self.offset = line_offset
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.alias_nodes = 0
        self.documents = 0

    def fail(self, code: str, event: yaml.Event, message: str) -> None:
        line, col = self.pos(event)
        self.tree.problems.append(YamlProblem(code, line, col, message))
        raise _Abort

    def pos(self, event: yaml.Event) -> tuple[int, int]:
        return event.start_mark.line + 1 + self.offset, event.start_mark.column + 1

    def check_tag(self, event: yaml.Event, allowed: set[str]) -> None:
        tag = event.tag
        if tag is None or tag == "!" or tag in allowed:
            return
        self.fail(
            "PLN005",
            event,
            f"YAML tag '{_short_tag(tag)}' is not allowed in front matter: it is loaded with a"
            " safe loader that builds only strings, numbers, booleans, dates, lists and"
            " mappings; remove the tag",
        )

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self.check_tag(event, _SAFE_SCALAR_TAGS)
            if self.stack and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is _NO_KEY:
                self.add(event, None, None, 1)
                return
            value, raw = _scalar(event)
            self.add(event, value, raw, 1)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            is_map = isinstance(event, yaml.MappingStartEvent)
            self.check_tag(event, _SAFE_COLLECTION_TAGS)
            if len(self.stack) >= MAX_DEPTH:
                self.fail(
                    "PLN006",
                    event,
                    f"front matter is nested more than {MAX_DEPTH} levels deep; flatten it",
                )
            if self.stack and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is _NO_KEY:
                # `? [a, b]`: a collection as a key, which no plan or ADR key can be.
                what = "a mapping" if is_map else "a sequence"
                self.fail("PLN052", event, f"mapping keys must be plain text, not {what}")
            container: Any = {} if is_map else []
            path = self.child_path()
            self.mark(event, path, None)
            self.stack.append(_Frame(container, path, event.anchor))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.value, frame.size)
            self.attach(frame.value, frame.size)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:  # pragma: no cover - the parser rejects these
                self.fail("PLN002", event, f"YAML alias '*{event.anchor}' has no anchor")
            value, size = self.anchors[event.anchor]
            self.alias_nodes += size
            if self.alias_nodes > MAX_ALIAS_NODES:
                self.fail(
                    "PLN006",
                    event,
                    f"YAML aliases expand to more than {MAX_ALIAS_NODES} nodes; refusing to"
                    " expand them (write the values out instead of nesting anchors)",
                )
            self.add(event, value, None, size)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.fail(
                    "PLN002",
                    event,
                    "front matter holds more than one YAML document; remove the extra '---'",
                )

    def child_path(self) -> Path:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value))
        if top.key is _NO_KEY:
            return top.path  # a mapping used as a key: rejected in `add`
        return (*top.path, top.key)

    def mark(self, event: yaml.Event, path: Path, raw: str | None) -> None:
        line, col = self.pos(event)
        key_line, key_col = line, col
        if self.stack and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is not _NO_KEY:
            key_line, key_col = self.stack[-1].key_mark
        self.tree.marks[path] = Mark(line, col, key_line, key_col, raw)

    def add(self, event: yaml.Event, value: Any, raw: str | None, size: int) -> None:
        if not self.stack:
            self.mark(event, (), raw)
            self.tree.data = value
            return
        top = self.stack[-1]
        if isinstance(top.value, dict) and top.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                self.fail("PLN052", event, "mapping keys must be plain text, not " + _kind(value))
            # Keys are names: keep them as written (`yes:` is the key 'yes', `1:` is '1').
            key = event.value if isinstance(event, yaml.ScalarEvent) else str(value)
            if key in top.value:
                first = self.tree.marks.get((*top.path, key))
                where = f" (first on line {first.key_line})" if first else ""
                self.fail(
                    "PLN008",
                    event,
                    f"key '{key}' is given twice in the same mapping{where}; keep one",
                )
            top.key = key
            top.key_mark = self.pos(event)
            return
        path = self.child_path()
        self.mark(event, path, raw)
        if isinstance(event, yaml.ScalarEvent) and event.anchor:
            self.anchors[event.anchor] = (value, 1)
        self.attach(value, size)

    def attach(self, value: Any, size: int) -> None:
        if not self.stack:
            self.tree.data = value
            return
        top = self.stack[-1]
        top.size += size
        if isinstance(top.value, list):
            top.value.append(value)
        elif top.key is _NO_KEY:
            raise _Abort  # pragma: no cover - collections as keys are refused in `add`
        elif top.key == "<<" and isinstance(value, (dict, list)):
            self.merge(top, value)
            top.key = _NO_KEY
        else:
            top.value[top.key] = value
            top.key = _NO_KEY

    def merge(self, top: _Frame, value: Any) -> None:
        """YAML merge keys (`<<: *base`): keys of the merged mappings that are not set here."""
        for source in value if isinstance(value, list) else [value]:
            if isinstance(source, dict):
                for k, v in source.items():
                    top.value.setdefault(k, v)


def is_date(value: Any) -> bool:
    return isinstance(value, (datetime.date, datetime.datetime))
