"""Navigation that scales: past `nav_plans_limit` plans and ADRs, the sidebar lists the
generated indexes instead; every plan stays reachable, and its page shows where it sits."""

from __future__ import annotations

import json
import re

import pytest

from conftest import Build, Site

GENERATED = {
    "Plans": "plan-index/",
    "Gates Index": "gates/",
    "Decision log": "decision-log/",
    "Owners": "owners/",
    "Problems": "problems/",
    "Timeline": "timeline/",
}


def write_site(
    site: Site, plans: int = 5, adrs: int = 2, options: dict[str, object] | None = None, nav: str = ""
) -> None:
    plugin = "  - plans\n"
    if options:
        plugin = "  - plans:\n" + "".join(f"      {key}: {value}\n" for key, value in options.items())
    config = (
        "site_name: Navigation\nsite_url: https://plans.example.com/\ntheme:\n  name: material\nplugins:\n  - search\n"
        + plugin
        + nav
    )
    (site.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    site.write("index.md", "# Home\n\nThe plans of the team.\n")
    site.write("guide/writing.md", "# Writing plans\n\nHow we write them.\n")
    for n in range(1, plans + 1):
        site.write(
            f"plans/plan-{n}.md",
            f"""\
            ---
            kind: plan
            id: plan-{n}
            title: Plan number {n}
            status: draft
            ---
            # Plan number {n}

            Prose of plan {n}.
            """,
        )
    for n in range(1, adrs + 1):
        site.write(
            f"decisions/{n:04d}-decision-{n}.md", f"---\nstatus: accepted\ndate: 2026-01-0{n}\n---\n# Decision {n}\n"
        )


def sidebar(page: str) -> list[tuple[str, str]]:
    """The primary sidebar's links of a built page: (text, href), in order."""
    nav = page[page.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index('<div class="md-sidebar md-sidebar--secondary"')]
    links = re.findall(
        r'<a href="([^"]*)" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.S
    )
    return [(re.sub(r"<[^>]+>", "", text).strip(), href) for href, text in links]


def crumbs(page: str) -> list[tuple[str, str]]:
    found = re.search(r'<nav class="plans-crumbs" aria-label="Breadcrumb"><ol>(.*?)</ol></nav>', page)
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', found.group(1)) if found else []


def build(site: Site) -> Build:
    result = site.build(strict=True)
    assert result.ok, result.log
    return result


def test_past_the_limit_the_sidebar_lists_the_indexes_not_the_plans(site: Site) -> None:
    write_site(site, plans=5, adrs=2, options={"nav_plans_limit": 6})
    built = build(site)
    assert "not included in the" not in built.log
    for page in ("index.html", "guide/writing/index.html", "plans/plan-3/index.html", "plan-index/index.html"):
        links = dict(sidebar(built.page(page)))
        assert not any("Plan number" in text or text.startswith("ADR-") for text in links), page
        for title in GENERATED:
            assert title in links, (page, title)
        assert "Writing plans" in links and "Home" in links
    # Every plan and ADR is built, listed by its index, searchable and in the sitemap.
    index = built.page("plan-index/index.html")
    log = built.page("decision-log/index.html")
    search = json.loads(built.page("search/search_index.json"))
    located = {doc["location"] for doc in search["docs"]}
    sitemap = built.page("sitemap.xml")
    for n in range(1, 6):
        assert (built.site / f"plans/plan-{n}/index.html").is_file()
        assert f'href="../plans/plan-{n}/"' in index
        assert f"plans/plan-{n}/" in located
        assert f"plans/plan-{n}/</loc>" in sitemap
    for n in (1, 2):
        assert f'href="../decisions/{n:04d}-decision-{n}/"' in log


def test_a_page_left_out_shows_where_it_sits(site: Site) -> None:
    write_site(site, plans=5, adrs=2, options={"nav_plans": "index"})
    built = build(site)
    plan = built.page("plans/plan-2/index.html")
    assert crumbs(plan) == [("../..", "Home"), ("../../plan-index/", "Plans")]
    adr = built.page("decisions/0001-decision-1/index.html")
    assert crumbs(adr) == [("../..", "Home"), ("../../decision-log/", "Decision log")]
    # The breadcrumb stands above the title, and the index is the sidebar's current entry.
    content = plan[plan.index('<article class="md-content__inner') :]
    assert content.index('class="plans-crumbs"') < content.index("<h1")
    current = re.search(r'<li class="md-nav__item md-nav__item--active">\s*<a href="([^"]*)"', plan)
    assert current and current.group(1) == "../../plan-index/"
    # Only the page being rendered was marked: the guide's sidebar has no current index.
    guide = built.page("guide/writing/index.html")
    assert not re.search(r'md-nav__item--active">\s*<a href="../../plan-index/"', guide)
    assert crumbs(guide) == []


@pytest.mark.parametrize(
    ("options", "listed"),
    [
        ({"nav_plans_limit": 7}, True),  # 5 plans and 2 ADRs: not past the limit
        ({"nav_plans": "all", "nav_plans_limit": 1}, True),
        ({"nav_plans": "index", "nav_plans_limit": 100}, False),
        ({}, True),  # auto, past 100 only
    ],
)
def test_the_option_decides(site: Site, options: dict[str, object], listed: bool) -> None:
    write_site(site, plans=5, adrs=2, options=options)
    built = build(site)
    links = dict(sidebar(built.page("guide/writing/index.html")))
    assert ("Plan number 4" in links) is listed
    assert ("ADR-0002: Decision 2" in links) is listed
    assert (crumbs(built.page("plans/plan-4/index.html")) != []) is not listed


def test_a_nav_written_in_mkdocs_yml_is_left_as_written(site: Site) -> None:
    nav = "nav:\n  - index.md\n  - Plans: plan-index.md\n  - plans/plan-1.md\nnot_in_nav: |\n  /plans/\n  /decisions/\n  /guide/\n"
    write_site(site, plans=5, adrs=2, options={"nav_plans": "index"}, nav=nav)
    built = build(site)
    links = dict(sidebar(built.page("index.html")))
    assert "Plan number 1" in links and "Plans" in links and "Gates Index" not in links
    assert crumbs(built.page("plans/plan-1/index.html")) == []
    # A plan the written nav leaves out still shows the way back.
    assert crumbs(built.page("plans/plan-2/index.html"))[-1] == ("../../plan-index/", "Plans")
