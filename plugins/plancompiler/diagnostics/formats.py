"""Formatting diagnostics for people and for machines, in one place."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Protocol

from plancompiler.diagnostics.codes import Severity
from plancompiler.diagnostics.diagnostic import Diagnostic, one_line

# Diagnostics whose position is best understood by looking at the line: YAML syntax errors.
EXCERPTED = frozenset({"PLN002"})


class HasText(Protocol):
    """A document as the compiler read it: its whole text."""

    @property
    def text(self) -> str: ...


def text_line(d: Diagnostic, documents: Mapping[str, HasText] | None = None) -> str:
    """`path:line:col: CODE severity: message`, like ruff and mypy; below a YAML syntax error,
    the line it points at with a caret under the column, when `documents` has its text."""
    line = f"{d.path}:{d.line}:{d.col}: {d.code} {d.severity.value}: {d.message}"
    document = documents.get(d.path) if documents is not None and d.code in EXCERPTED else None
    if document is None:
        return line
    lines = document.text.split("\n")
    if d.line > len(lines):
        return line
    source = lines[d.line - 1].rstrip("\r")
    before = one_line(source[: d.col - 1])
    pad = "".join(c if c == "\t" else " " for c in before)
    gutter = " " * len(str(d.line))
    return f"{line}\n {d.line} | {before}{one_line(source[d.col - 1 :])}\n {gutter} | {pad}^"


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """One closing line: counts per severity and the number of documents read."""
    counts = Counter(d.severity for d in diagnostics)
    parts = [
        f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    noun = "document" if files == 1 else "documents"
    return f"Found {', '.join(parts)} in {files} {noun}."


def as_text(diagnostics: Sequence[Diagnostic], files: int, documents: Mapping[str, HasText] | None = None) -> str:
    lines = [text_line(d, documents) for d in diagnostics]
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


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """GitHub Actions workflow commands: each diagnostic becomes an annotation on its line."""
    lines = [
        f"::{_GITHUB_LEVEL[d.severity]} file={_github_property(d.path)},line={d.line},col={d.col},"
        f"title={_github_property(d.code)}::{_github_data(d.message)}"
        for d in diagnostics
    ]
    lines.append(summary(diagnostics, files))
    return "\n".join(lines) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def as_sarif(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """SARIF 2.1.0: one run, a rule for every code, a result with a location for every finding."""
    from urllib.parse import quote

    from plancompiler import __version__
    from plancompiler.diagnostics.codes import CODES

    codes = sorted(CODES)
    rules = [
        {
            "id": code,
            "name": CODES[code].name,
            "shortDescription": {"text": CODES[code].catches},
            "help": {
                "text": f"{CODES[code].fix}\n\nExample: {CODES[code].example}",
                "markdown": f"{CODES[code].fix}\n\n```text\n{CODES[code].example}\n```",
            },
            "defaultConfiguration": {"level": _SARIF_LEVEL.get(CODES[code].severity, "note")},
        }
        for code in codes
    ]
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": codes.index(d.code),
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(d.path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": d.line, "startColumn": d.col},
                    }
                }
            ],
        }
        for d in diagnostics
    ]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "plancompiler", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, sort_keys=True) + "\n"
