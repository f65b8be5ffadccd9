"""Convert a generated corpus into a Sphinx project that uses sphinx-needs.

    python benchmarks/sphinx_needs.py CORPUS_DIR OUT_DIR

CORPUS_DIR is what `generate_corpus.py` wrote. OUT_DIR receives `conf.py`, an `index.rst`
with a toctree and a `.. needtable::` of every task, one page per plan with a
`.. task::` need per task (`:id:`, `:status:`, `:links:` to the tasks it depends on, in
its own plan or another one) followed by the plan's prose, and one page per ADR. The
prose is the plan's Markdown turned into reStructuredText (headings, lists, tables,
code blocks, notes, and `[ADR-NNNN]` references as links), so Sphinx renders what MkDocs
renders. Build it with `sphinx-build -b html -q OUT_DIR OUT_DIR/_build`.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import yaml

CONF_PY = """\
project = "Benchmark corpus"
extensions = ["sphinx_needs"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
needs_types = [
    {"directive": "task", "title": "Task", "prefix": "T_", "color": "#BFD8D2", "style": "node"},
]
needs_id_regex = "^T_[0-9]{5}_P[0-9]+_[0-9]+$"
"""

_ADR_REF = re.compile(r"\[ADR-(\d{4})\]")


def need_id(plan_id: str, task_id: str) -> str:
    """The sphinx-needs id of a task: `plan-00001` and `P1.2` give `T_00001_P1_2`."""
    number = plan_id.rsplit("-", 1)[1]
    return f"T_{number}_{task_id.replace('.', '_')}"


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter of a corpus file, and the Markdown after it."""
    _, front, body = text.split("---\n", 2)
    return yaml.load(front, Loader=yaml.CSafeLoader), body


def _heading(text: str, mark: str) -> list[str]:
    return [text, mark * len(text), ""]


def _inline(line: str, adr_pages: dict[str, str]) -> str:
    def link(match: re.Match[str]) -> str:
        page = adr_pages.get(match.group(1))
        return f":doc:`ADR-{match.group(1)} </{page}>`" if page else match.group(0)

    return _ADR_REF.sub(link, line)


def markdown_to_rst(markdown: str, adr_pages: dict[str, str], skip_title: bool = True) -> list[str]:
    """Turn the Markdown the generator writes into reStructuredText.

    It knows the shapes the corpus uses: ATX headings, paragraphs, `-` lists, pipe tables,
    fenced code, `!!! note` admonitions. The first `#` heading is dropped when `skip_title`
    (the page title is written by the caller); `##` headings become sections.
    """
    out: list[str] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("# "):
            if not skip_title:
                out += _heading(line[2:], "=")
            i += 1
        elif line.startswith("## "):
            out += _heading(line[3:], "-")
            i += 1
        elif line.startswith("```"):
            language = line[3:].strip() or "text"
            out += [f".. code-block:: {language}", ""]
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                out.append("   " + lines[i] if lines[i] else "")
                i += 1
            out.append("")
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip("|").split("|")]
                if not all(set(c) <= {"-", ":"} for c in cells):
                    rows.append(cells)
                i += 1
            out += [".. list-table::", "   :header-rows: 1", ""]
            for row in rows:
                out.append(f"   * - {_inline(row[0], adr_pages)}")
                out += [f"     - {_inline(cell, adr_pages)}" for cell in row[1:]]
            out.append("")
        elif line.startswith("!!! "):
            out += [f".. {line[4:].split()[0]}::", ""]
            i += 1
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i]):
                out.append("   " + lines[i][4:] if lines[i] else "")
                i += 1
        else:
            out.append(_inline(line, adr_pages))
            i += 1
    return out


def plan_page(data: dict[str, Any], body: str, adr_pages: dict[str, str]) -> str:
    """The reStructuredText page of one plan: its title, its tasks as needs, its prose."""
    plan_id = data["id"]
    out = _heading(data["title"], "=")
    out += [f"Owner {data.get('owner', '-')}, status {data.get('status', '-')}.", ""]
    for phase in data.get("phases", []):
        out += _heading(f"{phase['id']}: {phase['title']}", "-")
        for task in phase.get("tasks", []):
            out += [f".. task:: {task['title']}", f"   :id: {need_id(plan_id, task['id'])}"]
            out.append(f"   :status: {task.get('status', 'todo')}")
            if task.get("owner"):
                out.append(f"   :tags: {task['owner']}")
            links = []
            for dep in task.get("depends_on", []):
                plan, _, task_id = dep.rpartition("/")
                links.append(need_id(plan or plan_id, task_id))
            if links:
                out.append(f"   :links: {', '.join(links)}")
            out += ["", f"   Task {task['id']} of {plan_id}, estimate {task.get('estimate', '-')}.", ""]
    out += markdown_to_rst(body, adr_pages)
    return "\n".join(out) + "\n"


def adr_page(body: str, adr_pages: dict[str, str]) -> str:
    """The reStructuredText page of one ADR."""
    return "\n".join(markdown_to_rst(body, adr_pages, skip_title=False)) + "\n"


def convert(corpus: Path, out: Path) -> int:
    """Write the Sphinx project for `corpus` into `out`; return how many needs it defines."""
    docs = corpus / "docs"
    (out / "plans").mkdir(parents=True, exist_ok=True)
    (out / "decisions").mkdir(parents=True, exist_ok=True)
    (out / "conf.py").write_text(CONF_PY, encoding="utf-8")
    adrs = sorted((docs / "decisions").glob("*.md"))
    adr_pages = {path.name[:4]: f"decisions/{path.stem}" for path in adrs}
    for path in adrs:
        _, body = split_front_matter(path.read_text(encoding="utf-8"))
        (out / "decisions" / f"{path.stem}.rst").write_text(adr_page(body, adr_pages), encoding="utf-8")
    needs = 0
    plans = sorted((docs / "plans").glob("*.md"))
    for path in plans:
        data, body = split_front_matter(path.read_text(encoding="utf-8"))
        needs += sum(len(phase.get("tasks", [])) for phase in data.get("phases", []))
        (out / "plans" / f"{path.stem}.rst").write_text(plan_page(data, body, adr_pages), encoding="utf-8")
    index = _heading("Benchmark corpus", "=")
    index += [".. toctree::", "   :maxdepth: 1", ""]
    index += [f"   plans/{path.stem}" for path in plans]
    index += [f"   {page}" for page in adr_pages.values()]
    index += ["", *_heading("All tasks", "-")]
    index += [".. needtable::", "   :columns: id;title;status;tags;outgoing", "   :style: table", ""]
    (out / "index.rst").write_text("\n".join(index), encoding="utf-8")
    return needs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder written by generate_corpus.py")
    parser.add_argument("out", type=Path, help="the Sphinx source folder to write")
    args = parser.parse_args()
    needs = convert(args.corpus, args.out)
    print(f"wrote a Sphinx project with {needs} needs to {args.out}")


if __name__ == "__main__":
    main()
