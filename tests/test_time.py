"""Plans in time: schedules in working days, due dates that warn, and progress read from git.

The two worked examples of the format's guide are reproduced here through `plans check`,
`plans history` and real MkDocs builds, on real git repositories with dated commits.
"""

from __future__ import annotations

import datetime
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Site
from timed import LAUNCH, TODAY, commit, git, progress_plan, write_history


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build and check in this file runs on Sunday 2026-11-29."""
    monkeypatch.setenv("PLANS_TODAY", TODAY)


def _export(built_site: Path) -> dict:
    return json.loads((built_site / "plans.json").read_text(encoding="utf-8"))


def _tasks(plan: dict) -> dict[str, dict]:
    return {t["id"]: t for ph in plan["phases"] for t in ph["tasks"]}


def _diagrams(page: str) -> list[str]:
    return [html.unescape(s) for s in re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', page, re.S)]


def _content(page: str) -> str:
    """A built page's article, characters beyond ASCII (written `&#8594;`) as a reader sees them."""
    content = page[page.index('<article class="md-content__inner') : page.index("</article>")]
    return re.sub(r"&#(\d+);", lambda m: chr(int(m[1])) if int(m[1]) > 127 else m[0], content)


# -- worked example 1: the schedule -----------------------------------------------------------


def test_worked_example_warns_that_d_is_a_working_day_late_and_names_the_chain(site: Site) -> None:
    site.write("plans/launch.md", LAUNCH)
    checked = site.check()
    assert checked.code == 0, checked.out  # a warning, not an error
    assert checked.out.splitlines() == [
        "docs/plans/launch.md:15:82: PLN090 warning: task D is due 2026-12-07 but is forecast to finish on"
        " 2026-12-08, 1 working day late, because of the chain A → B → D (from the plan's start, 2026-12-01);"
        " shorten the chain, start it sooner or move the due date",
        "Found 0 errors, 1 warning, 0 infos in 1 document.",
    ]


def test_worked_example_dates_slack_and_critical_path_in_the_built_site(site: Site) -> None:
    site.write("plans/launch.md", LAUNCH)
    built = site.build(strict=True)
    assert built.ok, built.log
    plan = _export(built.site)["plans"][0]
    found = {
        tid: (t["earliest_start"], t["earliest_finish"], t["slack_days"], t["critical"])
        for tid, t in _tasks(plan).items()
    }
    assert found == {
        "A": ("2026-12-01", "2026-12-03", 0.0, True),  # Tue to Thu
        "B": ("2026-12-04", "2026-12-07", 0.0, True),  # Fri, then Mon after the weekend
        "C": ("2026-12-01", "2026-12-04", 1.0, False),  # one working day of slack
        "D": ("2026-12-08", "2026-12-08", 0.0, True),
    }
    assert plan["forecast_finish"] == "2026-12-08"
    assert plan["critical_path"] == ["launch/A", "launch/B", "launch/D"]
    page = _content(built.page("plans/launch/index.html"))
    assert "<strong>Forecast finish:</strong> Tue 2026-12-08" in page
    gantt = next(d for d in _diagrams(page) if "\ngantt\n" in d)
    bars = [line.strip() for line in gantt.splitlines() if ":" in line and "%%" not in line]
    assert bars[:5] == [
        "A Alpha :crit, b0, 2026-12-01, 2026-12-03",
        "B Beta :crit, b1, 2026-12-04, 2026-12-07",
        "C Gamma :b2, 2026-12-01, 2026-12-04",
        "D Delta :crit, b3, 2026-12-08, 2026-12-08",
        "D due 07 Dec :milestone, b4, 2026-12-07, 2026-12-07",
    ]
    assert "today :vert, b5, 2026-11-29, 2026-11-29" in gantt
    assert "excludes saturday, sunday" in gantt
    # The task table says the same, with the late due date marked.
    assert '2026-12-01</span> → <span class="plans-nowrap">2026-12-04</span> · slack 1d' in page
    assert '<span class="plans-late">due <span class="plans-nowrap">2026-12-07</span></span>' in page
    timeline = built.page("timeline/index.html")
    assert "P1 Build :crit, b0, 2026-12-01, 2026-12-08" in _diagrams(timeline)[0]


def test_a_plan_due_date_before_the_forecast_shows_the_slip_everywhere(site: Site) -> None:
    site.write("plans/launch.md", LAUNCH.replace("start: 2026-12-01", "start: 2026-12-01\ndue: 2026-12-04"))
    checked = site.check()
    assert (
        "PLN090 warning: plan 'launch' is due 2026-12-04 but is forecast to finish on 2026-12-08,"
        " 2 working days late, because of the chain A → B → D" in checked.out
    )
    built = site.build(strict=True)
    plan = _export(built.site)["plans"][0]
    assert (plan["due"], plan["forecast_finish"], plan["slip_days"]) == ("2026-12-04", "2026-12-08", 2.0)
    index = _content(built.page("plan-index/index.html"))
    row = index[index.index('href="../plans/launch/"') :].split("</tr>")[0]
    assert "2026-12-08" in row and "2026-12-04" in row and '<span class="plans-late">2d late</span>' in row


PLATFORM = """\
---
kind: plan
id: platform
title: Platform
status: ready
owner: team
start: 2026-12-01
phases:
  - id: P1
    title: Base
    tasks:
      - {id: S1, title: Store, owner: ann, estimate: 3d}
---
# Platform
"""

APP = """\
---
kind: plan
id: app
title: App
status: ready
owner: team
start: 2026-12-01
due: 2026-12-07
phases:
  - id: P1
    title: Build
    tasks:
      - {id: A, title: Alpha, owner: bob, estimate: 2d, depends_on: [platform/S1], due: 2026-12-04}
  - id: P2
    title: Ship
    depends_on: [P1]
    tasks:
      - {id: B, title: Beta, owner: cy, estimate: 1d}
---
# App
"""


def test_work_after_a_task_of_a_plan_read_later_is_scheduled_after_it(site: Site) -> None:
    # app.md is read before platform.md: A waits for S1, the end of P1 for A, and B for that.
    site.write("plans/app.md", APP)
    site.write("plans/platform.md", PLATFORM)
    checked = site.check()
    assert checked.out.splitlines() == [
        "docs/plans/app.md:8:6: PLN090 warning: plan 'app' is due 2026-12-07 but is forecast to finish on"
        " 2026-12-08, 1 working day late, because of the chain platform/S1 → A → B (from the plan's start,"
        " 2026-12-01); shorten the chain, start it sooner or move the due date",
        "docs/plans/app.md:13:89: PLN090 warning: task A is due 2026-12-04 but is forecast to finish on"
        " 2026-12-07, 1 working day late, because of the chain platform/S1 → A (from the plan's start,"
        " 2026-12-01); shorten the chain, start it sooner or move the due date",
        "Found 0 errors, 2 warnings, 0 infos in 2 documents.",
    ]


def test_a_phase_behind_an_open_gate_waits_for_its_due_date_or_is_unscheduled(site: Site) -> None:
    gated = LAUNCH.replace("phases:\n", "gates:\n  - {id: G01, title: Vendor, adr: ADR-0001}\nphases:\n").replace(
        "---\n# Launch",
        "  - id: P2\n    title: Ship\n    gates: [G01]\n    tasks:\n"
        "      - {id: E, title: Echo, owner: eve, estimate: 2d}\n---\n# Launch",
    )
    site.write("plans/launch.md", gated)
    site.write("decisions/0001-vendor.md", "---\nstatus: proposed\n---\n# Pick a vendor\n")
    built = site.build(strict=True)
    assert built.ok, built.log
    data = _export(built.site)
    plan = data["plans"][0]
    assert _tasks(plan)["E"]["earliest_start"] is None and _tasks(plan)["E"]["waits_on"] == ["G01"]
    assert plan["forecast_finish"] is None and plan["waits_on"] == ["G01"]
    assert data["gates"][0]["expected"] is None
    page = built.page("plans/launch/index.html")
    assert "<strong>Unscheduled:</strong> E waits on" in page and "G01</a>" in page
    gates = built.page("gates/index.html")
    assert "no date: what waits on it is unscheduled" in gates[gates.index('id="G01"') :].split("</tr>")[0]

    # With a due date, the phase starts on it (Thursday 2026-12-10) and the plan finishes later.
    site.replace("plans/launch.md", "adr: ADR-0001}", "adr: ADR-0001, due: 2026-12-10}")
    built = site.build(strict=True)
    data = _export(built.site)
    plan = data["plans"][0]
    assert (_tasks(plan)["E"]["earliest_start"], _tasks(plan)["E"]["earliest_finish"]) == ("2026-12-10", "2026-12-11")
    assert plan["forecast_finish"] == "2026-12-11"
    assert data["gates"][0]["due"] == data["gates"][0]["expected"] == "2026-12-10"
    gates = built.page("gates/index.html")
    row = gates[gates.index('id="G01"') :].split("</tr>")[0]
    assert row.count("2026-12-10") == 1 and "expected" not in row  # expected on its due date


def test_a_calendar_with_holidays_and_other_working_days(site: Site) -> None:
    site.config(
        """\
        site_name: Test site
        theme:
          name: material
        plugins:
          - plans:
              calendar:
                working_days: [mon, tue, wed, thu]
                holidays: [2026-12-03]
        """
    )
    site.write("plans/launch.md", LAUNCH)
    built = site.build(strict=True)
    assert built.ok, built.log
    tasks = _tasks(_export(built.site)["plans"][0])
    # Tue 1st, Wed 2nd, (Thu 3rd a holiday, Fri to Sun off), Mon 7th: A's three days.
    assert (tasks["A"]["earliest_start"], tasks["A"]["earliest_finish"]) == ("2026-12-01", "2026-12-07")
    assert tasks["D"]["earliest_finish"] == "2026-12-10"
    # `plans check` reads the same options from mkdocs.yml.
    assert "forecast to finish on 2026-12-10, 3 working days late" in site.check().out
    gantt = next(d for d in _diagrams(built.page("plans/launch/index.html")) if "\ngantt\n" in d)
    assert "excludes friday, saturday, sunday, 2026-12-03" in gantt


def test_estimates_in_hours_share_a_day_and_work_in_progress_ends_today_at_the_earliest(site: Site) -> None:
    site.write(
        "plans/hours.md",
        """\
        ---
        kind: plan
        id: hours
        title: Hours
        status: in-progress
        owner: team
        start: 2026-11-02
        rollback: {triggers: [x], steps: [y]}
        phases:
          - id: P1
            title: Small
            tasks:
              - {id: H1, title: Morning, owner: a, estimate: 4h}
              - {id: H2, title: Afternoon, owner: a, estimate: 4h, depends_on: [H1]}
              - {id: W, title: Started long ago, owner: b, status: in-progress, estimate: 2d}
        ---
        # Hours
        """,
    )
    built = site.build(strict=True)
    tasks = _tasks(_export(built.site)["plans"][0])
    # Not started: today (a Sunday) at the earliest, so Monday; both halves on that Monday.
    assert (tasks["H1"]["earliest_start"], tasks["H1"]["earliest_finish"]) == ("2026-11-30", "2026-11-30")
    assert (tasks["H2"]["earliest_start"], tasks["H2"]["earliest_finish"]) == ("2026-11-30", "2026-11-30")
    # In progress since some day after the plan's start: it ends no sooner than Monday, and is
    # shown as its two days ending there.
    assert (tasks["W"]["earliest_start"], tasks["W"]["earliest_finish"]) == ("2026-11-27", "2026-11-30")


def test_overdue_work_and_gates_and_a_start_pinned_after_work_began(site: Site) -> None:
    site.write(
        "plans/late.md",
        """\
        ---
        kind: plan
        id: late
        title: Late
        status: in-progress
        owner: team
        due: 2026-11-20
        rollback: {triggers: [x], steps: [y]}
        gates:
          - {id: G07, title: Decide, adr: ADR-0007, due: 2026-11-25}
        phases:
          - id: P1
            title: Now
            start: 2026-12-14
            tasks:
              - {id: T1, title: Begun early, owner: a, status: in-progress, estimate: 1d}
              - {id: T2, title: Overdue, owner: a, estimate: 1d, due: 2026-11-27}
        ---
        # Late
        """,
    )
    site.write("decisions/0007-decide.md", "---\nstatus: proposed\n---\n# Decide\n")
    out = site.check().out
    assert "PLN091 warning: plan 'late' was due 2026-11-20 and is in-progress" in out
    assert "PLN091 warning: task T2 was due 2026-11-27 and is todo (forecast to finish on 2026-12-14)" in out
    assert "PLN093 warning: gate G07 was due 2026-11-25 and is still open (ADR-0007 is proposed)" in out
    assert (
        "PLN094 warning: task T1 is in-progress, started by today, 2026-11-29, but the start of phase P1"
        " is pinned to 2026-12-14" in out
    )
    gates = site.build().page("gates/index.html")
    assert '<span class="plans-late">overdue</span>' in gates[gates.index('id="G07"') :].split("</tr>")[0]


def test_a_gate_due_before_a_gate_it_comes_after_is_expected_later(site: Site) -> None:
    gated = LAUNCH.replace(
        "phases:\n",
        "gates:\n  - {id: G01, title: Vendor, adr: ADR-0001, due: 2026-12-10}\n"
        "  - {id: G02, title: Contract, adr: ADR-0002, after: [G01], due: 2026-12-03}\nphases:\n",
    ).replace("    title: Build\n", "    title: Build\n    gates: [G02]\n")
    site.write("plans/launch.md", gated)
    for number, title in (("0001", "Pick a vendor"), ("0002", "Sign")):
        site.write(f"decisions/{number}-adr.md", f"---\nstatus: proposed\n---\n# {title}\n")
    assert (
        "PLN090 warning: gate G02 is due 2026-12-03 but comes after G01 (expected 2026-12-10), so it is expected"
        " 2026-12-10; move one of the due dates" in site.check().out
    )
    built = site.build()
    data = _export(built.site)
    assert {g["id"]: g["expected"] for g in data["gates"]} == {"G01": "2026-12-10", "G02": "2026-12-10"}
    # The phase behind G02 starts when G02 is expected, not on its due date.
    assert _tasks(data["plans"][0])["A"]["earliest_start"] == "2026-12-10"
    gates = built.page("gates/index.html")
    row = gates[gates.index('id="G02"') :].split("</tr>")[0]
    assert '<span class="plans-late">expected <span class="plans-nowrap">2026-12-10</span></span>' in row


def test_time_settings_that_cannot_be_used_say_what_to_write(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site.write("plans/launch.md", LAUNCH)
    monkeypatch.setenv("PLANS_TODAY", "tomorrow")
    checked = site.check()
    assert checked.code == 2
    assert "the environment variable PLANS_TODAY must be a date written YYYY-MM-DD, not 'tomorrow'" in checked.err
    monkeypatch.setenv("PLANS_TODAY", TODAY)
    site.config("site_name: t\ntheme: material\nplugins:\n  - plans:\n      calendar: {working_days: [mon, fun]}\n")
    assert "'fun' is not a weekday" in site.check().err
    built = site.build(strict=False)
    assert not built.ok and "plans: 'fun' is not a weekday" in built.log
    site.config("site_name: t\ntheme: material\nplugins:\n  - plans:\n      stale_after: soon\n")
    assert "'stale_after' must be a number of days such as 30d or 4w" in site.check().err


def test_dates_in_the_wrong_shape_or_not_in_the_calendar_are_errors(site: Site) -> None:
    site.write(
        "plans/launch.md",
        LAUNCH.replace("due: 2026-12-07", "due: 2026-02-30").replace("start: 2026-12-01", "start: next week"),
    )
    out = site.check().out
    assert (
        "docs/plans/launch.md:7:8: PLN054 error: start 'next week' of plan is not valid: expected a date written YYYY-MM-DD"
        in out
    )
    assert "PLN054 error: due '2026-02-30' is not a day of the calendar; write a real date as YYYY-MM-DD" in out


# -- worked example 2: history from git ------------------------------------------------------


@pytest.fixture
def history(site: Site) -> Site:
    """Worked example 2: four tasks (3d+2d+4d+1d) on 2026-10-01; A done and C in progress on
    2026-10-15; B done and a new task E of 2d on 2026-11-01."""
    write_history(site)
    return site


def _plans(site: Site, *args: str) -> subprocess.CompletedProcess[str]:
    exe = str(Path(sys.executable).parent / "plans")
    return subprocess.run([exe, *args], cwd=site.root, capture_output=True, text=True)


EXPECTED_SERIES = [("2026-10-01", 0.0, 10.0), ("2026-10-15", 3.0, 10.0), ("2026-11-01", 5.0, 12.0)]


def test_worked_example_history_through_the_cli(history: Site) -> None:
    shown = _plans(history, "history", "launch", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    plan = json.loads(shown.stdout)["plans"][0]
    assert [(p["date"], p["done_days"], p["scope_days"]) for p in plan["history"]] == EXPECTED_SERIES
    # As of each commit: 2026-10-01 (a Thursday) A, B, then D: Thu 8th; then C in progress from
    # the 15th holds D to the 21st; then E adds nothing to the chain, C and D do: Fri 6 Nov.
    assert [p["forecast"] for p in plan["history"]] == ["2026-10-08", "2026-10-21", "2026-11-06"]
    assert plan["slips"][1]["scope"] == {"from": 10.0, "to": 12.0}
    text = _plans(history, "history").stdout
    assert "2026-11-01" in text and "scope 10d → 12d (+2d)" in text
    assert "forecast moved from 2026-10-08 to 2026-10-21 (9 working days later)" in text

    checked = _plans(history, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (
        "docs/plans/launch.md:14:14: PLN092 warning: task C has been in progress since 2026-10-15, 45 days"
        " without a change in git (stale after 30 days)" in checked.stdout
    )
    assert checked.stdout.count("PLN092") == 1


def test_worked_example_history_in_the_built_site(history: Site) -> None:
    built = history.build(strict=True)
    assert built.ok, built.log
    plan = _export(built.site)["plans"][0]
    assert [(p["date"], p["done_days"], p["scope_days"]) for p in plan["history"]] == EXPECTED_SERIES
    assert all(len(p["commit"]) == 40 for p in plan["history"])
    page = built.page("plans/launch/index.html")
    burn_up = next(d for d in _diagrams(page) if "xychart-beta" in d)
    # Weekly from the week of 28 Sep to the week of today: scope then done, as of each week's end.
    assert '"28 Sep", "05 Oct", "12 Oct", "19 Oct", "26 Oct", "02 Nov", "09 Nov", "16 Nov", "23 Nov"' in burn_up
    assert 'line "scope" [10, 10, 10, 10, 12, 12, 12, 12, 12]' in burn_up
    assert 'line "done" [0, 0, 3, 3, 5, 5, 5, 5, 5]' in burn_up
    assert "3 commits since 2026-10-01" in page
    assert "PLN092" in built.log and "in progress since 2026-10-15" in built.log


def test_the_same_compiler_reports_what_the_history_of_each_compile_says() -> None:
    """Under `mkdocs serve` one compiler compiles again after a commit: the date checks follow
    the history of that compile, not the last one's."""
    from plancompiler.compiler import Compiler, Source
    from plancompiler.review.history import TaskTrace

    source = Source("docs/plans/launch.md", "plans/launch.md", progress_plan("done", "todo", "in-progress"))
    today = datetime.date(2026, 11, 29)
    compiler = Compiler()

    def stale(changed: datetime.date) -> list[str]:
        trace = TaskTrace("in-progress", changed, changed, changed)
        result = compiler.compile([source], history=lambda: {"launch": {"C": trace}}, today=today)
        return [d.message for d in result.diagnostics if d.code == "PLN092"]

    assert stale(datetime.date(2026, 10, 15)) and stale(datetime.date(2026, 10, 15)) == stale(
        datetime.date(2026, 10, 15)
    )
    assert not stale(datetime.date(2026, 11, 20))
    assert "45 days without a change" in stale(datetime.date(2026, 10, 15))[0]


def test_a_task_changed_since_its_last_commit_is_not_stale(history: Site) -> None:
    history.replace("plans/launch.md", "estimate: 4d, status: in-progress", "estimate: 5d, status: in-progress")
    checked = _plans(history, "check")
    assert "PLN092" not in checked.stdout, checked.stdout
    # Committed long ago, and unchanged for longer than `stale_after` allows.
    history.config("site_name: t\ntheme: material\nplugins:\n  - plans:\n      stale_after: 90d\n")
    git(history.root, "checkout", "-q", "--", "docs")
    assert "PLN092" not in _plans(history, "check").stdout


def test_a_renamed_plan_keeps_its_history(history: Site) -> None:
    git(history.root, "mv", "docs/plans/launch.md", "docs/plans/launch-v2.md")
    git(history.root, "commit", "-q", "-m", "rename", when="2026-11-10")
    plan = json.loads(_plans(history, "history", "launch", "--format", "json").stdout)["plans"][0]
    assert [p["date"] for p in plan["history"]] == ["2026-10-01", "2026-10-15", "2026-11-01", "2026-11-10"]


def test_a_shallow_clone_says_it_has_no_history(history: Site, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history.root}", str(clone)], check=True)
    shown = subprocess.run(
        [str(Path(sys.executable).parent / "plans"), "history"], cwd=clone, capture_output=True, text=True
    )
    assert shown.returncode == 2
    assert "a shallow clone has no history; fetch all of it (git fetch --unshallow)" in shown.stderr
    site = Site(clone)
    built = site.build(strict=True)
    assert built.ok, built.log
    page = built.page("plans/launch/index.html")
    assert "No history: a shallow clone has no history" in page
    assert _export(built.site)["plans"][0]["history"] == []


def test_diff_names_the_forecast_move(history: Site) -> None:
    history.replace("plans/launch.md", "estimate: 1d, depends_on", "estimate: 6d, depends_on")
    shown = _plans(history, "diff", "HEAD")
    assert shown.returncode == 0, shown.stderr
    assert "### Forecast" in shown.stdout
    assert "- `launch`: forecast moved from 2026-12-04 to 2026-12-11 (5 working days later)" in shown.stdout
    data = json.loads(_plans(history, "diff", "HEAD", "--format", "json").stdout)
    assert data["forecasts"][0]["working_days"] == 5


def test_the_history_pass_reads_what_reading_every_version_whole_reads(tmp_path: Path) -> None:
    """The pass reads one-line items on their own, skeletons line by line, and a one-line
    change as that change alone; reading every version whole must give the same series and
    the same task histories, on a long generated history and on plans written otherwise."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from history_repo import generate

    from plancompiler.review.history import HistoryReader

    root = generate(tmp_path / "repo", plans=20, commits=300, seed=5)
    site = Site(root)
    odd = {
        # Tasks over several lines, a quoted title with a comma, an anchor and its alias.
        "plans/block.md": """\
---
kind: plan
id: block
title: Block
status: in-progress
phases:
  - id: P1
    title: One
    tasks:
      - id: T1
        title: Written over lines
        status: in-progress
        estimate: 2d
      - {id: T2, title: "Quoted, with a comma", status: todo, estimate: &days 3d}
      - {id: T3, title: Alias, status: done, estimate: *days}
---
# Block
""",
        "plans/moved.md": LAUNCH,
    }
    commit(site, "2026-01-05", odd)
    commit(site, "2026-01-06", {"plans/block.md": odd["plans/block.md"].replace("status: todo", "status: done")})
    # One line more or changed each time: tasks added above the first, between two and after
    # the last; one with an id already used; a line that is no item; the plan's status; and in
    # another plan, its id.
    a_line = "      - {id: A, title: Alpha, owner: ann, estimate: 3d}\n"
    c_line = "      - {id: C, title: Gamma, owner: cy, estimate: 4d}\n"
    steps = [
        (a_line, "      - {id: Z, title: First, status: done, estimate: 2d}\n" + a_line),
        (c_line, c_line + "      - {id: Y, title: Between, status: in-progress, estimate: 1d}\n"),
        ("due: 2026-12-07}\n", "due: 2026-12-07}\n      - {id: X, title: Last, status: cancelled, estimate: 5d}\n"),
        (c_line, c_line + "      - {id: B, title: Twice, estimate: 9d}\n"),
        ("owner: team\n", "owner: team\nversion: two\n"),
        ("status: ready\n", "status: in-progress\n"),
    ]
    text = LAUNCH
    for number, (before, after) in enumerate(steps):
        assert before in text
        text = text.replace(before, after, 1)
        commit(site, f"2026-01-0{number + 6}", {"plans/moved.md": text})
    first = LAUNCH.replace("id: launch\n", "id: first\n")
    commit(site, "2026-01-14", {"plans/renamed.md": first})
    commit(site, "2026-01-15", {"plans/renamed.md": first.replace("id: first\n", "id: second\n")})
    git(root, "mv", "docs/plans/moved.md", "docs/plans/moved-again.md")
    git(root, "commit", "-q", "-m", "rename", when="2026-01-17")
    (site.docs / "plans" / "plan-00003.md").unlink()
    git(root, "commit", "-q", "-a", "-m", "drop a plan", when="2026-01-18")
    day = datetime.date(2026, 2, 1)
    fast = HistoryReader(root, "docs").read(day)
    whole = HistoryReader(root, "docs", shortcuts=False).read(day)
    assert fast.note is None and sorted(fast.plans) == sorted(whole.plans)
    assert "plan-00003" not in fast.plans and {"block", "launch", "second"} <= set(fast.plans)
    assert "first" not in fast.plans
    for plan_id, series in whole.plans.items():
        assert fast.plans[plan_id].points == series.points, plan_id
    assert fast.traces == whole.traces
    assert [p.done_days for p in fast.plans["block"].points] == [3.0, 6.0]
    moved = fast.plans["launch"]
    assert [(p.done_days, p.scope_days) for p in moved.points] == [
        (0.0, 10.0),
        (2.0, 12.0),
        (2.0, 13.0),
        (2.0, 13.0),  # the cancelled task counts nowhere
        (2.0, 22.0),  # B written twice: the scope counts both
        (2.0, 22.0),
        (2.0, 22.0),
        (2.0, 22.0),  # moved to another file
    ]
    assert set(moved.tasks) == {"A", "B", "C", "D", "X", "Y", "Z"} and moved.tasks["Y"].started is not None
    assert sum(len(p.points) for p in fast.plans.values()) > 300
