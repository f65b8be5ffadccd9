"""ADR conventions that are checked beyond the schema."""

from __future__ import annotations

from test_limits import compile_one


def test_an_adr_id_that_disagrees_with_its_file_name() -> None:
    found = compile_one("decisions/0005-cache.md", "---\nid: ADR-0006\nstatus: proposed\n---\n# Cache\n")
    assert found == [
        "docs/decisions/0005-cache.md:2:5: PLN063 id ADR-0006 disagrees with the file name's number 0005;"
        " rename the file or correct the id"
    ]
