"""Broken documents give the diagnostics the corpus lists, at their exact place, and never a
traceback.

Each case of `broken/cases.py` is dropped into a fresh copy of a valid site. `plans check`
and a strict build report it at its `path:line:col`, and fail when it is an error; a build
without `--strict` still writes every page, the broken one included.
"""

from __future__ import annotations

import re
import shutil
from typing import TYPE_CHECKING

import pytest

from broken.cases import BASELINE, BASELINE_PAGES, CASES, POSITIVE, Case
from plancompiler.compiler import Source, compile_sources

if TYPE_CHECKING:
    from conftest import Site

DIAGNOSTIC = re.compile(r"^(\S+:\d+:\d+): (PLN\d{3}) (error|warning|info): ")
LOGGED = re.compile(r"^(WARNING|INFO) - plancompiler: (.*)$")


def diagnostics(output: str) -> list[str]:
    """The diagnostic lines of `plans check` output (the summary line left out)."""
    return [line for line in output.splitlines() if DIAGNOSTIC.match(line)]


def logged(log: str) -> dict[str, str]:
    """The diagnostic lines the plugin logged, each with the level it logged it at."""
    found = {}
    for line in log.splitlines():
        match = LOGGED.match(line)
        if match and DIAGNOSTIC.match(match.group(2)):
            found[match.group(2)] = match.group(1)
    return found


def where(line: str) -> str:
    """`docs/x.md:4:17: PLN002 error: ...` -> `docs/x.md:4:17: PLN002`."""
    match = DIAGNOSTIC.match(line)
    assert match, line
    return f"{match.group(1)}: {match.group(2)}"


def log_level(line: str) -> str:
    """The level the plugin logs a diagnostic at: errors are warnings, so `--strict` fails."""
    match = DIAGNOSTIC.match(line)
    assert match, line
    return "WARNING" if match.group(3) == "error" else "INFO"


def page_of(rel: str) -> str:
    """Where MkDocs writes the page of `rel` (directory URLs)."""
    stem = rel.removesuffix(".md")
    return "index.html" if stem == "index" else f"{stem}/index.html"


def with_baseline(site: Site) -> Site:
    shutil.copytree(BASELINE, site.docs, dirs_exist_ok=True)
    return site


def assert_no_traceback(*outputs: str) -> None:
    for text in outputs:
        assert "Traceback" not in text


def test_the_baseline_compiles_without_a_diagnostic(site: Site) -> None:
    """Every diagnostic of a case comes from the case, not from the site it sits in."""
    with_baseline(site)
    checked = site.check()
    assert checked.code == 0
    assert diagnostics(checked.out) == []
    built = site.build(strict=True)
    assert built.ok, built.log
    assert logged(built.log) == {}
    for page in BASELINE_PAGES:
        assert (built.site / page).is_file()


def test_the_corpus_covers_every_required_code() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)) >= 30
    required = {
        *("PLN001", "PLN002", "PLN003", "PLN004", "PLN005", "PLN006", "PLN007", "PLN008"),
        *("PLN010", "PLN011", "PLN012", "PLN013", "PLN014"),
        *("PLN020", "PLN021", "PLN022", "PLN023"),
        *("PLN030", "PLN031", "PLN032", "PLN033", "PLN034", "PLN040", "PLN041"),
        *("PLN050", "PLN051", "PLN052", "PLN053", "PLN054", "PLN060", "PLN064"),
    }
    assert required <= {case.code for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_document(site: Site, case: Case) -> None:
    with_baseline(site)
    files = case.install(site.docs)

    error = case.severity == "error"

    checked = site.check()
    assert_no_traceback(checked.out, checked.err)
    assert checked.code == (1 if error else 0), checked.out + checked.err
    lines = diagnostics(checked.out)
    assert sorted(where(line) for line in lines) == sorted(f"docs/{at}" for at in (case.expect, *case.also))
    first = next(line for line in lines if where(line) == f"docs/{case.expect}")
    assert first.startswith(f"docs/{case.expect} {case.severity}: ")
    for phrase in case.says:
        assert phrase in first

    relaxed = site.build(strict=False)
    assert_no_traceback(relaxed.log, relaxed.error)
    assert relaxed.ok, relaxed.error
    for page in (*BASELINE_PAGES, *(page_of(rel) for rel in files)):
        assert (relaxed.site / page).is_file(), page
    level = log_level(first)
    assert logged(relaxed.log).get(first) == level

    strict = site.build(strict=True)
    assert_no_traceback(strict.log, strict.error)
    assert strict.ok is not error
    assert f"{level} - plancompiler: {first}\n" in strict.log
    # Nothing in the front matter ran: the build wrote nothing outside its site folder.
    assert sorted(p.name for p in site.root.iterdir()) == ["docs", "mkdocs.yml", "site"]


def test_yaml_1_1_values_and_bare_adr_numbers_are_valid(site: Site) -> None:
    """`id: 0011`, `title: no`, task ids `1.1` and `1.10`, `estimate: 3` and `adr: 1` mean
    what the author wrote: no diagnostic, and the model holds the values as written."""
    with_baseline(site)
    shutil.copytree(POSITIVE, site.docs, dirs_exist_ok=True)
    checked = site.check()
    assert checked.code == 0
    assert diagnostics(checked.out) == []
    built = site.build(strict=True)
    assert built.ok, built.log
    assert logged(built.log) == {}
    assert (built.site / "plans/yaml-1-1-traps/index.html").is_file()

    sources = []
    for path in sorted(site.docs.rglob("*.md")):
        rel = path.relative_to(site.docs).as_posix()
        sources.append(Source(f"docs/{rel}", rel, path.read_bytes()))
    project = compile_sources(sources).project
    plan = project.plans["0011"]
    assert (plan.title, plan.owner, plan.updated) == ("no", "on", "2026-10-01")
    assert [(t.id, t.title, t.days) for t in plan.tasks] == [
        ("1.1", "off", 3.0),
        ("1.10", "1.10", 1.5),
        ("2026-10-01", "true", None),
    ]
    assert project.analysis.critical_paths["0011"] == ("0011/1.1", "0011/1.10", "0011/2026-10-01")
    gates = {
        gid: (gate.adr.text if gate.adr else None, project.analysis.gate_states[gid].state)
        for gid, gate in project.gates.items()
        if gate.plan == "0011"
    }
    assert gates == {
        "G160": ("ADR-0002", "open"),
        "G161": ("ADR-0001", "passed"),
        "G162": ("ADR-0001", "passed"),
        "G163": ("ADR-0001", "passed"),
    }


def test_check_and_plugin_report_the_same_diagnostics(site: Site) -> None:
    """With the whole corpus in one site, `plans check` prints exactly what the plugin logs,
    errors as warnings (which fail `--strict`) and the rest as infos."""
    with_baseline(site)
    for case in CASES:
        case.install(site.docs)
    site.write(
        "plans/no-rollback.md",
        """\
        ---
        kind: plan
        id: no-rollback
        title: Started without a way back
        status: in-progress
        ---
        # A warning among the errors
        """,
    )
    checked = site.check()
    assert checked.code == 1
    printed = diagnostics(checked.out)
    assert len(printed) == len(set(printed))
    for case in CASES:
        for at in (case.expect, *case.also):
            assert any(where(line) == f"docs/{at}" for line in printed), at

    built = site.build(strict=False)
    assert_no_traceback(checked.out, checked.err, built.log)
    assert built.ok
    found = logged(built.log)
    assert set(found) == set(printed)
    for line in printed:
        assert found[line] == log_level(line), line
    assert set(found.values()) == {"WARNING", "INFO"}
    for page in BASELINE_PAGES:
        assert (built.site / page).is_file()
