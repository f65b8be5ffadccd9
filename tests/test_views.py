"""Views embedded in pages with ` ```plans ` blocks: what each shows, what a wrong block says,
and that `plans check` reports the same as the build."""

from __future__ import annotations

import html
import re

import markdown
import pytest

from conftest import Site
from test_engines import PLAN

ADRS = {
    "decisions/0001-use-postgres.md": "---\nstatus: accepted\n---\n# Use PostgreSQL\n\nOrders live in it.\n",
    "decisions/0002-use-nats.md": "---\nstatus: proposed\n---\n# Use NATS\n\nEvents go through it.\n",
}


def _site(site: Site, page: str, severity: str = "") -> None:
    site.config(
        "site_name: Views\ntheme:\n  name: material\nplugins:\n  - plans"
        + (f":\n      severity: {{{severity}}}" if severity else "")
        + "\nmarkdown_extensions:\n  - pymdownx.superfences\n  - plancompiler.markdown\n"
    )
    site.write("plans/demo.md", PLAN)
    for rel, text in ADRS.items():
        site.write(rel, text)
    site.write("team.md", page)


def _tasks(html: str) -> list[list[str]]:
    """The task ids of each task table of a page, in order."""
    tables = re.findall(r"plans-view-tasks.*?</table>", html, re.DOTALL)
    return [re.findall(r'#task-([^"]+)"', table) for table in tables]


def _block(body: str) -> str:
    return f"```plans\n{body}\n```\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("view: tasks", ["T1", "T2", "T4", "T3", "T5"]),
        ("view: tasks\nfilter: {owner: bob}", ["T3"]),
        ("view: tasks\nfilter: {status: [done, in-progress]}", ["T1", "T4"]),
        ("view: tasks\nfilter: {phase: demo/P2}", ["T3", "T5"]),
        ("view: tasks\nfilter: {phase: P1, owner: alice, status: todo}", ["T2"]),
        # T2 waits for nothing but T1, which is done; T4 is in progress already.
        ("view: tasks\nfilter: {ready: true}", ["T2"]),
        ("view: tasks\nfilter: {gate: open}", ["T3", "T5"]),
        ("view: tasks\nfilter: {gate: passed, blocked: false}", ["T1", "T2", "T4"]),
        ("view: tasks\nfilter:\n  any:\n    - {owner: bob}\n    - {status: done}", ["T1", "T3"]),
        ("view: tasks\nfilter: {all: [{owner: alice}, {any: [{status: done}, {phase: P2}]}]}", ["T1", "T5"]),
    ],
)
def test_a_task_view_shows_the_tasks_its_filter_keeps(site: Site, body: str, expected: list[str]) -> None:
    _site(site, "# Team\n\n" + _block(body))
    built = site.build()
    assert built.ok, built.log
    assert _tasks(built.page("team/index.html")) == [expected]


def test_columns_come_in_the_order_written(site: Site) -> None:
    _site(site, "# Team\n\n" + _block("view: tasks\nfilter: {owner: bob}\ncolumns: [owner, id, gates, due]"))
    built = site.build()
    assert built.ok, built.log
    page = built.page("team/index.html")
    table = page[page.index("plans-view-tasks") : page.index("</table>")]
    assert re.findall(r"<th[^>]*>([^<]*)</th>", table) == ["Owner", "ID", "Waits on", "Due"]
    assert 'href="../gates/#G02"' in table or "G02" in table  # the gate that holds the task


def test_summary_graph_and_gates_of_one_plan(site: Site) -> None:
    page = "# Overview\n\n" + "\n".join(
        _block(b)
        for b in (
            "view: summary\nplan: demo",
            "view: summary\nadr: 2",
            "view: graph\nplan: demo",
            "view: gates\nplan: demo",
        )
    )
    _site(site, page)
    built = site.build()
    assert built.ok, built.log
    page = built.page("team/index.html")
    assert page.count('class="plans-card plans-summary"') == 2  # the plan's and the ADR's
    assert "Use NATS" in page and "plans-badge plans-adr plans-adr-proposed" in page
    assert page.count('class="mermaid"') >= 2  # the plan's task graph and its gate graph
    assert "T3 Publisher" in page  # a node of the task graph


@pytest.mark.parametrize(
    ("body", "line", "code", "message"),
    [
        ("view: tasks\nfilter: {assignee: alice}", 3, "PLN100", "a task filter compares plan, phase, owner"),
        ("view: tasks\nfilter: [oops", 5, "PLN100", "the block is not valid YAML"),
        ("view: kanban", 3, "PLN100", "'view: kanban' is not a view; write one of gates, plans"),
        ("view: tasks\ncolumns: [id, colour]", 3, "PLN100", "'columns' names colour; the columns are id"),
        ("view: gates\nfilter: {owner: bob}", 3, "PLN100", "'view: gates' takes plan, not filter"),
        ("view: tasks\nfilter: {status: finished}", 3, "PLN100", "'status: finished' is not one of todo"),
        ("view: summary", 3, "PLN100", "'view: summary' names one plan"),
        ("just text", 3, "PLN100", "the block must be a mapping with 'view:'"),
        ("view: graph\nplan: checkout", 3, "PLN101", "no plan has the id 'checkout'; the site has demo"),
        ("view: summary\nadr: ADR-0042", 3, "PLN101", "no ADR has the id 'ADR-0042'; the site has ADR-0001"),
    ],
)
def test_a_wrong_block_is_a_diagnostic_at_its_line(site: Site, body: str, line: int, code: str, message: str) -> None:
    _site(site, "# Team\n\n" + _block(body))
    built = site.build(strict=False)
    assert built.ok, built.log
    logged = f"docs/team.md:{line}:1: {code} error: {message}"
    assert logged in built.log, built.log
    page = built.page("team/index.html")
    assert f"{code} error at line {line}" in page and "plans-view-error" in page
    checked = site.check()
    assert checked.code == 1 and logged in checked.out, checked.out
    assert not site.build().ok  # a strict build fails


def test_a_block_whose_code_is_off_stays_code(site: Site) -> None:
    _site(site, "# Team\n\n" + _block("view: kanban"), severity="PLN100: off")
    built = site.build()
    assert built.ok, built.log
    assert "<pre><code>view: kanban</code></pre>" in html.unescape(built.page("team/index.html"))
    assert site.check().code == 0


def test_without_the_extension_a_block_is_a_readable_code_block() -> None:
    shown = markdown.markdown(_block("view: tasks\nfilter: {owner: alice}"), extensions=["fenced_code"])
    assert shown.startswith('<pre><code class="language-plans">view: tasks')
    assert "filter: {owner: alice}" in shown


def test_a_generated_page_written_by_the_author_with_its_view_is_kept(site: Site) -> None:
    _site(site, "# Team\n")
    site.write("gates.md", "# Our gates\n\nDecided at the weekly review.\n\n" + _block("view: gates"))
    built = site.build()
    assert built.ok, built.log
    gates = built.page("gates/index.html")
    assert "Decided at the weekly review." in gates and '<span id="G01"' in gates
    # Without a view block the page is in the generated page's way: the build says so.
    site.write("gates.md", "# Our gates\n")
    assert "already exists in the docs folder" in site.build().log


def test_the_owners_view_sorts_any_name(site: Site) -> None:
    """`²` is a digit to Python's `isdigit` but no number: an owner so named is listed."""
    _site(site, "# Owners\n\n" + _block("view: owners"))
    site.replace("plans/demo.md", "owner: bob", "owner: '²'")
    built = site.build()
    assert built.ok, built.log
    page = built.page("team/index.html")
    assert "²" in html.unescape(page) and "alice" in page
