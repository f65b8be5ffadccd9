"""Build model objects from validated front matter.

The builders are defensive: a document with schema errors still yields whatever parts
of it are well formed, so that one broken task does not make every reference to its
plan dangle.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Any

from plancompiler.model import Adr, Day, Gate, Loc, Metric, Phase, Plan, Ref, Relation, Risk, Rollback, Task, item_key
from plancompiler.parse.document import ParsedDocument
from plancompiler.parse.yaml_tree import Path, YamlProblem
from plancompiler.vocabulary import AdrStatus, PlanStatus, TaskStatus, member

_ESTIMATE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)([hdw])$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DAYS_PER = {"h": 1 / 8, "d": 1.0, "w": 5.0}


def estimate_days(value: Any) -> float | None:
    """`2d` -> 2.0, `1w` -> 5.0, `4h` -> 0.5, `3` -> 3.0; None when absent or malformed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value >= 0 else None
    if isinstance(value, str):
        return _estimate_text(value)
    return None


@lru_cache(maxsize=1024)
def _estimate_text(value: str) -> float | None:
    """`estimate_days` of a text; a site writes few different estimates."""
    match = _ESTIMATE.match(value.strip())
    return float(match.group(1)) * _DAYS_PER[match.group(2)] if match else None


Position = tuple[Any, ...] | None


def _child(entry: Position, part: str | int) -> Position:
    """The position entry of one key or item below `entry` (see `Marks.entry`)."""
    if entry is None:
        return None
    children = entry[5]
    if type(children) is dict:
        found: Position = children.get(part)
        return found
    if type(children) is list and type(part) is int and 0 <= part < len(children):
        found = children[part]
        return found
    return None


class _Reader:
    """Typed, forgiving access to one document's values and marks."""

    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc

    def loc(self, path: Path, key: bool = False) -> Loc:
        mark = self.doc.mark(path)
        return Loc(self.doc.path, mark.key_line if key else mark.line, mark.key_col if key else mark.col)

    def text(self, node: Any, key: str) -> str | None:
        value = node.get(key) if isinstance(node, dict) else None
        return value if isinstance(value, str) and value.strip() else None

    def texts(self, node: Any, key: str) -> tuple[str, ...]:
        value = node.get(key) if isinstance(node, dict) else None
        if not isinstance(value, list):
            return ()
        return tuple(v for v in value if isinstance(v, str))

    def at(self, place: Position, key: str | int, path: Path) -> Loc:
        """The location of the value `key` of the value at `path`, from its position entry
        below `place` when that is at hand."""
        entry = _child(place, key)
        if entry is not None:
            return Loc(self.doc.path, entry[2], entry[3])
        return self.loc((*path, key))

    def refs(self, node: Any, key: str, path: Path, place: Position = None) -> tuple[Ref, ...]:
        """The references listed under `key` of `node`, whose position entry is `place` when
        it is at hand."""
        value = node.get(key) if isinstance(node, dict) else None
        if not isinstance(value, list):
            return ()
        # One lookup for the list, then its items' positions by index.
        listed = _child(place, key)
        if listed is None:
            listed = self.doc.marks.entry((*path, key))
        places = listed[5] if listed is not None and isinstance(listed[5], list) else []
        refs = []
        for i, v in enumerate(value):
            if isinstance(v, str) and v:
                if i < len(places):
                    refs.append(Ref(v, Loc(self.doc.path, places[i][2], places[i][3])))
                else:
                    refs.append(Ref(v, self.loc((*path, key, i))))
        return tuple(refs)

    def day(self, node: Any, key: str, place: Position, path: Path, problems: list[YamlProblem]) -> Day | None:
        """A `start:` or `due:` date of `node` (whose position entry is `place` when it is at
        hand); one shaped like a date that the calendar lacks (2026-02-30) is reported here,
        any other shape by the schema."""
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return Day(value, self.at(place, key, path))
        if not isinstance(value, str) or not _DATE.match(value.strip()):
            return None
        loc = self.at(place, key, path)
        try:
            return Day(datetime.date.fromisoformat(value.strip()), loc)
        except ValueError:
            problems.append(
                YamlProblem(
                    "PLN054",
                    loc.line,
                    loc.col,
                    f"{key} '{value.strip()}' is not a day of the calendar; write a real date as YYYY-MM-DD",
                )
            )
            return None

    def items(self, node: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
        value = node.get(key) if isinstance(node, dict) else None
        if not isinstance(value, list):
            return []
        return [(i, v) for i, v in enumerate(value) if isinstance(v, dict) and isinstance(v.get("id"), str)]


def build_plan(doc: ParsedDocument, plan_id: str, problems: list[YamlProblem]) -> Plan:
    """The plan of a document whose `id` is known; local duplicate ids are reported here."""
    r = _Reader(doc)
    data = doc.data
    seen: dict[tuple[str, str], Loc] = {}

    def unique(kind: str, ident: str, loc: Loc) -> bool:
        first = seen.get((kind, ident))
        if first:
            problems.append(
                YamlProblem(
                    "PLN021",
                    loc.line,
                    loc.col,
                    f"{kind} id '{ident}' is already used in plan '{plan_id}' at line"
                    f" {first.line}; ids of {kind}s are unique within a plan",
                )
            )
            return False
        seen[(kind, ident)] = loc
        return True

    # Positions are walked down beside the values (a lookup by path per value costs more
    # than building the plan); marks added after parsing, if any, go through `loc`.
    root = doc.marks.root if not doc.marks.extra else None
    phase_places = _child(root, "phases")
    phases = []
    for i, raw in r.items(data, "phases"):
        path: Path = ("phases", i)
        place = _child(phase_places, i)
        loc = r.at(place, "id", path)
        if not unique("phase", raw["id"], loc):
            continue
        tasks = []
        task_places = _child(place, "tasks")
        for j, t in r.items(raw, "tasks"):
            tpath: Path = (*path, "tasks", j)
            tplace = _child(task_places, j)
            tloc = r.at(tplace, "id", tpath)
            if not unique("task", t["id"], tloc):
                continue
            status = member(TaskStatus, t.get("status")) or TaskStatus.TODO
            estimate = t.get("estimate")
            tasks.append(
                Task(
                    id=t["id"],
                    title=r.text(t, "title") or t["id"],
                    plan=plan_id,
                    phase=raw["id"],
                    status=status,
                    owner=r.text(t, "owner"),
                    estimate=str(estimate) if isinstance(estimate, (str, int, float)) else None,
                    days=estimate_days(estimate),
                    depends_on=r.refs(t, "depends_on", tpath, tplace),
                    loc=tloc,
                    start=r.day(t, "start", tplace, tpath, problems),
                    due=r.day(t, "due", tplace, tpath, problems),
                    key=item_key(plan_id, t["id"]),
                )
            )
        phases.append(
            Phase(
                id=raw["id"],
                title=r.text(raw, "title") or raw["id"],
                plan=plan_id,
                goal=r.text(raw, "goal"),
                duration=r.text(raw, "duration"),
                gates=r.refs(raw, "gates", path, place),
                depends_on=r.refs(raw, "depends_on", path, place),
                deliverables=r.texts(raw, "deliverables"),
                exit_criteria=r.texts(raw, "exit_criteria"),
                tasks=tuple(tasks),
                loc=loc,
                start=r.day(raw, "start", place, path, problems),
                due=r.day(raw, "due", place, path, problems),
                key=item_key(plan_id, raw["id"]),
            )
        )

    gates = []
    gate_places = _child(root, "gates")
    for i, g in r.items(data, "gates"):
        path = ("gates", i)
        place = _child(gate_places, i)
        adr = g.get("adr")
        gates.append(
            Gate(
                id=g["id"],
                title=r.text(g, "title") or g["id"],
                plan=plan_id,
                adr=Ref(adr, r.at(place, "adr", path)) if isinstance(adr, str) else None,
                after=r.refs(g, "after", path, place),
                waived=g.get("waived") is True,
                reason=r.text(g, "reason"),
                loc=r.at(place, "id", path),
                due=r.day(g, "due", place, path, problems),
            )
        )

    risks = []
    risk_places = _child(root, "risks")
    for i, k in r.items(data, "risks"):
        loc = r.at(_child(risk_places, i), "id", ("risks", i))
        if unique("risk", k["id"], loc):
            risks.append(
                Risk(
                    id=k["id"],
                    title=r.text(k, "title") or k["id"],
                    likelihood=r.text(k, "likelihood"),
                    impact=r.text(k, "impact"),
                    mitigation=r.text(k, "mitigation"),
                    owner=r.text(k, "owner"),
                    loc=loc,
                )
            )

    metrics = []
    metric_places = _child(root, "success_metrics")
    for i, m in r.items(data, "success_metrics"):
        loc = r.at(_child(metric_places, i), "id", ("success_metrics", i))
        if unique("metric", m["id"], loc):
            metrics.append(
                Metric(
                    id=m["id"],
                    category=r.text(m, "category"),
                    metric=r.text(m, "metric") or m["id"],
                    target=r.text(m, "target") or "",
                    baseline=r.text(m, "baseline"),
                    loc=loc,
                )
            )

    rollback_raw = data.get("rollback")
    rollback = (
        Rollback(r.texts(rollback_raw, "triggers"), r.texts(rollback_raw, "steps"))
        if isinstance(rollback_raw, dict)
        else None
    )
    return Plan(
        id=plan_id,
        title=r.text(data, "title") or plan_id,
        status=member(PlanStatus, str(data.get("status") or "")) or PlanStatus.DRAFT,
        path=doc.path,
        rel=doc.rel,
        owner=r.text(data, "owner"),
        version=r.text(data, "version"),
        complexity=r.text(data, "complexity"),
        updated=r.text(data, "updated"),
        depends_on=r.refs(data, "depends_on", ()),
        metrics=tuple(metrics),
        gates=tuple(gates),
        phases=tuple(phases),
        risks=tuple(risks),
        rollback=rollback,
        loc=r.loc(("id",)),
        status_loc=r.loc(("status",)),
        body=doc.body,
        body_line=doc.body_line,
        start=r.day(data, "start", root, (), problems),
        due=r.day(data, "due", root, (), problems),
    )


_FRONT_MATTER_RELATIONS = (
    ("supersedes", "supersedes", "Supersedes"),
    ("superseded_by", "superseded-by", "Superseded by"),
    ("amends", "amends", "Amends"),
    ("amended_by", "amended-by", "Amended by"),
)


def build_adr(doc: ParsedDocument, adr_id: str) -> Adr:
    """The ADR of a document whose id is known; an unknown status is kept as written."""
    r = _Reader(doc)
    data = doc.data
    state = data.get("status")
    written, note = doc.derived.get("status") or (state, None)
    relations: list[Relation] = []
    for key, kind, label in _FRONT_MATTER_RELATIONS:
        value = data.get(key)
        if isinstance(value, str):
            relations.append(Relation(kind, label, Ref(value, r.loc((key,)))))
        else:
            relations += (Relation(kind, label, ref) for ref in r.refs(data, key, ()))
    for kind, label, text, path, line, col in doc.derived.get("relations", ()):
        relations.append(Relation(kind, label, Ref(text, Loc(doc.path, line, col)), path))
    return Adr(
        id=adr_id,
        title=r.text(data, "title") or adr_id,
        path=doc.path,
        rel=doc.rel,
        status=member(AdrStatus, state),
        raw_status=str(written) if written is not None else None,
        date=r.text(data, "date") or doc.derived.get("date"),
        deciders=r.texts(data, "deciders"),
        relations=tuple(relations),
        loc=r.loc(("id",)) if ("id",) in doc.marks else Loc(doc.path, 1, 1),
        status_loc=r.loc(("status",)),
        body=doc.body,
        body_line=doc.body_line,
        status_note=note,
    )
