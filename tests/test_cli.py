"""The `plans` command as ruff, mypy and git users expect it: it finds its project from any
folder, reports what was asked for, says when it found nothing, and keeps quiet by default."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import Site

PLANS = str(Path(sys.executable).parent / "plans")

CHECKOUT = """\
---
kind: plan
id: checkout-revamp
title: Checkout revamp
status: draft
gates:
  - {id: G01, title: Payment provider, adr: ADR-0001}
phases:
  - id: P1
    title: Provider
    gates: [G01]
    tasks:
      - {id: P1.1, title: Integrate the provider, owner: ana, estimate: 3d}
---
# Checkout revamp

We follow [ADR-0001].
"""

BROKEN = """\
---
kind: plan
id: broken
title: Broken
status: draft
phases:
  - id: P1
    title: One
    tasks:
      - {id: P1.1, title: Step, depends_on: [P9.9]}
---
# Broken
"""

ADR = "---\nstatus: accepted\ndate: 2026-10-01\n---\n# Use a hosted payment page\n"


def plans(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLANS, *args], cwd=cwd, capture_output=True, text=True)


def project(site: Site) -> Site:
    site.write("checkout-revamp.md", CHECKOUT)
    site.write("decisions/0001-hosted-payment-page.md", ADR)
    site.write("broken.md", BROKEN)
    return site


def test_a_named_file_is_judged_in_its_whole_project(site: Site) -> None:
    project(site)
    named = plans(site.root, "check", "docs/checkout-revamp.md")
    # Its gate's ADR and its cross-reference resolve in the project: no false PLN014, PLN015.
    assert named.returncode == 0, named.stdout
    assert named.stdout == "Found 0 errors, 0 warnings, 0 infos in 1 document.\n"
    other = plans(site.root, "check", "docs/broken.md")
    assert other.returncode == 1
    assert other.stdout.splitlines() == [
        "docs/broken.md:10:46: PLN011 error: task P1.1 depends on 'P9.9', which no phase of plan 'broken' defines",
        "Found 1 error, 0 warnings, 0 infos in 1 document.",
    ]
    folder = plans(site.root, "check", "docs/decisions")
    assert folder.returncode == 0 and "in 1 document." in folder.stdout


def test_check_finds_mkdocs_yml_from_a_folder_below(site: Site) -> None:
    project(site)
    (site.docs / "decisions").mkdir(exist_ok=True)
    inside = plans(site.docs / "decisions", "check")
    # Paths stay relative to the project folder, as the plugin logs them.
    assert inside.returncode == 1
    assert inside.stdout.startswith("docs/broken.md:10:46: PLN011 error:")
    assert inside.stdout.endswith("Found 1 error, 0 warnings, 0 infos in 3 documents.\n")
    here = plans(site.docs, "check", "checkout-revamp.md")
    assert here.returncode == 0 and "in 1 document." in here.stdout


def test_a_path_outside_the_docs_folder_is_a_usage_error(site: Site) -> None:
    project(site)
    (site.root / "notes").mkdir()
    (site.root / "notes" / "x.md").write_text(BROKEN)
    outside = plans(site.root, "check", "notes/x.md")
    assert outside.returncode == 2
    assert outside.stderr == (
        "plans: notes/x.md is outside the docs folder docs of mkdocs.yml; check it from its own project,"
        " or pass --config\n"
    )


def test_an_adr_folder_without_mkdocs_yml_is_read_with_its_own_name(tmp_path: Path) -> None:
    adrs = tmp_path / "repo" / "doc" / "adr"
    adrs.mkdir(parents=True)
    (adrs / "0001-record-decisions.md").write_text(
        "# 1. Record decisions\n\nDate: 2026-01-05\n\n## Status\n\nAccepted\n"
    )
    (adrs / "0002-use-postgres.md").write_text("---\nstatus: accepted\nsupersedes: [ADR-0009]\n---\n# Use Postgres\n")
    found = plans(tmp_path / "repo", "check", "doc/adr")
    assert found.returncode == 1, found.stdout + found.stderr
    assert found.stdout.splitlines() == [
        "doc/adr/0002-use-postgres.md:3:14: PLN014 error: ADR-0002 supersedes ADR-0009, which does not exist;"
        " correct the number or add that ADR",
        "Found 1 error, 0 warnings, 0 infos in 2 documents.",
    ]
    one = plans(adrs, "check", "0001-record-decisions.md")
    assert one.returncode == 0 and one.stdout == "Found 0 errors, 0 warnings, 0 infos in 1 document.\n"


def test_check_says_when_it_found_no_plan_and_no_adr(site: Site) -> None:
    site.write("index.md", "# Home\n")
    nothing = plans(site.root, "check")
    assert nothing.returncode == 0
    assert nothing.stdout == "Found 0 errors, 0 warnings, 0 infos in 0 documents.\n"
    assert nothing.stderr == (
        "plans: no plan and no ADR found in docs: a plan says 'kind: plan' in its front matter, an ADR is a"
        " numbered file (0001-title.md) in a folder named decisions, adr, adrs\n"
    )
    project(site)
    page = plans(site.root, "check", "docs/index.md")
    assert page.returncode == 0 and "no plan and no ADR found in docs/index.md" in page.stderr


def test_version_and_the_usage_of_the_subcommand_at_fault(tmp_path: Path) -> None:
    from importlib.metadata import version

    shown = plans(tmp_path, "--version")
    assert shown.returncode == 0 and shown.stdout == f"plans {version('plancompiler')}\n"
    bogus = plans(tmp_path, "check", "--bogus")
    assert bogus.returncode == 2
    assert bogus.stderr.startswith("usage: plans check ")
    assert bogus.stderr.endswith("plans check: error: unrecognized arguments: --bogus\n")
    missing = plans(tmp_path, "diff")
    assert missing.returncode == 2 and missing.stderr.startswith("usage: plans diff ")


def test_the_note_about_dates_only_with_verbose(site: Site) -> None:
    project(site)
    quiet = plans(site.root, "check", "docs/checkout-revamp.md")
    assert quiet.stderr == ""
    told = plans(site.root, "check", "--verbose", "docs/checkout-revamp.md")
    assert told.stderr == "plans: note: not a git repository: dates are the files' modification times\n"
    (site.docs / "broken.md").unlink()
    built = site.build(strict=True)
    assert built.ok and "not a git repository" not in built.log


def test_new_in_a_project_without_a_docs_folder(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    root.mkdir()
    (root / "mkdocs.yml").write_text("site_name: Checkout\ntheme: {name: material}\nplugins: [plans]\n")
    made = plans(root, "new", "plan", "Checkout revamp")
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines() == ["docs/index.md", "docs/checkout-revamp.md"]
    home = (root / "docs" / "index.md").read_text()
    assert home.startswith("# Checkout\n") and "[Plans](plan-index.md)" in home
    assert (
        plans(root, "new", "adr", "Use a hosted payment page").stdout
        == "docs/decisions/0001-use-a-hosted-payment-page.md\n"
    )
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    built = subprocess.run([mkdocs, "build", "--strict"], cwd=root, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    index = (root / "site" / "index.html").read_text()
    assert 'href="plan-index/"' in index and 'href="decision-log/"' in index
    # A plan without tasks yet says so once, in its progress line, with no empty lists of work.
    page = (root / "site" / "checkout-revamp" / "index.html").read_text()
    assert "<strong>Progress:</strong> no tasks yet" in page and 'id="ready-to-start"' not in page


def test_new_refuses_a_file_that_exists(site: Site) -> None:
    site.write("notes.md", "# Notes\n")
    taken = plans(site.root, "new", "plan", "Notes")
    assert taken.returncode == 1
    assert taken.stderr == "plans: error: docs/notes.md already exists; choose another id with --id\n"
    assert (site.docs / "notes.md").read_text() == "# Notes\n"
