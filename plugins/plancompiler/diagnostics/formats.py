"""Formatting diagnostics for people and for machines, in one place."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from plancompiler.diagnostics.codes import Severity
from plancompiler.diagnostics.diagnostic import Diagnostic


def text_line(d: Diagnostic) -> str:
    """`path:line:col: CODE severity: message`, like ruff and mypy."""
    return f"{d.path}:{d.line}:{d.col}: {d.code} {d.severity.value}: {d.message}"


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """One closing line: counts per severity and the number of documents read."""
    counts = Counter(d.severity for d in diagnostics)
    parts = [
        f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    noun = "document" if files == 1 else "documents"
    return f"Found {', '.join(parts)} in {files} {noun}."


def as_text(diagnostics: Sequence[Diagnostic], files: int) -> str:
    lines = [text_line(d) for d in diagnostics]
    lines.append(summary(diagnostics, files))
    return "\n".join(lines) + "\n"


def as_json(diagnostics: Sequence[Diagnostic], files: int) -> str:
    counts = Counter(d.severity.value for d in diagnostics)
    payload = {
        "documents": files,
        "summary": {s.value: counts.get(s.value, 0) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)},
        "diagnostics": [d.to_dict() for d in diagnostics],
    }
    return json.dumps(payload, indent=2, sort_keys=True) + "\n"
