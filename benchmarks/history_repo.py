"""Generate a git repository of plans with a long history, for the history benchmark.

    python benchmarks/history_repo.py OUT_DIR [--plans 300] [--commits 2000] [--seed 7]

The first commit adds N plans (from `generate_corpus.py`, every task still to do) and N/3
ADRs; each later commit, four hours after the one before, makes one change of the kinds a
plan sees over its life: a task started or finished, a task added, a plan's status changed,
its prose edited, or an ADR accepted. Commits are written with `git fast-import`, so that
generating 2,000 of them takes seconds; the repository is then packed as `git gc` leaves it.
The same seed gives the same history.
"""

from __future__ import annotations

import argparse
import datetime
import random
import re
import subprocess
from pathlib import Path

from generate_corpus import MKDOCS_YML, _adr, _plan

START = datetime.datetime(2025, 1, 6, 9, tzinfo=datetime.timezone.utc)
_TASK_LINE = re.compile(r"^      - \{id: (P\d+\.\d+),.*status: (todo|in-progress|done),.*\}$", re.MULTILINE)


def generate(out: Path, plans: int = 300, commits: int = 2000, seed: int = 7) -> Path:
    """Write the repository to `out`; return it."""
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    adrs = max(1, plans // 3)
    files: dict[str, str] = {"mkdocs.yml": MKDOCS_YML, "docs/index.md": "# Plans\n"}
    for n in range(adrs):
        files[f"docs/decisions/{n:04d}-decision.md"] = _adr(rng, n).replace("status: accepted", "status: proposed")
    for i in range(plans):
        text = _plan(rng, i, plans, adrs).replace("status: done", "status: todo")
        files[f"docs/plans/plan-{i:05d}.md"] = text
    stream: list[bytes] = []
    _commit(stream, 1, START, "Add the plans", files, sorted(files))
    plan_paths = sorted(p for p in files if p.startswith("docs/plans/"))
    adr_paths = sorted(p for p in files if p.startswith("docs/decisions/"))
    for n in range(1, commits):
        when = START + datetime.timedelta(hours=4 * n)
        kind = rng.random()
        if kind < 0.05:
            path = rng.choice(adr_paths)
            files[path] = files[path].replace("status: proposed", "status: accepted", 1)
            message = "Accept a decision"
        else:
            path = rng.choice(plan_paths)
            files[path], message = _change(rng, files[path], kind, n)
        _commit(stream, n + 1, when, message, files, [path])
    subprocess.run(["git", "-C", str(out), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", str(out), "checkout", "-q", "main"], check=True)
    subprocess.run(["git", "-C", str(out), "gc", "-q"], check=True)
    return out


def _change(rng: random.Random, text: str, kind: float, n: int) -> tuple[str, str]:
    """One change to a plan, and its commit message."""
    front, _, body = text.partition("\n---\n")
    tasks = list(_TASK_LINE.finditer(front))
    todo = [m for m in tasks if m.group(2) == "todo"]
    started = [m for m in tasks if m.group(2) == "in-progress"]
    if kind < 0.45 and todo:
        found = rng.choice(todo)
        line = found.group(0).replace("status: todo", "status: in-progress")
        return front[: found.start()] + line + front[found.end() :] + "\n---\n" + body, "Start a task"
    if kind < 0.8 and started:
        found = rng.choice(started)
        line = found.group(0).replace("status: in-progress", "status: done")
        return front[: found.start()] + line + front[found.end() :] + "\n---\n" + body, "Finish a task"
    if kind < 0.88 and tasks:
        last = tasks[-1]
        added = (
            f"\n      - {{id: X{n}, title: Follow-up {n}, owner: dave, status: todo, estimate: {rng.randint(1, 5)}d}}"
        )
        return front[: last.end()] + added + front[last.end() :] + "\n---\n" + body, "Add a task"
    if kind < 0.92:
        status = rng.choice(("ready", "in-progress", "draft"))
        front = re.sub(r"^status: \S+$", f"status: {status}", front, count=1, flags=re.MULTILINE)
        return front + "\n---\n" + body, "Change a plan's status"
    body = body.replace("## Testing strategy\n", f"## Testing strategy\n\n- Checked again in round {n}.\n", 1)
    return front + "\n---\n" + body, "Edit the prose"


def _commit(
    stream: list[bytes], mark: int, when: datetime.datetime, message: str, files: dict[str, str], paths: list[str]
) -> None:
    stamp = int(when.timestamp())
    text = message.encode()
    stream.append(f"commit refs/heads/main\nmark :{mark}\n".encode())
    stream.append(f"author Bench <bench@example.com> {stamp} +0000\n".encode())
    stream.append(f"committer Bench <bench@example.com> {stamp} +0000\n".encode())
    stream.append(f"data {len(text)}\n".encode() + text + b"\n")
    if mark > 1:
        stream.append(f"from :{mark - 1}\n".encode())
    for path in paths:
        data = files[path].encode("utf-8")
        stream.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.plans, args.commits, args.seed)
    print(f"wrote {args.commits} commits of {args.plans} plans to {args.out}")


if __name__ == "__main__":
    main()
