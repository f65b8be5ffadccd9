"""Explain a YAML syntax error in the words of the mistake that usually causes it.

PyYAML says what its parser met ("mapping values are not allowed in this context"); a plan's
author wants to know what to change. Each rule below recognises one common mistake from the
parser's words and the lines around the error: a line indented unlike its neighbours, a list
item without its `- `, an unquoted `: ` or ` #` inside a value, a quote that ends a value
early, a tab. An error no rule recognises keeps the parser's words alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_KEY = re.compile(r"^(\s*(?:-\s+)*)([^\s#'\"{\[][^:#]*?):(?:\s|$)")
_ITEM = re.compile(r"^(\s*)-(?:\s|$)")
_LEAD = re.compile(r"^\s*(?:-\s+)*")


@dataclass(frozen=True, slots=True)
class Explained:
    """Where the mistake is (0-based line and column inside the front matter), and its likely
    cause as one sentence, or None when no rule knows it."""

    line: int
    col: int
    cause: str | None
    code: str = "PLN002"


class _Text:
    """The front matter's lines, and how to name one of them as the file numbers it."""

    def __init__(self, text: str, first_line: int) -> None:
        self.lines = text.split("\n")
        self.first_line = first_line

    def __getitem__(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def number(self, index: int) -> int:
        return index + self.first_line

    def above(self, index: int) -> int | None:
        """The nearest line before `index` that holds YAML, not a blank or a comment."""
        for i in range(min(index, len(self.lines)) - 1, -1, -1):
            if self.lines[i].strip() and not self.lines[i].lstrip().startswith("#"):
                return i
        return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_indent(line: str) -> int:
    """Where the line's first key or value starts: after the indentation and any `- `."""
    return _LEAD.match(line).end()  # type: ignore[union-attr]  # the pattern matches any text


def _spaces(n: int) -> str:
    return f"{n} space" if n == 1 else f"{n} spaces"


def _colon_in_value(text: _Text, line: int, col: int) -> Explained | None:
    """`title: Fix: the checkout`: a second `: ` on a line that already has its key."""
    match = _KEY.match(text[line])
    if not match or match.end() > col:
        return None
    value = json.dumps(text[line][match.end() :].strip(), ensure_ascii=False)
    fixed = f"{match.group(1).strip()} {match.group(2)}: {value}".strip()
    return Explained(
        line,
        col,
        f"the value of '{match.group(2)}' holds ': ', which YAML reads as the start of another key;"
        f" put the value in quotes: {fixed}",
    )


def _deeper_than_above(text: _Text, line: int) -> Explained | None:
    """A key indented under a line that already has its value, so it cannot nest there."""
    above = text.above(line)
    if above is None:
        return None
    here, there = _indent(text[line]), _content_indent(text[above])
    if here <= there or text[above].rstrip().endswith(":"):
        return None
    n = text.number(above)
    fix = f"indent this line by {_spaces(there)}" if there else "start this line at the margin"
    return Explained(
        line,
        here,
        f"this line is indented {_spaces(here)}, more than line {n} ({there}), which already has its"
        f" value, so nothing can nest under it; {fix} like line {n}",
    )


def _misaligned(text: _Text, line: int) -> Explained | None:
    """A key or list item indented unlike the mapping or list it belongs to."""
    above = text.above(line)
    if above is None:
        return None
    here, n = _indent(text[line]), text.number(above)
    item_above = _ITEM.match(text[above])
    if _ITEM.match(text[line]) and item_above:
        there = _indent(text[above])
        if here == there:
            return None
        return Explained(
            line,
            here,
            f"this list item is indented {_spaces(here)}, unlike the item on line {n} ({there});"
            " the items of one list line up: indent it like that one",
        )
    there = _content_indent(text[above])
    flow = text[above][there:].rstrip()
    if here == there and flow[:1] + flow[-1:] in ("{}", "[]"):
        return Explained(
            line,
            here,
            f"the item on line {n} is written in '{flow[0]}...{flow[-1]}', which holds all of it, so"
            f" nothing can be added below; write this key inside the '{flow[0]}...{flow[-1]}', or write"
            " the item as 'key: value' lines",
        )
    if here == there:
        return None
    if item_above and _indent(text[above]) < here < there:
        return Explained(
            line,
            here,
            f"this line is indented {_spaces(here)}: deeper than the '- ' of the list item on line {n}"
            f" ({_indent(text[above])}) but not as deep as its keys ({there}); indent it by"
            f" {_spaces(there)} to continue that item, or start a new item with '- '",
        )
    relation = "less" if here < there else "more"
    return Explained(
        line,
        here,
        f"this line is indented {_spaces(here)}, {relation} than line {n} ({there}); the keys of one"
        " mapping line up: indent it like the key it belongs with",
    )


def _missing_dash(text: _Text, line: int) -> Explained | None:
    """`  bob` under `  - alice`: a list item written without its `- `."""
    above = text.above(line)
    if above is None:
        return None
    item = _ITEM.match(text[above])
    if not item or len(item.group(1)) != _indent(text[line]):
        return None
    return Explained(
        line,
        _indent(text[line]),
        f"this line sits in the list above without its '- '; start it with '- ' like line {text.number(above)}",
    )


def _no_colon(text: _Text, line: int, col: int) -> Explained:
    return _missing_dash(text, line) or Explained(
        line,
        col,
        "this line has no ':' after its first word; write 'key: value', or start it with '- ' for a list item",
    )


def _quote_inside(text: _Text, line: int, col: int) -> Explained | None:
    """`title: 'It's done'`: the value's own quote ends the quoted text early."""
    before = text[line][:col].rstrip()
    if not before or before[-1] not in "'\"":
        return None
    quote = before[-1]
    other = '"' if quote == "'" else "'"
    inside = "write it twice inside the value ('It''s')" if quote == "'" else 'write it as \\" inside the value'
    return Explained(
        line,
        col,
        f"the quoted value ends at the {quote} before this column, and text follows it; quote the whole"
        f" value with {other} instead, or {inside}",
    )


def _in_flow(text: _Text, context: str, line: int, col: int, opened: tuple[int, int]) -> Explained | None:
    """A `[...]` or `{...}` that does not end where YAML expects."""
    start_line, start_col = opened
    close = "}" if "mapping" in context else "]"
    bracket = text[start_line][start_col : start_col + 1] or ("{" if close == "}" else "[")
    comment = re.search(r"\s#", text[start_line][start_col:])
    if comment:
        # `{id: T1, title: Fix #3}`: the comment hides the rest of the line, bracket included.
        return Explained(
            start_line,
            start_col + comment.start() + 1,
            "' #' starts a comment in YAML, so the rest of this line, closing bracket included, is not"
            " read; put the value that holds '#' in quotes",
        )
    at = text[line][col : col + 1]
    if at in ("}", "]") and at != close:
        return Explained(
            line,
            col,
            f"this '{at}' closes the '{bracket}' opened on line {text.number(start_line)}, column"
            f" {start_col + 1}; close that one with '{close}'",
        )
    if line != start_line:
        return Explained(
            start_line,
            start_col,
            f"the '{bracket}' opened here is never closed; close it with '{close}', and put values that"
            " hold ',', '[', ']', '{' or '}' in quotes",
        )
    if at == ":":
        return Explained(
            line,
            col,
            f"a value inside '{bracket}...{close}' holds ': ', which YAML reads as another key;"
            " put the value in quotes",
        )
    return None


def explain(
    text: str,
    first_line: int,
    context: str | None,
    problem: str | None,
    mark: tuple[int, int] | None,
    opened: tuple[int, int] | None,
) -> Explained:
    """The likely cause of a syntax error in `text` (whose first line is the file's line
    `first_line`), from the parser's words and marks: the 0-based line and column of the
    error, and of the construct it was reading when one is given."""
    source = _Text(text, first_line)
    context, problem = context or "", problem or ""
    line, col = mark if mark else (0, 0)
    line = min(line, max(len(source.lines) - 1, 0))
    if "maximum nesting depth" in problem:
        return Explained(line, col, None, "PLN006")
    tab = source[line].find("\t")
    if "tab" in problem or (tab >= 0 and tab <= col):
        return Explained(
            line,
            tab if tab >= 0 else col,
            "a tab character indents or separates this line; YAML allows only spaces there:"
            " replace the tab with spaces",
        )
    found: Explained | None = None
    if "mapping values are not allowed" in problem:
        found = _colon_in_value(source, line, col) or _deeper_than_above(source, line)
    elif "could not find expected ':'" in problem and opened:
        found = _no_colon(source, *opened)
    elif "did not find expected '-' indicator" in problem:
        found = _missing_dash(source, line) or _misaligned(source, line)
    elif "did not find expected key" in problem:
        found = _quote_inside(source, line, col) or _misaligned(source, line)
    elif "while parsing a flow" in context and opened:
        found = _in_flow(source, context, line, col, opened)
    elif "while scanning a quoted scalar" in context and opened:
        quote = source[opened[0]][opened[1] : opened[1] + 1] or '"'
        found = Explained(*opened, f"the quote {quote} opened here is never closed; close it after the value")
    elif "cannot start any token" in problem:
        char = source[line][col : col + 1]
        found = Explained(line, col, f"a value cannot start with '{char}' in YAML; put the value in quotes")
    if found is None and opened and line >= len(source.lines) - 1:
        # "found unexpected end of stream": the end says nothing; where the unclosed quote or
        # bracket was opened does.
        return Explained(*opened, None)
    return found or Explained(line, col, None)
