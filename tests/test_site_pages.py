"""What readers of the published site see: summaries, indexes, cross-references, export."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from conftest import REPO, Build, Site
from sample import write_sample


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    site = Site(tmp_path_factory.mktemp("sample") / "project")
    write_sample(site)
    result = site.build(strict=False)
    assert result.ok, result.log
    return result


def article(html: str) -> str:
    """A page's content, with characters beyond ASCII (which summaries and generated pages
    write as references: `&#8594;`) as the reader sees them."""
    content = html[html.index('<article class="md-content__inner') : html.index("</article>")]
    return re.sub(r"&#(\d+);", lambda m: chr(int(m[1])) if int(m[1]) > 127 else m[0], content)


def test_gates_index_lists_gates_in_order_with_state_adr_plan_and_waiting_phases(built: Build) -> None:
    page = article(built.page("gates/index.html"))
    rows = re.findall(r'<tr>\s*<td[^>]*><span id="(G\d+)">', page)
    assert rows == ["G01", "G02", "G03", "G04"]
    g04 = page[page.index('id="G04"') :].split("</tr>")[0]
    # G04 is tied to ADR-0004 (written `adr: 4`), superseded by the accepted ADR-0005.
    assert "plans-gate-passed" in g04
    assert "ADR-0004 is superseded" not in g04 and "via ADR-0004 → ADR-0005" in g04
    g03 = page[page.index('id="G03"') :].split("</tr>")[0]
    assert "plans-gate-open" in g03 and "ADR-0003 is proposed" in g03
    assert "../plans/scheduler/#phase-P3" in g03
    assert '<pre class="mermaid">' in page


def _block(page: str, anchor: str) -> str:
    """One block of a plan's card, from its id to the end of its list."""
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</div>", start)]


def test_plan_page_summary(built: Build) -> None:
    page = article(built.page("plans/scheduler/index.html"))
    assert "plans-plan-in-progress" in page
    assert "<strong>Progress:</strong> 1 of 5 tasks done (20%)" in page
    # The card, then the author's prose, then the detail.
    card, prose, detail = (page.index(s) for s in ('class="plans-card', "The broker is chosen", 'class="plans-detail'))
    assert card < prose < detail
    # Ready now: P3.1 waits on P2.1; P2.1 waits on P1.2 (in progress); nothing todo is free.
    started, ready = _block(page, "in-progress"), _block(page, "ready-to-start")
    assert "<strong>In progress</strong> (1)" in started
    assert '<li><span class="plans-nowrap"><a href="#task-P1.2" title="Port interfaces">P1.2</a></span> ' in started
    assert "Nothing is ready: every open task waits on a dependency, a phase or a gate." in ready
    # P3 waits on G03 (ADR-0003, proposed): its task is blocked, and the card says by what.
    blocked = re.sub(r"<[^>]+>", "", _block(page, "blocked"))
    assert "Blocked (1)" in blocked and "P3.1 (phase P3) wait on G03" in blocked
    gates = re.sub(r"<[^>]+>", "", _block(page, "open-gates"))
    assert "G03 Timer open: ADR-0003 proposed, no deciders named" in gates
    row = page[page.index('id="task-P3.1"') :].split("</tr>")[0]
    assert 'waits on <a href="../../gates/#G03"' in row
    path = re.sub(r"<[^>]+>", "", page[page.index("<strong>Critical path</strong>") :].split("</p>")[0])
    assert path == "Critical path (unfinished work, 8.5d): P1.2 → P2.1 → P3.1"
    # One graph per phase: the critical path's tasks and the edges between them in red.
    p1 = page[page.index('id="phase-P1"') : page.index('id="phase-P2"')]
    assert "class t0 done" in p1 and "class t1 critical" in p1
    p2 = page[page.index('id="phase-P2"') : page.index('id="phase-P3"')]
    assert "x0 --&gt; t0" in p2 and "linkStyle 0 stroke:#c62828" in p2  # P1.2 -> P2.1
    # The cross-plan dependency links to the ledger's task anchor.
    assert '<a href="../ledger/#task-L1.1">ledger/L1.1</a>' in page
    # Risk matrix: R1 at medium likelihood / high impact.
    matrix = page[page.index("Likelihood \\ Impact") :]
    assert re.search(r"<td><strong>medium</strong></td>\s*<td>\s*</td>\s*<td>\s*</td>\s*<td>R1</td>", matrix)
    assert "Revert migration 003" in page
    assert '<a href="../ledger/">Billing Ledger</a>' in page  # referenced by


def test_ready_tasks_are_listed(built: Build) -> None:
    page = article(built.page("plans/ledger/index.html"))
    ready = page[page.index('id="ready-to-start"') :]
    assert '<a href="#task-L1.1" title="Posting API">L1.1</a></span> Posting API (erin, 2d)' in ready


def test_adr_page_shows_lifecycle_gates_and_backlinks(built: Build) -> None:
    old = article(built.page("decisions/0004-database/index.html"))
    assert "This decision is superseded by ADR-0005." in old
    assert '<a href="../0005-postgres/" title="Use PostgreSQL">ADR-0005</a>' in old
    assert "G04" in old and "plans-gate-passed" in old
    new = article(built.page("decisions/0005-postgres/index.html"))
    assert "<strong>Supersedes:</strong>" in new and "ADR-0004" in new


def test_decision_log_and_plans_index(built: Build) -> None:
    log = article(built.page("decision-log/index.html"))
    assert log.count("<tr>") == 6
    row = log[log.index("ADR-0004") :].split("</tr>")[0]
    assert "plans-adr-superseded" in row and '<a href="../decisions/0005-postgres/"' in row
    index = article(built.page("plan-index/index.html"))
    assert "Service Call Scheduler" in index and "Billing Ledger" in index
    assert "2026-11-02" in index


def test_prose_cross_references(built: Build) -> None:
    page = article(built.page("plans/scheduler/index.html"))
    assert (
        '<a class="plans-xref" href="../../decisions/0002-broker/" title="ADR-0002: Choose the broker">ADR-0002</a>'
        in page
    )
    assert '<a class="plans-xref" href="../../gates/#G03"' in page
    stale = page[page.index('class="plans-xref-stale"') :][:400]
    assert "ADR-0004" in stale and "(superseded by" in stale and "ADR-0005" in stale
    assert "<code>[ADR-0099]</code>" in page
    ledger = article(built.page("plans/ledger/index.html"))
    assert 'href="../scheduler/#task-P2.2"' in ledger
    assert "PLN016 warning: [ADR-0004] cites ADR-0004, which is superseded by ADR-0005" in built.log


def test_unknown_cross_reference_is_an_error_with_its_position(site: Site) -> None:
    write_sample(site)
    site.write("notes.md", "# Notes\n\nAs [ADR-0042] says, and [G77], not [note] nor [x].\n\n    [G78] is code\n")
    checked = site.check()
    assert checked.code == 1
    assert "docs/notes.md:3:4: PLN015 error: cross-reference [ADR-0042] matches no ADR" in checked.out
    assert "docs/notes.md:3:25: PLN015 error: cross-reference [G77] matches no gate" in checked.out
    assert "G78" not in checked.out and "[note]" not in checked.out


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) and tag in ("a", "link", "script", "img"):
                self.hrefs.append(values[name] or "")


def test_every_internal_link_resolves(built: Build) -> None:
    # 404.html uses absolute URLs (no site_url is set); every other page must link relatively.
    pages = {p: _parse(p) for p in built.site.rglob("*.html") if p.name != "404.html" or p.parent != built.site}
    broken = []
    for page, links in pages.items():
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built.site)} -> {href}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target].ids:
                broken.append(f"{page.relative_to(built.site)} -> {href} (no anchor)")
    assert not broken, broken[:10]


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_export_matches_its_schema_and_the_model(built: Build) -> None:
    data = json.loads(built.page("plans.json"))
    schema = json.loads((REPO / "schemas" / "export.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(data)
    assert [g["id"] for g in data["gates"]] == ["G01", "G02", "G03", "G04"]
    scheduler = next(p for p in data["plans"] if p["id"] == "scheduler")
    assert scheduler["critical_path"] == ["scheduler/P1.2", "scheduler/P2.1", "scheduler/P3.1"]
    assert scheduler["phases"][1]["tasks"][1]["depends_on"] == ["ledger/L1.1"]
    assert any(d["code"] == "PLN016" for d in data["diagnostics"])


def test_mermaid_is_served_locally(built: Build) -> None:
    page = built.page("gates/index.html")
    # At the end of the content, before mkdocs-material's own scripts look for a global `mermaid`;
    # then plans.js, which keeps the diagrams legible as mkdocs-material renders them.
    script = page.index('<script src="../assets/plancompiler/mermaid.min.js"></script>')
    ours = page.index('<script src="../assets/plancompiler/plans.js"></script>')
    assert page.rindex('<pre class="mermaid">') < script < ours < page.index("</article>") < page.index("bundle.")
    assert (built.site / "assets" / "plancompiler" / "mermaid.min.js").stat().st_size > 1_000_000
    assert "mermaid.min.js" not in built.page("index.html")  # no diagram, no script


def test_two_builds_are_byte_identical(make_site) -> None:
    outputs = []
    for name in ("one", "two"):
        site = make_site(name)
        write_sample(site)
        built = site.build(strict=False)
        assert built.ok
        outputs.append(
            {
                rel: (built.site / rel).read_bytes()
                for rel in (
                    "plans.json",
                    "gates/index.html",
                    "plan-index/index.html",
                    "decision-log/index.html",
                    "plans/scheduler/index.html",
                    "decisions/0004-database/index.html",
                )
            }
        )
    assert outputs[0] == outputs[1]


def test_summary_at_a_marker_or_nowhere(site: Site) -> None:
    write_sample(site)
    site.replace(
        "plans/ledger.md",
        "# Billing Ledger\n",
        "# Billing Ledger\n\nIntro first.\n\n<!-- plans:summary -->\n\nAfter.\n",
    )
    built = site.build(strict=False)
    page = article(built.page("plans/ledger/index.html"))
    # The card stays on top; the marker places the detail.
    assert page.index("plans-card") < page.index("Intro first.") < page.index("plans-detail") < page.index("After.")
    site.config("site_name: Test site\ntheme: material\nplugins:\n  - plans:\n      summary: marker\n")
    built = site.build(strict=False)
    page = article(built.page("plans/ledger/index.html"))
    assert page.index("Intro first.") < page.index("plans-card") < page.index("plans-detail") < page.index("After.")
    assert "plans-card" not in article(built.page("plans/scheduler/index.html"))
    site.config("""\
        site_name: Test site
        theme: material
        plugins:
          - plans:
              summary: off
              mermaid: off
        """)
    # A bare `off` is YAML 1.1's False; the options take it as the word users meant.
    built = site.build(strict=True)
    assert built.ok, built.log
    assert "plans-summary" not in built.page("plans/scheduler/index.html")
    assert "mermaid.min.js" not in built.page("gates/index.html")


def test_links_into_summaries_pass_mkdocs_anchor_validation(site: Site) -> None:
    write_sample(site)
    site.config("site_name: t\ntheme: material\nvalidation:\n  anchors: warn\nplugins:\n  - plans\n")
    built = site.build(strict=True)
    assert built.ok, built.log
    assert "anchor" not in built.log


def test_links_into_generated_pages_pass_anchor_validation(site: Site) -> None:
    # The generated pages' tables are put in after Markdown; their anchors still count.
    write_sample(site)
    site.write("notes.md", "# Notes\n\nSee [the gate](gates.md#G03) and [the log](decision-log.md).\n")
    site.config("site_name: t\ntheme: material\nvalidation:\n  anchors: warn\nplugins:\n  - plans\n")
    built = site.build(strict=True)
    assert built.ok, built.log
    assert "anchor" not in built.log
    site.write("notes.md", "# Notes\n\nSee [no such gate](gates.md#G99).\n")
    built = site.build(strict=True)
    assert not built.ok
    assert "does not contain an anchor '#G99'" in built.log


def test_generated_pages_link_where_pages_end_up(site: Site) -> None:
    # A plugin after this one moves a page (as mkdocs-material's blog plugin moves posts):
    # the generated pages link to where it went, as Markdown links resolved by MkDocs would.
    write_sample(site)
    (site.root / "moves.py").write_text(
        "from mkdocs.plugins import event_priority\n\n\n"
        "@event_priority(-100)\n"
        "def on_files(files, config):\n"
        "    ledger = files.get_file_from_path('plans/ledger.md')\n"
        "    ledger.url, ledger.dest_uri = 'moved/ledger/', 'moved/ledger/index.html'\n"
        "    return files\n"
    )
    site.config("site_name: t\ntheme: material\nhooks:\n  - moves.py\nplugins:\n  - plans\n")
    built = site.build(strict=True)
    assert built.ok, built.log
    index = article(built.page("plan-index/index.html"))
    assert '<a href="../moved/ledger/">Billing Ledger</a>' in index
    assert (built.site / "moved" / "ledger" / "index.html").is_file()


def test_text_beyond_ascii_reads_as_written(site: Site) -> None:
    # Summaries and generated pages write such characters as references (keeping pages of
    # ASCII prose one byte a character); readers and the search index see the characters.
    write_sample(site)
    site.replace("plans/ledger.md", "title: Billing Ledger", "title: Grand livre — Übergang 東京")
    site.config("site_name: t\ntheme: material\nplugins:\n  - search\n  - plans\n")
    built = site.build(strict=True)
    assert built.ok, built.log
    for page in ("plan-index/index.html", "plans/scheduler/index.html"):
        raw = built.page(page)
        summary = raw[raw.index('<article class="md-content__inner') : raw.index("</article>")]
        assert "Grand livre &#8212; &#220;bergang &#26481;&#20140;" in summary, page
        assert "Grand livre — Übergang 東京" in html.unescape(summary), page
    index = json.loads((built.site / "search" / "search_index.json").read_text())
    found = [e["location"] for e in index["docs"] if "Grand livre — Übergang 東京" in e["text"]]
    assert "plan-index/" in found and "plans/scheduler/" in found


def test_search_finds_summary_words_and_pages_keep_the_whole_summary(site: Site) -> None:
    write_sample(site)
    site.config("site_name: t\ntheme: material\nplugins:\n  - search\n  - plans\n")
    built = site.build(strict=True)
    assert built.ok, built.log
    index = json.loads((built.site / "search" / "search_index.json").read_text())
    entries = [e for e in index["docs"] if e["location"].startswith("plans/scheduler/")]
    text = " ".join(e["title"] + " " + e["text"] for e in entries)
    # The summary's words and sections are found, opening at the summary's own anchors.
    assert "Aggregate model" in text and "carol" in text and "G03" in text
    assert any(e["location"] == "plans/scheduler/#phase-P2" for e in entries)
    # Mermaid's source is markup, not text to find.
    assert "flowchart" not in text and "classDef" not in text
    page = built.page("plans/scheduler/index.html")
    assert '<pre class="mermaid">' in page and '<span id="task-P2.1"></span>' in page
    # A generated page is found by the words of its table, without its graph's source.
    gates = [e for e in index["docs"] if e["location"].startswith("gates/")]
    text = " ".join(e["title"] + " " + e["text"] for e in gates)
    assert "Gates Index" in text and "G03" in text and "ADR-0003 is proposed" in text
    assert "flowchart" not in text
    assert '<pre class="mermaid">' in built.page("gates/index.html")


def test_owners_page_lists_each_persons_work_and_what_blocks_it(built: Build) -> None:
    page = article(built.page("owners/index.html"))

    def person(name: str) -> str:
        start = page.index(f'<h2 id="owner-{name}">')
        end = page.find("<h2", start + 1)
        return re.sub(r"<[^>]+>", "", page[start : end if end > 0 else None])

    # P3.1 (dave) waits on G03, whose ADR-0003 is proposed and names no deciders.
    assert "Blocked (1)" in person("dave") and "P3.1 Durable timer (4h) in Service Call Scheduler" in person("dave")
    assert "G03 Timer open: ADR-0003 proposed, no deciders named" in person("dave")
    assert "In progress (1)" in person("bob") and "P1.2 Port interfaces (3d)" in person("bob")
    assert "Ready to start (1)" in person("erin") and "L1.1 Posting API (2d) in Billing Ledger" in person("erin")


def test_adr_titles_carry_their_number_in_the_page_and_the_navigation(built: Build) -> None:
    page = built.page("decisions/0002-broker/index.html")
    assert re.search(r"<h1[^>]*>ADR-0002: Choose the broker", page)
    assert "ADR-0002: Choose the broker" in page[: page.index('<article class="md-content__inner')]  # navigation


def test_a_page_shows_its_own_problems_and_the_problems_page_lists_all(site: Site) -> None:
    write_sample(site)
    site.write(
        "plans/tabbed.md",
        "---\nkind: plan\nid: tabbed\ntitle: Tabbed\nstatus: draft\nphases:\n\t- id: P1\n---\n# Tabbed\n",
        dedent=False,
    )
    built = site.build(strict=False)
    assert built.ok, built.log
    page = article(built.page("plans/tabbed/index.html"))
    box = page[page.index('class="admonition failure plans-problems"') :].split("</div>")[0]
    assert "line 7:1</span> <code>PLN002</code>" in box and "a tab character" in box and "How to fix PLN002" in box
    assert '<a href="../../problems/#problems-docs_plans_tabbed.md">' in box
    listed = article(built.page("problems/index.html"))
    assert 'id="problems-docs_plans_tabbed.md"' in listed and "PLN016" in listed  # the sample's stale citation
    assert "plans-problems" not in article(built.page("plans/ledger/index.html"))
    # A strict build fails as it always did.
    assert not site.build(strict=True).ok


def test_references_that_name_nothing_are_shown_as_written_not_linked(site: Site) -> None:
    site.write(
        "plans/loose.md",
        """\
        ---
        kind: plan
        id: loose
        title: Loose ends
        status: draft
        phases:
          - id: P1
            title: First
            tasks:
              - {id: T1, title: Start}
          - id: P2
            title: Second
            gates: [G99]
            depends_on: [P1, P9]
            tasks:
              - {id: T2, title: Finish, depends_on: [T1, T9]}
        ---
        # Loose ends
        """,
    )
    built = site.build(strict=False)
    assert "PLN012" in built.log and "PLN011" in built.log and "PLN013" in built.log
    page = article(built.page("plans/loose/index.html"))
    p2 = page[page.index('id="phase-P2"') :]
    assert '<strong>Depends on phases:</strong> <a href="#phase-P1">P1</a>, P9</p>' in p2
    assert "#phase-P9" not in page
    assert "G99 " in p2 and "plans-gate-unknown" in p2
    assert '<a href="#task-T1">T1</a></span>, T9</td>' in p2 and "#task-T9" not in page
