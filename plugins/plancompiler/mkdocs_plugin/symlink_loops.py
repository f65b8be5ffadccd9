"""Folder links that point back up the docs folder, left out of the site."""

from __future__ import annotations

import os

from mkdocs.structure.files import Files

from plancompiler.parse.document import symlink_loops


def drop_symlink_loops(files: Files, docs_dir: str, base: str) -> list[tuple[str, str]]:
    """Remove the files under looping folder links from `files`; each loop's link and target,
    relative to `base`, for the compiler to report.

    MkDocs follows folder links; one that points back up repeats the tree until the system
    refuses, and the build dies copying those files.
    """
    loops = symlink_loops(docs_dir)
    if loops:
        inside = tuple(link + os.sep for link, _ in loops)
        for file in [f for f in files if f.abs_src_path and f.abs_src_path.startswith(inside)]:
            files.remove(file)
    return [(_shown(link, base), _shown(target, base)) for link, target in loops]


def _shown(path: str, base: str) -> str:
    return os.path.relpath(path, os.path.realpath(base)).replace(os.sep, "/")
