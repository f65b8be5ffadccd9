"""Generate a deterministic corpus of plans and ADRs shaped like real ones.

    python benchmarks/generate_corpus.py OUT_DIR --plans 1000 [--seed 7]

writes OUT_DIR/mkdocs.yml and OUT_DIR/docs/ with N plans (3-5 phases, about 15 tasks with
dependencies inside and across plans, start and due dates, gates tied to ADRs, risks, metrics,
rollback, and a
Markdown body of about 150 lines with tables and code) and N/3 ADRs. The same seed gives
the same bytes. Every document compiles without errors.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = [
    "ledger",
    "broker",
    "timer",
    "schema",
    "outbox",
    "gateway",
    "cache",
    "index",
    "quota",
    "tenant",
    "billing",
    "storage",
    "terminal",
    "payment",
    "session",
    "token",
    "audit",
    "metric",
    "trace",
    "deploy",
    "rollout",
    "canary",
    "replica",
    "shard",
    "queue",
    "worker",
    "scheduler",
    "catalog",
    "pricing",
    "invoice",
    "refund",
    "webhook",
    "contract",
    "migration",
]
OWNERS = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")
STATUSES = ("draft", "ready", "in-progress", "in-progress", "completed")
LEVELS = ("low", "medium", "high")

# System fonts: like the project's own site, the corpus's makes no request outside itself.
MKDOCS_YML = """\
site_name: Benchmark corpus
theme:
  name: material
  font: false
  features:
    - navigation.prune
plugins:
  - search
  - plans
markdown_extensions:
  - tables
  - admonition
  - pymdownx.superfences
  - plancompiler.markdown
"""


def _title(rng: random.Random, n: int = 3) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def _body(rng: random.Random, title: str, adr_count: int) -> str:
    lines = [f"# {title}", "", "## Problem statement", ""]
    for _ in range(12):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(14)) + ".")
    lines += ["", "## Architecture", "", "| Layer | Technology | Purpose |", "|---|---|---|"]
    for _ in range(8):
        lines.append(f"| {_title(rng, 1)} | {_title(rng, 2)} | {_title(rng, 4)} |")
    lines += ["", "```python"]
    for i in range(20):
        lines.append(f"def step_{i}(value):\n    return value + {i}")
    lines += ["```", "", "## Decisions", ""]
    for _ in range(3):
        lines.append(f"- We follow [ADR-{rng.randrange(adr_count):04d}] for {rng.choice(WORDS)}.")
    lines += ["", "## Testing strategy", ""]
    for _ in range(40):
        lines.append(f"- {' '.join(rng.choice(WORDS) for _ in range(9))}")
    lines += ["", "!!! note", "    " + " ".join(rng.choice(WORDS) for _ in range(20)), ""]
    for _ in range(20):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(12)) + ".")
    return "\n".join(lines) + "\n"


def _plan(rng: random.Random, index: int, plans: int, adrs: int) -> str:
    plan_id = f"plan-{index:05d}"
    status = rng.choice(STATUSES)
    gates = []
    for g in range(rng.randint(1, 3)):
        gid = f"G{index * 3 + g + 1:05d}"
        after = f", after: [G{index * 3 + g:05d}]" if g else ""
        due = f", due: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.5 else ""
        gates.append(f"  - {{id: {gid}, title: {_title(rng, 2)}, adr: ADR-{rng.randrange(adrs):04d}{after}{due}}}")
    lines = [
        "---",
        "kind: plan",
        f"id: {plan_id}",
        f"title: {_title(rng)} plan {index}",
        f"status: {status}",
        f"owner: {rng.choice(OWNERS)}-team",
        f"version: 0.{rng.randint(1, 9)}.0",
        f"complexity: {rng.choice(('low', 'medium', 'high', 'very-high'))}",
        f"updated: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        # Starts in the past: work done or in progress before a pinned start is reported.
        f"start: 2026-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}",
    ]
    if rng.random() < 0.5:
        # Due dates the schedule meets: the corpus compiles without warnings.
        lines.append(f"due: 2029-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    if index and status != "completed" and rng.random() < 0.3:
        lines.append(f"depends_on: [plan-{rng.randrange(index):05d}]")
    lines += [
        "success_metrics:",
        f'  - {{id: SM1, category: performance, metric: p95 latency, target: "< {rng.randint(100, 900)} ms"}}',
        "gates:",
        *gates,
        "phases:",
    ]
    task_ids: list[str] = []
    phases = rng.randint(3, 5)
    per_phase = max(2, 15 // phases)
    done_phase = phases if status == "completed" else rng.randint(0, phases - 1)
    for p in range(1, phases + 1):
        gate_ref = f"    gates: [{gates[0].split('id: ')[1].split(',')[0]}]" if p == phases else None
        lines += [f"  - id: P{p}", f"    title: {_title(rng, 2)}"]
        if gate_ref:
            lines.append(gate_ref)
        if p > 1:
            lines.append(f"    depends_on: [P{p - 1}]")
        lines += [f"    deliverables: [{_title(rng, 2)}, {_title(rng, 2)}]", "    tasks:"]
        for t in range(1, per_phase + 1):
            tid = f"P{p}.{t}"
            deps = []
            if task_ids and rng.random() < 0.7:
                deps.append(rng.choice(task_ids))
            done = p < done_phase or status == "completed"
            if index > 10 and not done and rng.random() < 0.05:
                deps.append(f"plan-{rng.randrange(index):05d}/P1.1")
            state = "done" if done else "todo"
            dep = f", depends_on: [{', '.join(sorted(set(deps)))}]" if deps else ""
            due = f", due: 2029-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.1 else ""
            lines.append(
                f"      - {{id: {tid}, title: {_title(rng)}, owner: {rng.choice(OWNERS)}, status: {state},"
                f" estimate: {rng.randint(1, 10)}d{dep}{due}}}"
            )
            task_ids.append(tid)
    lines.append("risks:")
    for r in range(1, rng.randint(2, 4)):
        lines.append(
            f"  - {{id: R{r}, title: {_title(rng)}, likelihood: {rng.choice(LEVELS)}, impact: {rng.choice(LEVELS)},"
            f" mitigation: {_title(rng, 4)}, owner: {rng.choice(OWNERS)}}}"
        )
    lines += [
        "rollback:",
        f"  triggers: [{_title(rng, 4)}]",
        f"  steps: [{_title(rng, 3)}, {_title(rng, 3)}]",
        "---",
    ]
    return "\n".join(lines) + "\n" + _body(rng, f"Plan {index}", adrs)


def _adr(rng: random.Random, number: int) -> str:
    # Gates tie to any ADR, and a passed gate must not follow an open one: all accepted.
    status = "accepted"
    body = "\n".join(" ".join(rng.choice(WORDS) for _ in range(14)) + "." for _ in range(20))
    return (
        f"---\nstatus: {status}\ndate: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
        f"deciders: [{rng.choice(OWNERS)}, {rng.choice(OWNERS)}]\n---\n"
        f"# {_title(rng)} decision {number}\n\n## Context and Problem Statement\n\n{body}\n\n"
        "## Decision Outcome\n\nChosen option: the first one.\n"
    )


def generate(out: Path, plans: int, seed: int = 7, with_plugin: bool = True) -> Path:
    """Write the corpus; return the path of its mkdocs.yml."""
    rng = random.Random(seed)
    adrs = max(1, plans // 3)
    docs = out / "docs"
    (docs / "plans").mkdir(parents=True, exist_ok=True)
    (docs / "decisions").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Benchmark corpus\n", encoding="utf-8")
    for n in range(adrs):
        (docs / "decisions" / f"{n:04d}-decision.md").write_text(_adr(rng, n), encoding="utf-8")
    for i in range(plans):
        (docs / "plans" / f"plan-{i:05d}.md").write_text(_plan(rng, i, plans, adrs), encoding="utf-8")
    config = MKDOCS_YML
    if not with_plugin:
        config = config.replace("  - plans\n", "").replace("  - plancompiler.markdown\n", "")
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    return out / "mkdocs.yml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.plans, args.seed)
    print(f"wrote {args.plans} plans and {max(1, args.plans // 3)} ADRs to {args.out}")


if __name__ == "__main__":
    main()
