"""The Markdown side of embedded views: a preprocessor that finds each ` ```plans ` block and
puts the HTML its renderer gives in its place.

It runs before fenced code (superfences or Python-Markdown's own), so a view block never
reaches them; a `plans` block shown inside a longer fence (a guide quoting one) is code and
stays code. Without this extension a view block is an ordinary, readable code block.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from plancompiler.markdown.views import LANGUAGE, view_blocks

Render = Callable[[str, int], str]
"""Renders a block: its body and its number among the page's view blocks (from 0) to HTML."""


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
