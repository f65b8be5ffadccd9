"""A plan and an ADR whose every field tries to inject HTML, script, Markdown or Mermaid, and
the grammar that every generated Mermaid source keeps to."""

from __future__ import annotations

import html
import json
import re

from plancompiler.emit.mermaid import CONFIG

# After the constant header, every line of a flowchart is a node with one quoted label, an
# edge, a class or edge style, or a subgraph: no user string starts a line (`click`,
# `%%{init}%%`) or leaves its quotes.
MERMAID_LINE = re.compile(
    r'^\s*(?:\w+\["[^"]*"\](?::::\w+)?|\w+ --> \w+|\w+(?: ~~~ \w+)+|classDef \w+ [^"]*|class [\w,]+ \w+'
    r'|linkStyle [\d,]+ [^"]*|subgraph \w+\["[^"]*"\]|end)$'
)
# Gantt and XY charts: user text only ever in a label written with `escape.mermaid_label`
# (letters, digits, `.,()/-`, spaces and `#NN;`), a bar's or section's.
_LABEL = r"[A-Za-z0-9 .,()/#;-]*"
_DAY = r"\d{4}-\d\d-\d\d"
TIME_CHART_LINE = re.compile(
    r"^\s*(?:"
    + "|".join(
        (
            r"dateFormat YYYY-MM-DD",
            r"axisFormat [%\w ]+",
            r"tickInterval \w+",
            r"inclusiveEndDates",
            r"todayMarker off",
            rf"excludes [a-z]+(?:, (?:[a-z]+|{_DAY}))*|excludes {_DAY}(?:, {_DAY})*",
            rf"section {_LABEL}",
            rf"{_LABEL} :(?:(?:active|crit|milestone|vert), )*b\d+, {_DAY}, {_DAY}",
            r'x-axis \["[\w ]+"(?:, "[\w ]+")*\]',
            r'y-axis "working days" 0 --> [\d.]+',
            r'line (?:"[a-z]+" )?\[[\d., ]*\]',
        )
    )
    + r")$"
)
_INIT = re.compile(r"^%%\{init: (\{.*\})\}%%$")
_INIT_KEYS = {"themeCSS", "gantt", "xyChart", "themeVariables"}


def mermaid_sources(page: str) -> list[str]:
    """The Mermaid sources of a page's diagrams, as Mermaid reads them."""
    return [html.unescape(s) for s in re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', page, re.S)]


def unsafe_mermaid_lines(source: str) -> list[str]:
    """The lines of a generated Mermaid source that are not of its grammar."""
    if source.startswith(CONFIG + "flowchart "):
        lines = source[len(CONFIG) :].splitlines()[1:]
        return [line for line in lines if not MERMAID_LINE.match(line)]
    lines = source.splitlines()
    init = _INIT.match(lines[0]) if lines else None
    if init is None or set(json.loads(init.group(1))) - _INIT_KEYS or lines[1:2] not in (["gantt"], ["xychart-beta"]):
        return lines[:1]
    return [line for line in lines[2:] if not TIME_CHART_LINE.match(line)]


HOSTILE_PLAN = """\
---
kind: plan
id: hostile
title: <img src=x onerror=alert(1)>
status: draft
owner: "<b onmouseover=alert(3)>eve</b>"
gates:
  - {id: G90, title: "\\"]) click g0 call alert(4) %%{init: {}}%%", adr: ADR-0090, due: 2026-12-01}
phases:
  - id: P1
    title: "<svg onload=alert(5)>"
    gates: [G90]
    tasks:
      - {id: P1.1, title: "</table><script>alert(2)</script>", owner: "[x](javascript:alert(6))", estimate: 2d}
      - {id: P1.2, title: "| cell | {: onclick=alert(7) }", depends_on: [P1.1], estimate: 1d, due: 2026-12-02}
risks:
  - {id: R1, title: "<iframe src=javascript:alert(8)>", likelihood: high, impact: low, mitigation: "<img src=y onerror=alert(9)>"}
---
Body text.
"""

HOSTILE_ADR = """\
---
title: "<script>alert(10)</script>"
status: proposed
deciders: ['<img src=z onerror=alert(11)>']
---
Text.
"""
