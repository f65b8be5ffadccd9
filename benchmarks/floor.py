"""The floor for `plans check`: read every Markdown file and parse its front matter with
PyYAML's C loader, doing nothing else.

    python benchmarks/floor.py CORPUS_DIR
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*\n", re.S)


def floor(docs: Path) -> int:
    """Parse every front matter under `docs`; return how many files had one."""
    parsed = 0
    for path in sorted(docs.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = _FRONT.match(text)
        if match:
            yaml.load(match.group(1), Loader=yaml.CSafeLoader)
            parsed += 1
    return parsed


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    print(f"parsed {floor(root / 'docs' if (root / 'docs').is_dir() else root)} front matters")
