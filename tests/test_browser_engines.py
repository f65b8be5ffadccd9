"""The project's own site built by Zensical, in Chromium with the network shut off: the same
graphs drawn as under MkDocs, from the site's own Mermaid."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import REPO
from test_browser import (
    EXAMPLE_PAGE,
    GATES_PAGE,
    ROADMAP_PAGE,
    TIMELINE_PAGE,
    Served,
    Session,
    _build_project_site,
    _legible,
    _screenshot_dir,
    _shoot,
    browser,  # noqa: F401  (the fixture)
    serve,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

GRAPH_PAGES = (GATES_PAGE, EXAMPLE_PAGE, ROADMAP_PAGE, TIMELINE_PAGE, "guide/views/")


def build_with_zensical(site_dir: Path) -> Path:
    """Build the project's own site with `zensical build` into `site_dir` (a folder inside the
    repository: Zensical writes nowhere else), from the repository itself, so that git gives
    plans their dates and history as it does under MkDocs."""
    if importlib.util.find_spec("zensical") is None:
        pytest.skip("needs zensical (the test extra installs it on Python 3.11 and later)")
    config = REPO / f".zensical-{os.getpid()}.yml"
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(f"{text}\nsite_dir: {site_dir.relative_to(REPO).as_posix()}\n", encoding="utf-8")
    exe = Path(sys.executable).parent / "zensical"
    try:
        done = subprocess.run(
            [str(exe), "build", "--clean", "-f", str(config)], cwd=REPO, capture_output=True, text=True, timeout=300
        )
    finally:
        config.unlink()
    assert done.returncode == 0, done.stderr
    return site_dir


@pytest.fixture(scope="module")
def sites(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Served]]:  # noqa: F811
    """The project's site built by MkDocs and by Zensical, both served on localhost."""
    mkdocs_dir = tmp_path_factory.mktemp("mkdocs-site")
    _build_project_site(mkdocs_dir)
    zensical_dir = build_with_zensical(REPO / "test-artifacts" / f"zensical-site-{os.getpid()}")
    try:
        with serve(mkdocs_dir) as by_mkdocs, serve(zensical_dir) as by_zensical:
            yield {"mkdocs": by_mkdocs, "zensical": by_zensical}
    finally:
        shutil.rmtree(zensical_dir, ignore_errors=True)


def test_zensical_draws_the_same_graphs_as_mkdocs_offline(browser: Browser, sites: dict[str, Served]) -> None:  # noqa: F811
    drawn: dict[str, dict[str, list[tuple[str, bool]]]] = {}
    for engine, site in sites.items():
        session = Session.open(browser, site, color_scheme="light")
        try:
            states = {}
            for rel in GRAPH_PAGES:
                session.visit(rel)
                states[rel] = session.mermaid()
            assert not _legible(states), (engine, _legible(states))
            drawn[engine] = {rel: [(s["kind"], s["svg"]) for s in found] for rel, found in states.items()}
            # Mermaid came from the site itself, and nothing from anywhere else.
            assert site.url("assets/plancompiler/mermaid.min.js") in session.requests, engine
            assert not session.outside, (engine, sorted(set(session.outside)))
            assert not session.errors, (engine, session.errors)
        finally:
            session.close()
    assert drawn["zensical"] == drawn["mkdocs"]
    assert all(found and all(svg for _, svg in found) for found in drawn["zensical"].values()), drawn["zensical"]


def test_screenshots_under_zensical(browser: Browser, sites: dict[str, Served]) -> None:  # noqa: F811
    """Full-page PNGs of the Zensical site for a human to look at: light, dark, 420 px."""
    folder = _screenshot_dir()
    for scheme in ("light", "dark"):
        session = Session.open(browser, sites["zensical"], color_scheme=scheme)
        try:
            for rel, name in ((EXAMPLE_PAGE, "plan"), (GATES_PAGE, "gates"), ("guide/engines/", "engines")):
                _shoot(session.visit(rel), folder / f"zensical-{name}-{scheme}.png")
            assert not session.errors, session.errors
        finally:
            session.close()
    phone = Session.open(browser, sites["zensical"], color_scheme="dark", viewport={"width": 420, "height": 900})
    try:
        _shoot(phone.visit(EXAMPLE_PAGE), folder / "zensical-plan-phone.png")
        _shoot(phone.visit(GATES_PAGE), folder / "zensical-gates-phone.png")
    finally:
        phone.close()
