"""What the compiler reads in Markdown prose: bracketed labels, links, the first heading, and
where code is, for every stage that needs them.

One set of rules serves them all, so that a page's title, the labels `plans check` reports
and the labels the Markdown extension turns into links are found alike: a fenced block opens
with three or more backticks or tildes indented at most three spaces and closes with a line
of the same character at least as long (CommonMark); indented code, code spans and HTML
comments are left alone too. A label is `[id]`-shaped text (`[ADR-0003]`, `[G02]`,
`[plan-id/P1.2]`) that is not an image, a footnote, an escaped bracket, an inline link or a
full reference link, nor inside the text of one (`[[ADR-101]](adr-101-x.md)` is one link).
A link to another Markdown file (`[ADR-0008](0008-x.md)`, `[ADR 8]: 0008-x.md`) is found too:
to a decision record, it is a reference.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# `[label]` not preceded by `]`, `!`, `\` or `^`, nor followed by `[` or `(`. The bracket comes
# first and the look-behind checks it together with the character before it: a pattern
# that starts with a literal lets `re` skip straight to each `[` of a text, which makes
# the search many times faster than starting with the look-behind.
LABEL_PATTERN = r"\[(?<![\]!\\^]\[)([A-Za-z0-9][A-Za-z0-9._/-]*)\](?![\[(])"
LABEL = re.compile(LABEL_PATTERN)
DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?([^\s>]+)>?")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_FENCE_ANYWHERE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_COMMENT = re.compile(r"<!--.*?-->")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")
_H1_ANYWHERE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_LEADING_H1 = re.compile(r"\A\s*#[ \t]+([^\n]*?)[ \t]*(\n|\Z)")
# A relative link to a Markdown file (`0008-x.md`, `../adr/0008-x.md#context`); not a URL.
_MARKDOWN_FILE = re.compile(r"^(?![a-z][a-z0-9+.-]*:|/)[^?#]*\.md(?:#.*)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class XrefUse:
    """A bracketed label in prose and where it stands (file line, 1-based column); for a link
    to another Markdown file (`[ADR-0008](0008-x.md)`), its text and `target` as written."""

    label: str
    line: int
    col: int
    target: str | None = None
    block: int = 0
    """Which paragraph, list or table of the page it stands in (counted from 0)."""


def fence_of(line: str) -> str | None:
    """The backticks or tildes of a line that opens or closes a fenced block, or None."""
    found = _FENCE.match(line)
    return found.group(1) if found else None


def closes(fence: str, line_fence: str) -> bool:
    """Whether a fence line (`line_fence`, its backticks or tildes) closes the block `fence` opened."""
    return line_fence[0] == fence[0] and len(line_fence) >= len(fence)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def scan(body: str, first_line: int) -> tuple[list[XrefUse], str | None]:
    """Labels outside code and comments, and the first `#` heading (the page's title).

    `first_line` is the file's line number of the body's first line.
    """
    if "[" not in body:
        found = first_heading(body)
        return [], found[0] if found else None
    lines = body.split("\n")
    defined = set(definitions(lines)) if "]:" in body else set()
    uses: list[XrefUse] = []
    title = None
    fence: str | None = None
    previous_blank, in_indented, last_text = True, False, ""
    block = 0
    # Once per line of every page: the patterns are tried only on lines that hold the
    # characters they start with.
    for number, line in enumerate(lines):
        opening = _FENCE.match(line) if "`" in line or "~" in line else None
        if fence is not None:
            if opening and closes(fence, opening.group(1)):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        indented = line.startswith(("    ", "\t"))
        in_indented = indented and (in_indented or (previous_blank and not _LIST_ITEM.match(last_text)))
        blank = not line.strip()
        if previous_blank and not blank:
            block += 1
        previous_blank = blank
        if not blank and not indented:
            last_text = line
        if in_indented:
            continue
        if title is None and line.startswith("#") and (heading := _H1.match(line)):
            title = heading.group(1)
        if "[" not in line:
            continue
        visible = _COMMENT.sub(_blank, _CODE_SPAN.sub(_blank, line))
        texts = link_texts(visible)
        for match in LABEL.finditer(visible):
            if match.group(1).lower() not in defined and not (texts and inside(texts, match.start(), match.end())):
                uses.append(XrefUse(match.group(1), first_line + number, match.start() + 1, block=block))
        if "](" in visible or "]:" in visible:
            uses += _file_links(visible, first_line + number, block)
    return uses, title


def _file_links(line: str, line_no: int, block: int) -> list[XrefUse]:
    """Inline links and link definitions that point at a Markdown file of the site."""
    found = []
    definition = DEFINITION.match(line)
    if definition and _MARKDOWN_FILE.match(definition.group(2)):
        found.append(XrefUse(definition.group(1), line_no, definition.start(2) + 1, definition.group(2), block))
    for link in links(line):
        if not link.reference and _MARKDOWN_FILE.match(link.target):
            found.append(XrefUse(" ".join(link.text.split()), line_no, link.start + 1, link.target, block))
    return found


def first_heading(body: str) -> tuple[str, int] | None:
    """The first `# ` heading outside fenced code, as written, with its line in the body
    (0-based); None when there is none."""
    heading = _H1_ANYWHERE.search(body)
    if heading is None:
        return None
    if not _FENCE_ANYWHERE.search(body, 0, heading.start()):
        # No code before it: the common case, without walking the lines.
        return heading.group(1), body.count("\n", 0, heading.start())
    fence: str | None = None
    for number, line in enumerate(body.split("\n")):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and closes(fence, opening.group(1)):
                fence = None
        elif opening:
            fence = opening.group(1)
        elif heading := _H1.match(line):
            return heading.group(1), number
    return None


@dataclass(frozen=True, slots=True)
class Heading:
    """A `# ` title that opens a page: where its text starts and stops, and where its line ends
    (after its line break, when it has one)."""

    start: int
    stop: int
    end: int
    line_break: bool


def leading_heading(markdown: str) -> Heading | None:
    """The `# ` title that opens `markdown` (blank lines before it allowed), or None when
    `markdown` opens with anything else."""
    found = _LEADING_H1.match(markdown)
    return Heading(found.start(1), found.end(1), found.end(), bool(found.group(2))) if found else None


@dataclass(frozen=True, slots=True)
class Link:
    """A link in a line: its text, its target as written (for a reference link, the label
    it names), and where it starts and ends (0-based offsets, the end excluded)."""

    text: str
    target: str
    start: int
    end: int
    reference: bool = False


def _closing_bracket(line: str, opening: int) -> int:
    """The offset of the `]` that closes the `[` at `opening`, or -1."""
    depth = 0
    at = opening
    while at < len(line):
        char = line[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return at
        at += 1
    return -1


def _closing_paren(line: str, opening: int) -> int:
    depth = 0
    for at in range(opening, len(line)):
        if line[at] == "(" and (at == 0 or line[at - 1] != "\\"):
            depth += 1
        elif line[at] == ")" and line[at - 1] != "\\":
            depth -= 1
            if depth == 0:
                return at
    return -1


def links(line: str) -> list[Link]:
    """Inline and reference links of `line`, images left out, in order of appearance."""
    found: list[Link] = []
    at = line.find("[")
    while at >= 0:
        close = _closing_bracket(line, at)
        if close < 0:
            break
        image = at > 0 and line[at - 1] == "!"
        text = line[at + 1 : close]
        after = line[close + 1 : close + 2]
        if after == "(":
            end = _closing_paren(line, close + 1)
            if end > 0:
                inner = line[close + 2 : end].strip()
                target = inner[1 : inner.find(">")] if inner.startswith("<") and ">" in inner else inner.split()[0]
                if not image and target:
                    found.append(Link(text, target, at, end + 1))
                at = line.find("[", end + 1)
                continue
        elif after == "[":
            end = line.find("]", close + 2)
            if end > 0:
                if not image:
                    found.append(Link(text, line[close + 2 : end] or text, at, end + 1, reference=True))
                at = line.find("[", end + 1)
                continue
        elif not image and line[close + 1 : close + 2] != ":":
            found.append(Link(text, text, at, close + 1, reference=True))
        at = line.find("[", at + 1)
    return found


def link_texts(line: str) -> list[tuple[int, int]]:
    """Where the texts of the line's inline and full reference links lie (start, end): what
    stands there belongs to the link (`[[ADR-101]](adr-101-x.md)`, `[see [G02] first][notes]`)."""
    if "](" not in line and "][" not in line:
        return []
    return [
        (link.start + 1, link.start + 1 + len(link.text))
        for link in links(line)
        if not (link.reference and link.target == link.text)
    ]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether `start:end` lies within one of `spans` (from `link_texts`)."""
    return any(first <= start and end <= last for first, last in spans)


def definitions(lines: list[str]) -> dict[str, str]:
    """Link definitions (`[label]: target`) by lower-cased label."""
    found: dict[str, str] = {}
    for line in lines:
        match = DEFINITION.match(line)
        if match:
            found.setdefault(match.group(1).lower(), match.group(2))
    return found


def local_path(target: str, from_rel: str) -> str | None:
    """The path inside the docs folder that a link target names, seen from the page `from_rel`;
    None for a link elsewhere (a URL, an e-mail address, an anchor on the same page)."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(from_rel), path)
    normal = posixpath.normpath(joined)
    return None if normal.startswith("../") or normal == ".." else normal
