"""plancompiler: compile Markdown plans and ADRs into a checked model and a published site.

The core API is `Compiler` / `compile_sources` (no MkDocs import); `plancompiler.cli` and
`plancompiler.mkdocs_plugin` are adapters over it.
"""

from __future__ import annotations

from plancompiler.compiler import Compiler, Options, Result, Source, compile_sources
from plancompiler.diagnostics import Diagnostic, Severity

__all__ = ["Compiler", "Diagnostic", "Options", "Result", "Severity", "Source", "compile_sources"]
__version__ = "0.1.0"
