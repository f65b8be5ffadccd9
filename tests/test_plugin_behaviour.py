"""The plugin as MkDocs runs it: configuration errors, `mkdocs serve` rebuilds, strict mode."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.toc import AnchorLink

from conftest import Site
from sample import write_sample


@contextmanager
def serving(site: Site) -> Iterator[tuple[Any, Callable[[], Any]]]:
    """Build once as `mkdocs serve` does, and give the plugin and a rebuild that reloads the
    configuration first (the plugin instance survives, as under serve)."""
    cwd = os.getcwd()
    os.chdir(site.root)
    config = load_config("mkdocs.yml")
    try:
        config.plugins.on_startup(command="serve", dirty=False)
        build(config)

        def rebuild() -> Any:
            again = load_config("mkdocs.yml")
            build(again)
            return again

        yield config.plugins["plans"], rebuild
    finally:
        os.chdir(cwd)
        config.plugins.on_shutdown()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("severity: {PLN999: error}", "unknown diagnostic code 'PLN999'"),
        ("severity: {PLN071: fatal}", "PLN071"),
        ("schemas: nowhere", "nowhere"),
        ("adr_dirs: decisions", "adr_dirs"),
        ("gates_index: plans/ledger.md", "plans/ledger.md already exists"),
        ("gates_index: gates.html", "must be a .md path"),
    ],
)
def test_bad_configuration_is_a_clear_error(site: Site, options: str, message: str) -> None:
    write_sample(site)
    site.config(f"site_name: t\ntheme: material\nplugins:\n  - plans:\n      {options}\n")
    built = site.build(strict=False)
    assert not built.ok
    assert message in built.log + built.error
    assert "Traceback" not in built.log


def test_severity_overrides_apply_to_plugin_and_cli(site: Site) -> None:
    write_sample(site)
    site.replace("plans/ledger.md", "status: ready", "status: in-progress")
    assert "PLN071 warning" in site.check().out
    site.config("site_name: t\ntheme: material\nplugins:\n  - plans:\n      severity: {PLN071: error, PLN016: 'off'}\n")
    checked = site.check()
    assert checked.code == 1 and "PLN071 error" in checked.out and "PLN016" not in checked.out
    built = site.build(strict=True)
    assert not built.ok and "PLN071 error" in built.log


def test_serve_rebuild_parses_only_the_changed_file(site: Site) -> None:
    write_sample(site)
    for n in range(20):
        site.write(
            f"plans/extra{n}.md", f"---\nkind: plan\nid: extra-{n}\ntitle: Extra {n}\nstatus: draft\n---\n# Extra\n"
        )
    with serving(site) as (plugin, rebuild):
        first = plugin.compiler.parsed
        site.write("plans/extra3.md", "---\nkind: plan\nid: extra-3\ntitle: Renamed\nstatus: draft\n---\n# Extra\n")
        assert rebuild().plugins["plans"] is plugin
        assert plugin.compiler.parsed - first == 1
        assert "Renamed" in (site.root / "site" / "plan-index" / "index.html").read_text()
        server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site.root / "site"))
        try:
            site.config("site_name: t\ntheme: material\nplugins:\n  - plans:\n      schemas: myschemas\n")
            (site.root / "myschemas").mkdir()
            for name in ("plan", "adr"):
                (site.root / "myschemas" / f"{name}.schema.json").write_text(_shipped(name))
            watched = load_config("mkdocs.yml")
            watched.plugins.on_serve(server, config=watched, builder=lambda: None)
            assert str(site.root / "myschemas") in server._watched_paths
        finally:
            server.server_close()


def test_serve_rebuild_reads_again_only_the_files_changed_on_disk(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.structure.files import File

    write_sample(site)
    for n in range(5):
        site.write(
            f"plans/extra{n}.md", f"---\nkind: plan\nid: extra-{n}\ntitle: Extra {n}\nstatus: draft\n---\n# Extra\n"
        )
    time.sleep(2.1)  # files written this instant are read again each time: their time could repeat
    read: list[str] = []
    content_bytes = File.content_bytes

    def reading(file: File) -> bytes:
        read.append(file.src_uri)
        return content_bytes.__get__(file)

    monkeypatch.setattr(File, "content_bytes", property(reading, content_bytes.fset))
    with serving(site) as (plugin, rebuild):
        assert "plans/extra3.md" in read and "plans/scheduler.md" in read
        read.clear()
        # The same size: only the file's times tell that it changed.
        site.replace("plans/extra3.md", "title: Extra 3", "title: Extra Z")
        rebuild()
        assert [uri for uri in read if uri.endswith(".md")] == ["plans/extra3.md"]
        assert "Extra Z" in (site.root / "site" / "plan-index" / "index.html").read_text()
        assert _built(site.root / "site") == _fresh(site)


def _shipped(name: str) -> str:
    from plancompiler.validate.schemas import shipped_schema_dir

    return (shipped_schema_dir() / f"{name}.schema.json").read_text()


def test_serve_rebuild_renders_again_only_what_an_edit_touches(site: Site) -> None:
    write_sample(site)
    with serving(site) as (plugin, rebuild):
        before = dict(plugin.summaries)
        # ADR-0003 accepted: G03 passes, which the scheduler's page shows; the ledger's does not.
        site.write("decisions/0003-timer.md", "---\nstatus: accepted\n---\n# Timer strategy\n")
        rebuild()
        after = plugin.summaries
        assert after["plans/ledger.md"] is before["plans/ledger.md"]
        assert after["plans/scheduler.md"] is not before["plans/scheduler.md"]
        page = (site.root / "site" / "plans" / "scheduler" / "index.html").read_text()
        phase = page[page.index('id="phase-P3"') :]
        assert "plans-gate-passed" in phase[: phase.index("</p>")]
        assert after["decisions/0003-timer.md"] is not before["decisions/0003-timer.md"]


def _built(root: Path) -> dict[str, bytes]:
    """The pages and the export of a built site, by path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.suffix in (".html", ".json", ".xml")
    }


def _every_file(root: Path) -> set[str]:
    """The paths of every file in a built site."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _fresh(site: Site) -> dict[str, bytes]:
    """The site as a first build by a new plugin gives it, written next to the served one."""
    # MkDocs keeps one instance of a plugin that has `on_startup` for the whole process;
    # hide it for this build, so that nothing kept from the served builds is used.
    kept = dict(MkDocsConfig.plugins.plugin_cache)
    MkDocsConfig.plugins.plugin_cache.clear()
    cwd = os.getcwd()
    os.chdir(site.root)
    try:
        config = load_config("mkdocs.yml", site_dir=str(site.root / "fresh"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            assert config.plugins["plans"] is not kept.get("plans")
            config.plugins.on_shutdown()
    finally:
        os.chdir(cwd)
        MkDocsConfig.plugins.plugin_cache.clear()
        MkDocsConfig.plugins.plugin_cache.update(kept)
    return _built(site.root / "fresh")


SCHEDULER_PAGE = "plans/scheduler/index.html"
LEDGER_PAGE = "plans/ledger/index.html"


# Each edit, made while serving, and (page, text) pairs the rebuild must show.
EDITS: list[tuple[str, Callable[[Site], None], list[tuple[str, str]]]] = [
    (
        "the start of a plan another plan's task waits on",
        lambda s: s.replace("plans/ledger.md", "owner: billing\n", "owner: billing\nstart: 2030-01-07\n"),
        [
            (LEDGER_PAGE, "Mon 2030-01-07"),
            # The scheduler's P2.2 comes after the ledger's L1.1 (two days): Wednesday the 9th.
            (SCHEDULER_PAGE, "P2.2 Wire ledger :crit, b2, 2030-01-09, 2030-01-09"),
            ("timeline/index.html", "2030-01-08"),
            ("plans.json", '"earliest_start": "2030-01-09"'),
        ],
    ),
    (
        "the due date of an open gate",
        lambda s: s.replace(
            "plans/scheduler.md", "adr: ADR-0003, after: [G01]}", "adr: ADR-0003, after: [G01], due: 2030-01-14}"
        ),
        [
            ("gates/index.html", "2030-01-14"),
            (SCHEDULER_PAGE, "P3.1 Durable timer :"),
            ("plans.json", '"expected": "2030-01-14"'),
        ],
    ),
    (
        "a plan's title",
        lambda s: s.replace("plans/ledger.md", "title: Billing Ledger", "title: Billing Journal"),
        [
            ("plan-index/index.html", "Billing Journal"),
            (SCHEDULER_PAGE, '<a href="../ledger/">Billing Journal</a>'),  # depends on, referenced by
            ("plans.json", '"title": "Billing Journal"'),
        ],
    ),
    (
        "an ADR's status",
        lambda s: s.replace("decisions/0003-timer.md", "status: proposed", "status: accepted"),
        [
            ("gates/index.html", "ADR-0003 is accepted"),
            ("decision-log/index.html", "plans-adr-accepted"),
            ("decisions/0003-timer/index.html", "plans-gate-passed"),
            ("plans.json", '"raw_status": "accepted"'),
        ],
    ),
    (
        "the status of the ADR that supersedes a gate's ADR",
        lambda s: s.replace("decisions/0005-postgres.md", "status: accepted", "status: proposed"),
        [
            ("gates/index.html", "ADR-0005 is proposed"),
            ("decisions/0004-database/index.html", "plans-gate-open"),
            ("plans.json", '"raw_status": "proposed"'),
        ],
    ),
    (
        "the title of the plan that declares the gates",
        lambda s: s.replace("plans/scheduler.md", "title: Service Call Scheduler", "title: Service Call Planner"),
        [
            ("gates/index.html", "Service Call Planner"),
            ("decisions/0002-broker/index.html", "Service Call Planner"),
            (LEDGER_PAGE, "Service Call Planner"),
        ],
    ),
    (
        "the id of a task another plan depends on",
        lambda s: s.replace("plans/ledger.md", "id: L1.1", "id: L1.9"),
        [(SCHEDULER_PAGE, 'data-label="Depends on">ledger/L1.1</td>')],
    ),
    (
        "a task's status in another plan",
        lambda s: s.replace("plans/ledger.md", "status: todo", "status: done"),
        [
            (LEDGER_PAGE, "1 of 1 tasks done"),
            ("plan-index/index.html", "1 of 1 tasks done (100%)"),
            ("plans.json", '"done": 1'),
        ],
    ),
    (
        "a new plan that cites an ADR",
        lambda s: s.write(
            "plans/audit.md",
            "---\nkind: plan\nid: audit\ntitle: Audit Trail\nstatus: draft\ndepends_on: [ledger]\n---\n"
            "# Audit Trail\n\nAfter [ADR-0002].\n",
        ),
        [
            ("decisions/0002-broker/index.html", "Audit Trail"),
            ("decision-log/index.html", "Audit Trail"),
            (LEDGER_PAGE, "Audit Trail"),
            ("plan-index/index.html", "Audit Trail"),
            ("plans.json", '"id": "audit"'),
        ],
    ),
    (
        "the status of a plan another depends on",
        lambda s: s.replace("plans/ledger.md", "status: ready", "status: in-progress"),
        [
            (
                "plans/audit/index.html",
                'Billing Journal</a> <span class="plans-badge plans-plan plans-plan-in-progress">',
            )
        ],
    ),
    (
        "the title of an ordinary page that cites a plan",
        lambda s: s.write("index.md", "# Welcome\n\nStart at the [scheduler] plan.\n"),
        [(SCHEDULER_PAGE, ">Welcome</a>")],
    ),
    (
        "a plan's removal",
        lambda s: (s.docs / "plans/audit.md").unlink(),
        [("decisions/0002-broker/index.html", "Choose the broker")],
    ),
    (
        "the path of a generated page",
        lambda s: s.config(
            "site_name: Test site\ntheme:\n  name: material\nplugins:\n  - plans:\n      gates_index: ledger.md\n"
        ),
        [("ledger/index.html", "Gates Index"), (SCHEDULER_PAGE, 'href="../../ledger/#G03"')],
    ),
    (
        "where pages go",
        lambda s: s.config(
            "site_name: Test site\ntheme:\n  name: material\nuse_directory_urls: false\nplugins:\n  - plans:\n"
            "      gates_index: ledger.md\n"
        ),
        [("plans/scheduler.html", 'href="../ledger.html#G03"'), ("plans/scheduler.html", 'href="ledger.html"')],
    ),
]


def test_every_serve_rebuild_gives_the_site_a_fresh_build_gives(site: Site) -> None:
    """Whatever an edit touches (summaries, indexes, export, links), a rebuild shows it as a
    first build would, byte for byte, while the plugin reuses what did not change."""
    write_sample(site)
    left_as_written: set[str] = set()
    with serving(site) as (plugin, rebuild):
        for what, edit, shown in EDITS:
            before = dict(plugin.summaries)
            edit(site)
            rebuild()
            left_as_written |= plugin.refresh.unwritten_now
            # Moving pages moves every summary's links; any other edit leaves some summary as
            # it was.
            kept = [src for src, summary in plugin.summaries.items() if before.get(src) is summary]
            assert kept or what in ("the path of a generated page", "where pages go"), what
            _served_as_fresh(site, what, shown)
    # The rebuilds left the files of unchanged pages as they were, rather than writing them.
    assert "decisions/0001-topology.md" in left_as_written, left_as_written


def test_a_rebuild_gathers_again_only_the_views_that_read_what_an_edit_changed(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a plan's title changes, the summaries of the pages that show something of that
    plan are gathered from the model again, and the others are taken as the last build
    gathered them (the compiler kept the links, analysis and schedule)."""
    from plancompiler.emit import adr_page, plan_view

    gathered: list[str] = []
    for module, name in ((plan_view, "plan_page_inputs"), (adr_page, "adr_summary_inputs")):
        gather = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda ctx, target, gather=gather: gathered.append(target.rel) or gather(ctx, target)
        )
    write_sample(site)
    site.write("plans/audit.md", "---\nkind: plan\nid: audit\ntitle: Audit Trail\nstatus: draft\n---\n# Audit Trail\n")
    with serving(site) as (_plugin, rebuild):
        assert len(gathered) == 8  # three plans and five records
        gathered.clear()
        site.replace("plans/scheduler.md", "title: Service Call Scheduler", "title: Service Call Planner")
        rebuild()
    # The plan itself; the plan it depends on, whose page lists it as depending on it; the
    # records its gates are tied to and those its prose cites, which list it.
    assert sorted(gathered) == [
        "decisions/0001-topology.md",
        "decisions/0002-broker.md",
        "decisions/0003-timer.md",
        "decisions/0004-database.md",
        "plans/ledger.md",
        "plans/scheduler.md",
    ]
    _served_as_fresh(site, "a plan's title", [(LEDGER_PAGE, "Service Call Planner")])


def test_a_commit_made_while_serving_gives_the_site_a_fresh_build_gives(site: Site) -> None:
    """What git says of a plan (its burn-up, its work in progress) changes with a commit
    though its file does not: the rebuild shows it as a first build would."""
    from timed import git

    write_sample(site)
    git(site.root, "init", "-q")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "plans", when="2026-03-02")
    with serving(site) as (_plugin, rebuild):
        site.replace("plans/ledger.md", "status: todo", "status: in-progress")
        rebuild()
        git(site.root, "commit", "-q", "-am", "ledger started", when="2026-03-09")
        rebuild()
    _served_as_fresh(site, "a commit", [])


def _served_as_fresh(site: Site, what: str, shown: list[tuple[str, str]]) -> None:
    """The served site shows each (page, text) of `shown`, and is byte for byte what a first
    build gives."""
    served = _built(site.root / "site")
    for rel, text in shown:
        assert text in served[rel].decode(), f"after {what}: {text!r} not in {rel}"
    fresh = _fresh(site)
    assert served.keys() == fresh.keys(), what
    differ = [rel for rel in served if served[rel] != fresh[rel]]
    assert not differ, f"after {what}, these differ from a fresh build: {differ}"
    # Every file, hidden or not: nothing the last build wrote stays behind.
    assert _every_file(site.root / "site") == _every_file(site.root / "fresh"), what


# Edits to fields the ADR summaries, the decision log, the Gates Index, the plans index and
# the Timeline show, one each, and (page, text) pairs the rebuild must show.
FIELD_EDITS: list[tuple[str, Callable[[Site], None], list[tuple[str, str]]]] = [
    (
        "an ADR's date",
        lambda s: s.replace("decisions/0002-broker.md", "date: 2026-10-01", "date: 2026-10-02"),
        [("decisions/0002-broker/index.html", "2026-10-02"), ("decision-log/index.html", "2026-10-02")],
    ),
    (
        "an ADR's deciders",
        lambda s: s.replace("decisions/0001-topology.md", "deciders: [alice]", "deciders: [alice, zoe]"),
        [("decisions/0001-topology/index.html", "zoe"), ("gates/index.html", "zoe"), (SCHEDULER_PAGE, "zoe")],
    ),
    (
        "the title of a record another one supersedes",
        lambda s: s.replace("decisions/0004-database.md", "# Use SQLite", "# Use SQLite files"),
        [("decisions/0005-postgres/index.html", 'title="Use SQLite files"'), ("decision-log/index.html", "files")],
    ),
    (
        "the title of the record in force for a gate",
        lambda s: s.replace("decisions/0005-postgres.md", "# Use PostgreSQL", "# Use PostgreSQL 16"),
        [("gates/index.html", 'title="Use PostgreSQL 16"'), ("decision-log/index.html", "PostgreSQL 16")],
    ),
    (
        "a relation written in a record",
        lambda s: s.replace("decisions/0003-timer.md", "status: proposed\n", "status: proposed\namends: [ADR-0002]\n"),
        [("decisions/0002-broker/index.html", "ADR-0003"), ("decision-log/index.html", "ADR-0003")],
    ),
    (
        "a gate's title",
        lambda s: s.replace("plans/scheduler.md", "title: Timer, adr", "title: Timer choice, adr"),
        [
            ("gates/index.html", "G03 Timer choice"),
            ("decisions/0003-timer/index.html", "Timer choice"),
            (SCHEDULER_PAGE, 'title="Timer choice"'),
        ],
    ),
    (
        "a phase's title",
        lambda s: s.replace("plans/scheduler.md", "title: Timer\n", "title: Timers\n"),
        [("gates/index.html", "Timers"), (SCHEDULER_PAGE, "P3 Timers")],
    ),
    (
        "a gate waived",
        lambda s: s.replace(
            "plans/scheduler.md",
            "adr: ADR-0003, after: [G01]}",
            "adr: ADR-0003, after: [G01], waived: true, reason: Later}",
        ),
        [
            ("gates/index.html", "none now: the gate is waived"),
            ("decisions/0003-timer/index.html", "plans-gate-waived"),
        ],
    ),
    (
        "a gate's ADR",
        lambda s: s.replace("plans/scheduler.md", "adr: 4, after", "adr: 44, after"),
        [("gates/index.html", "44 does not exist")],
    ),
    (
        "a plan's owner, complexity and date",
        lambda s: s.replace(
            "plans/scheduler.md",
            "owner: platform-team\nversion: 0.3.0\ncomplexity: high\nupdated: 2026-11-02",
            "owner: core-team\nversion: 0.3.0\ncomplexity: medium\nupdated: 2026-11-03",
        ),
        [("plan-index/index.html", "core-team"), ("plan-index/index.html", "2026-11-03")],
    ),
    (
        "a risk's impact",
        lambda s: s.replace("plans/scheduler.md", "likelihood: low, impact: medium", "likelihood: low, impact: high"),
        [("plan-index/index.html", '<td data-label="High-impact risks">2</td>')],
    ),
    (
        "the title of a phase on the timeline",
        lambda s: s.replace("plans/scheduler.md", "title: Orchestration core", "title: Orchestration"),
        [("timeline/index.html", "P2 Orchestration :")],
    ),
]


def test_an_edit_to_a_field_a_page_shows_reaches_the_served_site(site: Site) -> None:
    """Each page is rendered from a view of what it shows, and the view decides whether the
    last build's page is kept: an edit to any one field shows, as a first build shows it."""
    write_sample(site)
    with serving(site) as (plugin, rebuild):
        for what, edit, shown in FIELD_EDITS:
            edit(site)
            rebuild()
            _served_as_fresh(site, what, shown)


def test_a_rebuild_renders_only_the_pages_an_edit_can_affect(site: Site) -> None:
    """The plans are out of the navigation here, so that a plan's title is read only by the
    pages that show it; after each edit the served site is still a fresh build's."""
    write_sample(site)
    site.write("guide.md", "# Guide\n\nThe [ledger] plan feeds the scheduler.\n")
    site.write("team.md", "# Team\n\n```plans\nview: tasks\nfilter: {owner: erin}\n```\n")
    site.config(
        "site_name: Test site\ntheme:\n  name: material\nplugins:\n  - search\n  - plans:\n      nav_plans: index\n"
        "markdown_extensions:\n  - pymdownx.superfences\n  - plancompiler.markdown\n"
    )
    every = {"index.md", "guide.md", "plans/ledger.md", "plans/scheduler.md", "plan-index.md", "gates.md"}
    with serving(site) as (plugin, rebuild):
        assert every <= set(plugin.refresh.rendered_now), "the first build renders every page"

        def edited(edit: Callable[[], None]) -> tuple[set[str], set[str]]:
            edit()
            rebuild()
            served, fresh = _built(site.root / "site"), _fresh(site)
            assert served.keys() == fresh.keys()
            assert not [rel for rel in served if served[rel] != fresh[rel]]
            return set(plugin.refresh.rendered_now), set(plugin.refresh.converted_now)

        # A plan's prose: its page alone.
        rendered, converted = edited(lambda: site.replace("plans/ledger.md", "Feeds", "Supplies"))
        # (A page with a view block is converted every time: the view reads the model.)
        assert rendered == {"plans/ledger.md"} and converted == {"plans/ledger.md", "team.md"}
        # An ordinary page's prose: that page alone.
        rendered, converted = edited(lambda: site.replace("guide.md", "feeds the", "supplies the"))
        assert rendered == {"guide.md"} and converted == {"guide.md", "team.md"}
        # A plan's title: its page, the plan that depends on it (summary), the page whose
        # cross-reference shows it, the plans index; not a page that reads nothing of it.
        rendered, converted = edited(
            lambda: site.replace("plans/ledger.md", "title: Billing Ledger", "title: Billing Journal")
        )
        assert {"plans/ledger.md", "plans/scheduler.md", "guide.md", "plan-index.md"} <= rendered
        assert not rendered & {"index.md", "decisions/0001-topology.md"}
        assert "guide.md" in converted and "plans/scheduler.md" not in converted
        assert 'title="Billing Journal"' in (site.root / "site" / "guide" / "index.html").read_text()
        # A task's title, which a view block on another page shows while its Markdown is converted.
        rendered, converted = edited(
            lambda: site.replace("plans/ledger.md", "title: Posting API", "title: Posting RPC")
        )
        assert "team.md" in converted and "team.md" in rendered
        assert "Posting RPC" in (site.root / "site" / "team" / "index.html").read_text()
        # A file added changes the navigation: every page.
        rendered, _ = edited(lambda: site.write("notes.md", "# Notes\n"))
        assert every | {"notes.md"} <= rendered


def test_a_page_carried_over_gives_its_warnings_again(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    """A strict `mkdocs serve` still fails on a page whose conversion the rebuild took from the
    last build: MkDocs' warnings about it are logged again."""
    write_sample(site)
    site.write("guide.md", "# Guide\n\nSee [the notes](missing.md).\n")
    with serving(site) as (plugin, rebuild):
        caplog.clear()
        site.replace("plans/ledger.md", "Feeds", "Supplies")
        rebuild()
        assert "guide.md" not in plugin.refresh.converted_now
        assert [r for r in caplog.records if "missing.md" in r.getMessage() and r.levelno >= logging.WARNING]


def test_mermaid_from_another_copy_in_the_site(site: Site) -> None:
    write_sample(site)
    site.write("assets/mermaid.min.js", "window.mermaid = {};\n")
    site.config("site_name: t\ntheme: material\nplugins:\n  - plans:\n      mermaid: assets/mermaid.min.js\n")
    built = site.build(strict=True)
    assert built.ok, built.log
    assert '<script src="../../assets/mermaid.min.js"></script>' in built.page("plans/scheduler/index.html")
    assert not (built.site / "assets" / "plancompiler" / "mermaid.min.js").exists()


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ('{"type": "objectt"}', "plan.schema.json: not a valid JSON Schema: 'objectt' is not valid"),
        ('{"type": "object",\n "properties": }', "plan.schema.json:2:16: invalid JSON"),
    ],
)
def test_a_broken_custom_schema_is_a_clear_error(site: Site, schema: str, message: str) -> None:
    write_sample(site)
    (site.root / "myschemas").mkdir()
    (site.root / "myschemas" / "plan.schema.json").write_text(schema)
    (site.root / "myschemas" / "adr.schema.json").write_text(_shipped("adr"))
    site.config("site_name: t\ntheme: material\nplugins:\n  - plans:\n      schemas: myschemas\n")
    built = site.build(strict=False)
    assert not built.ok
    assert message in built.log + built.error
    checked = site.check()
    assert checked.code == 2 and message in checked.err
    assert "Traceback" not in built.log + built.error + checked.err


def test_jsonschema_explains_only_documents_that_fail(site: Site) -> None:
    """jsonschema-rs says yes or no; `jsonschema` is loaded for the first document it rejects."""
    write_sample(site)
    probe = (
        "import sys; from plancompiler.cli import main;"
        " code = main(['check', '--format', 'json']);"
        " print('jsonschema' in sys.modules, file=sys.stderr); sys.exit(code)"
    )
    clean = subprocess.run([sys.executable, "-c", probe], cwd=site.root, capture_output=True, text=True)
    assert clean.returncode == 0 and clean.stderr.strip().endswith("False"), clean.stderr
    site.replace("plans/scheduler.md", "depends_on: [ledger]", "depend_on: [ledger]")
    broken = subprocess.run([sys.executable, "-c", probe], cwd=site.root, capture_output=True, text=True)
    assert broken.returncode == 1 and broken.stderr.strip().endswith("True"), broken.stderr
    assert '"PLN050"' in broken.stdout


def test_objects_left_at_exit_are_frozen_out_of_the_last_collection(site: Site) -> None:
    """Python's exit does not walk what a build leaves (it would only free memory the system
    takes back), and a process that goes on after the build collects as usual."""
    write_sample(site)
    done = _in_a_new_process(
        site,
        # Registered before the plugin's handler, so run after it (atexit runs the last first).
        "atexit.register(lambda: print('at exit', gc.get_freeze_count() > 0))\n"
        "config = load_config('mkdocs.yml'); config.plugins.on_startup(command='build', dirty=False)\n"
        "build(config); config.plugins.on_shutdown(); print('after the build', gc.get_freeze_count())\n",
    )
    assert done.stdout.split("\n")[:2] == ["after the build 0", "at exit True"], done.stdout


def test_a_served_site_freezes_what_its_first_build_keeps_out_of_later_collections(site: Site) -> None:
    """Under `mkdocs serve`, what the first build leaves alive is frozen once, so that the
    collector's passes during rebuilds walk only what rebuilds make; a rebuild freezes
    nothing more."""
    write_sample(site)
    done = _in_a_new_process(
        site,
        "config = load_config('mkdocs.yml'); config.plugins.on_startup(command='serve', dirty=False)\n"
        "before = gc.get_freeze_count(); build(config); first = gc.get_freeze_count()\n"
        "config = load_config('mkdocs.yml'); build(config); again = gc.get_freeze_count()\n"
        "config.plugins.on_shutdown(); print(before, first > 1000, again <= first)\n",
    )
    assert done.stdout.split() == ["0", "True", "True"], done.stdout


def test_a_served_rebuild_leaves_the_collectors_pass_until_it_is_done(site: Site) -> None:
    """Under `mkdocs serve`, the collector makes no pass during a rebuild: one full pass
    follows it after a quiet second, in a thread of its own, and the collector is back on."""
    write_sample(site)
    done = _in_a_new_process(
        site,
        "import threading; seen = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start'"
        " and seen.append((threading.current_thread().name, info['generation'])))\n"
        "config = load_config('mkdocs.yml'); config.plugins.on_startup(command='serve', dirty=False)\n"
        "build(config); first = len(seen)\n"
        "config = load_config('mkdocs.yml'); seen.clear(); build(config)\n"
        "during = [s for s in seen if s[0] == 'MainThread']\n"
        "[t.join() for t in threading.enumerate() if t.name == 'plans-collect']\n"
        "config.plugins.on_shutdown()\n"
        "print(first > 0, during, ('plans-collect', 2) in seen, gc.isenabled())\n",
    )
    assert done.stdout.split("\n")[0] == "True [] True True", done.stdout


def test_a_served_rebuild_leaves_a_collector_the_program_turned_off_as_it_was(site: Site) -> None:
    """A program that turned the collector off itself finds it off after a served rebuild."""
    write_sample(site)
    done = _in_a_new_process(
        site,
        "import threading\n"
        "config = load_config('mkdocs.yml'); config.plugins.on_startup(command='serve', dirty=False)\n"
        "build(config); gc.disable(); config = load_config('mkdocs.yml'); build(config)\n"
        "[t.join() for t in threading.enumerate() if t.name == 'plans-collect']\n"
        "config.plugins.on_shutdown(); print(gc.isenabled())\n",
    )
    assert done.stdout.split("\n")[0] == "False", done.stdout


def _in_a_new_process(site: Site, code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter in the site's folder, with MkDocs' `build` and
    `load_config`, `atexit` and `gc` imported; it must succeed."""
    prelude = (
        "import atexit, gc, os; os.environ['NO_MKDOCS_2_WARNING'] = '1'\n"
        "from mkdocs.commands.build import build; from mkdocs.config import load_config\n"
    )
    done = subprocess.run([sys.executable, "-c", prelude + code], cwd=site.root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


class _TocEntry(BasePlugin):  # type: ignore[type-arg]
    """A plugin that adds an entry to each page's table of contents after the `plans` plugin
    has added its summary's sections (registered after it, at the same priority)."""

    def on_page_content(self, html_out: str, *, page: Any, config: Any, files: Any) -> str:
        items = page.toc.items if page.toc is not None else []
        under = items[0].children if items and items[0].level == 1 else items  # the theme shows these
        under.append(AnchorLink("Entry of another plugin", "entry-of-another-plugin", 2))
        return html_out


_ENTRY = 'href="#entry-of-another-plugin"'
_CARRIED_PAGE = "decisions/0002-broker/index.html"  # no edit below reaches it


def test_a_table_of_contents_another_plugin_changes_is_changed_once_in_a_rebuild(site: Site) -> None:
    """A rebuild gives a page the table of contents the last build made for it only while
    nothing changed that table since: another plugin that adds to it each build adds once."""
    write_sample(site)
    cwd = os.getcwd()
    os.chdir(site.root)
    config = load_config("mkdocs.yml")
    config.plugins["toc-entry"] = _TocEntry()
    try:
        config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        first = (site.root / "site" / _CARRIED_PAGE).read_text(encoding="utf-8").count(_ENTRY)
        site.replace("plans/ledger.md", "Feeds [scheduler/P2.2]", "Feeds task [scheduler/P2.2]")  # prose only
        again = load_config("mkdocs.yml")
        again.plugins["toc-entry"] = _TocEntry()
        build(again)
    finally:
        os.chdir(cwd)
        config.plugins.on_shutdown()
    assert config.plugins["plans"].fills._this, "the rebuild kept no page's content"
    again_count = (site.root / "site" / _CARRIED_PAGE).read_text(encoding="utf-8").count(_ENTRY)
    assert first > 0 and again_count == first, (first, again_count)


def test_a_commit_made_while_serving_gives_its_date_to_the_next_rebuild(site: Site) -> None:
    """A plan without `updated:` takes its file's last commit date; the dates are kept while
    HEAD stays, so a commit made while serving must reach the next rebuild."""
    from timed import git

    write_sample(site)
    git(site.root, "init", "-q")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "plans", when="2026-03-02")
    with serving(site) as (_plugin, rebuild):
        export = site.root / "site" / "plans.json"
        assert '"updated": "2026-03-02"' in export.read_text(encoding="utf-8")
        site.replace("plans/ledger.md", "Feeds [scheduler/P2.2]", "Feeds task [scheduler/P2.2]")
        rebuild()  # an edit not yet committed: the dates of commits stay
        assert '"updated": "2026-03-02"' in export.read_text(encoding="utf-8")
        git(site.root, "commit", "-q", "-am", "ledger prose", when="2026-04-07")
        rebuild()
        shown = export.read_text(encoding="utf-8")
    assert '"updated": "2026-04-07"' in shown and '"updated": "2026-03-02"' not in shown, shown


def test_a_problem_fixed_in_another_file_leaves_the_served_page(site: Site) -> None:
    """A record's own problem shown at the top of its page goes when an edit to another record
    fixes it, though the page's source, conversion and summary stay the same."""
    write_sample(site)
    site.write(
        "decisions/0006-cache.md",
        "---\nstatus: accepted\ndate: 2026-11-01\namends: [ADR-0002]\n---\n# Cache the broker's topics\n",
    )
    page = site.root / "site" / "decisions" / "0006-cache" / "index.html"
    with serving(site) as (_plugin, rebuild):
        assert "PLN061" in page.read_text(encoding="utf-8")
        site.replace("decisions/0002-broker.md", "date: 2026-10-01\n", "date: 2026-10-01\namended_by: [ADR-0006]\n")
        rebuild()
        served = page.read_text(encoding="utf-8")
    assert "PLN061" not in served, "the fixed problem is still shown"
    assert "Amends" in served
