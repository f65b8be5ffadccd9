"""Diagnostics: one type for every finding, and the formats it is printed in."""

from __future__ import annotations

from plancompiler.diagnostics.codes import CODES, Code, Severity
from plancompiler.diagnostics.diagnostic import Diagnostic, Reporter, SeverityPolicy

__all__ = ["CODES", "Code", "Diagnostic", "Reporter", "Severity", "SeverityPolicy"]
