"""Decision records compile unedited in every common style: adr-tools (Nygard), MADR 2, MADR 4,
log4brains, and Tendermint-style `adr-NNN-*.md` files under `architecture/`.

Each folder of `adr_styles/` is a team's records as they write them. With default options
`plans check` passes, a strict build passes, the decision log lists every record once with
its status and date as the record says, relations show on both records, and every status
the compiler does not understand is a warning at its line.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, Build, Site
from plancompiler.compiler import Compiler, Source
from test_broken_inputs import diagnostics
from test_site_pages import article

STYLES_DIR = Path(__file__).resolve().parent / "adr_styles"
INVERSE = {"supersedes": "superseded-by", "superseded-by": "supersedes", "amends": "amended-by", "amended-by": "amends"}


@dataclass(frozen=True)
class Style:
    """A fixture folder, what `plans check` must say about it, and its decision log."""

    name: str
    log: tuple[tuple[str, ...], ...]
    """Rows of the decision log: ADR, title, status, date, relations, referenced by (ids)."""
    diagnostics: tuple[str, ...] = ()
    exclude: str = ""
    """`exclude_docs` of the site: a template whose example links MkDocs itself would report."""


STYLES = (
    Style(
        "adr-tools",
        (
            ("ADR-0001", "Record architecture decisions", "accepted", "13/02/2019", "—", "—"),
            ("ADR-0002", "Store orders in PostgreSQL", "accepted", "2019-02-20", "Amended by ADR-0004", "ADR-0004"),
            (
                "ADR-0003",
                "Publish order events through RabbitMQ",
                "superseded",
                "2019-03-11",
                "Superseded by ADR-0005",
                "ADR-0005",
            ),
            (
                "ADR-0004",
                "Partition the orders table by month",
                "accepted",
                "2020-01-08",
                "Amends ADR-0002",
                "—",
            ),
            (
                "ADR-0005",
                "Publish order events through Kafka",
                "accepted; tracked in #1484",
                "2020-06-02",
                "Supersedes ADR-0003; Linked as “Relates to” from ADR-0006",
                "ADR-0006",
            ),
            (
                "ADR-0006",
                "Retry failed payments with backoff",
                "proposed; “Pending”",
                "2020-09-14",
                "Relates to ADR-0005",
                "—",
            ),
            ("ADR-0007", "Cache product prices at the edge", "accepted; “Implemented”", "2020-11-30", "—", "—"),
            ("ADR-0008", "Adopt GraphQL for the storefront", "rejected; “Declined”", "2021-02-17", "—", "—"),
            ("ADR-0009", "Split the monolith by bounded context", "Partially accepted", "2021-05-04", "—", "—"),
            ("ADR-0010", "Keep audit logs for seven years", "deprecated; no superseding ADR", "2021-08-23", "—", "—"),
            ("ADR-0011", "Release behind feature flags", "Reverted", "2022-01-12", "—", "—"),
        ),
        (
            "docs/adr/0001-record-architecture-decisions.md:3:7: PLN066 warning",
            "docs/adr/0009-split-the-monolith-by-bounded-context.md:7:1: PLN065 warning",
            "docs/adr/0011-release-behind-feature-flags.md:7:1: PLN065 warning",
        ),
    ),
    Style(
        "madr2",
        (
            ("ADR-0000", "Use Markdown Architectural Decision Records", "accepted", "2018-04-09", "—", "—"),
            ("ADR-0001", "Serve the API with Flask", "superseded", "2018-04-23", "Superseded by ADR-0003", "ADR-0003"),
            (
                "ADR-0002",
                "Keep bookings in one PostgreSQL schema",
                "accepted",
                "2018-06-12",
                "Refined by ADR-0004",
                "—",
            ),
            ("ADR-0003", "Serve the API with FastAPI", "accepted", "2020-02-03", "Supersedes ADR-0001", "—"),
            (
                "ADR-0004",
                "Archive bookings older than two years",
                "proposed; “Draft”",
                "2021-09-27",
                "Refines ADR-0002",
                "—",
            ),
            ("ADR-0005", "Use feature toggles for risky releases", "proposed; “In review”", "2022-03-15", "—", "—"),
        ),
        exclude="adr/template.md",
    ),
    Style(
        "madr4",
        (
            (
                "ADR-0001",
                "Index documents with OpenSearch",
                "accepted",
                "2024-01-15",
                "Amended by ADR-0006",
                "ADR-0005",
            ),
            ("ADR-0002", "Rank results with BM25", "superseded", "2024-02-02", "Superseded by ADR-0004", "ADR-0004"),
            ("ADR-0003", "Store query logs for 90 days", "proposed", "2024-03-20", "—", "ADR-0004"),
            (
                "ADR-0004",
                "Rank results with a learned ranking model",
                "accepted",
                "2024-09-10",
                "Supersedes ADR-0002",
                "—",
            ),
            ("ADR-0005", "Drop the synonym service", "rejected", "2024-10-01", "—", "—"),
            ("ADR-0006", "Search as you type", "accepted", "2024-11-18", "Amends ADR-0001", "—"),
        ),
    ),
    Style(
        "log4brains",
        (
            (
                "20230306-use-log4brains-to-manage-the-adrs",
                "Use Log4brains to manage the ADRs",
                "accepted",
                "2023-03-06",
                "—",
                "—",
            ),
            (
                "20230306-use-markdown-architectural-decision-records",
                "Use Markdown Architectural Decision Records",
                "accepted",
                "2023-03-06",
                "—",
                "—",
            ),
            (
                "20230412-keep-sessions-in-redis",
                "Keep sessions in Redis",
                "superseded",
                "2023-04-12",
                "Superseded by Keep sessions in PostgreSQL",
                "20240118-keep-sessions-in-postgresql",
            ),
            (
                "20240118-keep-sessions-in-postgresql",
                "Keep sessions in PostgreSQL",
                "accepted",
                "2024-01-18",
                "Supersedes Keep sessions in Redis",
                "session-migration",
            ),
            (
                "20240118-trace-requests-with-opentelemetry",
                "Trace requests with OpenTelemetry",
                "proposed; “draft”",
                "2024-01-18",
                "—",
                "session-migration",
            ),
            (
                "20240502-move-search-to-a-managed-service",
                "Move search to a managed service",
                "rejected",
                "2024-05-02",
                "—",
                "—",
            ),
        ),
        exclude="adr/template.md",
    ),
    Style(
        "architecture",
        (
            ("ADR-0001", "Structured logging", "accepted", "2018-06-04", "—", "—"),
            (
                "ADR-0002",
                "Gossip votes with flooding",
                "superseded",
                "2018-07-02",
                "Superseded by ADR-0004",
                "ADR-0004",
            ),
            ("ADR-0003", "Bound the mempool by bytes", "accepted; PR #1484", "2019-02-20", "—", "ADR-0007"),
            (
                "ADR-0004",
                "Gossip votes by peer state",
                "accepted; “Implemented”",
                "2019-05-02",
                "Supersedes ADR-0002",
                "—",
            ),
            ("ADR-0005", "Versioned snapshot format", "accepted; Tracking issue: #2803", "2020-02-10", "—", "—"),
            (
                "ADR-0006",
                "Prune blocks below a retain height",
                "accepted; see #3297",
                "2020-08-12",
                "Amended by ADR-0008",
                "—",
            ),
            ("ADR-0007", "Priority lanes in the mempool", "proposed; “In review”", "2021-04-19", "—", "—"),
            ("ADR-0008", "Keep block results for the indexer", "accepted", "2020-08-12", "Amends ADR-0006", "—"),
            ("ADR-0009", "Drop the legacy RPC", "deprecated; no superseding ADR", "2021-11-03", "—", "—"),
        ),
    ),
)


class _Table(HTMLParser):
    """The rows of a page's first table as text; a line break in a cell reads `; `."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append("; ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.done = True

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def decision_log(built: Build) -> list[tuple[str, ...]]:
    """The decision log's rows as the reader sees their text."""
    table = _Table()
    table.feed(built.page("decision-log/index.html"))
    return [tuple(row) for row in table.rows if row]


def style_site(site: Site, style: Style) -> Site:
    """A MkDocs project holding the fixture folder as it is, and a home page."""
    shutil.copytree(STYLES_DIR / style.name, site.docs, dirs_exist_ok=True)
    site.write("index.md", "# Decisions\n\nSee the [decision log](decision-log.md).\n")
    exclude = f"exclude_docs: {style.exclude}\n" if style.exclude else ""
    site.config(f"site_name: {style.name}\ntheme:\n  name: material\n{exclude}plugins:\n  - plans\n")
    return site


def page_of(built: Build, rel: str) -> str:
    """The content of the page built from `rel`, as the reader sees its characters."""
    return article(built.page(rel.removesuffix(".md") + "/index.html"))


@pytest.mark.parametrize("style", STYLES, ids=[s.name for s in STYLES])
def test_records_compile_unedited_and_the_log_says_what_they_say(site: Site, style: Style) -> None:
    style_site(site, style)
    checked = site.check()
    assert checked.code == 0, checked.out
    found = [re.sub(r"(PLN\d+ \w+):.*", r"\1", line) for line in diagnostics(checked.out)]
    assert found == list(style.diagnostics)

    built = site.build(strict=True)
    assert built.ok, built.log
    assert decision_log(built) == list(style.log)

    export = json.loads(built.page("plans.json"))
    schema = json.loads((REPO / "schemas" / "export.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(export)
    records = {adr["id"]: adr for adr in export["adrs"]}
    assert list(records) == [row[0] for row in style.log]
    for adr in records.values():
        page = page_of(built, adr["source"])
        for relation in adr["relations"]:
            other = records[relation["adr"]]
            # Shown on both records, whichever wrote it.
            seen_there = [r for r in other["relations"] if r["adr"] == adr["id"]]
            assert seen_there, (adr["id"], relation)
            if relation["type"] in INVERSE:
                assert [r["type"] for r in seen_there] == [INVERSE[relation["type"]]]
                assert relation["stated_here"] and seen_there[0]["stated_here"]
            link = Path(other["source"]).stem
            label = relation["label"] if relation["stated_here"] or relation["type"] != "other" else "Linked as"
            assert re.search(rf'class="plans-relation"><strong>{re.escape(label)}.*?href="[^"]*{link}/"', page), (
                adr["id"],
                relation,
            )
        if adr["status"] == "superseded":
            assert adr["superseded_by"] in records
            assert f"This decision is superseded by {adr['superseded_by']}." in page


def test_a_status_not_understood_is_shown_as_written_beside_its_warning(site: Site) -> None:
    style_site(site, STYLES[0])
    built = site.build(strict=True)
    assert built.ok
    assert (
        "docs/adr/0009-split-the-monolith-by-bounded-context.md:7:1: PLN065 warning: status 'Partially accepted' of"
        " ADR-0009 is not one of proposed, accepted, rejected, deprecated, superseded" in built.log
    )
    page = page_of(built, "adr/0009-split-the-monolith-by-bounded-context.md")
    assert ">Partially accepted</span> · (not a recognised status)" in page
    # The template beside the records is not one: no ADR-0000, and its placeholder is not reported.
    assert "ADR-0000" not in built.page("decision-log/index.html") and "PLN064" not in built.log
    assert (built.site / "adr" / "0000-TEMPLATE" / "index.html").is_file()
    # The alias is shown beside the state it stands for; the note after a word, too.
    kafka = page_of(built, "adr/0005-publish-order-events-through-kafka.md")
    assert "plans-adr-accepted" in kafka and "tracked in #1484" in kafka
    gated = page_of(built, "adr/0007-cache-product-prices-at-the-edge.md")
    assert "plans-adr-accepted" in gated and "“Implemented”" in gated


def test_link_text_holding_an_id_is_left_alone(site: Site) -> None:
    style_site(site, STYLES[4])
    site.write(
        "architecture/adr-010-x.md",
        "# ADR 010: X\n\n## Status\n\nProposed\n\nIdentified as [[ADR-0999]](adr-999-gone.md) and [[ADR-003]](adr-003-bound-the-mempool-by-bytes.md).\n",
    )
    checked = site.check()
    assert "PLN015" not in checked.out
    built = site.build(strict=False)
    page = page_of(built, "architecture/adr-010-x.md")
    assert '<a href="../adr-003-bound-the-mempool-by-bytes/">[ADR-003]</a>' in page
    assert not re.search(r"<a [^>]*>[^<]*<a ", page)
    # The link is a reference: ADR-0003 lists the new record.
    assert "ADR-0010" in page_of(built, "architecture/adr-003-bound-the-mempool-by-bytes.md")


NYGARD = "# {n}. {title}\n\nDate: 2024-05-{n:02d}\n\n## Status\n\n{status}\n\n## Context\n\n{context}\n"


def nygard(n: int, title: str, status: str, context: str = "Why we decided.") -> str:
    return NYGARD.format(n=n, title=title, status=status, context=context)


def test_a_relation_written_on_one_side_is_shown_on_both_and_warned(site: Site) -> None:
    site.write("adr/0004-use-cron.md", nygard(4, "Use cron", "Accepted\n\nSuperseded by 0015"))
    site.write("adr/0015-use-a-scheduler.md", nygard(15, "Use a scheduler", "Accepted"))
    site.write(
        "adr/0020-amend-the-scheduler.md",
        nygard(20, "Amend the scheduler", "Accepted\n\nAmends [15. Use a scheduler](0015-use-a-scheduler.md)"),
    )
    checked = site.check()
    assert checked.code == 0
    assert diagnostics(checked.out) == [
        "docs/adr/0004-use-cron.md:9:15: PLN061 warning: ADR-0004 is superseded by ADR-0015, but ADR-0015 (accepted)"
        " does not say it supersedes ADR-0004; add 'supersedes: [ADR-0004]' (or write 'Supersedes ADR-0004' under its"
        " status) there",
        "docs/adr/0020-amend-the-scheduler.md:9:8: PLN061 warning: ADR-0020 amends ADR-0015, but ADR-0015 (accepted)"
        " does not say it is amended by ADR-0020; add 'amended_by: [ADR-0020]' (or write 'Amended by ADR-0020' under"
        " its status) there",
    ]
    built = site.build(strict=True)
    assert built.ok
    silent = page_of(built, "adr/0015-use-a-scheduler.md")
    assert re.search(r"<strong>Supersedes:</strong> <span class=\"plans-nowrap\"><a href=\"../0004-use-cron/\"", silent)
    assert re.search(
        r"<strong>Amended by:</strong> <span class=\"plans-nowrap\"><a href=\"../0020-amend-the-scheduler/\"", silent
    )
    assert "This decision is superseded by ADR-0015." in page_of(built, "adr/0004-use-cron.md")
    # Written on both sides, nothing is reported.
    site.write(
        "adr/0015-use-a-scheduler.md",
        nygard(
            15,
            "Use a scheduler",
            "Accepted\n\nSupersedes [4. Use cron](0004-use-cron.md)\n\nAmended by [20. Amend](0020-amend-the-scheduler.md)",
        ),
    )
    assert diagnostics(site.check().out) == []


def test_a_relation_to_no_record_is_an_error_at_its_line(site: Site) -> None:
    site.write("adr/0004-use-cron.md", nygard(4, "Use cron", "Superseded by [9. Gone](0009-gone.md)"))
    site.write("adr/0005-use-at.md", nygard(5, "Use at", "Accepted\n\nAmends ADR-0042"))
    checked = site.check()
    assert checked.code == 1
    assert diagnostics(checked.out) == [
        "docs/adr/0004-use-cron.md:7:15: PLN014 error: ADR-0004 is superseded by 'adr/0009-gone.md', which is not a"
        " decision record of this site; correct the link or add that ADR",
        "docs/adr/0005-use-at.md:9:8: PLN014 error: ADR-0005 amends ADR-0042, which does not exist; correct the"
        " number or add that ADR",
    ]


def test_a_placeholder_left_in_the_status_section_is_reported(site: Site) -> None:
    site.write("adr/0003-cache.md", nygard(3, "Cache", "{Deprecated|Proposed|Accepted|Declined}"))
    site.write(
        "adr/0004-queue.md", "# Queue\n\n- Status: [draft | proposed | rejected | accepted]\n- Date: 2024-01-01\n"
    )
    checked = site.check()
    assert checked.code == 1
    assert [line.split(" error: ")[0] for line in diagnostics(checked.out)] == [
        "docs/adr/0003-cache.md:7:1: PLN064",
        "docs/adr/0004-queue.md:3:11: PLN064",
    ]
    assert "the status still holds the template placeholder '{Deprecated|Proposed|Accepted|Declined}'" in checked.out


def test_status_aliases_are_an_option_of_plugin_and_cli(site: Site) -> None:
    site.write("adr/0001-a.md", nygard(1, "A", "Shipped"))
    site.write("adr/0002-b.md", nygard(2, "B", "Draft"))
    site.write(
        "plans/p.md",
        "---\nkind: plan\nid: p\ntitle: P\nstatus: draft\ngates:\n  - {id: G01, title: A, adr: ADR-0001}\n---\n# P\n",
    )
    default = site.check()
    assert "0001-a.md:7:1: PLN065 warning: status 'Shipped'" in default.out and "0002-b.md" not in default.out
    site.config(
        "site_name: t\ntheme: material\nplugins:\n  - plans:\n      adr_status_aliases: {shipped: accepted, draft: 'off'}\n"
    )
    mapped = site.check()
    assert "0001-a.md" not in mapped.out
    assert "0002-b.md:7:1: PLN065 warning: status 'Draft'" in mapped.out
    built = site.build(strict=True)
    assert built.ok
    gates = article(built.page("gates/index.html"))
    assert "plans-gate-passed" in gates and "ADR-0001 is accepted" in gates
    site.config("site_name: t\ntheme: material\nplugins:\n  - plans:\n      adr_status_aliases: 'off'\n")
    assert "0002-b.md:7:1: PLN065" in site.check().out
    site.config("site_name: t\ntheme: material\nplugins:\n  - plans:\n      adr_status_aliases: {shipped: done}\n")
    refused = site.check()
    assert refused.code == 2 and "'adr_status_aliases' maps 'shipped' to 'done'" in refused.err
    built = site.build(strict=False)
    assert not built.ok and "'adr_status_aliases' maps 'shipped' to 'done'" in built.log + built.error


def test_numbered_records_outside_the_decision_folders_are_named_once(site: Site) -> None:
    for n in (1, 2, 3, 4):
        site.write(f"architecture/records/000{n}-r{n}.md", nygard(n, f"R{n}", "Accepted"))
    site.write("architecture/records/0005-notes.md", "# 5. Notes\n\nNo status, no date: a page.\n")
    site.write("blog/2024-01-01-launch.md", "# Launch\n\nWe launched.\n")
    checked = site.check()
    assert checked.code == 0
    assert diagnostics(checked.out) == [
        "docs/architecture/records/0001-r1.md:1:1: PLN067 info: 4 files look like decision records (0001-r1.md,"
        " 0002-r2.md, 0003-r3.md and 1 more) but 'records' is not one of the decision folders (decisions, adr, adrs);"
        " add 'records' to the plans plugin's adr_dirs option to read them as records"
    ]
    site.config("site_name: t\ntheme: material\nplugins:\n  - plans:\n      adr_dirs: [records]\n")
    checked = site.check()
    assert diagnostics(checked.out) == [] and "in 5 documents" in checked.out


def test_links_to_records_are_references(site: Site) -> None:
    site.write(
        "adr/0001-use-cron.md", nygard(1, "Use cron", "Superseded by [2. Use a scheduler](0002-use-a-scheduler.md)")
    )
    site.write(
        "adr/0002-use-a-scheduler.md",
        nygard(
            2,
            "Use a scheduler",
            "Accepted\n\nSupersedes [1. Use cron](0001-use-cron.md)",
            "[ADR-0001](0001-use-cron.md) missed runs.",
        ),
    )
    site.write("adr/0003-use-utc.md", nygard(3, "Use UTC", "Accepted"))
    site.write(
        "notes.md",
        "# Notes\n\nJobs run as [the cron decision](adr/0001-use-cron.md) says, in [UTC](adr/0003-use-utc.md).\n\n"
        "[Cron](adr/0001-use-cron.md) was replaced by [the scheduler](adr/0002-use-a-scheduler.md).\n\n"
        "- [1. Use cron](adr/0001-use-cron.md)\n",
    )
    checked = site.check()
    # A stale citation, once: not the successor recalling it, not the paragraph that tells the
    # story, not the listing whose text is the record's title, not the relation lines.
    assert diagnostics(checked.out) == [
        "docs/notes.md:3:13: PLN016 warning: [the cron decision](adr/0001-use-cron.md) cites ADR-0001, which is"
        " superseded by ADR-0002; cite the decision in force instead"
    ]
    built = site.build(strict=True)
    utc = page_of(built, "adr/0003-use-utc.md")
    assert "<strong>Referenced by:</strong>" in utc and ">Notes</a>" in utc
    cron = page_of(built, "adr/0001-use-cron.md")
    referenced = cron[cron.index("Referenced by:") :]
    assert 'href="../0002-use-a-scheduler/"' in referenced and ">Notes</a>" in referenced


@pytest.mark.parametrize(
    ("written", "state", "shown", "note"),
    [
        ("Accepted", "accepted", "Accepted", None),
        ("**Accepted**", "accepted", "Accepted", None),
        ("~~Proposed~~ Accepted", "accepted", "Accepted", None),
        ("Accepted (tracked in #1484)", "accepted", "Accepted", "tracked in #1484"),
        ("Accepted. Tracking issue: #2803", "accepted", "Accepted", "Tracking issue: #2803"),
        ("Accepted: see [#3297]", "accepted", "Accepted", "see #3297"),
        ("Accepted - shipped in 2.4", "accepted", "Accepted", "shipped in 2.4"),
        ("Accepted\n\nThe board agreed on 2024-05-02.", "accepted", "Accepted", "The board agreed on 2024-05-02."),
        ("Approved", "accepted", "Approved", None),
        ("Draft.", "proposed", "Draft", None),
        ("Deprecated (no superseding ADR)", "deprecated", "Deprecated", "no superseding ADR"),
        ("On hold (until Q3)", None, "On hold", "until Q3"),
        ("Partially accepted", None, "Partially accepted", None),
        ("superseded-in-part by [0014](0014-x.md)", None, "superseded-in-part by [0014](0014-x.md)", None),
    ],
)
def test_status_text_is_a_word_then_a_note(written: str, state: str | None, shown: str, note: str | None) -> None:
    result = Compiler().compile([Source("docs/adr/0007-x.md", "adr/0007-x.md", nygard(7, "X", written))])
    adr = result.project.adrs["ADR-0007"]
    assert (adr.status, adr.raw_status, adr.status_note) == (state, shown, note)
    warned = [d for d in result.diagnostics if d.code == "PLN065"]
    assert [(d.line, d.col) for d in warned] == ([] if state else [(7, 1)])


@pytest.mark.parametrize(
    "body",
    [
        "# 7. X\n\nDate: 2024-05-07\n\n# Status\n\nAccepted\n\n# Context\n",
        "# 7. X\n\n**Date:** 2024-05-07\n\n### status:\n\n**Accepted**\n",
        "# 7. X\n\n* **Status:** Accepted\n* **Date:** 2024-05-07\n",
        "# 7. X\n\n```\n## Status\nRejected\n```\n\n<!--\n## Status\nRejected\n-->\n\nDate: 2024-05-07\n\n## Status\n\nAccepted\n",
    ],
    ids=["sections-at-level-one", "any-level-any-case", "bold-list-lines", "code-and-comments-skipped"],
)
def test_the_status_section_at_any_level_and_in_any_case(body: str) -> None:
    result = Compiler().compile([Source("docs/adr/0007-x.md", "adr/0007-x.md", body)])
    adr = result.project.adrs["ADR-0007"]
    assert (adr.status, adr.date, adr.title) == ("accepted", "2024-05-07", "X")
    assert result.diagnostics == ()
