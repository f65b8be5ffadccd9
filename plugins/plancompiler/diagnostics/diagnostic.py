"""The `Diagnostic` record, the policy that assigns severities, and the collector."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from plancompiler.diagnostics.codes import CODES, Severity

_BREAKS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(message: str) -> str:
    """A message fit for one line of any output: line breaks and control characters that a
    plan's text carries are shown escaped (`\\n`, `\\u2028`), never obeyed."""
    return _BREAKS.sub(_escaped, message)


def _escaped(match: re.Match[str]) -> str:
    char = match.group(0)
    return repr(char)[1:-1] if char in "\n\r" else f"\\u{ord(char):04x}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a stable code, where it is, and what to do about it.

    `line` and `col` are 1-based positions in the file as the user sees it.
    """

    code: str
    severity: Severity
    path: str
    line: int
    col: int
    message: str

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.code, self.message)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "message": self.message,
        }


class SeverityPolicy:
    """Maps each code to its configured severity (the registry's default otherwise)."""

    def __init__(self, overrides: Mapping[str, str | Severity] | None = None) -> None:
        self._severity = {code: c.severity for code, c in CODES.items()}
        for code, value in (overrides or {}).items():
            self._severity[code] = Severity(value)

    @staticmethod
    def problems(overrides: Mapping[str, object]) -> list[str]:
        """Explain every entry of a severity configuration that cannot be used."""
        found = []
        allowed = ", ".join(s.value for s in Severity)
        for code, value in overrides.items():
            if code not in CODES:
                first, last = min(CODES), max(CODES)
                found.append(f"unknown diagnostic code '{code}' (codes are {first} to {last})")
            elif value not in {s.value for s in Severity}:
                found.append(f"severity of {code} must be one of {allowed}, not {value!r}")
        return found

    def __call__(self, code: str) -> Severity:
        return self._severity[code]


class Reporter:
    """Collects the diagnostics of one compilation, applying the severity policy."""

    def __init__(self, policy: SeverityPolicy | None = None) -> None:
        self.policy = policy or SeverityPolicy()
        self._items: list[Diagnostic] = []

    def report(self, code: str, path: str, line: int, col: int, message: str) -> None:
        severity = self.policy(code)
        if severity is not Severity.OFF:
            self._items.append(Diagnostic(code, severity, path, max(line, 1), max(col, 1), one_line(message)))

    @property
    def items(self) -> list[Diagnostic]:
        """What has been reported so far, in order."""
        return list(self._items)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Take diagnostics another reporter with the same policy made."""
        self._items.extend(diagnostics)

    def sorted(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(set(self._items), key=lambda d: d.sort_key))
