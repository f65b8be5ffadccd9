"""The front matter MkDocs is handed for a plan's or ADR's page, rewritten from the parsed one."""

from __future__ import annotations

import html
import json
from typing import Any

from mkdocs.structure.files import File

from plancompiler.emit.adr_page import numbered_heading, numbered_title
from plancompiler.emit.memo import Memo

# Front-matter keys MkDocs and mkdocs-material act on; everything else stays with the compiler.
PAGE_KEYS = ("hide", "tags", "template", "description", "icon", "search", "subtitle", "comments")


def hand_safe_source(file: File, memo: Memo, kind: str, data: dict[str, Any], body: str) -> None:
    """Give MkDocs the page's body under a front matter we wrote.

    MkDocs puts a page's `title` into the navigation of every page without escaping it, and
    swallows (or chokes on) YAML it cannot read; handing it an escaped title and only the
    page keys it acts on keeps both problems out of the site. An ADR's title and first
    heading carry its number (`ADR-0007: Title`), in the navigation and on its page.
    """
    # A document whose file did not change is the very same objects in the next build.
    source = memo.made(("source", file.src_uri), (kind, data, body), _source)
    original = file.abs_src_path
    file.content_string = source
    file.abs_src_path = original  # keep edit links and file-based plugins working


def _source(kind: str, data: dict[str, Any], body: str) -> str:
    meta: dict[str, Any] = {k: data[k] for k in PAGE_KEYS if k in data}
    title = data.get("title")
    adr = data.get("id")
    if kind == "adr" and isinstance(adr, str):
        title = numbered_title(adr, title) if isinstance(title, str) else title
        body = numbered_heading(body, adr)
    if isinstance(title, str):
        meta = {**meta, "title": html.escape(title, quote=False)}
    if not meta:
        return body
    # JSON is YAML, and much quicker to write than a YAML dump of every page's keys.
    return "---\n" + json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n---\n" + body
