"""The plans of the time worked examples, and a git repository holding the second one."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import Site

TODAY = "2026-11-29"
"""A Sunday: the day the examples are built on (`PLANS_TODAY`)."""

# Worked example 1: start Tuesday 2026-12-01; A 3d; B 2d after A; C 4d; D 1d after B and C.
LAUNCH = """\
---
kind: plan
id: launch
title: Launch
status: ready
owner: team
start: 2026-12-01
phases:
  - id: P1
    title: Build
    tasks:
      - {id: A, title: Alpha, owner: ann, estimate: 3d}
      - {id: B, title: Beta, owner: bob, estimate: 2d, depends_on: [A]}
      - {id: C, title: Gamma, owner: cy, estimate: 4d}
      - {id: D, title: Delta, owner: dee, estimate: 1d, depends_on: [B, C], due: 2026-12-07}
---
# Launch
"""


def git(root: Path, *args: str, when: str | None = None) -> str:
    """Run git in `root`; with `when`, as a commit made at noon that day."""
    env = dict(os.environ, GIT_AUTHOR_NAME="A", GIT_AUTHOR_EMAIL="a@example.com")
    env.update(GIT_COMMITTER_NAME="A", GIT_COMMITTER_EMAIL="a@example.com")
    if when:
        stamp = f"{when}T12:00:00+00:00"
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True).stdout


def commit(site: Site, when: str, files: dict[str, str]) -> None:
    """Write `files` into the docs folder and commit them as made on `when`."""
    for rel, text in files.items():
        site.write(rel, text, dedent=False)
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", f"plans as of {when}", when=when)


def progress_plan(a: str, b: str, c: str, extra: str = "") -> str:
    """The plan of worked example 2 with the statuses of A, B and C, and `extra` tasks."""
    return f"""\
---
kind: plan
id: launch
title: Launch
status: in-progress
owner: team
rollback: {{triggers: [Errors], steps: [Revert]}}
phases:
  - id: P1
    title: Build
    tasks:
      - {{id: A, title: Alpha, owner: ann, estimate: 3d, status: {a}}}
      - {{id: B, title: Beta, owner: bob, estimate: 2d, status: {b}, depends_on: [A]}}
      - {{id: C, title: Gamma, owner: cy, estimate: 4d, status: {c}}}
      - {{id: D, title: Delta, owner: dee, estimate: 1d, depends_on: [B, C]}}
{extra}---
# Launch
"""


def write_history(site: Site) -> None:
    """Worked example 2 as a git repository at `site.root`: four tasks (3d+2d+4d+1d) on
    2026-10-01; A done and C in progress on 2026-10-15; B done and a new task E of 2d on
    2026-11-01."""
    git(site.root, "init", "-q", "-b", "main")
    commit(site, "2026-10-01", {"plans/launch.md": progress_plan("todo", "todo", "todo")})
    commit(site, "2026-10-15", {"plans/launch.md": progress_plan("done", "todo", "in-progress")})
    extra = "      - {id: E, title: Echo, owner: eve, estimate: 2d}\n"
    commit(site, "2026-11-01", {"plans/launch.md": progress_plan("done", "done", "in-progress", extra)})
