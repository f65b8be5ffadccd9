"""ADR conventions that are checked beyond the schema."""

from __future__ import annotations

from plancompiler.compiler import Compiler, Source
from test_limits import compile_one


def test_an_adr_id_that_disagrees_with_its_file_name() -> None:
    found = compile_one("decisions/0005-cache.md", "---\nid: ADR-0006\nstatus: proposed\n---\n# Cache\n")
    assert found == [
        "docs/decisions/0005-cache.md:2:5: PLN063 id ADR-0006 disagrees with the file name's number 0005;"
        " rename the file or correct the id"
    ]


def test_an_adr_title_is_its_first_heading_outside_code() -> None:
    # A longer fence holds a shorter one: the `# ` line inside both is code, not the title,
    # as it is for the cross-references the same page's prose is scanned for.
    body = (
        "````markdown\n```yaml\n# not the title\n```\n# still not the title\n````\n\n"
        "# Keep the outbox\n\nSee [ADR-0099] and `[ADR-0098]`.\n"
    )
    sources = [
        Source("docs/decisions/0007-outbox.md", "decisions/0007-outbox.md", "---\nstatus: proposed\n---\n" + body)
    ]
    result = Compiler().compile(sources)
    assert result.project.adrs["ADR-0007"].title == "Keep the outbox"
    assert [(d.code, d.line, d.col) for d in result.diagnostics] == [("PLN015", 13, 5)]
