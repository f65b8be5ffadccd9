"""The plugin as MkDocs runs it: configuration errors, `mkdocs serve` rebuilds, strict mode."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

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
    site.write(
        "plans/ledger.md",
        (site.docs / "plans/ledger.md").read_text().replace("status: ready", "status: in-progress"),
        dedent=False,
    )
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
        assert after["plans/ledger.md"][1] is before["plans/ledger.md"][1]
        assert after["plans/scheduler.md"][1] is not before["plans/scheduler.md"][1]
        page = (site.root / "site" / "plans" / "scheduler" / "index.html").read_text()
        phase = page[page.index('id="phase-P3"') :]
        assert "plans-gate-passed" in phase[: phase.index("</p>")]
        assert after["decisions/0003-timer.md"][1] is not before["decisions/0003-timer.md"][1]


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
    scheduler = (site.docs / "plans/scheduler.md").read_text()
    site.write("plans/scheduler.md", scheduler.replace("depends_on: [ledger]", "depend_on: [ledger]"), dedent=False)
    broken = subprocess.run([sys.executable, "-c", probe], cwd=site.root, capture_output=True, text=True)
    assert broken.returncode == 1 and broken.stderr.strip().endswith("True"), broken.stderr
    assert '"PLN050"' in broken.stdout
