"""The broken-input corpus: each case, the documents it adds, and the diagnostic it must give.

Every case is dropped into a fresh copy of `baseline/` (a valid plan, its gates and the two
ADRs they are tied to). Most cases are files or folders under `docs/`, copied to the same
place in the site's docs folder; cases whose bytes are awkward to keep in Git (5 MB, bytes
that are not UTF-8, NUL bytes, CRLF line ends, a byte-order mark, an alias bomb) are made by
the functions below. `expect` is `path:line:col: CODE`, the path taken inside the docs folder.
`positive/` holds documents that look suspicious but are valid.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline"
DOCS = HERE / "docs"
POSITIVE = HERE / "positive"

BASELINE_PAGES = (
    "index.html",
    "plans/baseline/index.html",
    "decisions/0001-record-architecture-decisions/index.html",
    "decisions/0002-choose-the-message-broker/index.html",
)


@dataclass(frozen=True)
class Case:
    """One broken input: where its documents go, and the diagnostic it must produce.

    `source` is a file or folder under `docs/`, or the path a generated file is written to;
    `says` are phrases the diagnostic's message must contain; `also` are the case's other
    diagnostics. A case gives these diagnostics and no others. `severity` is the first
    diagnostic's: an error fails `plans check` and the strict build, a warning does not.
    """

    name: str
    source: str
    expect: str
    says: tuple[str, ...] = ()
    generate: Callable[[], bytes] | None = None
    also: tuple[str, ...] = ()
    severity: str = "error"

    @property
    def code(self) -> str:
        return self.expect.rsplit(" ", 1)[1]

    def install(self, docs: Path) -> list[str]:
        """Write the case's documents into `docs`; return their paths inside it."""
        target = docs / self.source
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.generate is not None:
            target.write_bytes(self.generate())
        elif (DOCS / self.source).is_dir():
            shutil.copytree(DOCS / self.source, target)
        else:
            shutil.copyfile(DOCS / self.source, target)
        files = sorted(target.rglob("*.md")) if target.is_dir() else [target]
        return [f.relative_to(docs).as_posix() for f in files]


def _from(source: str, plan_id: str, newline: str = "\n", prefix: str = "") -> Callable[[], bytes]:
    """A committed case again, under another plan id, with other line ends or a prefix."""

    def generate() -> bytes:
        text = (DOCS / source).read_text(encoding="utf-8")
        old_id = "id: " + Path(source).stem
        text = text.replace(old_id, "id: " + plan_id, 1).replace("\n", newline)
        return (prefix + text).encode("utf-8")

    return generate


def _not_utf8() -> bytes:
    return (
        b"---\nkind: plan\nid: not-utf8\ntitle: Caf\xe9 orders\nstatus: draft\n---\n"
        b"# Caf\xe9 orders, saved as Latin-1\n"
    )


def _binary() -> bytes:
    """The first bytes of a PNG image, saved under a decision record's name."""
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
        b"\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\x00\x01"
    )


def _nul_byte() -> bytes:
    return b"---\nkind: plan\nid: nul-byte\ntitle: Nul\x00byte\nstatus: draft\n---\n# NUL\n"


def _five_megabytes() -> bytes:
    """A plan whose front matter is 5 MB of log entries."""
    head = "---\nkind: plan\nid: five-megabytes\ntitle: Five megabytes\nstatus: draft\nx-log:\n"
    item = "  - " + "an entry of the change log " * 3 + "\n"
    entries = item * (5 * 1024 * 1024 // len(item) + 1)
    return (head + entries + "---\n# Five megabytes of front matter\n").encode("utf-8")


def _alias_bomb() -> bytes:
    """Nine levels of ten aliases each: 10^9 nodes once expanded ('billion laughs').

    Expansion is refused once aliases stand for more than 100,000 nodes: after the first
    three levels (12,330 nodes), at the eighth `*d` of `x-e` (line 10, column 38).
    """
    lines = ["---", "kind: plan", "id: alias-bomb", "title: A billion laughs", "status: draft"]
    lines.append("x-a: &a [" + ", ".join(["lol"] * 10) + "]")
    for before, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"x-{name}: &{name} [" + ", ".join([f"*{before}"] * 10) + "]")
    lines += ["---", "# A billion laughs", ""]
    return "\n".join(lines).encode("utf-8")


# fmt: off
CASES: tuple[Case, ...] = (
    # -- reading the file and its YAML ----------------------------------------------------
    Case("yaml-mapping-in-value", "plans/yaml-mapping-in-value.md",
         "plans/yaml-mapping-in-value.md:4:17: PLN002", ("mapping values", "holds ': '", "put the value in quotes")),
    Case("yaml-unclosed-flow-list", "plans/yaml-unclosed-flow-list.md",
         "plans/yaml-unclosed-flow-list.md:10:61: PLN002", ("flow sequence", "this '}' closes the '['")),
    Case("yaml-unterminated-quote", "plans/yaml-unterminated-quote.md",
         "plans/yaml-unterminated-quote.md:4:8: PLN002", ("quoted scalar", "never closed")),
    Case("yaml-tab-indentation", "plans/yaml-tab-indentation.md",
         "plans/yaml-tab-indentation.md:7:1: PLN002", ("replace the tab with spaces",)),
    Case("yaml-error-after-byte-order-mark", "plans/byte-order-mark.md",
         "plans/byte-order-mark.md:4:17: PLN002", ("mapping values",),
         _from("plans/yaml-mapping-in-value.md", "byte-order-mark", prefix="\ufeff")),
    Case("unclosed-front-matter", "plans/unclosed-front-matter.md",
         "plans/unclosed-front-matter.md:1:1: PLN003", ("never closed",)),
    Case("front-matter-is-a-list", "decisions/0102-front-matter-is-a-list.md",
         "decisions/0102-front-matter-is-a-list.md:2:1: PLN004", ("not a sequence",)),
    Case("unsafe-yaml-tag", "plans/unsafe-yaml-tag.md",
         "plans/unsafe-yaml-tag.md:4:8: PLN005", ("!!python/object/apply:os.system",)),
    Case("empty-file", "decisions/0101-empty.md",
         "decisions/0101-empty.md:1:1: PLN007", ("empty",)),
    Case("complex-mapping-key", "plans/complex-mapping-key.md",
         "plans/complex-mapping-key.md:6:3: PLN052", ("keys must be plain text, not a sequence",)),
    Case("duplicate-key", "plans/duplicate-key.md",
         "plans/duplicate-key.md:7:1: PLN008", ("'status'", "first on line 5")),
    Case("not-utf8", "plans/not-utf8.md",
         "plans/not-utf8.md:4:11: PLN001", ("0xe9",), _not_utf8),
    Case("binary-file", "decisions/0113-binary-file.md",
         "decisions/0113-binary-file.md:1:1: PLN001", ("0x89",), _binary),
    Case("nul-byte", "plans/nul-byte.md",
         "plans/nul-byte.md:4:11: PLN001", ("NUL",), _nul_byte),
    Case("five-megabyte-file", "plans/five-megabytes.md",
         "plans/five-megabytes.md:2:1: PLN006", ("over the limit",), _five_megabytes),
    Case("alias-bomb", "plans/alias-bomb.md",
         "plans/alias-bomb.md:10:38: PLN006", ("more than 100000 nodes",), _alias_bomb),
    Case("deep-nesting", "plans/deep-nesting.md",
         "plans/deep-nesting.md:6:72: PLN006", ("more than 64 levels",)),
    # -- schema -------------------------------------------------------------------------
    Case("unknown-key-depend-on", "plans/unknown-key-depend-on.md",
         "plans/unknown-key-depend-on.md:6:1: PLN050", ("did you mean 'depends_on'",)),
    Case("unknown-key-in-task", "plans/unknown-key-in-task.md",
         "plans/unknown-key-in-task.md:11:44: PLN050", ("task P1.2", "'depend_on'")),
    Case("missing-status", "plans/missing-status.md",
         "plans/missing-status.md:2:1: PLN051", ("'status'",)),
    Case("adr-kind-without-id", "plans/adr-kind-without-id.md",
         "plans/adr-kind-without-id.md:2:1: PLN051", ("ADR is missing the required key 'id'",)),
    Case("missing-task-title", "plans/missing-task-title.md",
         "plans/missing-task-title.md:11:9: PLN051", ("task P1.2", "'title'")),
    Case("wrong-type-depends-on", "plans/wrong-type-depends-on.md",
         "plans/wrong-type-depends-on.md:6:13: PLN052", ("must be a list, not text",)),
    Case("wrong-type-tasks-mapping", "plans/wrong-type-tasks-mapping.md",
         "plans/wrong-type-tasks-mapping.md:10:7: PLN052", ("must be a list, not a mapping",)),
    Case("wrong-type-status", "plans/wrong-type-status-list.md",
         "plans/wrong-type-status-list.md:5:9: PLN052", ("not a list",),
         also=("plans/wrong-type-status-list.md:10:52: PLN052",)),
    Case("unknown-status", "plans/unknown-status.md",
         "plans/unknown-status.md:5:9: PLN053", ("'finished'",)),
    Case("unknown-task-status", "plans/unknown-task-status.md",
         "plans/unknown-task-status.md:10:52: PLN053", ("'complete'",)),
    Case("yaml-1-1-boolean-status", "plans/yaml-1-1-boolean-status.md",
         "plans/yaml-1-1-boolean-status.md:5:9: PLN053", ("status 'on'",)),
    Case("adr-unknown-status", "decisions/0106-unknown-status.md",
         "decisions/0106-unknown-status.md:2:9: PLN065", ("'superseded-in-part by",),
         severity="warning"),
    Case("adr-empty-status", "decisions/0108-empty-status.md",
         "decisions/0108-empty-status.md:2:8: PLN065", ("status of ADR-0108 is empty",),
         severity="warning"),
    Case("bad-estimate", "plans/bad-estimate.md",
         "plans/bad-estimate.md:11:54: PLN054", ("'two days'",)),
    Case("malformed-references", "plans/malformed-references.md",
         "plans/malformed-references.md:6:14: PLN054", ("'Billing Ledger'",),
         also=tuple(f"plans/malformed-references.md:{at}: PLN054" for at in ("8:36", "12:13", "14:57"))),
    # -- duplicate ids ------------------------------------------------------------------
    Case("duplicate-task-id", "plans/duplicate-task-id.md",
         "plans/duplicate-task-id.md:15:14: PLN021", ("'T1'", "line 10")),
    Case("duplicate-plan-id", "duplicate-plan-id",
         "duplicate-plan-id/b.md:5:5: PLN020", ("docs/duplicate-plan-id/a.md:3",)),
    Case("duplicate-gate-id", "plans/duplicate-gate-id.md",
         "plans/duplicate-gate-id.md:7:10: PLN022", ("docs/plans/baseline.md:8",)),
    Case("duplicate-adr-number", "duplicate-adr-number",
         "duplicate-adr-number/decisions/0110-use-a-queue.md:2:5: PLN023", ("ADR-0110",)),
    # -- references ---------------------------------------------------------------------
    Case("unknown-plan", "plans/unknown-plan.md",
         "plans/unknown-plan.md:6:24: PLN010", ("'billing-ledgr'",)),
    Case("unknown-qualified-plan", "plans/unknown-qualified-plan.md",
         "plans/unknown-qualified-plan.md:15:13: PLN010", ("no plan 'billing-ledger'",)),
    Case("unknown-task", "plans/unknown-task.md",
         "plans/unknown-task.md:11:63: PLN011", ("'P9.1'",)),
    Case("unknown-task-crlf", "plans/crlf-line-endings.md",
         "plans/crlf-line-endings.md:11:63: PLN011", ("'P9.1'",),
         _from("plans/unknown-task.md", "crlf-line-endings", newline="\r\n")),
    Case("unknown-qualified-task", "plans/unknown-qualified-task.md",
         "plans/unknown-qualified-task.md:11:57: PLN011", ("'baseline/P1.9'", "plan 'baseline'")),
    Case("unknown-phase", "plans/unknown-phase.md",
         "plans/unknown-phase.md:11:22: PLN012", ("phase 'P3'",)),
    Case("unknown-gate-in-phase", "plans/unknown-gate-in-phase.md",
         "plans/unknown-gate-in-phase.md:9:18: PLN013", ("phase P1 waits on gate 'G012'",)),
    Case("unknown-gate-in-after", "plans/unknown-gate-in-after.md",
         "plans/unknown-gate-in-after.md:10:18: PLN013", ("G110 comes after gate 'G03'",)),
    Case("unknown-adr-on-gate", "plans/unknown-adr-on-gate.md",
         "plans/unknown-adr-on-gate.md:7:37: PLN014", ("ADR-0031",)),
    Case("unknown-adr-in-supersedes", "decisions/0104-supersedes-missing-adr.md",
         "decisions/0104-supersedes-missing-adr.md:4:14: PLN014", ("supersedes ADR-0099",)),
    Case("unknown-adr-in-superseded-by", "decisions/0105-superseded-by-missing-adr.md",
         "decisions/0105-superseded-by-missing-adr.md:4:16: PLN014",
         ("is superseded by ADR-0098",)),
    Case("unknown-xref-in-prose", "notes/unknown-xref-in-prose.md",
         "notes/unknown-xref-in-prose.md:3:34: PLN015", ("[ADR-0099]",),
         also=("notes/unknown-xref-in-prose.md:4:46: PLN015",)),
    # -- graphs -------------------------------------------------------------------------
    Case("task-cycle-of-one", "plans/task-cycle-of-one.md",
         "plans/task-cycle-of-one.md:11:63: PLN030",
         ("P1.2 (docs/plans/task-cycle-of-one.md:11) -> P1.2;",)),
    Case("task-cycle-of-two", "plans/task-cycle-of-two.md",
         "plans/task-cycle-of-two.md:10:57: PLN030", ("P1.1 (", ") -> P1.2 (", ") -> P1.1;")),
    Case("task-cycle-of-five", "plans/task-cycle-of-five.md",
         "plans/task-cycle-of-five.md:10:43: PLN030",
         ("T1 (", ") -> T5 (", ") -> T4 (", ") -> T3 (", ") -> T2 (", ") -> T1;")),
    Case("phase-cycle", "plans/phase-cycle.md",
         "plans/phase-cycle.md:9:18: PLN031", ("P1 (", ") -> P3 (", ") -> P2 (", ") -> P1;")),
    Case("plan-cycle-of-two", "plan-cycle-of-two",
         "plan-cycle-of-two/a.md:6:14: PLN032", ("plan-cycle-a (", ") -> plan-cycle-b (")),
    Case("plan-cycle-of-five", "plan-cycle-of-five",
         "plan-cycle-of-five/ring-1.md:6:14: PLN032",
         ("ring-1 (", ") -> ring-2 (", ") -> ring-3 (", ") -> ring-4 (", ") -> ring-5 (")),
    Case("gate-after-cycle", "plans/gate-after-cycle.md",
         "plans/gate-after-cycle.md:7:55: PLN033", ("G130 (", ") -> G131 (", ") -> G130;")),
    Case("gate-passed-before-earlier-gate", "plans/gate-passed-before-earlier-gate.md",
         "plans/gate-passed-before-earlier-gate.md:8:62: PLN034",
         ("G141 is passed", "after G140, which is still open")),
    Case("adr-id-normalised-on-gate", "plans/adr-id-normalised-on-gate.md",
         "plans/adr-id-normalised-on-gate.md:8:55: PLN034",
         ("ADR-0001 is accepted", "ADR-0002 is proposed")),
    # -- status contradictions and the ADR lifecycle -----------------------------------
    Case("done-depends-on-todo", "plans/done-depends-on-todo.md",
         "plans/done-depends-on-todo.md:11:83: PLN040", ("P1.2 is done", "P1.1, which is todo")),
    Case("completed-plan-open-tasks", "plans/completed-plan-open-tasks.md",
         "plans/completed-plan-open-tasks.md:5:9: PLN041", ("still open: P1.2;",)),
    Case("superseded-without-successor", "decisions/0103-superseded-without-successor.md",
         "decisions/0103-superseded-without-successor.md:2:9: PLN060", ("names no successor",)),
    Case("adr-without-title", "decisions/0112-empty-front-matter-no-title.md",
         "decisions/0112-empty-front-matter-no-title.md:1:1: PLN062", ("no title",)),
    Case("unfilled-madr-template", "decisions/0107-unfilled-madr-template.md",
         "decisions/0107-unfilled-madr-template.md:3:9: PLN064", ("status", "{proposed |"),
         also=tuple(f"decisions/0107-unfilled-madr-template.md:{at}: PLN064"
                    for at in ("4:7", "5:18", "6:12", "7:11", "10:3"))),
    Case("unfilled-bare-madr-template", "decisions/0109-unfilled-bare-madr-template.md",
         "decisions/0109-unfilled-bare-madr-template.md:1:3: PLN064", ("<!-- short title",)),
)
# fmt: on
