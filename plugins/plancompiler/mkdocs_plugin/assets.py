"""The stylesheet and scripts the site's pages load, and the tags that load them."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

ASSETS = Path(__file__).resolve().parent.parent / "emit" / "assets"
CSS_URI = "assets/plancompiler/plans.css"
MERMAID_URI = "assets/plancompiler/mermaid.min.js"
PANZOOM_URI = "assets/plancompiler/panzoom.min.js"
SCRIPT_URI = "assets/plancompiler/plans.js"


def add_asset_files(files: Files, config: MkDocsConfig, mermaid: str) -> None:
    """Add the stylesheet and scripts to the site; Mermaid's own when it is `bundled`."""
    for uri, name in ((CSS_URI, "plans.css"), (SCRIPT_URI, "plans.js"), (PANZOOM_URI, "panzoom.min.js")):
        files.append(File.generated(config, uri, abs_src_path=str(ASSETS / name)))
    if mermaid == "bundled":
        files.append(File.generated(config, MERMAID_URI, abs_src_path=str(ASSETS / "mermaid.min.js")))


class ScriptTags:
    """The `<script>` tags by Mermaid's source, whether the page draws graphs, and page URL
    (they point at the scripts relative to the page)."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, bool, str], str] = {}

    def for_page(self, page: Page, graphs: bool, mermaid_option: str) -> str:
        """The tags that load Mermaid (on a page with a diagram), Panzoom and plans.js (which
        sort tables and open graphs full size), put at the end of the page's content.

        Classic scripts there run before mkdocs-material's bundle (at the end of the body),
        which then finds a global `mermaid` instead of fetching one from a CDN, and renders
        each diagram through plans.js, which keeps it legible.
        """
        mermaid = MERMAID_URI if mermaid_option == "bundled" else mermaid_option
        tag = self.known.get((mermaid, graphs, page.url))
        if tag is None:
            scripts = [mermaid] if graphs and mermaid_option != "off" else []
            scripts += [PANZOOM_URI, SCRIPT_URI] if graphs else [SCRIPT_URI]
            tags = []
            for src in scripts:
                shown = src
                if not urlsplit(src).scheme and not src.startswith("/"):
                    shown = get_relative_url(src, page.url)  # a path inside the site, seen from this page
                tags.append(f'<script src="{html.escape(shown)}"></script>')
            tag = self.known[mermaid, graphs, page.url] = "\n" + "\n".join(tags) + "\n"
        return tag
