"""The compiler's findings in MkDocs' log, and how many of them are errors."""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from plancompiler.compiler import Result
from plancompiler.diagnostics import Diagnostic, Severity
from plancompiler.diagnostics.formats import text_line

log = get_plugin_logger(__name__)


class DiagnosticLog:
    """Logs diagnostics, from the compiler or from a view block, and counts the errors: an
    error is a warning on MkDocs' logger (`--strict` fails), counted because `-q` hides it
    from MkDocs' own count."""

    def __init__(self) -> None:
        self.errors = 0

    def compiled(self, result: Result) -> None:
        """Start a build's count with the compiler's findings."""
        self.errors = 0
        for d in result.diagnostics:
            self.report(d, result.documents)

    def report(self, diagnostic: Diagnostic, documents: dict[str, Any] | None = None) -> None:
        """Log one diagnostic."""
        if diagnostic.severity is Severity.ERROR:
            self.errors += 1
            log.warning(text_line(diagnostic, documents))
        else:
            log.info(text_line(diagnostic, documents))

    def fail_strict_build(self, strict: bool) -> None:
        """Fail a `--strict` build with errors: `--strict -q` hides our warnings from MkDocs'
        own count, so they are counted here."""
        if strict and self.errors:
            noun = "error" if self.errors == 1 else "errors"
            raise PluginError(
                f"plans: {self.errors} {noun} in plans and ADRs (listed above; `plans check` prints the same list)"
            )
