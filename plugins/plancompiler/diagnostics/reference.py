"""Write the diagnostics reference page from the code registry.

`python -m plancompiler.diagnostics.reference > plans/guide/diagnostics.md` regenerates the
page; a test fails when the committed page and the registry disagree.
"""

from __future__ import annotations

import sys

from plancompiler.diagnostics.codes import CODES

_GROUPS = (
    ("PLN00", "Reading files and YAML"),
    ("PLN01", "References"),
    ("PLN02", "Duplicate ids"),
    ("PLN03", "Cycles and ordering"),
    ("PLN04", "Status contradictions"),
    ("PLN05", "Schema"),
    ("PLN06", "ADR lifecycle"),
    ("PLN07", "Lint rules"),
    ("PLN08", "Rules that need the base revision"),
    ("PLN09", "Dates, schedule and history"),
    ("PLN10", "Embedded views"),
)


def render() -> str:
    """The Markdown of the reference page."""
    out = [
        "# Diagnostics reference",
        "",
        "Every finding of the compiler has a stable code. `plans check` and the MkDocs plugin",
        "print them as `path:line:col: CODE severity: message`. Errors fail `plans check`",
        "(exit status 1) and `mkdocs build --strict`; warnings and infos are reported but do",
        "not fail either.",
        "",
        "Change a code's severity in `mkdocs.yml`:",
        "",
        "```yaml",
        "plugins:",
        "  - plans:",
        "      severity:",
        "        PLN071: error   # a plan in progress must have a rollback plan",
        "        PLN072: off     # tasks need no owner",
        "```",
        "",
        "Severities are `error`, `warning`, `info` and `off`.",
        "",
        "| Code | Name | Default | Catches |",
        "| --- | --- | --- | --- |",
    ]
    for c in sorted(CODES.values(), key=lambda c: c.code):
        out.append(f"| [{c.code}](#{c.code.lower()}) | `{c.name}` | {c.severity.value} | {c.catches} |")
    for prefix, title in _GROUPS:
        out += ["", f"## {title}"]
        for c in sorted((c for c in CODES.values() if c.code.startswith(prefix)), key=lambda c: c.code):
            out += [
                "",
                f"### {c.code}",
                "",
                f"`{c.name}` · default severity **{c.severity.value}**",
                "",
                c.catches,
                "",
                "```text",
                c.example,
                "```",
                "",
                f"**Fix:** {c.fix}",
            ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
