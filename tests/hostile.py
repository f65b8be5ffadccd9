"""A plan and an ADR whose every field tries to inject HTML, script, Markdown or Mermaid."""

from __future__ import annotations

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
