"""Relations between decision records, resolved once: which record each one names, seen from
both records, and who supersedes whom.

A relation names the other record by the file it links to (`[26. Title](0026-title.md)`), or
by an id (`ADR-0026`, `0026`, a log4brains slug), or by the number its link text starts with
(`[26. Title]`), in that order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from plancompiler.model import Adr, AdrLink, AdrLinks, Relation

INVERSE = {
    "supersedes": "superseded-by",
    "superseded-by": "supersedes",
    "amends": "amended-by",
    "amended-by": "amends",
}
LABELS = {
    "supersedes": "Supersedes",
    "superseded-by": "Superseded by",
    "amends": "Amends",
    "amended-by": "Amended by",
}
_ORDER = {kind: i for i, kind in enumerate(("superseded-by", "supersedes", "amended-by", "amends", "other"))}
_LEADING_NUMBER = re.compile(r"^\s*(?:ADR[-_ ]?)?#?(\d+)\b", re.IGNORECASE)


def relation_target(relation: Relation, by_path: Mapping[str, str], find: Callable[[str], str | None]) -> str | None:
    """The id of the record `relation` names, or None. `by_path` maps files to record ids and
    `find` looks up an id as written."""
    if relation.path is not None and relation.path in by_path:
        return by_path[relation.path]
    found = find(relation.target.text)
    if found is None:
        number = _LEADING_NUMBER.match(relation.target.text)
        found = find(number.group(1)) if number else None
    return found


def link_records(
    adrs: Mapping[str, Adr], by_path: Mapping[str, str], find: Callable[[str], str | None]
) -> dict[str, AdrLinks]:
    """Every record's relations, each resolved and seen from both ends, and its successor."""
    named = {
        adr.id: tuple(relation_target(relation, by_path, find) for relation in adr.relations) for adr in adrs.values()
    }
    found: dict[str, dict[tuple[str, str, str], AdrLink]] = {}
    for adr in adrs.values():
        for relation, other in zip(adr.relations, named[adr.id]):
            if other is None or other == adr.id:
                continue
            label = LABELS.get(relation.kind, relation.label)
            found.setdefault(adr.id, {})[relation.kind, label, other] = AdrLink(relation.kind, label, other, True)
            inverse = INVERSE.get(relation.kind, "other")
            seen_there = AdrLink(inverse, LABELS.get(inverse, relation.label), adr.id, False)
            found.setdefault(other, {}).setdefault((inverse, seen_there.label, adr.id), seen_there)
    links = {}
    for adr_id in adrs:
        entries = found.get(adr_id, {})
        # A relation written on one side only is still a relation of both (and a warning, see
        # `analyse.rules`); where both sides write one, their own words are shown.
        written = {(link.kind, link.other) for link in entries.values() if link.written}
        kept = [link for link in entries.values() if link.written or (link.kind, link.other) not in written]
        relations = tuple(sorted(kept, key=lambda k: (_ORDER[k.kind], k.other, k.label)))
        successor = next((link.other for link in relations if link.kind == "superseded-by"), None)
        links[adr_id] = AdrLinks(named[adr_id], relations, successor)
    return links
