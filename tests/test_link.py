"""`link` on small models: every reference resolved once to a key of the project's indexes,
each dangling one reported once, and who references what."""

from __future__ import annotations

from models import adr, gate, link, phase, plan, task
from plancompiler.model import AdrLink, document_key, item_key, key_kind, key_name


def test_task_references_resolve_to_task_keys_in_this_plan_and_others() -> None:
    billing = plan("billing", phase("P1", task("T1"), task("T2", depends_on=["T1", "ledger/L1", "billing/T1"])))
    ledger = plan("ledger", phase("P1", task("L1")))
    linked = link([billing, ledger])
    project = linked.project
    assert linked.found == []
    t2 = project.tasks[item_key("billing", "T2")]
    assert [(ref.text, target) for ref, target in project.dependencies(t2)] == [
        ("T1", "billing/T1"),
        ("ledger/L1", "ledger/L1"),
        ("billing/T1", "billing/T1"),
    ]
    # The targets are the tasks' own keys: looked up, never taken apart.
    assert all(project.tasks[k].key is k for _, k in project.dependencies(t2) if k is not None)
    assert project.links.plans["billing"].other_plans == ("ledger",)


def test_a_dangling_task_reference_is_none_and_reported_once() -> None:
    billing = plan(
        "billing",
        phase("P1", task("T1", depends_on=["T9", "P2", "nowhere/T1", "broken/T1", "T 1"])),
        phase("P2"),
    )
    linked = link([billing], broken=["broken"])
    t1 = linked.project.tasks[item_key("billing", "T1")]
    assert [target for _, target in linked.project.dependencies(t1)] == [None] * 5
    assert linked.found == [
        "docs/billing.md:2: PLN011 task T1 depends on 'T9', which no phase of plan 'billing' defines",
        "docs/billing.md:3: PLN011 task T1 depends on 'P2', which no phase of plan 'billing' defines; 'P2' is a"
        " phase, so depend on its tasks or make phase P1 depend on phase P2",
        "docs/billing.md:4: PLN010 task T1 depends on 'nowhere/T1', but there is no plan 'nowhere'",
    ]


def test_plan_phase_and_gate_references() -> None:
    billing = plan(
        "billing",
        phase("P1", gates=["G1"]),
        phase("P2", gates=["G2", "G9"], depends_on=["P1", "P7"]),
        gates=[gate("G1"), gate("G2", after=["G1", "G8"])],
        depends_on=["ledger", "legder-x"],
    )
    linked = link([billing, plan("ledger")])
    links = linked.project.links.plans["billing"]
    assert links.depends_on == ("ledger", None)
    assert links.waits_on == {"billing/P1": ("G1",), "billing/P2": ("G2", None)}
    assert links.phases == {"billing/P1": (), "billing/P2": ("billing/P1", None)}
    assert [g.after for g in links.gates] == [(), ("G1", None)]
    assert linked.codes == ["PLN010", "PLN012", "PLN013", "PLN013"]


def test_a_gate_is_tied_to_its_adr_in_any_spelling_and_on_to_the_decision_in_force() -> None:
    billing = plan(
        "billing",
        gates=[gate("G1", adr="7"), gate("G2", adr="adr-0008"), gate("G3", adr="ADR-0042"), gate("G4")],
    )
    adrs = [
        adr("ADR-0007", status="superseded", superseded_by="ADR-0008"),
        adr("ADR-0008", status="superseded", superseded_by="ADR-0009", supersedes=["ADR-0007"]),
        adr("ADR-0009", supersedes=["8"]),
    ]
    linked = link([billing], adrs)
    gates = linked.project.links.gates
    assert gates["G1"].adrs == ("ADR-0007", "ADR-0008", "ADR-0009")
    assert gates["G2"].adrs == ("ADR-0008", "ADR-0009")
    assert gates["G3"].adrs == gates["G4"].adrs == ()
    assert linked.found == [
        "docs/billing.md:6: PLN014 gate G3 is tied to ADR-0042, which does not exist; correct the number or add"
        " the ADR (did you mean 'ADR-0009'?)"
    ]
    assert linked.project.links.adrs["ADR-0009"].named == ("ADR-0008",)


def test_a_supersession_loop_stops_where_it_comes_back() -> None:
    adrs = [
        adr("ADR-0001", status="superseded", superseded_by="ADR-0002"),
        adr("ADR-0002", status="superseded", superseded_by="ADR-0001"),
        adr("ADR-0003", superseded_by="ADR-0404"),
    ]
    linked = link([plan("p", gates=[gate("G1", adr="ADR-0001")])], adrs)
    assert linked.project.links.gates["G1"].adrs == ("ADR-0001", "ADR-0002")
    assert linked.project.links.adrs["ADR-0003"].named == (None,)
    assert linked.project.links.adrs["ADR-0003"].successor is None
    assert linked.found == [
        "docs/decisions/ADR-0003.md:2: PLN014 ADR-0003 is superseded by ADR-0404, which does not exist; correct"
        " the number or add that ADR"
    ]


def test_a_gate_id_declared_twice_keeps_the_first_and_each_declaration_its_own_links() -> None:
    first = plan("a", gates=[gate("G1", adr="ADR-0001")])
    second = plan("b", gates=[gate("G1", adr="ADR-0002")])
    linked = link([first, second], [adr("ADR-0001"), adr("ADR-0002")])
    project = linked.project
    assert project.gates["G1"] is first.gates[0]
    assert project.links.gates["G1"].adrs == ("ADR-0001",)
    assert [links.adrs for _, links in project.declared_gates(second)] == [("ADR-0002",)]
    assert linked.codes == ["PLN022"]


def test_who_references_what() -> None:
    billing = plan(
        "billing",
        phase("P1", task("T1", depends_on=["ledger/L1"]), gates=["G7"]),
        gates=[gate("G1", adr="ADR-0001")],
        depends_on=["ledger"],
    )
    ledger = plan("ledger", phase("P1", task("L1")), gates=[gate("G7")])
    adrs = [adr("ADR-0001", status="superseded", superseded_by="ADR-0002"), adr("ADR-0002", supersedes=["ADR-0001"])]
    citations = [
        (document_key("page", "guide/why.md"), document_key("adr", "ADR-0002")),
        (document_key("adr", "ADR-0001"), document_key("plan", "billing")),
    ]
    linked = link([billing, ledger], adrs, citations=citations)
    # Relations between records are not references: each record lists them apart.
    assert linked.project.links.adrs["ADR-0001"].relations == (
        AdrLink("superseded-by", "Superseded by", "ADR-0002", True),
    )
    assert linked.project.links.referenced_by == {
        "adr:ADR-0001": ("plan:billing",),
        "adr:ADR-0002": ("page:guide/why.md",),
        "gate:G7": ("plan:billing",),
        "plan:billing": ("adr:ADR-0001",),
        "plan:ledger": ("plan:billing",),
    }


def test_indexes_hold_every_task_and_phase_by_key_in_file_order() -> None:
    second = plan("b", phase("P1", task("T1")), path="docs/2-b.md")
    first = plan("a", phase("P1", task("T2"), task("T10")), phase("P2"), path="docs/1-a.md")
    project = link([first, second]).project
    assert list(project.tasks) == ["a/T2", "a/T10", "b/T1"]
    assert list(project.phases) == ["a/P1", "a/P2", "b/P1"]
    assert list(project.plans) == ["a", "b"]


def test_keys_are_text_and_say_what_they_stand_for() -> None:
    assert item_key("billing", "P1.2") == "billing/P1.2"
    assert [
        (key_kind(k), key_name(k))
        for k in (
            document_key("plan", "x"),
            document_key("adr", "ADR-0001"),
            document_key("gate", "G1"),
            document_key("page", "a/b.md"),
        )
    ] == [
        ("plan", "x"),
        ("adr", "ADR-0001"),
        ("gate", "G1"),
        ("page", "a/b.md"),
    ]
    assert key_kind(item_key("x", "a:b")) == "item"
