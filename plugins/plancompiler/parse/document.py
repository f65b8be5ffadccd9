"""Read one file: decode it, decide what kind of document it is, split and read its front matter."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from plancompiler.diagnostics import Reporter
from plancompiler.ids import SLUG_ID
from plancompiler.parse.yaml_tree import Mark, Marks, Path, YamlProblem, read_yaml

MAX_FRONT_MATTER_CHARS = 1_048_576
DEFAULT_ADR_DIRS = ("decisions", "adr", "adrs")

_OPEN = re.compile(r"\A---[ \t]*\r?\n")
# The line that closes the front matter, with the line break before it: a pattern that starts
# with a character is looked for at C speed, one that starts with `^` tried at every position.
_CLOSE = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
_KIND = re.compile(r"^kind[ \t]*:[ \t]*[\"']?([A-Za-z_-]+)", re.MULTILINE)
_ADR_FILE = re.compile(r"^(?:adr[-_]?)?(\d+)(?:[-_.].*)?\.md$", re.IGNORECASE)
_NAME_WORDS = re.compile(r"[-_. ]+")
# Words that name a template file, beside `template`: the kind of record, the template's variant.
_TEMPLATE_WORD = re.compile(
    r"^(?:templates?|tpl|m?adr|nygard|decisions?|records?|default|short|long|bare|minimal|full|example|blank"
    r"|new|name|title|yyyymmdd|nnnn|x{3,4})$"
)
# `adr-101-x.md`, `ADR-0007-y.md`: the name says it is a decision record, wherever it is.
_ADR_NAMED = re.compile(r"^adr[-_](\d+)(?:[-_.].*)?\.md$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A plan or an ADR as read from disk: values, marks, body and the problems found so far.

    Nothing changes a document once it is made: `normalise` makes a normalised copy, and the
    compiler keeps a copy without the text (or the marks) it no longer needs.
    """

    path: str
    rel: str
    kind: str
    data: dict[str, Any]
    marks: Marks
    body: str
    body_line: int
    text: str
    problems: tuple[YamlProblem, ...] = ()
    readable: bool = True
    derived: dict[str, Any] = field(default_factory=dict)
    """What normalising found out about the document beyond its front matter's keys (a
    record's status as written, its note, the relations and dates read from its body): plain
    values, since they cross from a forked child (`plancompiler.parallel`)."""

    def mark(self, path: Path) -> Mark:
        """The mark of `path`, or of its nearest ancestor that has one."""
        while True:
            found = self.marks.get(path)
            if found is not None or not path:
                return found or Mark(1, 1, 1, 1)
            path = path[:-1]

    # Every file goes through these two: a constructor call is quicker than `dataclasses.replace`.
    def with_values(self, data: dict[str, Any], marks: Marks, derived: dict[str, Any] | None = None) -> ParsedDocument:
        """The same document with other values and marks (`normalise` makes it)."""
        return ParsedDocument(
            self.path,
            self.rel,
            self.kind,
            data,
            marks,
            self.body,
            self.body_line,
            self.text,
            self.problems,
            self.readable,
            self.derived if derived is None else derived,
        )

    def without_text(self) -> ParsedDocument:
        """The same document without its text, once nothing needs it (the file's whole text)."""
        return ParsedDocument(
            self.path,
            self.rel,
            self.kind,
            self.data,
            self.marks,
            self.body,
            self.body_line,
            "",
            self.problems,
            self.readable,
            self.derived,
        )

    def to_plain(self) -> tuple[object, ...]:
        """The document as plain values (`marshal` carries them from a forked child)."""
        return (
            self.path,
            self.rel,
            self.kind,
            self.data,
            self.marks.to_plain(),
            self.body,
            self.body_line,
            self.text,
            [(p.code, p.line, p.col, p.message) for p in self.problems],
            self.readable,
            self.derived,
        )

    @classmethod
    def from_plain(cls, plain: tuple[Any, ...]) -> ParsedDocument:
        """The document `to_plain` gave."""
        path, rel, kind, data, marks, body, body_line, text, problems, readable, derived = plain
        problems = tuple(YamlProblem(*p) for p in problems)
        return cls(path, rel, kind, data, Marks.from_plain(marks), body, body_line, text, problems, readable, derived)


@dataclass(frozen=True, slots=True)
class AdrName:
    """What a decision record's file name says: its id, and the number or slug as written."""

    id: str
    written: str


def is_template(rel: str) -> bool:
    """Whether the file is named as a template (`template.md`, `0000-TEMPLATE.md`,
    `adr-template-bare.md`, `YYYYMMDD-template-name.md`): never a decision record.

    A name that says more than that is a record: `0012-email-template-engine.md` decides
    something about templates."""
    name = rel.replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".md")
    words = [w for w in _NAME_WORDS.split(name) if w and not w.isdigit()]
    return "template" in words and all(_TEMPLATE_WORD.match(w) for w in words)


def adr_name(rel: str, adr_dirs: Sequence[str]) -> AdrName | None:
    """The id a file's name gives it when the name makes it a decision record: a number
    (`0007-x.md`, `ADR-0007-x.md`) or a log4brains slug (`20201016-x.md`) in a decisions
    folder, or `adr-NNN-x.md` anywhere. None for any other file, and for templates."""
    parts = rel.replace("\\", "/").split("/")
    name = parts[-1]
    if is_template(name):
        return None
    named = _ADR_NAMED.match(name)
    if named:
        return AdrName(f"ADR-{int(named.group(1)):04d}", named.group(1))
    folders = {p.lower() for p in parts[:-1]}
    if not folders & {d.lower() for d in adr_dirs}:
        return None
    slug = name[:-3] if name.lower().endswith(".md") else name
    if SLUG_ID.match(slug):
        return AdrName(slug, slug)
    match = _ADR_FILE.match(name)
    return AdrName(f"ADR-{int(match.group(1)):04d}", match.group(1)) if match else None


def looks_numbered(rel: str) -> bool:
    """Whether a file's name is numbered as decision records are (`0001-x.md`, `20201016-x.md`)."""
    name = rel.replace("\\", "/").rsplit("/", 1)[-1]
    return bool(_ADR_FILE.match(name)) and not is_template(name)


def _decode(data: bytes) -> tuple[str, YamlProblem | None]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        prefix = data[start : exc.start].decode("utf-8", errors="replace")
        line = prefix.count("\n") + 1
        col = len(prefix) - (prefix.rfind("\n") + 1) + 1
        text = data.decode("utf-8-sig", errors="replace")
        return text, YamlProblem(
            "PLN001",
            line,
            col,
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )
    if "\x00" in text:
        before = text[: text.index("\x00")]
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        return text.replace("\x00", "\ufffd"), YamlProblem(
            "PLN001",
            line,
            col,
            "the file contains NUL bytes, so it is binary data, not Markdown text; save it as UTF-8 text",
        )
    return text, None


def read_document(
    path: str, rel: str, data: bytes | str, adr_dirs: Sequence[str] = DEFAULT_ADR_DIRS
) -> ParsedDocument | None:
    """Parse `data` if it is a plan or an ADR; return None for an ordinary page.

    `path` is what diagnostics show; `rel` is the path inside the docs folder, which
    decides whether the file's place makes it an ADR.
    """
    decode_problem = None
    if isinstance(data, bytes):
        text, decode_problem = _decode(data)
    else:
        text = data.removeprefix("\ufeff")
    by_place = adr_name(rel, adr_dirs) is not None

    opening = _OPEN.match(text)
    closing = _CLOSE.search(text, opening.end() - 1) if opening else None  # from the opening's line break
    if opening and closing:
        fm_text = text[opening.end() : closing.start() + 1]
        body = text[closing.end() :]
        body_line = text.count("\n", 0, closing.end()) + 1
    else:
        fm_text, body, body_line = "", text, 1
    declared = _KIND.search(fm_text if closing else text[:4096] if opening else "")
    kind = declared.group(1).lower() if declared else None
    if kind not in ("plan", "adr"):
        kind = "adr" if by_place else None
    if kind is None:
        return None

    def unreadable(problem: YamlProblem) -> ParsedDocument:
        return ParsedDocument(path, rel, kind, {}, Marks(), body, body_line, text, (problem,), readable=False)

    if decode_problem:
        return unreadable(decode_problem)
    if not text or text.isspace():  # without copying the text
        return unreadable(
            YamlProblem(
                "PLN007",
                1,
                1,
                f"the file is empty, but its place makes it {'an ADR' if kind == 'adr' else 'a plan'};"
                " write its front matter and title, or delete it",
            )
        )
    if opening and not closing:
        return unreadable(
            YamlProblem(
                "PLN003",
                1,
                1,
                "front matter opened here is never closed; add a line containing only '---' after the last key",
            )
        )
    if len(fm_text) > MAX_FRONT_MATTER_CHARS:
        return unreadable(
            YamlProblem(
                "PLN006",
                2,
                1,
                f"front matter is {len(fm_text):,} characters long, over the limit of"
                f" {MAX_FRONT_MATTER_CHARS:,}; split the plan into smaller plans",
            )
        )
    if not opening:
        # An ADR by place with no front matter (Nygard/adr-tools style).
        return ParsedDocument(path, rel, kind, {}, Marks(), body, body_line, text)

    tree = read_yaml(fm_text, line_offset=1)
    problems = tuple(tree.problems)
    if tree.problems:
        return ParsedDocument(path, rel, kind, {}, tree.marks, body, body_line, text, problems, readable=False)
    if tree.data is not None and not isinstance(tree.data, dict):
        what = "a sequence" if isinstance(tree.data, list) else "a single value"
        problem = YamlProblem("PLN004", 2, 1, f"front matter must be a mapping of keys to values, not {what}")
        return ParsedDocument(path, rel, kind, {}, tree.marks, body, body_line, text, (problem,), readable=False)
    # `---\n---` is empty front matter: no values.
    return ParsedDocument(path, rel, kind, tree.data or {}, tree.marks, body, body_line, text, problems)


def page_body(data: bytes | str) -> tuple[str, int]:
    """The Markdown of an ordinary page without its front matter, and the body's first line."""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    opening = _OPEN.match(text)
    closing = _CLOSE.search(text, opening.end() - 1) if opening else None
    if opening and closing:
        return text[closing.end() :], text.count("\n", 0, closing.end()) + 1
    return text, 1


def symlink_loops(root: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """Folder links under `root` that point at a folder containing them, as absolute (link,
    target) paths. Walks without following links, so it always ends; the folder listing
    tells links apart, with no system call per file (every `mkdocs serve` rebuild walks)."""
    found = []
    pending = [os.path.realpath(root)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            try:
                link, folder_below = entry.is_symlink(), entry.is_dir(follow_symlinks=False)
            except OSError:  # where the listing does not tell, and the entry cannot be read
                continue
            if link:
                target = os.path.realpath(entry.path)
                if os.path.isdir(target) and (folder + os.sep).startswith(target.rstrip(os.sep) + os.sep):
                    found.append((entry.path, target))
            elif folder_below:
                pending.append(entry.path)
    return sorted(found)


def report_loops(loops: Iterable[tuple[str, str]], reporter: Reporter) -> None:
    """PLN009 for each folder link (link, target: display paths) that `symlink_loops` found;
    the adapter leaves the files below it out."""
    for link, target in loops:
        reporter.report(
            "PLN009",
            link,
            1,
            1,
            f"{link} links back to {target}, a folder that contains it; the files below it are"
            " left out (remove the link or point it elsewhere)",
        )
