"""Git-native review on real repositories: `plans diff`, `--base` rules, dates, `plans new`."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import Site

PLAN = """\
---
kind: plan
id: scheduler
title: Scheduler
status: in-progress
owner: team
gates:
  - {{id: G01, title: Topology, adr: ADR-0001}}
  - {{id: G02, title: Broker, adr: ADR-0002, after: [G01]}}
phases:
  - id: P1
    title: Contracts
    tasks:
      - {{id: P1.1, title: Define messages, owner: a, status: done, estimate: 2d}}
      - {{id: P1.2, title: {p12}, owner: b, estimate: 3d, depends_on: [P1.1]}}
      - {{id: P1.3, title: Wire broker, owner: c, estimate: {p13_estimate}, depends_on: [{p13_dep}]}}
  - id: P2
    title: Broker
    gates: [G02]
    tasks:
      - {{id: P2.1, title: Adapter, owner: d, estimate: 1w, depends_on: [P1.3]}}
rollback:
  triggers: [Errors]
  steps: [Revert]
---
# Scheduler
"""


def plan(p12: str = "Port interfaces", p13_dep: str = "P1.1", p13_estimate: str = "1d") -> str:
    return PLAN.format(p12=p12, p13_dep=p13_dep, p13_estimate=p13_estimate)


def adr(status: str, title: str, extra: str = "", body: str = "We decide.") -> str:
    return f"---\nstatus: {status}\n{extra}---\n# {title}\n\n{body}\n"


class Repo:
    """A git repository holding a MkDocs project; commits with fixed dates."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.root = site.root
        self.count = 0
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = dict(
            os.environ,
            GIT_AUTHOR_NAME="A",
            GIT_AUTHOR_EMAIL="a@example.com",
            GIT_COMMITTER_NAME="A",
            GIT_COMMITTER_EMAIL="a@example.com",
        )
        if self.count:
            stamp = f"2026-10-{self.count:02d}T12:00:00+00:00"
            env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True)
        return done.stdout

    def commit(self, message: str, files: dict[str, str]) -> None:
        for rel, text in files.items():
            self.site.write(rel, text, dedent=False)
        self.count += 1
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)


@pytest.fixture
def repo(site: Site) -> Repo:
    repo = Repo(site)
    repo.commit(
        "start",
        {
            "plans/scheduler.md": plan(),
            "decisions/0001-topology.md": adr("accepted", "Topology"),
            "decisions/0002-broker.md": adr("proposed", "Broker"),
        },
    )
    return repo


def test_diff_of_a_renamed_task_and_a_moved_dependency(repo: Repo) -> None:
    repo.commit(
        "rename and move", {"plans/scheduler.md": plan(p12="Port contracts", p13_dep="P1.2", p13_estimate="5d")}
    )
    result = _plans(repo, "diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "## Plan changes: HEAD~1 → HEAD" in text
    assert "`scheduler/P1.2` retitled: “Port interfaces” → “Port contracts”" in text
    assert "`scheduler/P1.3` now depends on `scheduler/P1.2`" in text
    assert "`scheduler/P1.3` no longer depends on `scheduler/P1.1`" in text
    assert "`scheduler/P1.3` estimate: 1d → **5d**" in text
    # The critical path moved: P1.2 now feeds P1.3.
    assert "- `scheduler`: 6d → **13d**" in text
    assert "after: scheduler/P1.2 → scheduler/P1.3 → scheduler/P2.1" in text
    assert "```mermaid" in text and "==>" in text and "-.->" in text
    assert "This change introduces no errors." in text


def test_diff_lists_and_draws_the_dependencies_of_added_and_removed_tasks(repo: Repo) -> None:
    adapter = "      - {id: P2.1, title: Adapter, owner: d, estimate: 1w, depends_on: [P1.3]}\n"
    grown = plan().replace(
        adapter, adapter + "      - {id: P2.2, title: Retries, owner: d, estimate: 2d, depends_on: [P2.1, P1.2]}\n"
    )
    repo.commit("add a task", {"plans/scheduler.md": grown})
    added = _plans(repo, "diff", "HEAD~1", "HEAD")
    assert added.returncode == 0, added.stderr
    text = added.stdout
    assert "- added: `scheduler/P2.2` Retries" in text
    assert "- `scheduler/P2.2` now depends on `scheduler/P1.2`" in text
    assert "- `scheduler/P2.2` now depends on `scheduler/P2.1`" in text
    graph = text[text.index("```mermaid") : text.rindex("```")]
    nodes = dict(re.findall(r'  (n\d+)\["(scheduler/P\d\.\d)', graph))
    by_key = {key: node for node, key in nodes.items()}
    assert f"{by_key['scheduler/P2.1']} ==> {by_key['scheduler/P2.2']}" in graph
    assert f"{by_key['scheduler/P1.2']} ==> {by_key['scheduler/P2.2']}" in graph
    assert f'{by_key["scheduler/P2.2"]}["scheduler/P2.2 Retries #183; todo"]:::added' in graph

    removed = _plans(repo, "diff", "HEAD", "HEAD~1").stdout
    assert "- removed: `scheduler/P2.2` Retries" in removed
    assert "- `scheduler/P2.2` no longer depends on `scheduler/P2.1`" in removed
    graph = removed[removed.index("```mermaid") : removed.rindex("```")]
    assert graph.count("-.->") == 2 and "==>" not in graph
    assert ":::removed" in graph


def test_diff_of_an_accepted_adr_that_passes_a_gate_and_a_superseded_one(repo: Repo) -> None:
    repo.commit(
        "decide",
        {
            "decisions/0002-broker.md": adr("accepted", "Broker"),
            "decisions/0001-topology.md": adr("superseded", "Topology", "superseded_by: ADR-0003\n"),
            "decisions/0003-topology-v2.md": adr("accepted", "Topology, second take", "supersedes: [ADR-0001]\n"),
        },
    )
    result = _plans(repo, "diff", "HEAD~1")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "`G02` open → **passed** (ADR-0002 is accepted)" in text
    assert "`ADR-0002` status: proposed → **accepted**" in text
    assert "`ADR-0001` status: accepted → **superseded**" in text
    assert "added: `ADR-0003` Topology, second take" in text
    data = json.loads(_plans(repo, "diff", "HEAD~1", "--format", "json").stdout)
    assert data["changes"]["gates"]["state"] == [
        {"id": "G02", "from": "open", "to": "passed", "why": "ADR-0002 is accepted"}
    ]
    assert data["introduces_errors"] is False


def test_diff_exits_1_when_the_change_introduces_an_error(repo: Repo) -> None:
    repo.site.write("plans/scheduler.md", plan(p13_dep="P9.9"), dedent=False)
    result = _plans(repo, "diff", "HEAD")
    assert result.returncode == 1
    assert "introduced: `docs/plans/scheduler.md:" in result.stdout and "**PLN011** error" in result.stdout
    assert "This change introduces errors." in result.stdout


def test_two_branches_picking_the_same_adr_number(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("queue decision", {"decisions/0003-queue.md": adr("proposed", "Use a queue")})
    repo.git("checkout", "-q", "main")
    repo.commit("cache decision", {"decisions/0003-cache.md": adr("proposed", "Use a cache")})
    repo.git("checkout", "-q", "feature")
    plain = _plans(repo, "check")
    assert plain.returncode == 0, plain.stdout
    based = _plans(repo, "check", "--base", "main")
    assert based.returncode == 1
    assert (
        "docs/decisions/0003-queue.md:1:1: PLN080 error: ADR-0003 is new here but main already uses it for"
        " docs/decisions/0003-cache.md; take ADR-0004" in based.stdout
    )
    created = _plans(repo, "new", "adr", "Use a queue, again", "--base", "main")
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "docs/decisions/0004-use-a-queue-again.md"


def test_an_accepted_adr_edited_in_place(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "edit")
    repo.site.write(
        "decisions/0001-topology.md", adr("accepted", "Topology", body="We decide otherwise."), dedent=False
    )
    edited = _plans(repo, "check", "--base", "main")
    assert edited.returncode == 1
    assert (
        "docs/decisions/0001-topology.md:6:1: PLN081 error: ADR-0001 is accepted in main and its decision text changed here"
        in edited.stdout
    )
    # Retiring it is allowed: superseded, with its successor.
    repo.site.write(
        "decisions/0001-topology.md", adr("superseded", "Topology", "superseded_by: ADR-0003\n"), dedent=False
    )
    repo.site.write("decisions/0003-next.md", adr("accepted", "Next", "supersedes: [ADR-0001]\n"), dedent=False)
    retired = _plans(repo, "check", "--base", "main")
    assert retired.returncode == 0, retired.stdout
    assert "PLN081" not in retired.stdout


def test_updated_dates_come_from_git_history(repo: Repo) -> None:
    repo.commit("second", {"plans/other.md": "---\nkind: plan\nid: other\ntitle: Other\nstatus: draft\n---\n# Other\n"})
    built = repo.site.build(strict=True)
    assert built.ok, built.log
    index = built.page("plan-index/index.html")
    assert "2026-10-01" in index and "2026-10-02" in index
    assert "2026-10-01" in built.page("plans/scheduler/index.html")


def test_a_shallow_clone_falls_back_to_file_times(repo: Repo, tmp_path: Path) -> None:
    repo.commit("second", {"plans/other.md": "---\nkind: plan\nid: other\ntitle: Other\nstatus: draft\n---\n# O\n"})
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    result = subprocess.run([_exe(), "check"], cwd=clone, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""  # quiet by default
    verbose = subprocess.run([_exe(), "check", "--verbose"], cwd=clone, capture_output=True, text=True)
    assert "plans: note: shallow clone: dates are the files' modification times" in verbose.stderr
    built = subprocess.run(
        [str(Path(_exe()).with_name("mkdocs")), "build", "-q", "-d", "out"], cwd=clone, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    stamp = (clone / "docs" / "plans" / "other.md").stat().st_mtime
    day = datetime.datetime.fromtimestamp(stamp, tz=datetime.timezone.utc).date().isoformat()
    assert day in (clone / "out" / "plan-index" / "index.html").read_text()


def test_new_plan_and_adr_compile_cleanly(repo: Repo) -> None:
    made = _plans(repo, "new", "plan", "Payment retries")
    assert made.stdout.strip() == "docs/payment-retries.md"
    decision = _plans(repo, "new", "adr", "Retry with backoff")
    assert decision.stdout.strip() == "docs/decisions/0003-retry-with-backoff.md"
    checked = _plans(repo, "check")
    assert checked.returncode == 0
    assert "docs/payment-retries.md" not in checked.stdout and "0003-retry" not in checked.stdout
    # An id already taken is never renamed quietly: the error names the file that has it.
    again = _plans(repo, "new", "plan", "Payment retries")
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr == (
        "plans: error: plan id 'payment-retries' is taken by docs/payment-retries.md; choose another with --id\n"
    )
    chosen = _plans(repo, "new", "plan", "Payment retries", "--id", "payment-retries-eu")
    assert chosen.returncode == 0 and chosen.stdout.strip() == "docs/payment-retries-eu.md"
    assert "id: payment-retries-eu\n" in (repo.site.docs / "payment-retries-eu.md").read_text()
    number = _plans(repo, "new", "adr", "Retry again", "--id", "3")
    assert number.returncode == 1
    assert number.stderr == (
        "plans: error: ADR-0003 is taken by docs/decisions/0003-retry-with-backoff.md; choose another with --id\n"
    )
    free = _plans(repo, "new", "adr", "Retry again", "--id", "ADR-0042")
    assert free.stdout.strip() == "docs/decisions/0042-retry-again.md"
    bad = _plans(repo, "new", "plan", "X", "--id", "Not A Slug")
    assert bad.returncode == 2 and "is not a plan id" in bad.stderr
    assert _plans(repo, "check").returncode == 0


def test_new_transliterates_accented_titles(repo: Repo) -> None:
    made = _plans(repo, "new", "plan", "Über café: 50% faster!")
    assert made.stdout.strip() == "docs/uber-cafe-50-faster.md"
    assert 'title: "Über café: 50% faster!"' in (repo.site.docs / "uber-cafe-50-faster.md").read_text()
    other = _plans(repo, "new", "adr", "Straße für Æsir, Łódź")
    assert other.stdout.strip() == "docs/decisions/0003-strasse-fur-aesir-lodz.md"
    assert _plans(repo, "check").returncode == 0


def test_new_with_a_hostile_title_writes_a_safe_name_inside_the_folder(repo: Repo) -> None:
    made = _plans(repo, "new", "plan", "../../etc/passwd")
    assert made.returncode == 0
    assert made.stdout.strip() == "docs/etc-passwd.md"
    text = (repo.site.docs / "etc-passwd.md").read_text()
    assert 'title: "../../etc/passwd"' in text
    weird = _plans(repo, "new", "adr", '<script>alert(1)</script>"\nstatus: accepted')
    path = repo.root / weird.stdout.strip()
    assert path.parent == repo.site.docs / "decisions"
    assert "&lt;script&gt;" in path.read_text()
    assert _plans(repo, "check").returncode == 0


def test_github_annotations_and_sarif(repo: Repo) -> None:
    repo.site.write("plans/scheduler.md", plan(p13_dep="P9.9"), dedent=False)
    github = _plans(repo, "check", "--format", "github")
    assert github.returncode == 1
    line = next(x for x in github.stdout.splitlines() if x.startswith("::error"))
    assert line.startswith("::error file=docs/plans/scheduler.md,line=16,col=")
    assert ",title=PLN011::task P1.3 depends on 'P9.9'" in line
    sarif = json.loads(_plans(repo, "check", "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "PLN011" in rule_ids and all(r["help"]["text"] for r in run["tool"]["driver"]["rules"])
    result = next(r for r in run["results"] if r["ruleId"] == "PLN011")
    assert result["level"] == "error"
    assert rule_ids[result["ruleIndex"]] == "PLN011"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "docs/plans/scheduler.md"
    assert location["region"]["startLine"] == 16


def test_an_annotation_cannot_break_out_of_its_line(repo: Repo) -> None:
    repo.site.write(
        "plans/scheduler.md",
        plan().replace("title: Scheduler", "title: Scheduler\ndepend_on: x"),
        dedent=False,
    )
    repo.site.write(
        "decisions/0009-x.md", '---\nstatus: "weird\\n::error file=evil::pwned%0A"\n---\n# X\n', dedent=False
    )
    github = _plans(repo, "check", "--format", "github")
    lines = github.stdout.splitlines()
    assert all(x.startswith(("::error ", "::warning ", "::notice ", "Found ")) for x in lines), lines
    assert not any("::error file=evil" in x.split("::", 2)[1] for x in lines if x.count("::") >= 2)


def _exe() -> str:
    import sys

    return str(Path(sys.executable).parent / "plans")


def _plans(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_exe(), *args], cwd=repo.root, capture_output=True, text=True)


def test_new_adr_follows_the_naming_of_the_folder_s_records(repo: Repo) -> None:
    site = repo.site
    site.write("architecture/adr-007-x.md", "# ADR 007: X\n\n## Status\n\nAccepted\n")
    site.write("architecture/adr-012-y.md", "# ADR 012: Y\n\n## Status\n\nAccepted\n")
    site.write("architecture/adr-011-z.md", "# ADR 011: Z\n\n## Status\n\nAccepted\n")
    # The folder with most records gets the next one, named as they are.
    made = _plans(repo, "new", "adr", "Priority lanes")
    assert made.stdout.strip() == "docs/architecture/adr-013-priority-lanes.md", made.stderr
    site.write("l4b/adr/20230306-use-log4brains.md", "# Use log4brains\n\n- Status: accepted\n")
    today = datetime.date.today().strftime("%Y%m%d")
    dated = _plans(repo, "new", "adr", "Keep sessions in PostgreSQL", "--dir", "docs/l4b/adr")
    assert dated.stdout.strip() == f"docs/l4b/adr/{today}-keep-sessions-in-postgresql.md"
    assert _plans(repo, "check").returncode == 0


def test_retiring_an_adr_tools_record_in_its_status_section_is_allowed(repo: Repo) -> None:
    record = "# 3. Use a queue\n\nDate: 2026-10-01\n\n## Status\n\n{status}\n\n## Decision\n\n{decision}\n"
    repo.commit(
        "queue",
        {"decisions/0003-use-a-queue.md": record.format(status="Accepted", decision="We use a queue.")},
    )
    repo.site.write(
        "decisions/0003-use-a-queue.md",
        record.format(status="Accepted\n\nSuperseded by [4. Use a log](0004-use-a-log.md)", decision="We use a queue."),
        dedent=False,
    )
    repo.site.write(
        "decisions/0004-use-a-log.md",
        "# 4. Use a log\n\n## Status\n\nAccepted\n\nSupersedes [3. Use a queue](0003-use-a-queue.md)\n",
        dedent=False,
    )
    retired = _plans(repo, "check", "--base", "HEAD")
    assert retired.returncode == 0, retired.stdout
    repo.site.write(
        "decisions/0003-use-a-queue.md",
        record.format(status="Accepted", decision="We use two queues."),
        dedent=False,
    )
    edited = _plans(repo, "check", "--base", "HEAD")
    assert edited.returncode == 1
    assert (
        "docs/decisions/0003-use-a-queue.md:11:1: PLN081 error: ADR-0003 is accepted in HEAD and its decision text changed"
        in edited.stdout
    )


def test_history_follows_a_supersession_written_in_a_record_s_body(repo: Repo) -> None:
    """An adr-tools record retired by a `Superseded by` line passes its gate over to its
    successor, in the history as in the site."""
    record = "# {n}. {title}\n\nDate: 2026-10-0{n}\n\n## Status\n\n{status}\n"
    repo.commit(
        "gate on a Nygard record",
        {
            "plans/queue.md": "---\nkind: plan\nid: queue\ntitle: Queue\nstatus: ready\ngates:\n"
            "  - {id: G9, title: Queue chosen, adr: ADR-0003}\nphases:\n  - id: P1\n    title: Build\n"
            "    gates: [G9]\n    tasks:\n      - {id: T1, title: Wire, estimate: 1d}\n---\n# Queue\n",
            "decisions/0003-use-a-queue.md": record.format(n=3, title="Use a queue", status="Proposed"),
        },
    )
    repo.commit(
        "retired in its body",
        {
            "decisions/0003-use-a-queue.md": record.format(
                n=3, title="Use a queue", status="Proposed\n\nSuperseded by [4. Use a log](0004-use-a-log.md)"
            ),
            "decisions/0004-use-a-log.md": record.format(
                n=4, title="Use a log", status="Accepted\n\nSupersedes [3. Use a queue](0003-use-a-queue.md)"
            ),
        },
    )
    shown = _plans(repo, "history", "queue", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    points = json.loads(shown.stdout)["plans"][0]["history"]
    assert [p["open_gates"] for p in points] == [1, 0]
