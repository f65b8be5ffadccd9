"""`plancompiler.markdown`, the Python-Markdown extension: summaries, cross-references,
diagnostics and embedded views inside pages, for engines that do not run MkDocs plugins.

    markdown_extensions:
      - plancompiler.markdown

The extension itself is `plancompiler.markdown.extension.PlansExtension`.
"""

from __future__ import annotations

from typing import Any


def makeExtension(**kwargs: Any) -> Any:  # noqa: N802
    """The extension, as Python-Markdown asks for it by the package's name."""
    # Imported here: `plans check` reads view blocks through this package (`views`) and
    # starts faster without the renderers the extension brings in.
    from plancompiler.markdown.extension import PlansExtension

    return PlansExtension(**kwargs)


__all__ = ["makeExtension"]
