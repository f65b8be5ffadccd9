"""Plan and ADR cards: where each goes in its page's Markdown, and each one rendered, or kept
from the last build under `mkdocs serve`."""

from __future__ import annotations

from functools import partial
from typing import cast

from plancompiler.emit.adr_page import AdrSummaryView, adr_summary_view, numbered_heading, render_adr_view
from plancompiler.emit.context import EmitContext
from plancompiler.emit.memo import Memo
from plancompiler.emit.plan_page import plan_page_view, render_plan_view
from plancompiler.emit.plan_view import PlanPageView
from plancompiler.emit.summary import Summary, place_summary
from plancompiler.model import Adr, Plan

# Where a plan's or ADR's card, or a generated page's body, goes in its Markdown, and where
# a plan's detail goes; replaced by their HTML.
SLOT = '<div class="plans-summary-slot"></div>'
DETAIL_SLOT = '<div class="plans-detail-slot"></div>'
_SLOT_BLOCK = f"\n{SLOT}\n"
_DETAIL_BLOCK = f"\n{DETAIL_SLOT}\n"


class PageSummaries:
    """The summaries of this build's plan and ADR pages."""

    def __init__(self) -> None:
        self.by_rel: dict[str, Plan | Adr] = {}
        """This build's plans and ADRs by source path."""
        self.mode = "top"
        self.links: object = ()
        """What shapes the summaries' links (`EmitContext.links`)."""
        self.made: dict[str, Summary] = {}
        """This build's summaries by page source path."""
        self.due: dict[str, tuple[PlanPageView | AdrSummaryView, Summary | None]] = {}
        """Each plan's and ADR's summary view and, when the last build made it for that view,
        the summary, by source path: worked out for the whole site in one go (page by page,
        between MkDocs' own work, the same look-ups take several times as long)."""
        self.placed: dict[str, tuple[str, str]] = {}
        """For each plan and ADR page, the Markdown MkDocs is expected to hand over (its body)
        and that Markdown with the summary's slot in place: made once per version of the
        body, while the summary's place is looked for page by page otherwise."""

    def prepare(self, ctx: EmitContext, by_rel: dict[str, Plan | Adr], mode: str, memo: Memo) -> None:
        """Take this build's plans and ADRs, and work out which summaries the last build made."""
        self.by_rel, self.mode = by_rel, mode
        self.made.clear()
        self.due, self.placed = {}, {}
        if mode == "off":
            return
        for src, target in by_rel.items():
            if isinstance(target, Plan):
                view: PlanPageView | AdrSummaryView = plan_page_view(ctx, target, memo)
            else:
                view = adr_summary_view(ctx, target, memo)
            # A summary's links are relative to its page: where pages go (in `ctx.links`) names
            # the piece too.
            self.due[src] = (view, cast("Summary | None", memo.kept(("summary", src, ctx.links), view)))
        self.links = ctx.links
        for src, target in by_rel.items():
            # A record whose file did not change is the very same object: its body is too.
            body = memo.made(("shown body", src), (target,), _shown_body)
            shown = (body, mode, isinstance(target, Plan))
            self.placed[src] = memo.get(("placed", src), shown, partial(_placed, *shown))

    def markdown(self, src: str, markdown: str) -> str:
        """The page's Markdown with the slots of its card and (for a plan) detail in place.

        The summary itself is HTML, put in after Markdown is done (on_page_content): MkDocs
        would otherwise parse every task table of the site as Markdown.
        """
        if src not in self.by_rel or self.mode == "off":
            return markdown
        expected, placed = self.placed[src]
        if markdown == expected:
            return placed
        detail = _DETAIL_BLOCK if isinstance(self.by_rel[src], Plan) else ""
        return place_summary(markdown, _SLOT_BLOCK, detail, self.mode)

    def summary(self, src: str, ctx: EmitContext, memo: Memo) -> Summary:
        """The summary of the page `src`: under `mkdocs serve` every page is rebuilt after each
        edit, and a summary whose view did not change is the one of the previous build."""
        view, summary = self.due[src]
        if summary is None:
            if isinstance(view, AdrSummaryView):
                html_summary = render_adr_view(ctx, view)
            else:
                html_summary = render_plan_view(ctx, view)
            summary = memo.keep(("summary", src, self.links), view, Summary.of(html_summary))
            self.due[src] = (view, summary)
        self.made[src] = summary
        return summary


def _placed(body: str, mode: str, plan: bool) -> tuple[str, str]:
    """The Markdown MkDocs hands over for a page whose source is a front matter and `body`,
    and that Markdown with the slots of the card and (for a plan) the detail in place."""
    expected = body.lstrip("\n")
    return expected, place_summary(expected, _SLOT_BLOCK, _DETAIL_BLOCK if plan else "", mode)


def _shown_body(target: Plan | Adr) -> str:
    """The body of a plan's or ADR's page as MkDocs gets it: an ADR's first heading carries
    its number."""
    return numbered_heading(target.body, target.id) if isinstance(target, Adr) else target.body
