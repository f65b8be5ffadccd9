"""The Markdown side of embedded views: a preprocessor that finds each ` ```plans ` block and
puts the HTML its renderer gives in its place.

It runs before fenced code (superfences or Python-Markdown's own), so a view block never
reaches them; a `plans` block shown inside a longer fence (a guide quoting one) is code and
stays code. Without this extension a view block is an ordinary, readable code block.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from plancompiler.markdown.views import LANGUAGE
from plancompiler.parse.document import page_body
from plancompiler.parse.markdown_scan import closes, fence_of

_OPENING = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*\{?[ \t]*\.?" + LANGUAGE + r"[ \t]*\}?[ \t]*$")

Render = Callable[[str, int], str]
"""Renders a block: its body and its number among the page's view blocks (from 0) to HTML."""


def view_blocks(text: str) -> list[tuple[int, int, str]]:
    """Each view block of a page: the index of its opening line, of the line after its end,
    and its body. A block left open runs to the end of the page, as CommonMark reads it."""
    lines = text.split("\n")
    found = []
    i = 0
    while i < len(lines):
        fence = fence_of(lines[i])
        if fence is None:
            i += 1
            continue
        is_view = _OPENING.match(lines[i]) is not None
        end = i + 1
        while end < len(lines):
            closing = fence_of(lines[end])
            if closing is not None and closes(fence, closing) and not lines[end].strip(" \t`~"):
                break
            end += 1
        if is_view:
            found.append((i, min(end + 1, len(lines)), "\n".join(lines[i + 1 : end])))
        i = end + 1
    return found


def block_line(text: str | bytes, number: int) -> int:
    """The file line of the opening fence of the page's view block `number` (from 0), given the
    page's file as written (front matter and all); 1 when there is no such block."""
    body, first = page_body(text)
    blocks = view_blocks(body)
    return first + blocks[number][0] if number < len(blocks) else first


class ViewPreprocessor(Preprocessor):
    """Replaces each view block with its rendered HTML (kept in the HTML stash)."""

    def __init__(self, md: Markdown, render: Callable[[], Render | None]) -> None:
        super().__init__(md)
        self.render = render

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if LANGUAGE not in text:
            return lines
        render = self.render()
        if render is None:
            return lines
        blocks = view_blocks(text)
        out = list(lines)
        # From the last block up, so that earlier line indexes stay right.
        for number in range(len(blocks) - 1, -1, -1):
            start, end, body = blocks[number]
            placeholder = self.md.htmlStash.store(render(body, number))
            out[start:end] = ["", placeholder, ""]
        return out


class ViewsExtension(Extension):
    """Expands view blocks through `render`, which the adapter sets for each page (None leaves
    them as code)."""

    def __init__(self, **kwargs: object) -> None:
        self.render: Render | None = None
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        register(md, lambda: self.render)


def register(md: Markdown, render: Callable[[], Render | None]) -> None:
    """Add the view preprocessor to `md`: after whitespace is normalised (30), before fenced
    code is stashed (superfences and `fenced_code` at 25)."""
    md.preprocessors.register(ViewPreprocessor(md, render), "plancompiler_views", 27)
