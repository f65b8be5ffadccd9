"""`plancompiler.markdown`, the Python-Markdown extension: summaries, cross-references,
diagnostics and embedded views inside pages, for engines that do not run MkDocs plugins.

    markdown_extensions:
      - plancompiler.markdown
"""

from __future__ import annotations

from plancompiler.markdown.extension import PlansExtension, makeExtension

__all__ = ["PlansExtension", "makeExtension"]
