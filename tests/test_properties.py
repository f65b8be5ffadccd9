"""Property-based tests: generated valid corpora, mutations of them, hostile strings.

Runs under the `ci` Hypothesis profile by default (a fixed seed, bounded examples); set
HYPOTHESIS_PROFILE=long for a longer local run (see tests/conftest.py).
"""

from __future__ import annotations

import copy
import json
import random
import re
from html.parser import HTMLParser

import jsonschema
import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from hostile import mermaid_sources, unsafe_mermaid_lines
from plancompiler.compiler import Compiler, Result, Source
from plancompiler.diagnostics import formats
from plancompiler.emit.adr_page import adr_summary_view, render_adr_summary
from plancompiler.emit.context import EmitContext, PagePaths
from plancompiler.emit.decision_log import render_decision_log
from plancompiler.emit.export import export_json, export_model
from plancompiler.emit.gates_index import render_gates_index
from plancompiler.emit.memo import Memo
from plancompiler.emit.owners import render_owners
from plancompiler.emit.plan_page import plan_page_view, render_plan_summary
from plancompiler.emit.plans_index import render_plans_index
from plancompiler.emit.problems import gather, render_problems
from plancompiler.emit.timeline import render_timeline
from strategies import HOSTILE, PLAN_STATUSES, TASK_STATUSES, Corpus, corpora

EXPORT_SCHEMA = json.loads((REPO / "schemas" / "export.schema.json").read_text())
COMPILER = Compiler()
ALLOWED_TAGS = {
    "a", "span", "div", "p", "strong", "em", "table", "thead", "tbody", "tr", "th", "td",
    "h1", "h2", "h3", "ul", "ol", "li", "pre", "code", "br", "hr", "details", "summary",
}  # fmt: skip
# Attributes we write: links, ids, classes, tooltips, a bar's width, and what plans.js and
# narrow screens read (a cell's column title and sort value, a table's options).
ALLOWED_ATTRIBUTES = {
    "href", "id", "class", "title", "style", "data-plan", "data-adr", "role", "aria-label",
    "data-label", "data-sort", "data-plans-sort", "data-plans-filter", "data-plans-noun",
}  # fmt: skip


def compile_files(files: dict[str, str | bytes]) -> Result:
    sources = [Source(f"docs/{rel}", rel, content) for rel, content in sorted(files.items())]
    return COMPILER.compile(sources)


def render_all(result: Result, memo: Memo | None = None) -> list[str]:
    """Every generated page, summary and the export; with `memo`, as a rebuild renders them."""
    ctx = EmitContext(result.project, PagePaths(), result.project.pages)
    problems = gather(result.diagnostics, {d.path: d.path.removeprefix("docs/") for d in result.diagnostics})
    bodies = [
        render_gates_index(ctx, memo),
        render_plans_index(ctx, memo),
        render_decision_log(ctx, memo),
        render_owners(ctx, memo),
        render_problems(ctx, problems, memo),
        render_timeline(ctx, memo),
    ]
    pages = [part for body in bodies for part in (body.html, body.search, " ".join(body.ids))]
    pages += [render_plan_summary(ctx, p) for p in result.project.plans.values()]
    pages += [render_adr_summary(ctx, a) for a in result.project.adrs.values()]
    return [*pages, export_json(result.project, result.diagnostics, memo)]


def dumped(result: Result) -> str:
    """The export as one `json.dumps` of the whole model writes it."""
    exported = export_model(result.project, result.diagnostics)
    return json.dumps(exported, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# -- 1. generated valid corpora --------------------------------------------------------------


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(corpora())
def test_generated_plans_compile_cleanly_render_and_round_trip(corpus: Corpus) -> None:
    result = compile_files(dict(corpus.files()))
    assert result.diagnostics == (), [f"{d.path}:{d.line} {d.code} {d.message}" for d in result.diagnostics]
    assert set(result.project.plans) == {p["id"] for p in corpus.plans}
    for page in render_all(result)[:-1]:
        _assert_safe_html(markdown.markdown(page, extensions=["tables"]))
    assert export_json(result.project, result.diagnostics) == dumped(result)
    exported = export_model(result.project, result.diagnostics)
    jsonschema.Draft202012Validator(EXPORT_SCHEMA).validate(exported)
    json.dumps(exported)
    for source, out in zip(corpus.plans, exported["plans"], strict=True):
        assert out["id"] == source["id"] and out["title"] == source["title"]
        assert out["status"] == source["status"] and out["owner"] == source["owner"]
        assert out["depends_on"] == source.get("depends_on", [])
        assert [ph["id"] for ph in out["phases"]] == [ph["id"] for ph in source.get("phases", [])]
        for ph_out, ph_in in zip(out["phases"], source.get("phases", []), strict=True):
            assert ph_out["title"] == ph_in["title"]
            for t_out, t_in in zip(ph_out["tasks"], ph_in["tasks"], strict=True):
                assert (t_out["id"], t_out["title"], t_out["owner"], t_out["status"]) == (
                    t_in["id"], t_in["title"], t_in["owner"], t_in["status"],
                )  # fmt: skip
                assert t_out["depends_on"] == t_in.get("depends_on", [])
                estimate = t_in.get("estimate")
                assert t_out["estimate"] == (None if estimate is None else str(estimate))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name not in ALLOWED_ATTRIBUTES:
                self.bad.append(f"{tag}[{name}]")
            if name == "href" and value and value.strip().lower().startswith(("javascript:", "data:")):
                self.bad.append(f"{tag}[href={value}]")
            if name == "style" and value and not re.fullmatch(r"width: \d+%", value):
                self.bad.append(f"{tag}[style={value}]")


def _assert_safe_html(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    assert not parser.bad, parser.bad
    for source in mermaid_sources(html):
        assert not unsafe_mermaid_lines(source), source


# -- 2. mutations ----------------------------------------------------------------------------

MUTATIONS = ("rename-key", "wrong-type", "random-bytes", "cut", "duplicate-task", "close-cycle", "delete-line")
BREAKING = {"rename-key", "wrong-type", "cut", "duplicate-task", "close-cycle"}


def close_cycle(corpus: Corpus, rng: random.Random) -> str:
    """The last plan's text with one more dependency that closes a cycle (or a self-loop)."""
    plan = copy.deepcopy(corpus.plans[-1])
    tasks = [t for ph in plan.get("phases", []) for t in ph["tasks"]]
    if not tasks:
        plan["depends_on"] = [plan["id"]]
    else:
        local = [(t, d) for t in tasks for d in t.get("depends_on", []) if "/" not in d]
        if local:
            task, dep = rng.choice(local)
            target = next(t for t in tasks if t["id"] == dep)
            target.setdefault("depends_on", []).append(task["id"])
        else:
            task = rng.choice(tasks)
            task.setdefault("depends_on", []).append(task["id"])
    return Corpus([plan], {}).files()[f"plans/{plan['id']}.md"]


def mutate(text: str, how: str, rng: random.Random) -> str | bytes:
    front_end = text.index("\n---\n", 4) + 1
    lines = text.split("\n")
    fm_lines = text[:front_end].count("\n")
    if how == "rename-key":
        return re.sub(r"^status:", "stauts:", text, count=1, flags=re.M)
    if how == "wrong-type":
        return re.sub(r"^status: .*$", "status: [1, 2]", text, count=1, flags=re.M)
    if how == "random-bytes":
        at = rng.randrange(len(text.encode()))
        data = text.encode()
        return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + data[at:]
    if how == "cut":
        # Anywhere after `kind: plan`: cut before it, the file is an ordinary page, left alone.
        start = text.index("kind: plan\n") + len("kind: plan\n")
        return text[: rng.randrange(start, front_end - 4)]
    if how == "duplicate-task":
        task_lines = [i for i, line in enumerate(lines) if line.lstrip().startswith("- id: P") and "." in line]
        if not task_lines:
            return re.sub(r"^title:", "title: [a]\ntitle:", text, count=1, flags=re.M)
        i = rng.choice(task_lines)
        block = [lines[i]]
        j = i + 1
        while j < fm_lines and lines[j].startswith(" " * (len(lines[i]) - len(lines[i].lstrip()) + 2)):
            block.append(lines[j])
            j += 1
        return "\n".join(lines[:j] + block + lines[j:])
    # delete-line: any line of the front matter
    i = rng.randrange(1, fm_lines)
    return "\n".join(lines[:i] + lines[i + 1 :])


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(corpora(max_plans=2), st.sampled_from(MUTATIONS), st.randoms(use_true_random=False))
def test_mutations_never_crash_and_point_inside_the_file(corpus: Corpus, how: str, rng: random.Random) -> None:
    files: dict[str, str | bytes] = dict(corpus.files())
    victim = f"plans/{corpus.plans[-1]['id']}.md"
    mutated = close_cycle(corpus, rng) if how == "close-cycle" else mutate(str(files[victim]), how, rng)
    files[victim] = mutated
    files["plans/bystander.md"] = "---\nkind: plan\nid: bystander\ntitle: Bystander\nstatus: draft\n---\n# B\n"
    result = compile_files(files)
    text = mutated.decode("utf-8", "replace") if isinstance(mutated, bytes) else mutated
    line_count = text.count("\n") + 1
    for d in result.diagnostics:
        path_lines = line_count if d.path == f"docs/{victim}" else None
        if path_lines is not None:
            assert 1 <= d.line <= path_lines, (how, d)
        assert d.col >= 1
    if how in BREAKING:
        assert any(d.severity.value == "error" for d in result.diagnostics), how
    assert "bystander" in result.project.plans
    render_all(result)
    assert export_json(result.project, result.diagnostics) == dumped(result)


# What an author changes between two builds under `mkdocs serve`; a plan's edit may touch a
# plan that later plans depend on.
EDITS = ("plan-title", "plan-status", "task-status", "task-id", "gate-title", "adr-status", "adr-title", *MUTATIONS)


def edit(corpus: Corpus, how: str, rng: random.Random) -> dict[str, str | bytes]:
    """The corpus's files after one edit of kind `how`."""
    changed = copy.deepcopy(corpus)
    plan = rng.choice(changed.plans)
    tasks = [t for ph in plan.get("phases", []) for t in ph["tasks"]]
    adr = changed.adrs[rng.choice(sorted(changed.adrs))] if changed.adrs else None
    if how == "plan-title":
        plan["title"] += " (renamed)"
    elif how == "plan-status":
        plan["status"] = rng.choice(PLAN_STATUSES)
    elif how == "task-status" and tasks:
        rng.choice(tasks)["status"] = rng.choice(TASK_STATUSES)
    elif how == "task-id" and tasks:
        rng.choice(tasks)["id"] += "9"
    elif how == "gate-title" and plan.get("gates"):
        rng.choice(plan["gates"])["title"] += " (renamed)"
    elif how == "adr-status" and adr is not None:
        adr["status"] = rng.choice(["proposed", "rejected", "deprecated", "superseded by ADR-0001", "accepted"])
    elif how == "adr-title" and adr is not None:
        adr["title"] = "Renamed decision"
    elif how in MUTATIONS:
        files: dict[str, str | bytes] = dict(changed.files())
        victim = f"plans/{plan['id']}.md"
        files[victim] = close_cycle(changed, rng) if how == "close-cycle" else mutate(str(files[victim]), how, rng)
        return files
    return dict(changed.files())


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(corpora(max_plans=4), st.sampled_from(EDITS), st.randoms(use_true_random=False))
def test_a_rebuild_after_an_edit_renders_what_a_first_render_does(corpus: Corpus, how: str, rng: random.Random) -> None:
    """What `mkdocs serve` keeps from the build before an edit: the indexes' rows and the
    export's entries kept in a `Memo`, and summaries whose key did not change."""
    before = compile_files(dict(corpus.files()))
    memo = Memo()
    render_all(before, memo)
    after = compile_files(edit(corpus, how, rng))
    memo.new_build()
    assert render_all(after, memo) == render_all(after)
    # Equal keys must mean equal summaries: the plugin shows the kept one.
    old, new = EmitContext(before.project, PagePaths()), EmitContext(after.project, PagePaths())
    for pid, plan in after.project.plans.items():
        was = before.project.plans.get(pid)
        if was is not None and plan_page_view(old, was) == plan_page_view(new, plan):
            assert render_plan_summary(old, was) == render_plan_summary(new, plan), pid
    for aid, adr in after.project.adrs.items():
        was_adr = before.project.adrs.get(aid)
        if was_adr is not None and adr_summary_view(old, was_adr) == adr_summary_view(new, adr):
            assert render_adr_summary(old, was_adr) == render_adr_summary(new, adr), aid


# -- 4. injection into the machine outputs --------------------------------------------------


@given(st.sampled_from(HOSTILE) | st.text(max_size=40))
def test_hostile_strings_stay_on_one_annotation_line(payload: str) -> None:
    dumped = json.dumps(payload)
    result = compile_files({"plans/x.md": f"---\nkind: plan\nid: x\ntitle: t\nstatus: {dumped}\n---\n# x\n"})
    lines = formats.as_github(result.diagnostics, 1).splitlines()
    assert len(lines) == len(result.diagnostics) + 1
    for line in lines[:-1]:
        assert re.match(r"^::(error|warning|notice) file=[^,:\n]+,line=\d+,col=\d+,title=PLN\d{3}::", line), line
    sarif = json.loads(formats.as_sarif(result.diagnostics, 1))
    assert len(sarif["runs"][0]["results"]) == len(result.diagnostics)


# -- 5. agreement of the plugin and the CLI ---------------------------------------------------


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(corpora(max_plans=2), st.sampled_from((None, *MUTATIONS)), st.randoms(use_true_random=False))
def test_strict_build_fails_exactly_when_check_reports_an_error(make_site, corpus, how, rng) -> None:
    site = make_site(f"agree-{rng.randrange(10**9)}")
    site.config("site_name: t\ntheme: mkdocs\nplugins:\n  - plans\n")
    files: dict[str, str | bytes] = dict(corpus.files())
    if how:
        victim = f"plans/{corpus.plans[-1]['id']}.md"
        files[victim] = close_cycle(corpus, rng) if how == "close-cycle" else mutate(str(files[victim]), how, rng)
    site.write("index.md", "# Home\n")
    for rel, content in files.items():
        site.write(rel, content, dedent=False)
    checked = site.check()
    built = site.build(strict=True)
    lines = {x for x in checked.out.splitlines() if re.match(r"^docs/.*: PLN\d{3} ", x)}
    logged = {m.group(1) for m in re.finditer(r"(?:WARNING|INFO) - plancompiler: (docs/.*: PLN\d{3} .*)", built.log)}
    assert lines == logged
    assert (checked.code == 1) == (not built.ok)
    assert "Traceback" not in built.log
