"""Problems shown where they are: each page's own diagnostics at its top, and a generated
page that lists every diagnostic of the site.

A strict build fails on errors, so these are what a reader of `mkdocs serve` or of a build
without `--strict` sees instead of a terminal: the code, the position, the message (which
says what to do) and the code's general advice on fixing it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from plancompiler.diagnostics import CODES, Diagnostic, Severity
from plancompiler.diagnostics.formats import HasText, text_line
from plancompiler.emit import escape, html
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.summary import Row, Summary, generated_body

TITLE = "Problems"
_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_ADMONITION = {Severity.ERROR: "failure", Severity.WARNING: "warning", Severity.INFO: "info"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One diagnostic as a page shows it."""

    code: str
    severity: str
    line: int
    col: int
    message: str
    excerpt: str
    """The source line with a caret under the column, for a YAML syntax error; else empty."""


@dataclass(frozen=True, slots=True)
class FileProblems:
    """The diagnostics of one file, and the page of the site it is (None: no page, such as a
    folder link left out of the site)."""

    path: str
    page: str | None
    problems: tuple[Problem, ...]

    @property
    def anchor(self) -> str:
        """The id of the file's first row on the Problems page."""
        return escape.anchor("problems", self.path)

    @property
    def worst(self) -> Severity:
        """The most severe of the file's diagnostics."""
        return min((Severity(p.severity) for p in self.problems), key=_ORDER.index)


def gather(
    diagnostics: Sequence[Diagnostic],
    pages: Mapping[str, str],
    documents: Mapping[str, HasText] | None = None,
) -> tuple[FileProblems, ...]:
    """The diagnostics by file, in the order they come (sorted by path and position);
    `pages` gives the page (source path in the docs folder) of each file path."""
    by_path: dict[str, list[Problem]] = {}
    for d in diagnostics:
        _, _, excerpt = text_line(d, documents).partition("\n")
        by_path.setdefault(d.path, []).append(Problem(d.code, d.severity.value, d.line, d.col, d.message, excerpt))
    return tuple(FileProblems(path, pages.get(path), tuple(found)) for path, found in by_path.items())


def _counts(problems: Sequence[Problem]) -> str:
    counts = Counter(p.severity for p in problems)
    return ", ".join(
        f"{counts[s.value]} {s.value}{'s' if counts[s.value] != 1 else ''}" for s in _ORDER if counts[s.value]
    )


def _fix(code: str) -> str:
    known = CODES.get(code)
    return known.fix if known else ""


def render_page_problems(ctx: EmitContext, src: str, found: FileProblems) -> str:
    """The admonition at the top of a page: each of its diagnostics with position, code,
    message and how to fix it, and a link to the Problems page."""
    entries = []
    for p in found.problems:
        where = f'<span class="plans-nowrap">line {p.line}:{p.col}</span>'
        text = f"{where} <code>{escape.text(p.code)}</code> {badge('severity', p.severity)} {escape.text(p.message)}"
        if p.excerpt:
            text += f"<pre><code>{escape.preformatted(p.excerpt)}</code></pre>"
        fix = _fix(p.code)
        if fix:
            text += f'<br><span class="plans-note">How to fix {escape.text(p.code)}: {escape.text(fix)}</span>'
        entries.append(text)
    noun = "problem" if len(found.problems) == 1 else "problems"
    title = f"{len(found.problems)} {noun} in <code>{escape.text(found.path)}</code> ({_counts(found.problems)})"
    everything = ctx.link("every problem of the site", ctx.href(src, ctx.paths.problems, found.anchor))
    closing = "A strict build (<code>mkdocs build --strict</code>) fails while an error remains; see also "
    return (
        f'<div class="admonition {_ADMONITION[found.worst]} plans-problems">'
        f'<p class="admonition-title">{title}</p>'
        f"{html.items(entries)}{html.para(closing + everything + '.')}</div>"
    )


_TABLE = html.Table(
    (
        html.Column("File", html.ID),
        html.Column("Line", html.ID),
        html.Column("Code", html.ID),
        html.Column("Severity", html.STATUS),
        html.Column("Problem", html.TEXT),
    ),
    css="plans-problems-table",
    sortable=True,
    filters=("Severity", "Code"),
    noun="problems",
)


def render_problems(ctx: EmitContext, files: tuple[FileProblems, ...], memo: Memo | None = None) -> Summary:
    """The Problems page's body: every diagnostic, one row each, with the advice on each code
    that occurs below the table; with a `memo`, a file's rows are written again only when its
    diagnostics changed."""
    memo = memo if memo is not None else Memo()
    ctx = ctx.as_html()
    src = ctx.paths.problems
    if not files:
        return generated_body(
            html.para("No problems: every plan, ADR and cross-reference of the site compiled cleanly.")
        )
    problems = [p for f in files for p in f.problems]
    lead = html.para(
        f"{_counts(problems)} in {len(files)} {'file' if len(files) == 1 else 'files'}, as <code>plans check</code>"
        " reports them. Each page shows its own at its top. Only errors fail a strict build."
    )
    by_path = {f.path: f for f in files}
    rows = memo.each(("problems", "rows", ctx.links), by_path.items(), lambda path: _rows(ctx, src, by_path[path]))
    codes = sorted({p.code for p in problems})
    fixes = [
        f'<span id="{escape.anchor("fix", code)}"></span>{html.strong(escape.text(code))}'
        f" {escape.text(CODES[code].name if code in CODES else '')}: {escape.text(_fix(code))}"
        for code in codes
    ]
    tail = _TABLE.end + html.heading(2, "how-to-fix", "How to fix each code") + html.items(fixes)
    return generated_body(lead + _TABLE.head, rows, tail, (("how-to-fix", "How to fix each code"),))


def _rows(ctx: EmitContext, src: str, found: FileProblems) -> Row:
    shown = escape.text(found.path)
    if found.page is not None:
        shown = ctx.link(found.path, ctx.href(src, found.page))
    out = []
    for i, p in enumerate(found.problems):
        anchor = f'<span id="{found.anchor}"></span>' if i == 0 else ""
        code = ctx.link(p.code, ctx.href(src, src, escape.anchor("fix", p.code)), _fix(p.code))
        out.append(
            _TABLE.row(
                (
                    anchor + shown,
                    f"{p.line}:{p.col}",
                    code,
                    html.Cell(badge("severity", p.severity), str(_ORDER.index(Severity(p.severity)))),
                    escape.text(p.message),
                )
            )
        )
    return Row.of("".join(out))
