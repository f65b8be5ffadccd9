"""The pages the plugin adds to the site: the Gates Index, plans index, decision log, Owners,
Problems and Timeline, and the `plans.json` export."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from plancompiler.emit import decision_log, gates_index, owners, plans_index, problems, timeline
from plancompiler.emit.context import EmitContext, PagePaths
from plancompiler.emit.memo import Memo
from plancompiler.emit.summary import Summary
from plancompiler.markdown.views import view_blocks
from plancompiler.parse.document import page_body

Render = Callable[[EmitContext, Memo], Summary]

# Generated pages that are one wide table: the table takes the table of contents' room.
_NO_TOC = "---\nhide: [toc]\n---\n"


def add_generated_pages(
    files: Files, config: MkDocsConfig, paths: PagePaths, found: tuple[problems.FileProblems, ...], slot: str
) -> dict[str, Render]:
    """Add each generated page to `files`, its Markdown a title and `slot`; what renders each
    one's body, by source path.

    A generated page's body, tables of every gate, plan or ADR, is written as HTML and put in
    after Markdown, when MkDocs reaches the page (every page's URL is final then). A page the
    author wrote at that path with a view block in it takes the generated page's place.
    """
    generated: dict[str, tuple[str, Render, str]] = {
        paths.gates_index: (gates_index.TITLE, gates_index.render_gates_index, ""),
        paths.plans_index: (plans_index.TITLE, plans_index.render_plans_index, _NO_TOC),
        paths.decision_log: (decision_log.TITLE, decision_log.render_decision_log, _NO_TOC),
        paths.owners: (owners.TITLE, owners.render_owners, ""),
        paths.problems: (problems.TITLE, partial(_render_problems, found), _NO_TOC),
        paths.timeline: (timeline.TITLE, timeline.render_timeline, _NO_TOC),
    }
    for uri, (title, _, front) in list(generated.items()):
        written = files.get_file_from_path(uri)
        if written is not None and view_blocks(page_body(written.content_string)[0]):
            del generated[uri]  # the page the author wrote shows the view itself
            continue
        if written is not None:
            raise PluginError(
                f"plans: {uri} already exists in the docs folder; choose another path for the"
                " generated page in the plugin's options"
            )
        files.append(File.generated(config, uri, content=f"{front}# {title}\n\n{slot}\n"))
    return {uri: render for uri, (_, render, _) in generated.items()}


def add_export(files: Files, config: MkDocsConfig, path: str, export: str) -> None:
    """Add the `plans.json` export to the site."""
    files.append(File.generated(config, path, content=export))


def _render_problems(found: tuple[problems.FileProblems, ...], ctx: EmitContext, memo: Memo) -> Summary:
    return problems.render_problems(ctx, found, memo)
