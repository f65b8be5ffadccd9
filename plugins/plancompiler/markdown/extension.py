"""`plancompiler.markdown`: the compiler inside each page, for site engines that run
Python-Markdown extensions but not MkDocs plugins (Zensical).

On each page it puts what the `plans` plugin puts there: a plan's or ADR's summary, the
page's own diagnostics under its title, links for `[ADR-0003]`-style references, and the
views of its ` ```plans ` blocks. It imports nothing from MkDocs. Under MkDocs the plugin
does all of this itself and takes the extension out of the configuration, so nothing is
done twice.
"""

from __future__ import annotations

import html
import logging
import posixpath
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from plancompiler.emit import problems
from plancompiler.emit.adr_page import numbered_heading, render_adr_summary
from plancompiler.emit.plan_page import render_plan_summary
from plancompiler.emit.summary import Summary, place_summary
from plancompiler.markdown import fences
from plancompiler.markdown.site import (
    ASSET_DIR,
    OPTION_NAMES,
    CompiledSite,
    PlansSiteError,
    engine_site,
    site_compiler,
)
from plancompiler.markdown.view_html import ViewSite, render_block
from plancompiler.markdown.views import block_line
from plancompiler.markdown_ext.xrefs import XrefExtension
from plancompiler.model import Adr, Plan
from plancompiler.parse.markdown_scan import leading_heading

log = logging.getLogger("plancompiler")

# Zensical registers the page being rendered and its configuration as this preprocessor.
_ENGINE_CONTEXT = "rendering_context"


END = "<!-- plancompiler: end of page -->"
"""Put at the end of each page's Markdown, to tell the whole page from the pieces
postprocessors also see."""


class StrictBuildError(Exception):
    """Raised in a strict build once a plan, ADR or view has an error: Zensical stops then."""


class PagePlans:
    """What one page shows of the compiled site; made for each page the engine renders."""

    def __init__(self, site: CompiledSite, rel: str) -> None:
        self.site = site
        self.rel = rel
        self.placed = False
        """Whether the page shows anything of ours (it then needs the stylesheet)."""

    def asset(self, name: str) -> str:
        """The path of one of our assets, relative to the page's source (as the engine reads it)."""
        return html.escape(posixpath.relpath(f"{ASSET_DIR}/{name}", posixpath.dirname(self.rel) or "."))

    def page_markdown(self, md: Markdown, markdown: str) -> str:
        """The page's Markdown with its summary and its diagnostics in place, as stashed HTML."""
        site = self.site
        target = site.by_rel.get(self.rel)
        if isinstance(target, Adr):
            markdown = numbered_heading(markdown, target.id)
        if target is not None and site.summary != "off":
            rendered = (
                render_plan_summary(site.ctx, target)
                if isinstance(target, Plan)
                else render_adr_summary(site.ctx, target)
            )
            summary = Summary.of(rendered)
            card = "\n" + md.htmlStash.store(summary.html) + "\n"
            detail = "\n" + md.htmlStash.store(summary.detail) + "\n" if isinstance(target, Plan) else ""
            placed = place_summary(markdown, card, detail, site.summary)
            self.placed = self.placed or placed != markdown
            markdown = placed
        found = site.page_problems.get(self.rel)
        if found is not None:
            shown = md.htmlStash.store(problems.render_page_problems(site.ctx, self.rel, found))
            heading = leading_heading(markdown)
            at = heading.end if heading is not None and heading.line_break else 0
            markdown = markdown[:at] + "\n\n" + shown + "\n\n" + markdown[at:]
            self.placed = True
        return markdown

    def render_block(self, body: str, number: int) -> str:
        """A view block's HTML, or its diagnostic (logged, and shown in its place)."""
        site = self.site
        source = site.sources.get(self.rel)
        where = (source.path, block_line(source.content, number)) if source is not None else (self.rel, 1)
        self.placed = True
        views = ViewSite(site.ctx, site.found, site.memo)
        return render_block(views, self.rel, body, where, site.policy, site.report).html

    def finish(self, text: str) -> str:
        """The page's HTML with the stylesheet, and the scripts its graphs and tables need.

        Python-Markdown also runs postprocessors over each heading for the table of contents:
        only the whole page ends with `END`."""
        if END not in text:
            return text
        text = text.replace(END, "")
        site = self.site
        if site.strict and site.errors:
            noun = "error" if site.errors == 1 else "errors"
            raise StrictBuildError(
                f"plans: {site.errors} {noun} in plans, ADRs and views (listed above; `plans check` lists them too)"
            )
        if not self.placed and "plans-xref" not in text:
            return text
        head = f'<link rel="stylesheet" href="{self.asset("plans.css")}">\n'
        scripts = []
        graphs = 'class="mermaid"' in text
        if graphs and site.mermaid != "off":
            scripts.append(self.asset("mermaid.min.js") if site.mermaid == "bundled" else html.escape(site.mermaid))
        if graphs:
            scripts.append(self.asset("panzoom.min.js"))
        if graphs or "data-plans-sort" in text:
            scripts.append(self.asset("plans.js"))
        tail = "".join(f'\n<script src="{src}"></script>' for src in scripts)
        return head + text + tail


class _PagePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, page: PagePlans) -> None:
        super().__init__(md)
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        markdown = self.page.page_markdown(self.md, "\n".join(lines))
        return [*markdown.split("\n"), "", self.md.htmlStash.store(END)]


class _PagePostprocessor(Postprocessor):
    def __init__(self, md: Markdown, page: PagePlans) -> None:
        super().__init__(md)
        self.page = page

    def run(self, text: str) -> str:
        return self.page.finish(text)


class _Unplaced(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        _warn_once(
            "plancompiler.markdown: this site engine does not say which page it renders, so plans are"
            " left out; under MkDocs, add the `plans` plugin instead (it does the same and more)"
        )
        return lines


class PlansExtension(Extension):
    """The extension; its options are the `plans` plugin's, read from the same mkdocs.yml."""

    def __init__(self, **kwargs: Any) -> None:
        # Empty text for "not given": Python-Markdown turns any value given for an option whose
        # default is None into a boolean.
        self.config = {name: ["", f"the plans plugin's option '{name}'"] for name in OPTION_NAMES}
        unknown = sorted(set(kwargs) - set(OPTION_NAMES))
        if unknown:
            # Python-Markdown would raise a bare KeyError; say what the options are.
            raise PlansSiteError(
                f"plancompiler.markdown: unknown option {', '.join(map(repr, unknown))}; the options are the"
                f" plans plugin's: {', '.join(OPTION_NAMES)}"
            )
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        try:
            context: object = md.preprocessors[_ENGINE_CONTEXT]
        except KeyError:
            context = None
        engine_page = getattr(context, "page", None)
        engine_config = getattr(context, "config", None)
        if engine_page is None or not isinstance(engine_config, dict):
            # Said when a page is converted: MkDocs makes a Markdown instance just to check
            # its configuration, and under MkDocs the plugin takes this extension out.
            md.preprocessors.register(_Unplaced(md), "plancompiler_page", 28)
            return
        # A configuration that cannot be used stops the build (PlansSiteError), as the plugin's
        # stops MkDocs: a site without its plans checked must not look like one with them.
        site = site_compiler(engine_site(engine_config, self.getConfigs())).current()
        rel = str(engine_page.path).replace("\\", "/")
        page = PagePlans(site, rel)
        # After whitespace is normalised (30), before view blocks (27) and fenced code (25).
        md.preprocessors.register(_PagePreprocessor(md, page), "plancompiler_page", 28)
        fences.register(md, lambda: page.render_block)
        xrefs = XrefExtension(resolver=site.resolver)
        xrefs.page_src = rel
        xrefs.extendMarkdown(md)
        # Last: after raw HTML is put back (30) and everything else is done.
        md.postprocessors.register(_PagePostprocessor(md, page), "plancompiler_page", 1)


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        log.warning(message)


def makeExtension(**kwargs: Any) -> PlansExtension:  # noqa: N802
    return PlansExtension(**kwargs)
