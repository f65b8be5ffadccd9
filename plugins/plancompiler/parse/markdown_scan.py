"""What the compiler reads in Markdown prose: bracketed labels, the first heading, and where
code is, for every stage that needs them.

One set of rules serves them all, so that a page's title, the labels `plans check` reports
and the labels the Markdown extension turns into links are found alike: a fenced block opens
with three or more backticks or tildes indented at most three spaces and closes with a line
of the same character at least as long (CommonMark); indented code, code spans and HTML
comments are left alone too. A label is `[id]`-shaped text (`[ADR-0003]`, `[G02]`,
`[plan-id/P1.2]`) that is not an image, a footnote, an escaped bracket, an inline link or a
full reference link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `[label]` not preceded by `]`, `!`, `\` or `^`, nor followed by `[` or `(`. The bracket comes
# first and the look-behind checks it together with the character before it: a pattern
# that starts with a literal lets `re` skip straight to each `[` of a text, which makes
# the search many times faster than starting with the look-behind.
LABEL_PATTERN = r"\[(?<![\]!\\^]\[)([A-Za-z0-9][A-Za-z0-9._/-]*)\](?![\[(])"
LABEL = re.compile(LABEL_PATTERN)
_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_FENCE_ANYWHERE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_COMMENT = re.compile(r"<!--.*?-->")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")
_H1_ANYWHERE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_LEADING_H1 = re.compile(r"\A\s*#[ \t]+([^\n]*?)[ \t]*(\n|\Z)")


@dataclass(frozen=True, slots=True)
class XrefUse:
    """A bracketed label in prose and where it stands (file line, 1-based column)."""

    label: str
    line: int
    col: int


def _closes(fence: str, line_fence: str) -> bool:
    """Whether a fence line (`line_fence`, its backticks or tildes) closes the block `fence` opened."""
    return line_fence[0] == fence[0] and len(line_fence) >= len(fence)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def scan(body: str, first_line: int) -> tuple[list[XrefUse], str | None]:
    """Labels outside code and comments, and the first `#` heading (the page's title).

    `first_line` is the file's line number of the body's first line.
    """
    if not LABEL.search(body):
        found = first_heading(body)
        return [], found[0] if found else None
    defined = {m.group(1).lower() for m in _DEFINITION.finditer(body)}
    uses: list[XrefUse] = []
    title = None
    fence: str | None = None
    previous_blank, in_indented, last_text = True, False, ""
    for number, line in enumerate(body.split("\n")):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and _closes(fence, opening.group(1)):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        indented = line.startswith(("    ", "\t"))
        in_indented = indented and (in_indented or (previous_blank and not _LIST_ITEM.match(last_text)))
        previous_blank = not line.strip()
        if line.strip():
            last_text = line if not indented else last_text
        if in_indented:
            continue
        if title is None and (heading := _H1.match(line)):
            title = heading.group(1)
        if "[" not in line:
            continue
        visible = _COMMENT.sub(_blank, _CODE_SPAN.sub(_blank, line))
        for match in LABEL.finditer(visible):
            if match.group(1).lower() not in defined:
                uses.append(XrefUse(match.group(1), first_line + number, match.start() + 1))
    return uses, title


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
            if opening and _closes(fence, opening.group(1)):
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
