"""A knot of dependency cycles is reported whole: every member, its cycles, and the
dependencies whose removal breaks them all, so one round of fixes suffices."""

from __future__ import annotations

import re

from conftest import Site
from test_broken_inputs import diagnostics


def plan(plan_id: str, depends_on: list[str]) -> str:
    return (
        f"---\nkind: plan\nid: {plan_id}\ntitle: {plan_id}\nstatus: draft\ndepends_on: {depends_on}\n---\n# {plan_id}\n"
    )


def test_a_knot_of_plans_names_every_member_and_the_edges_that_close_it(site: Site) -> None:
    # As on a site of improvement proposals: A needs B, B needs A, B needs C, C needs B.
    site.write("eips/eip-a.md", plan("eip-a", ["eip-b"]))
    site.write("eips/eip-b.md", plan("eip-b", ["eip-a", "eip-c"]))
    site.write("eips/eip-c.md", plan("eip-c", ["eip-b"]))
    checked = site.check()
    assert checked.code == 1
    assert diagnostics(checked.out) == [
        "docs/eips/eip-b.md:6:14: PLN032 error: dependency cycles among plans: eip-a (docs/eips/eip-a.md:3),"
        " eip-b (docs/eips/eip-b.md:3), eip-c (docs/eips/eip-c.md:3) depend on each other; cycles:"
        " eip-a -> eip-b -> eip-a; eip-b -> eip-c -> eip-b; removing eip-b -> eip-a (docs/eips/eip-b.md:6),"
        " eip-c -> eip-b (docs/eips/eip-c.md:6) breaks them all"
    ]
    # One round: removing what the message names leaves no cycle.
    site.write("eips/eip-b.md", plan("eip-b", ["eip-c"]))
    site.write("eips/eip-c.md", plan("eip-c", []))
    assert site.check().code == 0


KNOTTED_PLAN = """\
---
kind: plan
id: knotted
title: Knotted
status: draft
gates:
  - {id: G1, title: One, after: [G2]}
  - {id: G2, title: Two, after: [G1, G3]}
  - {id: G3, title: Three, after: [G2]}
phases:
  - id: P1
    title: One
    depends_on: [P2]
    tasks:
      - {id: T1, title: One, depends_on: [T2]}
      - {id: T2, title: Two, depends_on: [T1, T3, T4]}
      - {id: T3, title: Three, depends_on: [T2]}
      - {id: T4, title: Four, depends_on: [T3]}
  - id: P2
    title: Two
    depends_on: [P1, P3]
  - id: P3
    title: Three
    depends_on: [P2]
---
# Knotted
"""


def test_knots_of_tasks_phases_and_gates_are_reported_whole(site: Site) -> None:
    site.write("plans/knotted.md", KNOTTED_PLAN)
    found = diagnostics(site.check().out)
    by_code = {re.search(r"PLN03\d", line).group(0): line for line in found}  # type: ignore[union-attr]
    assert sorted(by_code) == ["PLN030", "PLN031", "PLN033"] and len(found) == 3
    tasks = by_code["PLN030"]
    assert "T1 (docs/plans/knotted.md:15), T2 (docs/plans/knotted.md:16), T3 (docs/plans/knotted.md:17)," in tasks
    assert "T4 (docs/plans/knotted.md:18) depend on each other" in tasks
    assert "cycles: T1 -> T2 -> T1; T2 -> T3 -> T2; T2 -> T4 -> T3 -> T2;" in tasks
    assert "removing T2 -> T1 (docs/plans/knotted.md:16), T3 -> T2 (docs/plans/knotted.md:17) breaks them all" in tasks
    assert (
        "P1 (docs/plans/knotted.md:11), P2 (docs/plans/knotted.md:19), P3 (docs/plans/knotted.md:22)"
        in by_code["PLN031"]
    )
    assert "cycles: P1 -> P2 -> P1; P2 -> P3 -> P2;" in by_code["PLN031"]
    assert (
        "G1 (docs/plans/knotted.md:7), G2 (docs/plans/knotted.md:8), G3 (docs/plans/knotted.md:9)" in by_code["PLN033"]
    )
    # One round of the fixes named is enough: drop T2 -> T1, T3 -> T2, P2 -> P1, P3 -> P2,
    # G2 -> G1 and G3 -> G2.
    assert "removing P2 -> P1 (docs/plans/knotted.md:21), P3 -> P2 (docs/plans/knotted.md:24)" in by_code["PLN031"]
    assert "removing G2 -> G1 (docs/plans/knotted.md:8), G3 -> G2 (docs/plans/knotted.md:9)" in by_code["PLN033"]
    fixed = (
        KNOTTED_PLAN.replace("depends_on: [T1, T3, T4]", "depends_on: [T3, T4]")
        .replace("{id: T3, title: Three, depends_on: [T2]}", "{id: T3, title: Three}")
        .replace("depends_on: [P1, P3]", "depends_on: [P3]")
        .replace("    depends_on: [P2]\n---", "---")
        .replace("after: [G1, G3]", "after: [G3]")
        .replace("{id: G3, title: Three, after: [G2]}", "{id: G3, title: Three}")
    )
    site.write("plans/knotted.md", fixed)
    assert [line for line in diagnostics(site.check().out) if "PLN03" in line] == []


def test_the_gate_order_is_networkx_lexicographical_order_of_the_declared_graph() -> None:
    """The order worked out without networkx is the one networkx gives: by natural key, ties
    (`G1`, `G01`) by declaration, a node declared only by an edge where that edge is."""
    import random

    import networkx as nx

    from plancompiler.analyse.graphs import Edges, as_networkx, natural_key, report_cycles, topological
    from plancompiler.diagnostics import Reporter
    from plancompiler.model import Loc

    names = ["G1", "G01", "G2", "G02", "G10", "G3", "G03", "G11"]
    rng = random.Random(17)
    for _ in range(300):
        nodes = rng.sample(names, rng.randint(1, len(names)))
        graph: Edges = {}
        for node in nodes:
            targets = [t for t in rng.sample(names, rng.randint(0, 3)) if t != node]
            graph[node] = [(t, Loc("docs/x.md", 1, 1)) for t in targets + targets[:1]]  # one edge twice
        skip = report_cycles(graph, "PLN033", "gates", lambda n: Loc("docs/x.md", 1, 1), Reporter())
        # The nodes off cycles, in declaration order (a networkx subgraph view of fewer than
        # half the nodes iterates them in the order of a set, which varies between processes).
        whole = as_networkx(graph)
        reference = nx.DiGraph()
        reference.add_nodes_from(n for n in whole if n not in skip)
        reference.add_edges_from((u, v) for u, v in whole.edges if u not in skip and v not in skip)
        expected = [str(n) for n in nx.lexicographical_topological_sort(reference.reverse(copy=False), key=natural_key)]
        assert topological(graph, skip) == (*expected, *sorted(map(str, skip), key=natural_key))
        assert bool(skip) == (not nx.is_directed_acyclic_graph(as_networkx(graph)))
