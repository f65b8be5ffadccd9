"""A plan and an ADR whose every field tries to inject HTML, script, Markdown or Mermaid, and
the grammar that every generated Mermaid source keeps to."""

from __future__ import annotations

import html
import re

from plancompiler.emit.mermaid import CONFIG

# After the constant header, every line is a node with one quoted label, an edge, a class or
# edge style, or a subgraph: no user string starts a line (`click`, `%%{init}%%`) or leaves
# its quotes.
MERMAID_LINE = re.compile(
    r'^\s*(?:\w+\["[^"]*"\](?::::\w+)?|\w+ --> \w+|\w+(?: ~~~ \w+)+|classDef \w+ [^"]*|class [\w,]+ \w+'
    r'|linkStyle [\d,]+ [^"]*|subgraph \w+\["[^"]*"\]|end)$'
)


def mermaid_sources(page: str) -> list[str]:
    """The Mermaid sources of a page's diagrams, as Mermaid reads them."""
    return [html.unescape(s) for s in re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', page, re.S)]


def unsafe_mermaid_lines(source: str) -> list[str]:
    """The lines of a generated Mermaid source that are not of its grammar."""
    if not source.startswith(CONFIG + "flowchart "):
        return [source.split("\n", 1)[0]]
    lines = source[len(CONFIG) :].splitlines()[1:]
    return [line for line in lines if not MERMAID_LINE.match(line)]


HOSTILE_PLAN = """\
---
kind: plan
id: hostile
title: <img src=x onerror=alert(1)>
status: draft
owner: "<b onmouseover=alert(3)>eve</b>"
gates:
  - {id: G90, title: "\\"]) click g0 call alert(4) %%{init: {}}%%", adr: ADR-0090}
phases:
  - id: P1
    title: "<svg onload=alert(5)>"
    gates: [G90]
    tasks:
      - {id: P1.1, title: "</table><script>alert(2)</script>", owner: "[x](javascript:alert(6))"}
      - {id: P1.2, title: "| cell | {: onclick=alert(7) }", depends_on: [P1.1]}
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
