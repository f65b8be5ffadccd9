"""The published site in a real browser: Chromium, served on localhost, with the network shut off."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import REPO, Site
from hostile import HOSTILE_ADR, HOSTILE_PLAN
from sample import write_sample
from timed import LAUNCH, TODAY, write_history

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_corpus import generate  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, Route

pytestmark = pytest.mark.browser

EXAMPLE = REPO / "plans" / "examples" / "service-call-scheduler.md"
EXAMPLE_PAGE = "examples/service-call-scheduler/"
GATES_PAGE = "gates/"
ROADMAP_PAGE = "project/roadmap/"
TIMELINE_PAGE = "timeline/"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000

# mkdocs-material renders each diagram into a *closed* shadow root; keep a reference to
# every shadow root on its host (the page's own behaviour is unchanged) so tests can look inside.
EXPOSE_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    Object.defineProperty(this, "__plansShadowRoot", { value: root });
    return root;
  };
})();
"""

# The height in CSS pixels of the shortest line of text among the labels under `root`, as
# drawn (after the diagram is scaled to its box); 0 when no label is drawn. A flowchart's
# labels are HTML; a Gantt or XY chart writes SVG text (bars, sections, axes, legend).
LABEL_HEIGHT = """
const labelHeight = (root) => {
  let least = Infinity;
  for (const label of root.querySelectorAll(".nodeLabel, .edgeLabel")) {
    const range = document.createRange();
    range.selectNodeContents(label);
    for (const line of range.getClientRects()) if (line.height > 0) least = Math.min(least, line.height);
  }
  const kind = root.getAttribute("aria-roledescription");
  if (kind === "gantt" || kind === "xychart") {
    for (const text of root.querySelectorAll("text")) {
      const box = text.getBoundingClientRect();
      if (box.height > 0 && text.textContent.trim()) least = Math.min(least, box.height);
    }
  }
  return least === Infinity ? 0 : least;
};
"""

# One entry per diagram: where it is, whether it holds a rendered (non-error) SVG, what kind
# of diagram it is and how many marks it draws, its text, and its shortest label line. Collapsed blocks are opened first, so every diagram is drawn.
MERMAID_STATE = (
    "() => {"
    + LABEL_HEIGHT
    + """
  for (const block of document.querySelectorAll("article details:not([open])")) block.open = true;
  return [...document.querySelectorAll(".mermaid")].map((host) => {
    const root = host.__plansShadowRoot || host.shadowRoot || host;
    const svg = root.querySelector("svg");
    // What it draws: a flowchart's nodes, a Gantt chart's bars, an XY chart's lines.
    const kind = svg ? svg.getAttribute("aria-roledescription") : "none";
    const marks = !svg ? 0
      : kind === "gantt" ? svg.querySelectorAll("rect.task:not(.vert)").length
      : kind === "xychart" ? svg.querySelectorAll("g[class^='line-plot'] path").length
      : svg.querySelectorAll("g.node").length;
    return {
      tag: host.tagName.toLowerCase(),
      svg: !!svg && kind !== "error",
      kind: kind,
      nodes: marks,
      text: svg ? svg.textContent : "",
      label: svg ? labelHeight(svg) : 0,
    };
  });
}
"""
)

MERMAID_DONE = """
(expected) => [...document.querySelectorAll("div.mermaid")].filter((host) => {
  const root = host.__plansShadowRoot || host.shadowRoot;
  return root && root.querySelector("svg");
}).length >= expected
"""

INLINE_SCRIPT = """
() => {
  const found = [];
  const scan = (root) => {
    for (const el of root.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        const value = attr.value.trim().toLowerCase();
        if (attr.name.startsWith("on") || value.startsWith("javascript:")) {
          found.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value}">`);
        }
      }
      if (el.__plansShadowRoot) scan(el.__plansShadowRoot);
    }
  };
  scan(document);
  return found;
}
"""

# Click every diagram node and hover every element, in the page and inside diagrams.
POKE = """
() => {
  const poke = (root) => {
    for (const el of root.querySelectorAll("*")) {
      el.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
      if (el.matches("g.node")) el.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      if (el.__plansShadowRoot) poke(el.__plansShadowRoot);
    }
  };
  poke(document.querySelector("article") || document);
}
"""


# --- serving and browsing -------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of access logs."""


@dataclass
class Served:
    """A built site on disk and the localhost URL it is served at."""

    root: Path
    base: str

    def url(self, rel: str) -> str:
        return self.base + rel

    def pages(self) -> list[str]:
        """Every HTML page of the site, as the URL path a reader would follow."""
        rels = []
        for path in sorted(self.root.rglob("*.html")):
            rel = path.relative_to(self.root).as_posix()
            rels.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        return rels

    def mermaid_blocks(self, rel: str) -> int:
        """How many diagrams the page's HTML carries before any script runs."""
        path = self.root / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
        return path.read_text(encoding="utf-8").count('<pre class="mermaid">')


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A tab closed mid-download is no error of the site's."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(root: Path) -> Iterator[Served]:
    """Serve `root` over HTTP on an ephemeral localhost port, in a background thread."""
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(root, f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Session:
    """One browser context and tab; records what reached outside, console errors and dialogs."""

    context: BrowserContext
    page: Page
    site: Served
    outside: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser: Browser, site: Served, **options: Any) -> Session:
        context = browser.new_context(**{"viewport": VIEWPORT, **options})
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(EXPOSE_SHADOW_ROOTS)
        session = cls(context, context.new_page(), site)
        context.route("**/*", session._route)
        session.page.on("console", session._console)
        session.page.on("pageerror", lambda exc: session.errors.append(f"{session.page.url}: uncaught {exc}"))
        session.page.on("dialog", session._dialog)
        return session

    def _route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS:
            self.requests.append(url)
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if source in self.outside:
            return  # the aborted request itself; `outside` reports it
        self.errors.append(f"{self.page.url}: {message.text} ({source}:{message.location.get('lineNumber')})")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{self.page.url}: {dialog.type}({dialog.message!r})")
        dialog.dismiss()

    def visit(self, rel: str) -> Page:
        """Open a page of the site and wait until each of its diagrams is an SVG (or time runs out)."""
        self.page.goto(self.site.url(rel), wait_until="load")
        self.wait_for_mermaid(rel)
        return self.page

    def wait_for_mermaid(self, rel: str) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        expected = self.site.mermaid_blocks(rel)
        if expected:
            # On time-out the callers' assertions say which diagram is missing.
            with suppress(PlaywrightTimeoutError):
                self.page.wait_for_function(MERMAID_DONE, arg=expected, timeout=TIMEOUT_MS)

    def mermaid(self) -> list[dict[str, Any]]:
        return self.page.evaluate(MERMAID_STATE)

    def close(self) -> None:
        self.context.close()


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright; required in CI, optional elsewhere."""
    executable = shutil.which("chromium")
    if executable is None:
        reason = "Debian's `chromium` is not on PATH; the browser tests need it"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _build_project_site(site_dir: Path, root: Path = REPO) -> None:
    """Build the repository's own site (or the one whose mkdocs.yml is in `root`) into
    `site_dir`, as `mkdocs build` would."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cwd = os.getcwd()
    os.chdir(root)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def project(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The project's own site, built once and served on localhost."""
    site_dir = tmp_path_factory.mktemp("project-site")
    _build_project_site(site_dir)
    with serve(site_dir) as served:
        yield served


@pytest.fixture(scope="module")
def hostile(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The sample project plus a plan and an ADR made of script-injection attempts, served."""
    site = Site(tmp_path_factory.mktemp("hostile") / "project")
    write_sample(site)
    site.write("plans/hostile.md", HOSTILE_PLAN)
    site.write("decisions/0090-hostile.md", HOSTILE_ADR)
    built = site.build(strict=False)
    assert built.ok, built.log
    with serve(built.site) as served:
        yield served


TABBED_PLAN = (
    "---\nkind: plan\nid: tabbed\ntitle: Tabbed\nstatus: draft\nphases:\n\t- id: P1\n---\n# Tabbed\n\nWaits on [G01].\n"
)
DANGLING_PLAN = """\
---
kind: plan
id: dangling
title: Dangling
status: draft
phases:
  - id: P1
    title: One
    tasks:
      - {id: P1.1, title: First, owner: zoe, status: in-progress}
      - {id: P1.2, title: Second, owner: zoe, depends_on: [P9.1]}
---
# Dangling

The plan's own text.
"""


@pytest.fixture(scope="module")
def troubled(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The sample project plus a plan whose YAML has a tab and one with a dangling dependency,
    built without `--strict` (as `mkdocs serve` builds), and served."""
    site = Site(tmp_path_factory.mktemp("troubled") / "project")
    write_sample(site)
    site.write("plans/tabbed.md", TABBED_PLAN, dedent=False)
    site.write("plans/dangling.md", DANGLING_PLAN)
    site.config("site_name: Troubled\ntheme:\n  name: material\n  font: false\nplugins:\n  - plans\n")
    built = site.build(strict=False)
    assert built.ok, built.log
    assert "PLN002" in built.log and "PLN011" in built.log
    with serve(built.site) as served:
        yield served


CORPUS_PROBLEM = "plans/plan-00029.md"


@pytest.fixture(scope="module")
def corpus(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A generated site of 100 plans and 33 ADRs (the benchmark's corpus), built and served."""
    root = tmp_path_factory.mktemp("corpus")
    generate(root, plans=100)
    # One dangling dependency, so that a page of the corpus has a problem to show.
    plan = root / "docs" / CORPUS_PROBLEM
    text = plan.read_text(encoding="utf-8")
    plan.write_text(re.sub(r"(\{id: P1\.1, [^}]*?)\}", r"\1, depends_on: [P9.9]}", text, count=1), encoding="utf-8")
    _build_project_site(root / "site", root)
    with serve(root / "site") as served:
        yield served


@dataclass
class Tour:
    """What one reader saw opening every page of the project site in turn."""

    pages: list[str]
    outside: list[str]
    requests: list[str]
    errors: list[str]
    mermaid: dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="module")
def tour(browser: Browser, project: Served) -> Iterator[Tour]:
    session = Session.open(browser, project, color_scheme="light")
    pages = project.pages()
    mermaid = {}
    try:
        for rel in pages:
            session.visit(rel)
            mermaid[rel] = session.mermaid()
        yield Tour(pages, session.outside, session.requests, session.errors, mermaid)
    finally:
        session.close()


@pytest.fixture
def session(browser: Browser, project: Served) -> Iterator[Session]:
    opened = Session.open(browser, project, color_scheme="light")
    try:
        yield opened
    finally:
        opened.close()


def _example_front() -> dict[str, Any]:
    """The example plan's front matter, read straight from its Markdown source."""
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8").split("---\n", 2)[1])


def _example_gates() -> dict[str, list[str]]:
    """Gate id -> the gates it comes after."""
    return {gate["id"]: list(gate.get("after", [])) for gate in _example_front()["gates"]}


def _example_adrs() -> dict[str, str]:
    """Gate id -> ADR id (`adr: 4` is short for ADR-0004)."""
    adrs = {gate["id"]: gate["adr"] for gate in _example_front()["gates"]}
    return {gate: f"ADR-{adr:04d}" if isinstance(adr, int) else adr for gate, adr in adrs.items()}


def _gate_rows(page: Page, plan_id: str) -> tuple[str, list[dict[str, str]]]:
    """The Gates Index's group of a plan as the reader sees it: its heading, and one dict per
    row of its table, keyed by column header."""
    return page.evaluate(
        """
        (plan) => {
          const heading = document.getElementById(`plan-${plan}`);
          if (!heading) return ["", []];
          let table = heading.nextElementSibling;
          while (table && !table.querySelector("table")) table = table.nextElementSibling;
          if (!table) return [heading.innerText, []];
          const heads = [...table.querySelectorAll("thead th")].map((th) => th.innerText.trim());
          return [heading.innerText.replace("¶", "").trim(), [...table.querySelectorAll("tbody tr")].map((tr) =>
            Object.fromEntries([...tr.cells].map((td, i) => [heads[i], td.innerText.trim()])))];
        }
        """,
        plan_id,
    )


# --- tests ----------------------------------------------------------------------------------


def test_gates_index_lists_the_example_gates_in_topological_order(session: Session) -> None:
    """G01-G09 each appear once, under the example's heading, every `after:` edge points
    backwards, and each names who decides it."""
    after = _example_gates()
    assert len(after) == 9, sorted(after)
    session.visit(GATES_PAGE)
    heading, rows = _gate_rows(session.page, _example_front()["id"])
    assert rows, "no table of the example's gates on the Gates Index"
    order = [row["Gate"] for row in rows if row["Gate"] in after]
    assert sorted(order) == sorted(after), order
    position = {gate: i for i, gate in enumerate(order)}
    late = [
        f"{gate} is listed before {before}"
        for gate, befores in after.items()
        for before in befores
        if position[before] > position[gate]
    ]
    assert not late, (late, order)
    assert heading == _example_front()["title"]
    decided = {row["Gate"]: row["Deciders"] for row in rows}
    assert decided["G03"] == "alice, bob", decided  # ADR-0003's deciders
    # Phases waiting are listed, by plan, only for gates not passed or waived.
    waiting = {row["Gate"]: row["Phases waiting"] for row in rows}
    assert waiting["G03"] == "service-call-scheduler/M4", waiting
    assert "M1" not in waiting["G02"], waiting


def test_a_gates_adr_link_leads_to_the_adr_page_which_links_back(session: Session, project: Served) -> None:
    """For every example gate: Gates Index -> its ADR's page -> back to the gate's row."""
    page = session.page
    adrs = _example_adrs()
    page.goto(project.url(GATES_PAGE))
    for gate, adr in adrs.items():
        sources = sorted((REPO / "plans" / "decisions").glob(f"{adr}-*.md"))
        assert len(sources) == 1, (adr, sources)
        adr_url = project.url(f"decisions/{sources[0].stem}/")

        row = page.locator("article table tbody tr", has=page.locator(f'[id="{gate}"]'))
        link = row.locator("td a", has_text=adr).first
        title = link.get_attribute("title")
        link.click()
        page.wait_for_url(adr_url)
        heading = page.locator("article h1").first
        assert heading.is_visible()
        shown = heading.inner_text().removesuffix("¶").strip()  # the permalink sign follows the text
        assert title and shown == f"{adr}: {title}", (gate, adr, shown, title)

        back = page.locator(f'article a[href$="gates/#{gate}"]')
        assert back.count() >= 1, f"{adr_url} does not link back to {gate} on the Gates Index"
        back.first.click()
        page.wait_for_url(project.url(f"{GATES_PAGE}#{gate}"))
        target = page.locator("article table tbody tr", has=page.locator(f'[id="{gate}"]'))
        assert target.count() == 1
        assert target.is_visible()


@pytest.mark.parametrize("rel", [GATES_PAGE, EXAMPLE_PAGE, ROADMAP_PAGE, TIMELINE_PAGE])
def test_every_mermaid_block_became_an_svg(tour: Tour, project: Served, rel: str) -> None:
    """Each `<pre class="mermaid">` of the page is replaced by a rendered diagram, drawn offline:
    flowcharts with their nodes, Gantt charts with their bars, XY charts with their lines."""
    expected = project.mermaid_blocks(rel)
    assert expected >= 1, f"{rel} has no Mermaid block to render"
    states = tour.mermaid[rel]
    summary = [(s["tag"], s["svg"], s["nodes"]) for s in states]
    assert len(states) == expected, summary
    assert all(s["tag"] == "div" and s["svg"] and s["nodes"] > 0 for s in states), summary
    if rel == GATES_PAGE:
        drawn = " ".join(s["text"] for s in states)
        assert all(gate in drawn for gate in _example_gates()), drawn[:500]
    if rel in (EXAMPLE_PAGE, ROADMAP_PAGE, TIMELINE_PAGE):
        assert "gantt" in [s["kind"] for s in states], summary


def test_mermaid_is_loaded_from_the_site_not_a_cdn(tour: Tour, project: Served) -> None:
    """The diagrams' library comes from the site itself; nothing named mermaid is fetched from outside."""
    assert project.url("assets/plancompiler/mermaid.min.js") in tour.requests
    assert not [url for url in tour.outside if "mermaid" in url], tour.outside


def test_pages_request_nothing_outside_localhost(tour: Tour) -> None:
    """A site published for offline reading makes no request to another host."""
    outside = sorted(set(tour.outside))
    assert not outside, "requested from outside localhost:\n" + "\n".join(outside)


def test_no_console_errors_on_any_page(tour: Tour, project: Served) -> None:
    """Every page, generated ones included, loads and renders without a console error."""
    model = json.loads((project.root / "plans.json").read_text(encoding="utf-8"))
    required = {GATES_PAGE, "plan-index/", "decision-log/"}
    required |= {doc["source"].removesuffix(".md") + "/" for doc in model["plans"] + model["adrs"]}
    assert EXAMPLE_PAGE in required
    assert not required - set(tour.pages), sorted(required - set(tour.pages))
    assert not tour.errors, "\n".join(tour.errors)


def test_hostile_plan_opens_no_dialog(browser: Browser, hostile: Served) -> None:
    """No page of a site with script-injection attempts in its plan and ADR runs any of them."""
    session = Session.open(browser, hostile, color_scheme="light")
    try:
        pages = hostile.pages()
        assert "plans/hostile/" in pages, pages
        handlers: list[str] = []
        for rel in pages:
            session.visit(rel)
            handlers += [f"{rel}: {found}" for found in session.page.evaluate(INLINE_SCRIPT)]
            session.page.evaluate(POKE)
        assert not session.dialogs, session.dialogs
        assert not handlers, handlers
        page = session.visit("plans/hostile/")
        assert page.locator("article h1").first.inner_text().strip() == "<img src=x onerror=alert(1)>"
        assert page.get_by_text("</table><script>alert(2)</script>").first.is_visible()
        assert not session.dialogs, session.dialogs
    finally:
        session.close()


def _screenshot_dir() -> Path:
    folder = Path(os.environ.get("PLANS_SCREENSHOTS") or REPO / "test-artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shoot(page: Page, path: Path) -> Path:
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
    print(f"screenshot: {path}")
    return path


def test_screenshots_of_gates_index_and_plan_page(session: Session) -> None:
    """Full-page PNGs for a human to look at: Gates Index and the example plan, light and dark."""
    folder = _screenshot_dir()
    page = session.visit(EXAMPLE_PAGE)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    _shoot(page, folder / "service-call-scheduler-light.png")
    session.visit(GATES_PAGE)
    _shoot(page, folder / "gates-light.png")

    toggle = page.locator('label[for^="__palette_"]:visible')
    if toggle.count():
        toggle.first.click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        session.visit(GATES_PAGE)  # reload: the choice is remembered and the graph drawn afresh
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        _shoot(page, folder / "gates-dark.png")
    assert not session.errors, session.errors


def test_screenshots_on_a_phone(browser: Browser, project: Served) -> None:
    """Full-page PNGs at 420 px in the dark palette: the example plan, the plans index, the
    Owners page."""
    folder = _screenshot_dir()
    phone = Session.open(browser, project, color_scheme="dark", viewport={"width": 420, "height": 900})
    try:
        for rel, name in (
            (EXAMPLE_PAGE, "service-call-scheduler"),
            ("plan-index/", "plan-index"),
            ("owners/", "owners"),
        ):
            page = phone.visit(rel)
            assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
            _shoot(page, folder / f"{name}-420-dark.png")
        assert not phone.errors, phone.errors
    finally:
        phone.close()


# --- legible graphs, problems on the page, prose first, tables that work --------------------

FULL_SIZE = (
    "() => {"
    + LABEL_HEIGHT
    + """
  const dialog = document.querySelector("dialog.plans-graph-dialog[open]");
  const svg = dialog && dialog.querySelector(".plans-graph-canvas svg");
  if (!svg) return null;
  const canvas = dialog.querySelector(".plans-graph-canvas");
  const matrix = new DOMMatrix(getComputedStyle(canvas).transform);
  return {
    natural: svg.viewBox.baseVal.width,
    shown: svg.getBoundingClientRect().width,
    scale: matrix.a,
    x: matrix.e,
    y: matrix.f,
    label: labelHeight(svg),
    text: svg.textContent,
  };
}
"""
)


def _legible(states: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Each diagram not drawn, or with a label under 12 CSS px, as `page #n: label px`."""
    return [
        f"{rel} #{i}: " + (f"{s['label']:.1f} px" if s["svg"] else "not drawn")
        for rel, found in states.items()
        for i, s in enumerate(found)
        if not s["svg"] or s["label"] < 12
    ]


def test_every_graph_of_the_site_has_labels_at_least_12_px_tall(tour: Tour) -> None:
    """At a 1280-px window every label of every diagram, the biggest plan's included, is drawn
    at least 12 CSS px tall: a diagram wider than its column scrolls rather than shrinks."""
    drawn = sum(len(found) for found in tour.mermaid.values())
    assert drawn >= 30, drawn
    assert len(tour.mermaid[EXAMPLE_PAGE]) >= 10  # an overview and a graph per phase
    assert not _legible(tour.mermaid), _legible(tour.mermaid)


def _open_full_size(session: Session, graph: Any) -> dict[str, Any]:
    graph.locator(".plans-graph-open").click()
    session.page.wait_for_selector("dialog.plans-graph-dialog[open] .plans-graph-canvas svg")
    session.page.wait_for_function("() => document.querySelector('dialog.plans-graph-dialog').dataset.ready")
    state = session.page.evaluate(FULL_SIZE)
    assert state is not None
    return state


def test_a_graph_opens_full_size_and_pans_and_zooms(session: Session) -> None:
    """The plan's overview opens at its natural size, zooms with the toolbar, pans by dragging,
    and closes with Escape."""
    page = session.visit(EXAMPLE_PAGE)
    overview = page.locator("#phases-and-gates ~ .plans-graph").first
    state = _open_full_size(session, overview)
    assert abs(state["shown"] - state["natural"]) < 1 and state["scale"] == 1, state
    assert state["label"] >= 16 and "M11" in state["text"], state
    page.locator('dialog[open] button[data-action="in"]').click()
    page.wait_for_timeout(400)
    zoomed = page.evaluate(FULL_SIZE)
    assert zoomed["scale"] > 1.1, zoomed
    stage = page.locator("dialog[open] .plans-graph-stage").bounding_box()
    assert stage is not None
    x, y = stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 200, y - 120, steps=8)
    page.mouse.up()
    moved = page.evaluate(FULL_SIZE)
    assert moved["x"] < zoomed["x"] - 100 and moved["y"] < zoomed["y"] - 50, (zoomed, moved)
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog.plans-graph-dialog[open]')")
    assert not session.errors, session.errors


def _top(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["y"]


def test_a_plan_page_has_its_card_above_the_prose_and_the_detail_below(session: Session) -> None:
    """Status, progress, work in progress, ready and blocked (by which gate and whom) come first;
    then the author's text; then phases, tasks and graphs under their own headings."""
    page = session.visit(EXAMPLE_PAGE)
    title = _top(page, "article h1")
    card = _top(page, "article .plans-card")
    prose = _top(page, 'article p:has-text("The scheduler accepts HTTP calls")')
    detail = _top(page, "article #phases-and-gates")
    assert title < card < prose < detail
    text = page.locator("article .plans-card").inner_text()
    for expected in (
        "In progress (2)",
        "Ready to start (2)",
        "Blocked",
        "Open gates",
        "decided by alice, bob",
        "Top risks",
    ):
        assert expected in text, (expected, text)
    # A blocked task says what blocks it, where it is listed.
    status = page.locator("article tr", has=page.locator('[id="task-M4.1"]')).locator("td").nth(2).inner_text()
    assert "waits on G03" in status, status


def _rows(page: Page, selector: str) -> list[list[str]]:
    """The rows of the first table under `selector` that a reader sees, as cell texts."""
    return page.evaluate(
        """(selector) => [...document.querySelector(selector).querySelectorAll("tbody tr")]
            .filter((tr) => !tr.hidden).map((tr) => [...tr.cells].map((td) => td.innerText.trim()))""",
        selector,
    )


def _sorts_and_filters(session: Session, column: str, value: str) -> None:
    """On the plans index: picking `value` for `column` narrows the table to those rows, and a
    click on a heading sorts by that column."""
    page = session.visit("plan-index/")
    table = "article .plans-index"
    everything = _rows(page, table)
    assert (
        everything
        and page.locator(f"{table} .plans-count").inner_text() == f"{len(everything)} of {len(everything)} plans"
    )
    heads = page.evaluate(f"[...document.querySelectorAll('{table} thead th')].map((th) => th.innerText.trim())")
    at = heads.index(column)
    page.locator(f"{table} select[name='{column}']").select_option(value)
    narrowed = _rows(page, table)
    assert narrowed and len(narrowed) < len(everything), (len(narrowed), len(everything))
    assert all(row[at] == value for row in narrowed)
    assert f"{len(narrowed)} of {len(everything)} plans" == page.locator(f"{table} .plans-count").inner_text()
    page.locator(f"{table} select[name='{column}']").select_option("")
    page.locator(f"{table} th button", has_text="Progress").click()
    shares = [
        int(row[heads.index("Progress")].split("(")[1].split("%")[0]) for row in _rows(page, table) if "(" in row[4]
    ]
    assert shares == sorted(shares) and shares[0] < shares[-1], shares
    assert not session.errors, session.errors


def test_the_plans_index_filters_and_sorts(session: Session) -> None:
    _sorts_and_filters(session, "Owner", "platform-team")


def test_problems_show_on_their_own_page_and_on_the_problems_page(browser: Browser, troubled: Served) -> None:
    """Without `--strict`, a plan whose front matter does not parse and one with a dangling
    dependency each show their diagnostics at the top; the Problems page lists them all."""
    session = Session.open(browser, troubled, color_scheme="light")
    try:
        page = session.visit("plans/tabbed/")
        box = page.locator("article .admonition.plans-problems")
        assert box.is_visible()
        text = box.inner_text()
        assert "line 7:1" in text and "PLN002" in text and "a tab character" in text and "How to fix PLN002" in text
        assert (
            _top(page, "article h1")
            < _top(page, "article .plans-problems")
            < _top(page, "article p:has-text('Waits on')")
        )
        page = session.visit("plans/dangling/")
        text = page.locator("article .admonition.plans-problems").inner_text()
        assert "PLN011" in text and "P9.1" in text, text
        assert _top(page, "article .plans-problems") < _top(page, "article .plans-card")
        page.locator("article .plans-problems a", has_text="every problem of the site").click()
        page.wait_for_url("**/problems/#problems-docs_plans_dangling.md")
        rows = _rows(page, "article .plans-problems-table")
        files = {row[0] for row in rows}
        assert {"docs/plans/tabbed.md", "docs/plans/dangling.md"} <= files, files
        page.locator("article .plans-problems-table select[name='Code']").select_option("PLN002")
        assert [row[0] for row in _rows(page, "article .plans-problems-table")] == ["docs/plans/tabbed.md"]
        assert not session.errors, session.errors
        assert not session.outside, session.outside
    finally:
        session.close()


def _largest_plans(site: Served, count: int) -> list[str]:
    """The pages of the plans with the most tasks."""
    model = json.loads((site.root / "plans.json").read_text(encoding="utf-8"))
    plans = sorted(model["plans"], key=lambda p: -sum(len(ph["tasks"]) for ph in p["phases"]))
    return [p["source"].removesuffix(".md") + "/" for p in plans[:count]]


def test_a_generated_100_plan_site_reads_as_well(browser: Browser, corpus: Served) -> None:
    """The generated corpus: legible graphs on the generated pages and the largest plans, the
    card above the prose, the plans index narrowed by a filter, a graph opened full size; no
    console error and no request outside localhost."""
    session = Session.open(browser, corpus, color_scheme="light")
    try:
        pages = ["", "plan-index/", "gates/", "decision-log/", "owners/", "problems/", *_largest_plans(corpus, 3)]
        states = {}
        for rel in pages:
            session.visit(rel)
            states[rel] = session.mermaid()
        assert sum(len(found) for found in states.values()) >= 10
        assert not _legible(states), _legible(states)
        page = session.visit(pages[-1])
        assert _top(page, "article .plans-card") < _top(page, "article .plans-card ~ p") < _top(page, "article #phases")
        _open_full_size(session, page.locator("article .plans-graph").first)
        page.keyboard.press("Escape")
        _sorts_and_filters(session, "Status", "in-progress")
        owners = session.visit("owners/").locator("article .plans-owners tbody tr")
        assert owners.count() >= 8
        page = session.visit(CORPUS_PROBLEM.removesuffix(".md") + "/")
        text = page.locator("article .admonition.plans-problems").inner_text()
        assert "PLN011" in text and "P9.9" in text, text
        assert _top(page, "article .plans-problems") < _top(page, "article .plans-card")
        assert not session.errors, session.errors
        assert not session.outside, sorted(set(session.outside))
    finally:
        session.close()


# --- schedules and history ----------------------------------------------------------------

# The fill of the first text of each kind in each diagram, and the page's background.
CHART_TEXT = """
() => [...document.querySelectorAll("div.mermaid")].map((host) => {
  const root = host.__plansShadowRoot || host.shadowRoot;
  const svg = root && root.querySelector("svg");
  if (!svg) return null;
  const fill = (selector) => {
    const found = svg.querySelector(selector);
    return found ? getComputedStyle(found).fill : null;
  };
  // Each label inside a bar, with the bar's own fill (the bar's id is the label's, less `-text`).
  const inside = [...svg.querySelectorAll("text.taskText")].map((text) => {
    const bar = svg.getElementById(text.id.replace(/-text$/, ""));
    return [getComputedStyle(text).fill, bar ? getComputedStyle(bar).fill : null];
  });
  return {
    kind: svg.getAttribute("aria-roledescription"),
    beside: fill("text.taskTextOutsideRight, text.taskTextOutsideLeft"),
    inside: inside,
    section: fill("text.sectionTitle"),
    tick: fill(".tick text, .bottom-axis text"),
    background: (() => {
      // The first opaque background from the diagram up.
      for (let el = host; el; el = el.parentElement) {
        const colour = getComputedStyle(el).backgroundColor;
        if (colour && !colour.startsWith("rgba(0, 0, 0, 0)") && colour !== "transparent") return colour;
      }
      return "rgb(255, 255, 255)";
    })(),
  };
})
"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in css[css.index("(") + 1 : css.index(")")].replace("/", ",").split(",")]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)  # type: ignore[return-value]


def _contrast(front: str, back: str) -> float:
    """WCAG contrast of a (possibly translucent) colour over an opaque one."""
    fr, fg, fb, alpha = _rgba(front)
    br, bg, bb, _ = _rgba(back)
    blended = [alpha * f + (1 - alpha) * b for f, b in ((fr, br), (fg, bg), (fb, bb))]

    def luminance(rgb: list[float] | tuple[float, ...]) -> float:
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(blended), luminance((br, bg, bb))), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def timed(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Both worked examples of the time guide in one site: the history example as a git
    repository, and the schedule example beside it, built on the examples' day."""
    site = Site(tmp_path_factory.mktemp("timed") / "project")
    # Both schemes, chosen by the reader's system as in the project's own site; no web fonts.
    site.config(
        """\
        site_name: Timed
        theme:
          name: material
          font: false
          palette:
            - media: "(prefers-color-scheme: light)"
              scheme: default
            - media: "(prefers-color-scheme: dark)"
              scheme: slate
        plugins:
          - plans
        """
    )
    write_history(site)
    site.write(
        "plans/release.md", LAUNCH.replace("id: launch", "id: release").replace("title: Launch", "title: Release")
    )
    before = os.environ.get("PLANS_TODAY")
    os.environ["PLANS_TODAY"] = TODAY
    try:
        built = site.build(strict=True)
    finally:
        if before is None:
            del os.environ["PLANS_TODAY"]
        else:
            os.environ["PLANS_TODAY"] = before
    assert built.ok, built.log
    with serve(built.site) as served:
        yield served


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_gantt_and_burn_up_render_as_svg_and_read_in_both_schemes(browser: Browser, timed: Served, scheme: str) -> None:
    """The plan page's Gantt chart (a bar per remaining task, a diamond per due date) and its
    burn-up (scope and done) are drawn offline, with labels that stand out from the page."""
    session = Session.open(browser, timed, color_scheme=scheme)
    try:
        # The release: four tasks and D's due date. The launch: C, D and E left, and its history.
        for rel, bars, charts in (
            ("plans/release/", 5, ["gantt", "flowchart-v2"]),
            ("plans/launch/", 3, ["gantt", "xychart", "flowchart-v2"]),
        ):
            session.visit(rel)
            if scheme == "dark":
                assert session.page.evaluate("document.body.dataset.mdColorScheme") == "slate"
            states = session.mermaid()
            assert [s["kind"] for s in states] == charts
            gantt = states[0]
            assert gantt["svg"] and gantt["nodes"] == bars, (rel, gantt["nodes"])
            assert "today" in gantt["text"]
            for fills in session.page.evaluate(CHART_TEXT):
                assert fills is not None
                back = fills["background"]
                if fills["kind"] == "gantt":
                    assert _contrast(fills["section"], back) >= 4.5, fills
                    assert _contrast(fills["tick"], back) >= 3, fills
                    if fills["beside"]:
                        assert _contrast(fills["beside"], back) >= 4.5, fills
                    for label, bar in fills["inside"]:
                        assert bar is not None and _contrast(label, bar) >= 4.5, (label, bar)
                if fills["kind"] == "xychart":
                    assert _contrast(fills["tick"], back) >= 3, fills
        burn_up = next(s for s in states if s["kind"] == "xychart")
        assert burn_up["svg"] and burn_up["nodes"] == 2  # scope and done
        assert "28 Sep" in burn_up["text"] and "23 Nov" in burn_up["text"]
        session.visit("timeline/")
        timeline = session.mermaid()
        assert timeline and all(s["svg"] and s["kind"] == "gantt" and s["nodes"] > 0 for s in timeline), timeline
        assert not session.outside, session.outside
        assert not session.errors, session.errors
    finally:
        session.close()


# Every id and date cell of the page drawn on one line: the text of each, where it breaks.
BROKEN_CELLS = """
() => [...document.querySelectorAll("article td.plans-id, article td.plans-date")]
  .filter((td) => td.offsetParent !== null && td.innerText.trim())
  .filter((td) => {
    const range = document.createRange();
    range.selectNodeContents(td);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    // On one line every piece overlaps every other vertically (smaller text sits lower).
    return Math.max(...rects.map((r) => r.top)) >= Math.min(...rects.map((r) => r.bottom)) - 1;
  })
  .map((td) => td.innerText.trim())
"""


def test_tables_keep_ids_and_dates_whole_and_a_plans_columns_aligned(
    session: Session, browser: Browser, project: Served
) -> None:
    """Ids and dates never break, at 1280 px and on a 420-px phone; a plan's task tables share
    their column widths; the decision log's rows stay short and within the page."""
    pages = (EXAMPLE_PAGE, "decision-log/", "plan-index/", GATES_PAGE, "owners/")
    for rel in pages:
        assert not session.visit(rel).evaluate(BROKEN_CELLS), rel
    page = session.visit(EXAMPLE_PAGE)
    widths = page.evaluate(
        """() => [...document.querySelectorAll("article .plans-tasks table")].filter((t) => t.offsetParent)
            .map((t) => [...t.querySelectorAll("thead th")].map((th) => Math.round(th.getBoundingClientRect().width)))"""
    )
    assert len(widths) >= 8 and all(w == widths[0] for w in widths), widths
    page = session.visit("decision-log/")
    rows = page.evaluate(
        """() => { const article = document.querySelector("article").getBoundingClientRect();
            return [...document.querySelectorAll("article .plans-log tbody tr")].map((tr) => {
              const r = tr.getBoundingClientRect(); return [r.height, r.right <= article.right + 1]; }); }"""
    )
    assert rows and all(height < 90 and inside for height, inside in rows), rows  # three lines at most
    phone = Session.open(browser, project, color_scheme="dark", viewport={"width": 420, "height": 900})
    try:
        for rel in pages:
            assert not phone.visit(rel).evaluate(BROKEN_CELLS), rel
        # Stacked: each value under its column's name, nothing wider than the screen.
        page = phone.visit("plan-index/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 420
        assert (
            page.locator("article .plans-index td").nth(1).evaluate("(td) => getComputedStyle(td, '::before').content")
            == '"Status: "'
        )
        assert not phone.errors, phone.errors
    finally:
        phone.close()


def test_screenshots_of_schedules_and_the_timeline(browser: Browser, project: Served, timed: Served) -> None:
    """PNGs for a human to look at: a plan page with its Gantt chart and burn-up, and the
    Timeline, light and dark and 420 pixels wide."""
    folder = _screenshot_dir()
    for scheme, width in (("light", 1280), ("dark", 1280), ("light", 420)):
        for site, rel, name in (
            (timed, "plans/launch/", "launch-schedule"),
            (project, ROADMAP_PAGE, "roadmap-schedule"),
            (project, TIMELINE_PAGE, "timeline"),
        ):
            session = Session.open(browser, site, color_scheme=scheme, viewport={"width": width, "height": 900})
            try:
                page = session.visit(rel)
                section = page.locator("#schedule")
                if section.count():
                    section.scroll_into_view_if_needed()
                _shoot(page, folder / f"{name}-{scheme}-{width}.png")
                assert not session.errors, session.errors
            finally:
                session.close()


@pytest.fixture(scope="module")
def adr_tools(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The adr-tools records of `adr_styles/`, as they are, built with a light and a dark palette."""
    site = Site(tmp_path_factory.mktemp("adr-tools") / "project")
    shutil.copytree(REPO / "tests" / "adr_styles" / "adr-tools", site.docs, dirs_exist_ok=True)
    site.write("index.md", "# Decisions\n")
    site.config(
        "site_name: Decisions\ntheme:\n  name: material\n  font: false\n  palette:\n"
        "    - {scheme: default, toggle: {icon: material/brightness-7, name: Dark}}\n"
        "    - {scheme: slate, toggle: {icon: material/brightness-4, name: Light}}\nplugins:\n  - plans\n"
    )
    built = site.build(strict=True)
    assert built.ok, built.log
    with serve(built.site) as served:
        yield served


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 420)])
def test_a_relation_in_the_decision_log_leads_to_both_records(
    browser: Browser, adr_tools: Served, scheme: str, width: int
) -> None:
    """The log says what adr-tools' Status sections say; a relation's link leads to the record,
    whose page links back; ids stay on one line; PNGs for a human to look at."""
    session = Session.open(browser, adr_tools, color_scheme=scheme, viewport={"width": width, "height": 900})
    try:
        page = session.visit("decision-log/")
        if scheme == "dark":
            page.locator('label[for^="__palette_"]:visible').first.click()
            page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        rows = page.evaluate(
            "() => [...document.querySelectorAll('article tbody tr')].map((tr) => [...tr.cells].map((td) => td.innerText.trim()))"
        )
        assert [row[0] for row in rows] == [f"ADR-{n:04d}" for n in range(1, 12)]
        assert rows[2][2:5] == ["superseded", "2019-03-11", "Superseded by ADR-0005"]
        assert rows[8][2] == "Partially accepted"
        ids = page.locator("article .plans-relation .plans-nowrap")
        assert ids.count() == 6
        for index in range(ids.count()):
            box = ids.nth(index).bounding_box()
            assert box is not None and box["height"] < 30, ids.nth(index).inner_text()  # one line
        _shoot(page, _screenshot_dir() / f"decision-log-adr-tools-{scheme}-{width}.png")

        page.locator("article tbody tr").nth(2).locator(".plans-relation a").click()
        page.wait_for_url(adr_tools.url("adr/0005-publish-order-events-through-kafka/"))
        back = page.locator("article .plans-summary .plans-relation", has_text="Supersedes:").locator("a")
        assert back.inner_text() == "ADR-0003" and back.is_visible()
        _shoot(page, _screenshot_dir() / f"adr-relations-{scheme}-{width}.png")
        back.click()
        page.wait_for_url(adr_tools.url("adr/0003-publish-order-events-through-rabbitmq/"))
        assert page.locator("article .plans-superseded").inner_text() == "This decision is superseded by ADR-0005."
        assert not session.errors and not session.outside, (session.errors, session.outside)
    finally:
        session.close()
