"""Resource limits: every oversized or pathological input is refused with a diagnostic, and
graph code has no recursion limit to hit."""

from __future__ import annotations

import os

import pytest

from conftest import Site
from plancompiler.compiler import Compiler, Source


def compile_one(rel: str, content: str | bytes, *more: tuple[str, str]) -> list[str]:
    sources = [Source(f"docs/{rel}", rel, content)] + [Source(f"docs/{r}", r, c) for r, c in more]
    result = Compiler().compile(sources)
    return [f"{d.path}:{d.line}:{d.col}: {d.code} {d.message}" for d in result.diagnostics]


def bomb(levels: int = 9) -> str:
    lines = ["---", "kind: plan", "id: bomb", "title: Bomb", "status: draft", 'x-a: &a ["lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        refs = ",".join([f"*{chr(96 + n)}"] * 10)
        lines.append(f"x-{chr(97 + n)}: &{chr(97 + n)} [{refs}]")
    return "\n".join([*lines, "---", "# Bomb", ""])


def test_alias_bomb_is_refused_not_expanded() -> None:
    found = compile_one("bomb.md", bomb())
    assert len(found) == 1 and " PLN006 YAML aliases expand to more than 100000 nodes" in found[0]


def test_ten_megabytes_of_front_matter() -> None:
    text = (
        "---\nkind: plan\nid: big\ntitle: Big\nstatus: draft\nx-pad: |\n"
        + "  padding line\n" * 700_000
        + "---\n# Big\n"
    )
    assert len(text) > 10_000_000
    found = compile_one("big.md", text)
    size = len(text) - len("---\n") - len("---\n# Big\n")
    assert found == [
        f"docs/big.md:2:1: PLN006 front matter is {size:,} characters long,"
        " over the limit of 1,048,576; split the plan into smaller plans"
    ]


@pytest.mark.parametrize("style", ["flow", "block", "compact"])
def test_nesting_ten_thousand_levels_deep(style: str) -> None:
    depth = 10_000
    if style == "flow":
        value = "x-deep: " + "[" * depth + "]" * depth
    elif style == "block":
        # Block nesting grows quadratically in size: 1,000 levels already make 0.5 MB.
        value = "x-deep:\n" + "".join(" " * (i + 1) + "k:\n" for i in range(1000))
    else:
        value = "x-deep:\n  " + "- " * depth + "x"
    text = f"---\nkind: plan\nid: deep\ntitle: Deep\nstatus: draft\n{value}\n---\n# Deep\n"
    found = compile_one("deep.md", text)
    # Our limit (64 levels) or the YAML reader's own may answer first, depending on the style
    # and the PyYAML release: either way one resource-limit diagnostic on the line where the
    # nesting goes too deep (the 65th level of the block style is on line 70).
    line = {"flow": 6, "block": 70, "compact": 7}[style]
    assert len(found) == 1, found
    assert found[0].startswith(f"docs/deep.md:{line}:") and " PLN006 front matter is nested " in found[0]
    assert "deep" in found[0] and "flatten it" in found[0]


def test_one_plan_with_a_hundred_thousand_tasks() -> None:
    tasks = "".join(f"      - {{id: T{i}, title: Task {i}}}\n" for i in range(100_000))
    text = f"---\nkind: plan\nid: huge\ntitle: Huge\nstatus: draft\nphases:\n  - id: P1\n    title: All\n    tasks:\n{tasks}---\n"
    found = compile_one("huge.md", text)
    assert len(found) == 1 and "PLN006" in found[0] and "split the plan" in found[0]


def test_a_dependency_chain_fifty_thousand_long() -> None:
    """50 plans of 1,000 tasks, each task after the previous one, across plan boundaries."""
    plans = []
    for p in range(50):
        lines = [
            f"      - {{id: T{t}, title: Step, owner: o, estimate: 1d, depends_on: [T{t - 1}]}}" for t in range(1, 1000)
        ]
        after = f", depends_on: [chain-{p - 1}/T999]" if p else ""
        first = f"      - {{id: T0, title: Start, owner: o, estimate: 1d{after}}}"
        body = "\n".join([first, *lines])
        text = f"---\nkind: plan\nid: chain-{p}\ntitle: Chain {p}\nstatus: draft\nphases:\n  - id: P1\n    title: All\n    tasks:\n{body}\n---\n"
        plans.append(Source(f"docs/chain-{p}.md", f"chain-{p}.md", text))
    result = Compiler().compile(plans)
    assert result.diagnostics == ()
    path = result.project.analysis.critical_paths["chain-49"]
    assert len(path) == 1000 and path[0] == "chain-49/T0" and path[-1] == "chain-49/T999"
    # A single plan with a 20,000-step chain inside it, and the same chain closed into a cycle.
    steps = "\n".join(f"      - {{id: S{t}, title: s, depends_on: [S{(t - 1) % 20000}]}}" for t in range(20000))
    text = f"---\nkind: plan\nid: ring\ntitle: Ring\nstatus: draft\nphases:\n  - id: P1\n    title: All\n    tasks:\n{steps}\n---\n"
    found = compile_one("ring.md", text)
    assert len(found) == 1 and "PLN030 dependency cycle among tasks: S0 (docs/ring.md:" in found[0]


def test_a_file_of_nul_bytes(site: Site) -> None:
    site.write("index.md", "# Home\n")
    site.write("decisions/0001-nothing.md", b"\x00" * 4096)
    checked = site.check()
    assert "docs/decisions/0001-nothing.md:1:1: PLN001 error: the file contains NUL bytes" in checked.out
    built = site.build(strict=False)
    assert built.ok and "Traceback" not in built.log


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symlink_loop_in_the_docs_folder(site: Site) -> None:
    site.write("index.md", "# Home\n")
    site.write("plans/a.md", "---\nkind: plan\nid: a\ntitle: A\nstatus: draft\n---\n# A\n")
    os.symlink("..", site.docs / "plans" / "loop")
    line = "docs/plans/loop:1:1: PLN009 warning: docs/plans/loop links back to docs"
    checked = site.check()
    assert checked.code == 0 and line in checked.out
    built = site.build(strict=False)
    assert built.ok, built.log
    assert line in built.log
    assert (built.site / "plans" / "a" / "index.html").is_file()
    assert not (built.site / "plans" / "loop").exists()
