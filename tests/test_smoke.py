"""A plan with one dangling reference fails the strict build and `plans check` alike."""

from __future__ import annotations


def test_dangling_task_reference_fails_strict_build_and_check(site):
    site.write(
        "scheduler.md",
        """\
        ---
        kind: plan
        id: scheduler
        title: Scheduler
        status: draft
        phases:
          - id: P1
            title: Contracts
            tasks:
              - {id: P1.1, title: Define messages}
              - {id: P1.2, title: Ports, depends_on: [P9.1]}
        ---
        # Scheduler
        """,
    )
    line = "docs/scheduler.md:11:47: PLN011 error: task P1.2 depends on 'P9.1'"
    built = site.build(strict=True)
    assert not built.ok
    assert line in built.log
    quiet = site.build(strict=True, quiet=True)
    assert not quiet.ok
    checked = site.check()
    assert checked.code == 1
    assert line in checked.out
    assert (site.build(strict=False)).ok


def test_check_without_a_docs_folder_says_what_to_do(tmp_path, monkeypatch, capsys):
    from plancompiler.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert (
        "no mkdocs.yml here or in a folder above, and no docs folder here; run in your project"
        in capsys.readouterr().err
    )
