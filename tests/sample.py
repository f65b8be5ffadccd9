"""A small but complete sample project: two plans, gates tied to ADRs, a superseded ADR."""

from __future__ import annotations

from conftest import Site

SCHEDULER = """\
---
kind: plan
id: scheduler
title: Service Call Scheduler
status: in-progress
owner: platform-team
version: 0.3.0
complexity: high
updated: 2026-11-02
depends_on: [ledger]
success_metrics:
  - {id: SM1, category: performance, metric: p95 submit latency, target: "< 300 ms"}
gates:
  - {id: G01, title: Topology, adr: ADR-0001}
  - {id: G02, title: Broker, adr: ADR-0002, after: [G01]}
  - {id: G03, title: Timer, adr: ADR-0003, after: [G01]}
  - {id: G04, title: Database, adr: 4, after: [G02]}
phases:
  - id: P1
    title: Contracts
    gates: [G01]
    deliverables: [Message ADTs]
    exit_criteria: [Type-check passes]
    tasks:
      - {id: P1.1, title: Define message ADTs, owner: alice, status: done, estimate: 2d}
      - {id: P1.2, title: Port interfaces, owner: bob, status: in-progress, estimate: 3d, depends_on: [P1.1]}
  - id: P2
    title: Orchestration core
    gates: [G02]
    depends_on: [P1]
    tasks:
      - {id: P2.1, title: Aggregate model, owner: carol, estimate: 1w, depends_on: [P1.2]}
      - {id: P2.2, title: Wire ledger, owner: carol, estimate: 1d, depends_on: [ledger/L1.1]}
  - id: P3
    title: Timer
    gates: [G03]
    tasks:
      - {id: P3.1, title: Durable timer, owner: dave, estimate: 4h, depends_on: [P2.1]}
risks:
  - {id: R1, title: Broker choice slips, likelihood: medium, impact: high, mitigation: Decide early, owner: bob}
  - {id: R2, title: Clock drift, likelihood: low, impact: medium}
rollback:
  triggers: [Error rate above 1% for 5 minutes]
  steps: [Disable the feature flag, Revert migration 003]
---
# Service Call Scheduler

The broker is chosen in [ADR-0002]; the timer waits on [G03].
The first database choice [ADR-0004] was replaced.
Code is left alone: `[ADR-0099]`.
"""

LEDGER = """\
---
kind: plan
id: ledger
title: Billing Ledger
status: ready
owner: billing
phases:
  - id: L1
    title: Ledger
    tasks:
      - {id: L1.1, title: Posting API, owner: erin, status: todo, estimate: 2d}
---
# Billing Ledger

Feeds [scheduler/P2.2] and the [scheduler] plan.
"""

ADRS = {
    "decisions/0001-topology.md": "---\nstatus: accepted\ndate: 2026-09-01\ndeciders: [alice]\n---\n# Topology\n",
    "decisions/0002-broker.md": "---\nstatus: accepted\ndate: 2026-10-01\n---\n# Choose the broker\n",
    "decisions/0003-timer.md": "---\nstatus: proposed\n---\n# Timer strategy\n",
    "decisions/0004-database.md": ("---\nstatus: superseded by ADR-0005\ndate: 2026-09-10\n---\n# Use SQLite\n"),
    "decisions/0005-postgres.md": (
        "---\nstatus: accepted\nsupersedes: [ADR-0004]\ndate: 2026-10-20\n---\n# Use PostgreSQL\n"
    ),
}


def write_sample(site: Site) -> None:
    site.write("index.md", "# Home\n\nStart at the [scheduler] plan.\n")
    site.write("plans/scheduler.md", SCHEDULER)
    site.write("plans/ledger.md", LEDGER)
    for path, text in ADRS.items():
        site.write(path, text)
