"""Resolve every reference of the front matter once, and report each one that names nothing.

Task -> task, phase -> phase, phase -> gate, gate -> gate, gate -> ADR (and on to the decision
in force), plan -> plan and ADR -> ADR (the relations between records, which `link.relations`
resolves): each reference as written becomes the key or id of
what it names in `Links`, or None. A reference that is not even shaped like an id
(`adr: true`, `depends_on: [P 2]`) has its schema diagnostic already, and is not reported a
second time as dangling; nor is a reference into a plan that could not be read (`broken`),
whose own diagnostics say what is wrong.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from plancompiler.diagnostics import Reporter, hints
from plancompiler.ids import GATE_ID, LOCAL_ID, PLAN_ID, natural_key, normalise_adr_id, split_ref
from plancompiler.link.symbols import Symbols
from plancompiler.model import Adr, AdrLinks, Gate, GateLinks, Key, Links, Plan, PlanLinks, Ref, Task, document_key
from plancompiler.vocabulary import AdrStatus


def named_adr(adrs: Mapping[str, Adr], written: str) -> Adr | None:
    """The record an author names as written outside the model (a view block's `adr:`):
    `ADR-7`, `adr-0007` or a slug id, or None when no record has that id."""
    return adrs.get(normalise_adr_id(written) or written)


def resolve(symbols: Symbols, citations: Iterable[tuple[Key, Key]], reporter: Reporter) -> Links:
    """What every reference of every plan and ADR names, and who references what.

    `citations` are the (citing, cited) pairs of the prose's cross-references (`link.prose`).
    """
    adrs = {adr.id: _adr_links(symbols, adr, reporter) for adr in symbols.adrs.values()}
    gates: dict[str, GateLinks] = {}
    plans = {plan.id: _plan_links(symbols, adrs, gates, plan, reporter) for plan in symbols.plans.values()}
    return Links(plans, adrs, gates, _referenced_by(symbols, plans, citations))


def _hint(word: str, choices: Iterable[str]) -> str:
    return hints.spelling(word, sorted(choices))


def _well_formed_task_ref(text: str) -> bool:
    plan, local = split_ref(text)
    return (plan is None or bool(PLAN_ID.match(plan))) and bool(LOCAL_ID.match(local))


def _plan_links(
    symbols: Symbols, adrs: dict[str, AdrLinks], gates: dict[str, GateLinks], plan: Plan, reporter: Reporter
) -> PlanLinks:
    """What `plan`'s references name; the links of each gate the site knows it by go into `gates`."""
    depends_on = []
    for ref in plan.depends_on:
        needed = ref.text if ref.text in symbols.plans else None
        if needed is None and PLAN_ID.match(ref.text) and ref.text not in symbols.broken:
            reporter.report(
                "PLN010",
                ref.loc.path,
                ref.loc.line,
                ref.loc.col,
                f"plan '{plan.id}' depends on plan '{ref.text}', which does not exist{_hint(ref.text, symbols.plans)}",
            )
        depends_on.append(needed)
    declared = []
    for gate in plan.gates:
        gate_links = GateLinks(
            _gates(symbols, gate.after, "gate", gate.id, reporter) if gate.after else (),
            _in_force(symbols, adrs, gate, reporter),
        )
        declared.append(gate_links)
        if symbols.gates.get(gate.id) is gate:
            gates[gate.id] = gate_links
    local_phases = {phase.id: phase.key for phase in plan.phases}
    phases: dict[Key, tuple[Key | None, ...]] = {}
    waits_on: dict[Key, tuple[str | None, ...]] = {}
    tasks: dict[Key, tuple[Key | None, ...]] = {}
    others: set[str] = set()
    find = symbols.task
    for phase in plan.phases:
        waits_on[phase.key] = _gates(symbols, phase.gates, "phase", phase.id, reporter) if phase.gates else ()
        before = []
        for ref in phase.depends_on:
            found = local_phases.get(ref.text)
            if found is None and LOCAL_ID.match(ref.text):
                reporter.report(
                    "PLN012",
                    ref.loc.path,
                    ref.loc.line,
                    ref.loc.col,
                    f"phase {phase.id} depends on phase '{ref.text}', which plan"
                    f" '{plan.id}' does not define{_hint(ref.text, local_phases)}",
                )
            before.append(found)
        phases[phase.key] = tuple(before) if before else ()
        for task in phase.tasks:
            if not task.depends_on:
                tasks[task.key] = ()
                continue
            targets: list[Key | None] = []
            for ref in task.depends_on:
                target = find(plan.id, ref.text)
                if target is None:
                    _dangling_task(symbols, plan, task, ref, reporter)
                    targets.append(None)
                else:
                    if target.plan != plan.id:
                        others.add(target.plan)
                    targets.append(target.key)
            tasks[task.key] = tuple(targets)
    return PlanLinks(tuple(depends_on), tasks, phases, waits_on, tuple(declared), tuple(sorted(others)))


def _gates(
    symbols: Symbols, refs: tuple[Ref, ...], kind: str, ident: str, reporter: Reporter
) -> tuple[str | None, ...]:
    """The ids of the gates `refs` name, None where one names no gate (reported when it is
    shaped like a gate id); `kind` and `ident` say whose references they are."""
    known = symbols.gates
    found = tuple([ref.text if ref.text in known else None for ref in refs])
    if None not in found:
        return found
    what = f"gate {ident} comes after" if kind == "gate" else f"phase {ident} waits on"
    for ref, gate_id in zip(refs, found):
        if gate_id is None and GATE_ID.match(ref.text):
            reporter.report(
                "PLN013",
                ref.loc.path,
                ref.loc.line,
                ref.loc.col,
                f"{what} gate '{ref.text}', which no plan declares{_hint(ref.text, symbols.gates)}",
            )
    return found


def _in_force(symbols: Symbols, adrs: dict[str, AdrLinks], gate: Gate, reporter: Reporter) -> tuple[str, ...]:
    """The ADR `gate` is tied to, then each successor up to the decision in force (brief 3.3)."""
    if gate.adr is None:
        return ()
    tied = symbols.adr(gate.adr.text)
    if tied is None:
        shown = normalise_adr_id(gate.adr.text)
        if shown:
            reporter.report(
                "PLN014",
                gate.adr.loc.path,
                gate.adr.loc.line,
                gate.adr.loc.col,
                f"gate {gate.id} is tied to {shown}, which does not exist; correct the"
                f" number or add the ADR{_hint(shown, symbols.adrs)}",
            )
        return ()
    chain = [tied]
    adr = symbols.adrs[tied]
    while adr.status is AdrStatus.SUPERSEDED:
        successor = adrs[adr.id].successor
        if successor is None or successor in chain:
            break
        chain.append(successor)
        adr = symbols.adrs[successor]
    return tuple(chain)


def _dangling_task(symbols: Symbols, plan: Plan, task: Task, ref: Ref, reporter: Reporter) -> None:
    """Report a task dependency that names no task, when it is shaped like one."""
    if not _well_formed_task_ref(ref.text):
        return
    other, local = split_ref(ref.text)
    if other is not None and other not in symbols.plans:
        if other not in symbols.broken:
            reporter.report(
                "PLN010",
                ref.loc.path,
                ref.loc.line,
                ref.loc.col,
                f"task {task.id} depends on '{ref.text}', but there is no plan '{other}'{_hint(other, symbols.plans)}",
            )
        return
    target = symbols.plans[other or plan.id]
    names = [t.id for t in target.tasks]
    phase_note = (
        f"; '{local}' is a phase, so depend on its tasks or make phase {task.phase} depend on phase {local}"
        if any(p.id == local for p in target.phases)
        else _hint(local, names)
    )
    reporter.report(
        "PLN011",
        ref.loc.path,
        ref.loc.line,
        ref.loc.col,
        f"task {task.id} depends on '{ref.text}', which no phase of plan '{target.id}' defines{phase_note}",
    )


def _adr_links(symbols: Symbols, adr: Adr, reporter: Reporter) -> AdrLinks:
    """What `adr`'s relations name (`Symbols.link_adrs`); a supersession or an amendment that
    names no record of the site is reported, when it is shaped like a reference to one."""
    links = symbols.adr_links[adr.id]
    for relation, named in zip(adr.relations, links.named):
        if named is not None or relation.kind == "other":
            continue
        ref = relation.target
        if relation.path is not None:
            what = f"'{relation.path}', which is not a decision record of this site; correct the link"
        elif normalise_adr_id(ref.text):
            what = f"{normalise_adr_id(ref.text)}, which does not exist; correct the number"
        else:
            continue  # not shaped like an id: the schema has said so
        verb = ("is " if relation.kind.endswith("-by") else "") + relation.label.lower()
        reporter.report("PLN014", ref.loc.path, ref.loc.line, ref.loc.col, f"{adr.id} {verb} {what} or add that ADR")
    return links


def _referenced_by(
    symbols: Symbols,
    plans: dict[str, PlanLinks],
    citations: Iterable[tuple[Key, Key]],
) -> dict[Key, tuple[Key, ...]]:
    found: dict[Key, set[Key]] = defaultdict(set)
    plan_keys = {plan_id: document_key("plan", plan_id) for plan_id in symbols.plans}
    for plan in symbols.plans.values():
        source, links = plan_keys[plan.id], plans[plan.id]
        for needed in links.depends_on:
            if needed is not None:
                found[plan_keys[needed]].add(source)
        for other in links.other_plans:
            found[plan_keys[other]].add(source)
        for gate_links in links.gates:
            if gate_links.adrs:
                found[document_key("adr", gate_links.adrs[0])].add(source)
        for waits in links.waits_on.values():
            for gate_id in waits:
                if gate_id is not None:
                    found[document_key("gate", gate_id)].add(source)
                    owner = symbols.gates[gate_id].plan
                    if owner != plan.id:
                        found[plan_keys[owner]].add(source)
    # Relations between records are not references: each record lists them apart, from both
    # sides (`AdrLinks.relations`).
    for citing, cited in citations:
        found[cited].add(citing)
    # Most are referenced once: nothing to sort.
    return {k: tuple(sorted(v, key=natural_key)) if len(v) > 1 else tuple(v) for k, v in sorted(found.items())}
