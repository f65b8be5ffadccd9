"""The floors for `plans check`: read every Markdown file and parse its front matter with
PyYAML's C parser, doing nothing else.

    python benchmarks/floor.py [--compose] CORPUS_DIR

By default each front matter is loaded into Python values (`yaml.load` with `CSafeLoader`:
libyaml parses, PyYAML's constructor builds the dicts, lists, strings and dates). With
`--compose` it is only composed (`yaml.compose` with `CSafeLoader`): libyaml parses and the
result is PyYAML's node tree, with no Python values built from it, which is the lower floor.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*\n", re.S)


def floor(docs: Path, compose: bool = False) -> int:
    """Parse every front matter under `docs` (only compose it with `compose`); return how
    many files had one."""
    parsed = 0
    for path in sorted(docs.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = _FRONT.match(text)
        if match:
            if compose:
                yaml.compose(match.group(1), Loader=yaml.CSafeLoader)
            else:
                yaml.load(match.group(1), Loader=yaml.CSafeLoader)
            parsed += 1
    return parsed


if __name__ == "__main__":
    args = sys.argv[1:]
    compose = "--compose" in args
    args = [a for a in args if a != "--compose"]
    root = Path(args[0] if args else ".")
    found = floor(root / "docs" if (root / "docs").is_dir() else root, compose)
    print(f"{'composed' if compose else 'parsed'} {found} front matters")
