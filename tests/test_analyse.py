"""`analyse` on small linked models: what is ready, the critical path, gate states and order,
cycles, status contradictions and the lint rules."""

from __future__ import annotations

from dataclasses import replace

from models import adr, analysed, gate, phase, plan, task
from plancompiler.analyse import rebind
from plancompiler.model import Loc, Project, Risk
from plancompiler.vocabulary import GateStatus


def test_a_task_is_ready_when_its_dependencies_phase_and_gates_let_it() -> None:
    billing = plan(
        "billing",
        phase("P1", task("T1", status="done"), task("T2", depends_on=["T1"]), task("T3", depends_on=["T2"])),
        phase("P2", task("T4"), depends_on=["P1"]),
        phase("P3", task("T5"), gates=["G1"]),
        phase("P4", task("T6", depends_on=["ledger/L1"]), task("T7", depends_on=["T404"])),
        gates=[gate("G1", adr="ADR-0001")],
    )
    ledger = plan("ledger", phase("P1", task("L1", status="cancelled")))
    project = analysed([billing, ledger], [adr("ADR-0001", status="proposed")]).project
    assert project.analysis.ready_tasks["billing"] == ("billing/T2", "billing/T6")
    assert project.analysis.ready_tasks["ledger"] == ()


def test_the_critical_path_is_the_longest_chain_of_unfinished_work() -> None:
    billing = plan(
        "billing",
        phase(
            "P1",
            task("T1", days=1),
            task("T2", days=5, depends_on=["T1"]),
            task("T3", days=2, depends_on=["T1"]),
            task("T4", days=1, depends_on=["T2", "T3"]),
            task("T5", days=9, status="done"),
        ),
    )
    project = analysed([billing]).project
    assert project.analysis.critical_paths["billing"] == ("billing/T1", "billing/T2", "billing/T4")


def test_cycles_name_every_member_and_leave_the_critical_path() -> None:
    a = plan("a", phase("P1", task("T1", depends_on=["T2"]), task("T2", depends_on=["T1"]), task("T3", days=1)))
    b = plan("b", phase("P1", task("T1", depends_on=["c/T1"])))
    c = plan("c", phase("P1", task("T1", depends_on=["b/T1"])))
    compiled = analysed([a, b, c])
    cycles = [line.split(": ", 1)[1] for line in compiled.found]
    assert cycles == [
        "PLN030 dependency cycle among tasks: T1 (docs/a.md:3) -> T2 (docs/a.md:5) -> T1; remove one of these"
        " dependencies",
        "PLN030 dependency cycle among tasks: b/T1 (docs/b.md:3) -> c/T1 (docs/c.md:3) -> b/T1; remove one of"
        " these dependencies",
    ]
    assert compiled.project.analysis.critical_paths["a"] == ("a/T3",)


def test_gate_states_follow_the_decision_in_force() -> None:
    p = plan(
        "p",
        gates=[
            gate("G1", adr="ADR-0001"),
            gate("G2", adr="ADR-0003"),
            gate("G3", adr="ADR-0004"),
            gate("G4", adr="ADR-0009", waived=True),
            gate("G5", adr="ADR-0404"),
            gate("G6"),
        ],
    )
    adrs = [
        adr("ADR-0001", status="superseded", superseded_by="ADR-0002"),
        adr("ADR-0002", supersedes=["ADR-0001"]),
        adr("ADR-0003", status="superseded"),
        adr("ADR-0004", status="rejected"),
    ]
    states = analysed([p], adrs).project.analysis.gate_states
    assert {gid: (s.state, s.why) for gid, s in states.items()} == {
        "G1": (GateStatus.PASSED, "ADR-0002 is accepted (via ADR-0001 → ADR-0002)"),
        "G2": (GateStatus.BLOCKED, "ADR-0003 is superseded with no successor"),
        "G3": (GateStatus.BLOCKED, "ADR-0004 is rejected"),
        "G4": (GateStatus.WAIVED, "decided elsewhere"),
        "G5": (GateStatus.OPEN, "ADR-0404 does not exist"),
        "G6": (GateStatus.OPEN, "no ADR is tied to this gate yet"),
    }


def test_gates_in_after_order_and_a_gate_passed_before_the_one_it_follows() -> None:
    p = plan(
        "p",
        gates=[gate("G10", adr="ADR-0001", after=["G2"]), gate("G2", adr="ADR-0002"), gate("G1", after=["G404"])],
    )
    compiled = analysed([p], [adr("ADR-0001"), adr("ADR-0002", status="proposed")])
    assert compiled.project.analysis.gate_order == ("G1", "G2", "G10")
    assert "PLN034" in compiled.codes


def test_phases_waiting_on_a_gate_in_file_order() -> None:
    a = plan("a", phase("P1", gates=["G1"]), phase("P2", gates=["G1", "G404"]), gates=[gate("G1")], path="docs/1.md")
    b = plan("b", phase("P9", gates=["G1"]), path="docs/0.md")
    project = analysed([b, a]).project
    assert project.analysis.phases_waiting == {"G1": ("b/P9", "a/P1", "a/P2")}


def test_status_contradictions() -> None:
    p = plan(
        "p",
        phase("P1", task("T1"), task("T2", status="done", depends_on=["T1"]), gates=["G1"]),
        phase("P2", task("T3", status="in-progress"), gates=["G1"]),
        gates=[gate("G1", adr="ADR-0001")],
        status="completed",
        depends_on=["q"],
        rollback=True,
    )
    q = plan("q", status="in-progress", rollback=True)
    compiled = analysed([p, q], [adr("ADR-0001", status="proposed")])
    assert compiled.codes == ["PLN040", "PLN041", "PLN042", "PLN043", "PLN043"]


def test_lint_rules() -> None:
    risky = Risk("R1", "Broker slips", "medium", "high", None, None, Loc("docs/p.md", 40, 5))
    p = plan(
        "p",
        phase("P1", task("T1", status="in-progress"), task("T2", owner=None), task("T3", owner=None, status="done")),
        status="in-progress",
        risks=[risky],
    )
    compiled = analysed([p])
    assert compiled.codes == ["PLN070", "PLN071", "PLN072"]
    assert "docs/p.md:40: PLN070 risk R1 has high impact but no mitigation and no owner;" in compiled.found[-1]


def test_gate_states_and_held_tasks_hold_resolved_objects() -> None:
    p = plan(
        "p",
        phase("P1", task("T1", status="done"), task("T2"), gates=["G2", "G1"]),
        phase("P2", task("T3"), gates=["G1"]),
        gates=[gate("G1", adr="7"), gate("G2", adr="ADR-0009", waived=True), gate("G3")],
    )
    adrs = [adr("ADR-0007", status="superseded", superseded_by="ADR-0008"), adr("ADR-0008", status="proposed")]
    adrs.append(adr("ADR-0009", status="proposed"))
    project = analysed([p], adrs).project
    states = project.analysis.gate_states
    # The record in force, the waived gate's own record, and none: objects of the project.
    assert states["G1"].adr is project.adrs["ADR-0008"]
    assert states["G2"].adr is project.adrs["ADR-0009"]
    assert states["G3"].adr is None
    # A held task names the gates holding it, as the project's own gates; the waived one holds nothing.
    held = project.analysis.blocked_by
    assert set(held) == {"p/T2", "p/T3"}
    assert held["p/T2"] == (project.gates["G1"],) and held["p/T2"][0] is project.gates["G1"]
    assert held["p/T3"] == (project.gates["G1"],)


def test_an_analysis_kept_across_a_title_edit_names_the_new_objects() -> None:
    def compiled(adr_title: str, gate_title: str) -> Project:
        p = plan("p", phase("P1", task("T1"), gates=["G1"]), gates=[gate("G1", adr="ADR-0001")])
        p = replace(p, gates=tuple(replace(g, title=gate_title) for g in p.gates))
        return analysed([p], [replace(adr("ADR-0001", status="proposed"), title=adr_title)]).project

    before, after = compiled("Old", "Old gate"), compiled("New", "New gate")
    kept = rebind(before.analysis, after)
    assert kept.gate_states == after.analysis.gate_states
    assert kept.gate_states["G1"].adr is after.adrs["ADR-0001"]
    assert kept.blocked_by["p/T1"][0] is after.gates["G1"]
    assert kept.ready_tasks == before.analysis.ready_tasks
