"""Every user-controlled string reaches the site as text, on every page."""

from __future__ import annotations

from conftest import Site
from hostile import HOSTILE_ADR, HOSTILE_PLAN, mermaid_sources, unsafe_mermaid_lines
from sample import write_sample


def test_hostile_strings_render_as_text_everywhere(site: Site) -> None:
    write_sample(site)
    site.write("plans/hostile.md", HOSTILE_PLAN)
    site.write("decisions/0090-hostile.md", HOSTILE_ADR)
    built = site.build(strict=False)
    assert built.ok, built.log
    pages = list(built.site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for bad in (
            "<img src=x",
            "<img src=y",
            "<b onmouseover",
            "<svg onload",
            "<script>alert",
            "</table><script>",
            "<iframe",
            'href="javascript:',
            "onclick=",
        ):
            assert bad not in text, f"{bad!r} unescaped in {page.relative_to(built.site)}"
    plan = built.page("plans/hostile/index.html")
    # Shown as the author typed it, in the navigation and in the page.
    assert "&lt;img src=x onerror=alert(1)&gt;" in plan
    assert "&lt;/table&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in plan
    # Mermaid sources keep to their grammar: no user string starts a line or leaves its quotes.
    for page_name in ("plans/hostile/index.html", "gates/index.html", "timeline/index.html"):
        sources = mermaid_sources(built.page(page_name))
        assert sources, page_name
        for source in sources:
            assert not unsafe_mermaid_lines(source), source
    assert any(s.split("\n", 2)[1] == "gantt" for s in mermaid_sources(built.page("timeline/index.html")))


def test_a_line_break_in_a_plan_cannot_forge_an_output_line(site: Site) -> None:
    """Found by the property tests: U+2028 and NEL split a GitHub annotation in two."""
    site.write(
        "plans/forged.md",
        '---\nkind: plan\nid: forged\ntitle: t\nstatus: "x\\u2028::error file=evil.md,line=1::forged\\n'
        'docs/other.md:1:1: PLN001 error: forged"\n---\n# F\n',
    )
    for fmt in ("text", "github"):
        out = site.check("--format", fmt).out.splitlines()
        assert len(out) == 2, out  # one diagnostic and the summary line
        assert "\\u2028::error file=evil.md" in out[0] and "\\ndocs/other.md" in out[0]
