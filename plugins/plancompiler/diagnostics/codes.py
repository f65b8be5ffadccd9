"""The registry of diagnostic codes: one entry per code, stable across releases.

A code never changes meaning once published. Each entry carries the text the
reference page shows (what it catches, an example, and how to fix it), so the
documentation is generated from the same table the compiler reports from.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How much a diagnostic matters; `off` silences a code entirely."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class Code:
    """One diagnostic code and its documentation."""

    code: str
    name: str
    severity: Severity
    catches: str
    example: str
    fix: str


def _c(code: str, name: str, severity: str, catches: str, example: str, fix: str) -> Code:
    return Code(code, name, Severity(severity), catches, example, fix)


CODES: dict[str, Code] = {
    c.code: c
    for c in (
        # -- reading the file and its YAML -------------------------------------------------
        _c(
            "PLN001",
            "not-utf8",
            "error",
            "A plan or ADR file that is not UTF-8 text (binary data, NUL bytes, Latin-1).",
            "decisions/0003-db.md:4:12: PLN001 error: byte 0xe9 is not valid UTF-8",
            "Save the file as UTF-8. The position points at the first byte that does not decode.",
        ),
        _c(
            "PLN002",
            "yaml-syntax",
            "error",
            "A YAML syntax error in the front matter. The message names the likely mistake (a line"
            " indented unlike the one above, a list item without its `- `, an unquoted `: ` or ` #`"
            " inside a value, a tab), and `plans check` and the build log show the line with a caret"
            " under the column.",
            "plans/x.md:5:12: PLN002 error: YAML syntax error: the value of 'title' holds ': ', which YAML"
            ' reads as the start of another key; put the value in quotes: title: "Fix: the checkout"'
            " (PyYAML: mapping values are not allowed in this context)",
            "Fix the YAML where the caret points; quote values that contain `: ` or ` #` or start with"
            " `[`, `{`, `*`, `&`, `!`, `%`, `@` or a backtick, and indent with spaces only.",
        ),
        _c(
            "PLN003",
            "unclosed-front-matter",
            "error",
            "Front matter that starts with `---` but has no closing `---` line.",
            "plans/x.md:1:1: PLN003 error: front matter opened here is never closed",
            "Add a line containing only `---` after the last front-matter key.",
        ),
        _c(
            "PLN004",
            "front-matter-not-mapping",
            "error",
            "Front matter whose top level is a list or a scalar instead of `key: value` pairs.",
            "plans/x.md:2:1: PLN004 error: front matter must be a mapping of keys to values, not a sequence",
            "Write the front matter as `key: value` lines.",
        ),
        _c(
            "PLN005",
            "unsafe-yaml-tag",
            "error",
            "A YAML tag that would construct an object or run code, such as"
            " `!!python/object/apply:os.system`. Front matter is loaded with a safe loader only.",
            "plans/x.md:3:7: PLN005 error: YAML tag '!!python/object/apply:os.system' is not allowed in front matter",
            "Remove the tag and write plain YAML values.",
        ),
        _c(
            "PLN006",
            "resource-limit",
            "error",
            "Front matter beyond the compiler's limits: too large, nested too deep, or aliases"
            " that expand to too many nodes (a YAML 'billion laughs' bomb).",
            "plans/x.md:4:5: PLN006 error: YAML aliases expand to more than 100000 nodes; refusing to expand them",
            "Write the values out instead of nesting anchors and aliases; split very large plans into several plans.",
        ),
        _c(
            "PLN007",
            "empty-document",
            "error",
            "A file that is a plan or an ADR by its place or its `kind:` but has no content.",
            "decisions/0004-empty.md:1:1: PLN007 error: the file is empty",
            "Fill in the document (for an ADR at least a title and a status) or delete it.",
        ),
        _c(
            "PLN008",
            "duplicate-key",
            "error",
            "The same key twice in one front-matter mapping; YAML would silently keep the last.",
            "plans/x.md:9:1: PLN008 error: key 'status' is given twice (first on line 4)",
            "Keep one of the two keys.",
        ),
        _c(
            "PLN009",
            "symlink-loop",
            "warning",
            "A symbolic link in the docs folder that points back to a folder containing it. MkDocs"
            " follows links and would read the same files again and again; the files below the"
            " link are left out of the site.",
            "docs/loop:1:1: PLN009 warning: docs/loop links back to docs, a folder that contains it;"
            " the 12 files below it are left out",
            "Remove the link, or point it at a folder outside the one that contains it.",
        ),
        # -- references --------------------------------------------------------------------
        _c(
            "PLN010",
            "unknown-plan",
            "error",
            "A reference to a plan id that no plan in the site declares.",
            "plans/x.md:7:14: PLN010 error: plan 'x' depends on plan 'billing-ledgr', which"
            " does not exist (did you mean 'billing-ledger'?)",
            "Correct the plan id, or add the missing plan.",
        ),
        _c(
            "PLN011",
            "unknown-task",
            "error",
            "A task dependency that names a task no phase of the plan defines.",
            "plans/scheduler.md:14:9: PLN011 error: task P1.3 depends on 'P9.1', which no"
            " phase of plan 'service-call-scheduler' defines",
            "Correct the task id, or qualify it with its plan id (`other-plan/P2.1`).",
        ),
        _c(
            "PLN012",
            "unknown-phase",
            "error",
            "A phase dependency that names a phase the plan does not define.",
            "plans/x.md:20:17: PLN012 error: phase P3 depends on phase 'P9', which plan 'x' does not define",
            "Correct the phase id.",
        ),
        _c(
            "PLN013",
            "unknown-gate",
            "error",
            "A phase's `gates:` or a gate's `after:` that names a gate no plan declares.",
            "plans/x.md:18:13: PLN013 error: phase P2 waits on gate 'G12', which no plan declares",
            "Correct the gate id, or declare the gate under some plan's `gates:`.",
        ),
        _c(
            "PLN014",
            "unknown-adr",
            "error",
            "A gate's `adr:`, or an ADR's relation (`supersedes`, `superseded_by`, `amends`,"
            " `amended_by`, or a `Superseded by [...](...)` line of its body), that names an ADR the"
            " site does not have.",
            "plans/x.md:11:30: PLN014 error: gate G03 is tied to ADR-0031, which does not exist",
            "Correct the ADR number, or add the ADR under a decisions folder.",
        ),
        _c(
            "PLN015",
            "unknown-xref",
            "error",
            "A cross-reference in prose (`[ADR-0099]`, `[G42]`, `[plan/P9.9]`) that resolves to nothing.",
            "plans/x.md:40:12: PLN015 error: cross-reference [ADR-0099] matches no ADR",
            "Correct the id, or define a link for the label yourself (`[ADR-0099]: url`).",
        ),
        _c(
            "PLN016",
            "stale-xref",
            "warning",
            "A cross-reference in prose to an ADR that is superseded or deprecated.",
            "plans/x.md:41:5: PLN016 warning: [ADR-0001] is superseded by ADR-0007; cite the current decision",
            "Cite the successor, or keep the citation on purpose and set the code to `off`.",
        ),
        # -- duplicate ids -----------------------------------------------------------------
        _c(
            "PLN020",
            "duplicate-plan-id",
            "error",
            "Two plans with the same `id`.",
            "plans/b.md:3:5: PLN020 error: plan id 'billing' is already used by plans/a.md:3",
            "Give one of the plans another id.",
        ),
        _c(
            "PLN021",
            "duplicate-local-id",
            "error",
            "Two phases, tasks, risks or metrics with the same id in one plan (task ids are"
            " unique across all phases of a plan).",
            "plans/x.md:22:13: PLN021 error: task id 'P1.2' is already used in this plan at line 17",
            "Renumber one of them.",
        ),
        _c(
            "PLN022",
            "duplicate-gate-id",
            "error",
            "Two gates with the same id anywhere in the site.",
            "plans/b.md:9:9: PLN022 error: gate id 'G02' is already declared by plans/a.md:12",
            "Gate ids are site-wide: pick an unused number.",
        ),
        _c(
            "PLN023",
            "duplicate-adr-id",
            "error",
            "Two ADRs with the same number (`ADR-7`, `0007` and `ADR-0007` are one id).",
            "decisions/0007-cache.md:1:1: PLN023 error: ADR-0007 is already used by decisions/0007-queue.md",
            "Renumber the newer ADR to the next free number (`plans new adr` picks it).",
        ),
        # -- graphs ------------------------------------------------------------------------
        _c(
            "PLN030",
            "task-cycle",
            "error",
            "Tasks whose dependencies form a cycle; the message names every task in it.",
            "plans/x.md:12:9: PLN030 error: dependency cycle among tasks: P1.1 (plans/x.md:12)"
            " -> P1.2 (plans/x.md:13) -> P1.1",
            "Remove one of the dependencies named in the cycle.",
        ),
        _c(
            "PLN031",
            "phase-cycle",
            "error",
            "Phases whose `depends_on` form a cycle.",
            "plans/x.md:10:5: PLN031 error: dependency cycle among phases: P1 -> P2 -> P1",
            "Remove one of the phase dependencies named in the cycle.",
        ),
        _c(
            "PLN032",
            "plan-cycle",
            "error",
            "Plans whose `depends_on` form a cycle.",
            "plans/a.md:6:13: PLN032 error: dependency cycle among plans: a -> b -> a",
            "Remove one of the plan dependencies named in the cycle.",
        ),
        _c(
            "PLN033",
            "gate-cycle",
            "error",
            "Gates whose `after:` lists form a cycle.",
            "plans/x.md:8:5: PLN033 error: ordering cycle among gates: G01 -> G02 -> G01",
            "Remove one of the `after:` entries named in the cycle.",
        ),
        _c(
            "PLN034",
            "gate-order",
            "error",
            "A gate that is passed while a gate it comes `after` is still open or blocked.",
            "plans/x.md:9:5: PLN034 error: gate G03 is passed (ADR-0003 accepted) but comes"
            " after G01, which is still open",
            "Decide the earlier gate first (accept its ADR or waive it), or correct `after:`.",
        ),
        # -- status contradictions ---------------------------------------------------------
        _c(
            "PLN040",
            "done-depends-on-unfinished",
            "error",
            "A task marked `done` that depends on a task that is not done.",
            "plans/x.md:15:9: PLN040 error: task P1.3 is done but depends on P1.2, which is todo",
            "Correct one of the two statuses.",
        ),
        _c(
            "PLN041",
            "completed-plan-open-tasks",
            "error",
            "A plan with status `completed` that still has tasks which are not done or cancelled.",
            "plans/x.md:5:9: PLN041 error: plan 'x' is completed but 2 tasks are still open: P2.1, P2.3",
            "Finish or cancel the tasks, or set the plan's status back to `in-progress`.",
        ),
        _c(
            "PLN042",
            "completed-plan-open-dependency",
            "error",
            "A `completed` plan that depends on a plan that is not completed, or is cancelled.",
            "plans/x.md:7:14: PLN042 error: plan 'x' is completed but depends on 'y', which is in-progress",
            "Correct the statuses, or drop the dependency.",
        ),
        _c(
            "PLN043",
            "started-before-gate",
            "warning",
            "A task that is in progress or done in a phase whose gates are not yet passed.",
            "plans/x.md:30:9: PLN043 warning: task P3.1 is in-progress but its phase P3 waits"
            " on gate G02, which is open",
            "Pass or waive the gate first, or set the task back to `todo`.",
        ),
        # -- ADR lifecycle -----------------------------------------------------------------
        _c(
            "PLN060",
            "superseded-without-successor",
            "error",
            "An ADR whose status is `superseded` but that names no successor, and that no other"
            " record says it supersedes.",
            "decisions/0001-x.md:3:9: PLN060 error: ADR-0001 is superseded but names no successor",
            "Add `superseded_by: ADR-00NN` (or `status: superseded by ADR-00NN`, or a line"
            " `Superseded by [...](...)` under the status).",
        ),
        _c(
            "PLN061",
            "supersession-mismatch",
            "warning",
            "A supersession or amendment written on one record only: A supersedes (amends) B, but B"
            " does not say it is superseded (amended) by A, or the reverse. The relation is shown on"
            " both records' pages anyway.",
            "decisions/0007-x.md:6:14: PLN061 warning: ADR-0007 supersedes ADR-0002, but"
            " ADR-0002 (accepted) does not say it is superseded by ADR-0007",
            "Write the relation on the other record too: `superseded_by:` / `supersedes:` (`amended_by:`"
            " / `amends:`) in front matter, or a `Superseded by [...](...)` line under its status.",
        ),
        _c(
            "PLN062",
            "adr-without-title",
            "error",
            "An ADR with neither a `title:` in its front matter nor a `#` heading.",
            "decisions/0005-x.md:1:1: PLN062 error: ADR-0005 has no title",
            "Add a first-level heading (`# Choose the broker`) or a `title:` key.",
        ),
        _c(
            "PLN063",
            "adr-number-mismatch",
            "warning",
            "An ADR whose `id:` disagrees with the number in its file name.",
            "decisions/0005-x.md:3:5: PLN063 warning: id ADR-0006 disagrees with the file name's number 0005",
            "Rename the file or correct the id.",
        ),
        _c(
            "PLN064",
            "unfilled-template",
            "error",
            "Template placeholders left in a plan or ADR, such as `{short title}` or"
            " `{proposed | rejected | accepted}` from the MADR template.",
            "decisions/0009-x.md:2:9: PLN064 error: status still holds the template placeholder"
            " '{proposed | rejected | accepted | deprecated | ...}'",
            "Replace the placeholder with the real value.",
        ),
        _c(
            "PLN065",
            "unknown-adr-status",
            "warning",
            "An ADR status outside proposed, accepted, rejected, deprecated and superseded that no"
            " alias maps (real repositories write `on hold`, `Reverted` or `superseded-in-part by"
            " ...`). The record still appears with its status as written; a gate tied to it stays"
            " open.",
            "decisions/0003-tools.md:4:9: PLN065 warning: status 'on hold' of ADR-0003 is not one of"
            " proposed, accepted, rejected, deprecated, superseded",
            "Use one of the five statuses, map your word onto one of them with the plugin's"
            " `adr_status_aliases` option, or set the code to `off`.",
        ),
        _c(
            "PLN066",
            "unreadable-adr-date",
            "warning",
            "A date read from a record's body (`Date: 13/02/2016`) that is not written YYYY-MM-DD."
            " The record shows it as written, but it cannot be compared with other dates.",
            "decisions/0001-record.md:3:7: PLN066 warning: date '13/02/2016' of ADR-0001 is not written YYYY-MM-DD",
            "Write the date as `2016-02-13`.",
        ),
        _c(
            "PLN067",
            "records-outside-adr-dirs",
            "info",
            "Files named and written like decision records (`0001-x.md` with a Status section or a"
            " `Date:` line) in a folder that is not one of the plugin's `adr_dirs`: they are ordinary"
            " pages until the folder is named there. One line per folder.",
            "architecture/0001-x.md:1:1: PLN067 info: 3 files look like decision records (0001-x.md,"
            " 0002-y.md, 0003-z.md) but 'architecture' is not one of the decision folders",
            "Add the folder's name to `adr_dirs` in the plugin's options.",
        ),
        # -- schema ------------------------------------------------------------------------
        _c(
            "PLN050",
            "unknown-key",
            "error",
            "A key the schema does not allow here (a typo such as `depend_on`). Keys starting"
            " with `x-` are always allowed.",
            "plans/x.md:14:9: PLN050 error: unknown key 'depend_on' in task P1.2 (did you mean 'depends_on'?)",
            "Correct the key, or prefix it with `x-` to keep private data.",
        ),
        _c(
            "PLN051",
            "missing-key",
            "error",
            "A required key is missing (`id`, `title`, `status` for a plan; `id` and `title`"
            " for a phase, task, gate, risk or metric).",
            "plans/x.md:2:1: PLN051 error: plan is missing the required key 'status'",
            "Add the key.",
        ),
        _c(
            "PLN052",
            "wrong-type",
            "error",
            "A value of the wrong type (a string where a list is expected, a list where a mapping is expected).",
            "plans/x.md:9:13: PLN052 error: 'depends_on' must be a list, got a string",
            "Write the value in the expected shape; the message says which.",
        ),
        _c(
            "PLN053",
            "invalid-value",
            "error",
            "A value outside the allowed set (`status: finished`, `impact: severe`). For an"
            " ADR the record still appears in the site with its raw status.",
            "plans/x.md:4:9: PLN053 error: status 'finished' is not one of draft, ready,"
            " in-progress, completed, historical, cancelled",
            "Use one of the listed values.",
        ),
        _c(
            "PLN054",
            "invalid-format",
            "error",
            "A value that does not match its format: an id with spaces, an estimate such as"
            " `two days`, a version that is not semver, a date that is not YYYY-MM-DD.",
            "plans/x.md:20:45: PLN054 error: estimate '2 days' does not match the expected"
            " format (Nd, Nw, Nh or a number of days)",
            "Write the value in the format the message names.",
        ),
        _c(
            "PLN055",
            "schema-violation",
            "error",
            "Any other schema rule, such as an empty list where one item is required or a"
            " waived gate without a reason.",
            "plans/x.md:9:5: PLN055 error: gate G04 is waived but gives no 'reason'",
            "Follow the message; the schemas are in the `schemas/` folder.",
        ),
        _c(
            "PLN056",
            "misspelt-adr-key",
            "warning",
            "An ADR key that is no ADR key but a known one misspelt or confused, such as `decider`"
            " for `deciders` or `replaces` for `supersedes`. ADRs may carry other keys (MADR's,"
            " Jekyll's), so it is kept, but the compiler does not read it.",
            "decisions/0004-queue.md:4:1: PLN056 warning: key 'decider' of ADR-0004 is not an ADR key"
            " (did you mean 'deciders'?); it is kept as an extra key and means nothing to the compiler",
            "Rename the key to the one the hint names, or prefix it with `x-` if it is yours.",
        ),
        # -- rules that need the base revision (`plans check --base REV`) -------------------
        _c(
            "PLN080",
            "id-taken-in-base",
            "error",
            "An id that the change adds and that the base revision already uses for another"
            " document: two branches picking the same ADR number, plan id or gate id.",
            "decisions/0007-queue.md:1:1: PLN080 error: ADR-0007 is new here but main already uses"
            " it for decisions/0007-cache.md; take ADR-0008",
            "Renumber the new document (`plans new adr --base main` picks a free number).",
        ),
        _c(
            "PLN081",
            "accepted-adr-edited",
            "error",
            "An ADR that is accepted in the base revision and whose text or front matter changed in"
            " place. Setting its status to superseded or deprecated and adding `superseded_by` are"
            " the only allowed edits.",
            "decisions/0002-broker.md:12:1: PLN081 error: ADR-0002 is accepted in main and its"
            " decision text changed here; record the new decision in a new ADR that supersedes it",
            "Revert the edit and write a new ADR with `supersedes: [ADR-0002]`.",
        ),
        # -- time: due dates, schedule and history ------------------------------------------
        _c(
            "PLN090",
            "due-before-forecast",
            "warning",
            "A task, phase or plan whose due date comes before the day the schedule forecasts it to"
            " finish, or a gate due before a gate it comes after is expected. The message names the"
            " chain of tasks that makes it late.",
            "plans/x.md:14:51: PLN090 warning: task D is due 2026-12-07 but is forecast to finish on"
            " 2026-12-08, 1 working day late, because of the chain A → B → D (from the plan's start,"
            " 2026-12-01)",
            "Shorten the chain (split or re-estimate its tasks, drop a dependency), start it sooner, or"
            " move the due date.",
        ),
        _c(
            "PLN091",
            "overdue",
            "warning",
            "A task, phase or plan whose due date has passed (against `today`) and that is not done.",
            "plans/x.md:14:51: PLN091 warning: task D was due 2026-12-07 and is todo (forecast to"
            " finish on 2026-12-10)",
            "Finish or cancel the work, or move the due date.",
        ),
        _c(
            "PLN092",
            "stale-in-progress",
            "warning",
            "A task in progress whose entry has not changed in git for longer than `stale_after` (default 30 days).",
            "plans/x.md:12:9: PLN092 warning: task C has been in progress since 2026-10-15, 45 days"
            " without a change in git (stale after 30 days)",
            "Update the task (its status, estimate or notes), or split it into smaller tasks.",
        ),
        _c(
            "PLN093",
            "gate-overdue",
            "warning",
            "A gate that is neither passed nor waived after its due date.",
            "plans/x.md:9:52: PLN093 warning: gate G03 was due 2026-11-20 and is still open (ADR-0003 is proposed)",
            "Decide the gate's ADR, waive the gate, or move its due date.",
        ),
        _c(
            "PLN094",
            "started-before-pinned-start",
            "warning",
            "A task in progress or done although its `start:` (or its phase's, or its plan's) pins it"
            " later than the day it started: the day git shows its status changing, or today.",
            "plans/x.md:12:9: PLN094 warning: task P1.2 is in-progress, started on 2026-10-15, but"
            " the start of phase P1 is pinned to 2026-11-02",
            "Correct the pinned date, or set the task back to `todo`.",
        ),
        # -- embedded views ----------------------------------------------------------------
        _c(
            "PLN100",
            "view-body",
            "error",
            "A ` ```plans ` block whose YAML body does not describe a view: not YAML, no `view:`,"
            " a view that does not exist, a key the view does not take, a filter field or value"
            " that is not one of the documented ones. The page shows the diagnostic in the block's place.",
            "guide/team.md:12:1: PLN100 error: a task filter compares plan, phase, owner, status,"
            " gate, ready, blocked, not 'assignee'",
            "Write the block as the guide's page Views on any page shows: `view:` one of gates, plans,"
            " decisions, tasks, graph, summary, owners, timeline, problems, and only the keys it takes.",
        ),
        _c(
            "PLN101",
            "view-target",
            "error",
            "A ` ```plans ` block that names a plan or ADR the site does not have"
            " (`plan: checkout` when no plan has that id).",
            "guide/team.md:20:1: PLN101 error: no plan has the id 'checkout'; the site has"
            " checkout-redesign, platform-sprints, service-call-scheduler",
            "Name an existing plan by its `id:` (not its title or file name), or an ADR by its id.",
        ),
        # -- lint rules --------------------------------------------------------------------
        _c(
            "PLN070",
            "risk-without-mitigation",
            "warning",
            "A high-impact risk with no mitigation or no owner.",
            "plans/x.md:40:5: PLN070 warning: risk R2 has high impact but no mitigation",
            "Add `mitigation:` and `owner:` to the risk.",
        ),
        _c(
            "PLN071",
            "no-rollback",
            "warning",
            "A plan that is in progress or completed and has no `rollback:` section.",
            "plans/x.md:4:9: PLN071 warning: plan 'x' is in-progress but has no rollback plan",
            "Add `rollback: {triggers: [...], steps: [...]}`.",
        ),
        _c(
            "PLN072",
            "task-without-owner",
            "warning",
            "A task with no owner in a phase that has started (some task in it is in progress or done).",
            "plans/x.md:22:9: PLN072 warning: task P2.3 has no owner, and its phase P2 has started",
            "Add `owner:` to the task.",
        ),
    )
}
