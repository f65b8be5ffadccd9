"""The MADR project's own decision records compile with no errors, under MkDocs and ProperDocs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Site, shared_folder


def _madr_site(site: Site) -> None:
    folder = site.docs / "decisions"
    folder.mkdir(parents=True)
    for source in shared_folder("corpora", "madr").glob("*.md"):
        shutil.copy(source, folder / source.name)
        # The corpus links to screenshots it does not ship; they are not ours to check.
        for image in re.findall(r"\(([\w.-]+\.png)\)", source.read_text(encoding="utf-8")):
            (folder / image).write_bytes(b"\x89PNG\r\n\x1a\n")
    site.write("index.md", "# Decisions of MADR\n\nSee the [decision log](decision-log.md).\n")


def test_madr_records_check_without_errors(site: Site) -> None:
    _madr_site(site)
    checked = site.check()
    assert checked.code == 0, checked.out
    assert "Found 0 errors" in checked.out
    # `status: on hold` is MADR's own word: shown, and a warning, not an error.
    assert "0003-provide-own-madr-tools.md:4:9: PLN065 warning" in checked.out


def test_madr_records_build_strict_with_mkdocs(site: Site) -> None:
    _madr_site(site)
    built = site.build(strict=True)
    assert built.ok, built.log
    log = built.page("decision-log/index.html")
    for number in range(19):
        assert f"ADR-{number:04d}" in log
    # index.md and adr-template.md are ordinary pages, not ADRs: 19 rows and a header.
    table = log[log.index("<table>") : log.index("</table>")]
    assert table.count("<tr>") == 20
    assert "ADR Template" not in table
    assert (built.site / "decisions" / "adr-template" / "index.html").is_file()
    on_hold = built.page("decisions/0003-provide-own-madr-tools/index.html")
    assert "plans-adr-on_hold" in on_hold and ">on hold<" in on_hold


@pytest.mark.parametrize("tool", ["mkdocs", "properdocs"])
def test_strict_build_from_the_command_line(site: Site, tool: str) -> None:
    _madr_site(site)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    exe = Path(sys.executable).parent / tool
    ok = subprocess.run([exe, "build", "--strict"], cwd=site.root, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert (site.root / "site" / "gates" / "index.html").is_file()
    site.write("decisions/0019-broken.md", "---\nstatus: accepted\nsupersedes: [ADR-0042]\n---\n# Broken\n")
    failed = subprocess.run([exe, "build", "--strict"], cwd=site.root, env=env, capture_output=True, text=True)
    assert failed.returncode != 0
    assert "docs/decisions/0019-broken.md:3:14: PLN014 error" in failed.stderr
    quiet = subprocess.run([exe, "build", "--strict", "-q"], cwd=site.root, env=env, capture_output=True, text=True)
    assert quiet.returncode != 0
