"""One small site built by MkDocs, ProperDocs and Zensical: every page shows the same plans.

MkDocs and ProperDocs run the `plans` plugin; Zensical drops plugins it does not know and
runs the `plancompiler.markdown` extension from the same mkdocs.yml instead.
"""

from __future__ import annotations

import importlib.util
import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Site

TOOLS = ("mkdocs", "properdocs", "zensical")

CONFIG = """\
site_name: Engines
theme:
  name: material
plugins:
  - search
  # A fixed day: the engines build one after another, and a build after midnight would
  # forecast from the next day.
  - plans:
      today: 2026-11-20
markdown_extensions:
  - pymdownx.superfences
  - plancompiler.markdown
nav:
  - index.md
  - team.md
  - gates.md
  - plans/demo.md
  - decisions/0001-use-postgres.md
  - decisions/0002-use-nats.md
"""

PLAN = """\
---
kind: plan
id: demo
title: Demo plan
status: in-progress
owner: alice
rollback: {triggers: [errors], steps: [revert]}
gates:
  - {id: G01, title: Database, adr: ADR-0001}
  - {id: G02, title: Broker, adr: ADR-0002, after: [G01]}
phases:
  - id: P1
    title: Storage
    gates: [G01]
    tasks:
      - {id: T1, title: Schema, owner: alice, status: done}
      - {id: T2, title: Migrations, owner: alice, status: todo, depends_on: [T1]}
      - {id: T4, title: Backfill, owner: alice, status: in-progress}
  - id: P2
    title: Events
    gates: [G02]
    depends_on: [P1]
    tasks:
      - {id: T3, title: Publisher, owner: bob, status: todo, depends_on: [T2]}
      - {id: T5, title: Consumer, owner: alice, status: todo, depends_on: [T3]}
---
# Demo plan

Why we do this.
"""

TEAM = """\
# Alice's work

```plans
view: tasks
filter: {owner: alice, status: [todo, in-progress]}
columns: [id, title, plan, status, gates]
```

## Held by a gate

```plans
view: tasks
filter: {all: [{owner: alice}, {blocked: true}]}
```

## Graph

```plans
view: graph
plan: demo
```

## Wrong

```plans
view: tasks
filter: {assignee: alice}
```

Shown as code: `view: gates`, and in a longer fence:

````markdown
```plans
view: gates
```
````
"""


def _write_site(site: Site) -> None:
    site.config(CONFIG)
    site.write("index.md", "# Home\n\nThe database is [ADR-0001]; the broker waits on [G02]. Next up: [demo/T2].\n")
    site.write("gates.md", "# Gates Index\n\n```plans\nview: gates\n```\n")
    site.write("team.md", TEAM)
    site.write("plans/demo.md", PLAN)
    site.write("decisions/0001-use-postgres.md", "---\nstatus: accepted\n---\n# Use PostgreSQL\n\nOrders live in it.\n")
    site.write("decisions/0002-use-nats.md", "---\nstatus: proposed\n---\n# Use NATS\n\nEvents go through it.\n")


def _needs(tool: str) -> Path:
    exe = Path(sys.executable).parent / tool
    if tool == "zensical" and importlib.util.find_spec("zensical") is None:
        pytest.skip("needs zensical (the test extra installs it on Python 3.11 and later)")
    return exe


def build(site: Site, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`<tool> build` in the project folder, into `site/`, from a clean start."""
    exe = _needs(tool)
    command = [str(exe), "build", *args]
    command += ["--clean"] if tool == "zensical" else ["--site-dir", "site"]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(command, cwd=site.root, env=env, capture_output=True, text=True, timeout=300)


def _target(site: Path, page_url: str, href: str) -> str:
    """Where a link leads, as a path in the site (`decisions/x/#frag`); a link that leads to no
    file of the site is marked `MISSING`."""
    path, _, fragment = href.partition("#")
    resolved = posixpath.normpath(posixpath.join(page_url, path)) if path else page_url.rstrip("/")
    resolved = "" if resolved == "." else resolved
    is_file = "." in posixpath.basename(resolved)
    file = site / resolved if is_file else site / resolved / "index.html"
    shown = resolved + ("/" if resolved and not is_file else "")
    return ("" if file.is_file() else "MISSING ") + shown + (f"#{fragment}" if fragment else "")


def shows(site: Path, page_url: str) -> dict[str, object]:
    """What a reader sees of plans on one page: resolved references, cards, tables, graphs and
    problems, with every link followed to the page it leads to."""
    text = (site / page_url / "index.html").read_text(encoding="utf-8")
    content = text[text.index('<article class="md-content__inner') :]
    content = content[: content.index("</article>")]
    xrefs = sorted(
        (label, _target(site, page_url, href))
        for href, label in re.findall(r'<a class="plans-xref" href="([^"]*)"[^>]*>([^<]*)</a>', content)
    )
    tables = [
        re.findall(r'<a href="([^"]*#task-[^"]*)"', table)
        for table in re.findall(r"plans-view-tasks.*?</table>", content, re.DOTALL)
    ]
    scripts = re.findall(r'<script src="([^"]*plancompiler[^"]*)"', text)
    return {
        "title": re.search(r"<h1[^>]*>(.*?)</h1>", content, re.DOTALL).group(1),  # type: ignore[union-attr]
        "xrefs": xrefs,
        "card": "plans-card" in content,
        "task tables": [[_target(site, page_url, href) for href in table] for table in tables],
        "gates": re.findall(r'<tr><td class="plans-id" data-label="Gate"><span id="(G\d+)"', content),
        "graphs": content.count('class="mermaid"'),
        "view problems": re.findall(r'plans-view-error"><p class="admonition-title">(PLN\d+ \w+ at line \d+)', content),
        "code blocks": content.count("view: gates"),
        "scripts": sorted(_target(site, page_url, s).startswith("MISSING") for s in scripts),
    }


PAGES = ("", "team/", "gates/", "plans/demo/", "decisions/0001-use-postgres/", "decisions/0002-use-nats/")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, object]]]:
    """The small site built by each engine, and what each page shows."""
    found = {}
    for tool in TOOLS:
        site = Site(tmp_path_factory.mktemp(tool) / "project")
        _write_site(site)
        done = build(site, tool)
        assert done.returncode == 0, done.stderr
        assert "docs/team.md:25:1: PLN100 error: a task filter compares" in done.stderr, done.stderr
        found[tool] = {page: shows(site.root / "site", page) for page in PAGES}
        found[tool]["plans.json"] = json.loads((site.root / "site" / "plans.json").read_text(encoding="utf-8"))
    return found


@pytest.mark.parametrize("tool", TOOLS)
def test_each_engine_shows_summaries_references_views_and_problems(
    built: dict[str, dict[str, dict[str, object]]], tool: str
) -> None:
    if tool not in built:
        pytest.skip(f"{tool} is not installed")
    pages = built[tool]
    assert pages[""]["xrefs"] == [
        ("ADR-0001", "decisions/0001-use-postgres/"),
        ("G02", "gates/#G02"),
        ("demo/T2", "plans/demo/#task-T2"),
    ]
    team = pages["team/"]
    # Alice's open tasks, in file order; the done one and Bob's are left out.
    assert team["task tables"] == [
        ["plans/demo/#task-T2", "plans/demo/#task-T4", "plans/demo/#task-T5"],
        ["plans/demo/#task-T5"],  # held by G02, whose ADR is only proposed
    ]
    assert team["graphs"] == 1
    assert team["view problems"] == ["PLN100 error at line 25"]
    assert team["code blocks"] == 2  # a code span and the quoted block stay as written
    assert team["scripts"] == [False, False, False]  # Mermaid, Panzoom and plans.js, in the site
    assert pages["gates/"]["gates"] == ["G01", "G02"]
    assert pages["gates/"]["graphs"] == 1
    assert pages["plans/demo/"]["card"] and pages["plans/demo/"]["graphs"] >= 1
    assert pages["decisions/0001-use-postgres/"]["title"] == "ADR-0001: Use PostgreSQL"
    assert pages["decisions/0002-use-nats/"]["card"]


def test_every_engine_shows_the_same_pages(built: dict[str, dict[str, dict[str, object]]]) -> None:
    """Every page shows the same, and every site carries the same export."""
    assert built["mkdocs"]["plans.json"]["plans"][0]["id"] == "demo"
    assert built["properdocs"] == built["mkdocs"]
    assert built["zensical"] == built["mkdocs"]


@pytest.mark.parametrize("tool", TOOLS)
def test_a_strict_build_fails_on_a_broken_plan(site: Site, tool: str) -> None:
    _write_site(site)
    site.replace("plans/demo.md", "depends_on: [T1]", "depends_on: [T9]")
    done = build(site, tool, "--strict")
    assert done.returncode != 0
    assert "docs/plans/demo.md:17:78: PLN011 error" in done.stderr, done.stderr
    # Without --strict the site builds and the plan's page shows the problem.
    relaxed = build(site, tool)
    assert relaxed.returncode == 0, relaxed.stderr
    page = (site.root / "site" / "plans" / "demo" / "index.html").read_text(encoding="utf-8")
    assert "PLN011" in page and "plans-problems" in page


def test_the_extension_stands_aside_under_mkdocs(site: Site) -> None:
    """Configured twice (plugin and extension), a page shows its summary and views once."""
    _write_site(site)
    done = build(site, "mkdocs")
    assert done.returncode == 0, done.stderr
    demo = (site.root / "site" / "plans" / "demo" / "index.html").read_text(encoding="utf-8")
    assert demo.count('class="plans-card plans-summary"') == 1
    team = (site.root / "site" / "team" / "index.html").read_text(encoding="utf-8")
    assert team.count("plans-view-tasks") == 2
    assert done.stderr.count("PLN100") == 1


def test_a_zensical_rebuild_follows_a_plan_into_the_pages_that_show_it(site: Site) -> None:
    """Zensical keeps each rendered page and renders it again only when its own text, or a
    file of `watch:`, changed: with the docs folder watched, a plan's change reaches the
    team page that shows it, as under `zensical serve`."""
    _write_site(site)
    (site.root / "mkdocs.yml").write_text(CONFIG + "watch: [docs]\n", encoding="utf-8")
    first = build(site, "zensical")
    assert first.returncode == 0, first.stderr
    team = site.root / "site" / "team" / "index.html"
    assert "#task-T4" in team.read_text(encoding="utf-8")
    site.replace("plans/demo.md", "{id: T4, title: Backfill, owner: alice", "{id: T4, title: Backfill, owner: bob")
    # Zensical compares whole seconds of modification time.
    later = (site.docs / "plans" / "demo.md").stat().st_mtime + 2
    os.utime(site.docs / "plans" / "demo.md", (later, later))
    exe = _needs("zensical")
    again = subprocess.run([str(exe), "build"], cwd=site.root, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "#task-T4" not in team.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        (
            "plancompiler.markdown:\n      summry: top",
            "plancompiler.markdown: unknown option 'summry'; the options are",
        ),
        ("plancompiler.markdown:\n      severity: {PLN999: error}", "unknown diagnostic code 'PLN999'"),
    ],
)
def test_zensical_stops_on_options_it_cannot_use(site: Site, extension: str, message: str) -> None:
    _write_site(site)
    site.config(CONFIG.replace("  - plancompiler.markdown\n", f"  - {extension}\n"))
    done = build(site, "zensical")
    assert done.returncode != 0
    assert message in done.stderr, done.stderr


def test_zensical_reads_the_plugins_options_and_the_extensions_own_on_top(site: Site) -> None:
    _write_site(site)
    config = CONFIG.replace("  - plans:\n", "  - plans:\n      severity: {PLN100: warning}\n      summary: top\n")
    site.config(config.replace("  - plancompiler.markdown\n", "  - plancompiler.markdown:\n      summary: off\n"))
    done = build(site, "zensical", "--strict")
    assert done.returncode == 0, done.stderr  # the wrong block is only a warning now
    assert "docs/team.md:25:1: PLN100 warning" in done.stderr, done.stderr
    demo = (site.root / "site" / "plans" / "demo" / "index.html").read_text(encoding="utf-8")
    assert "plans-card" not in demo and "Why we do this." in demo
