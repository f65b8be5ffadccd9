"""A YAML syntax error shows the line at fault with a caret under the column, and one sentence
naming the likely mistake, in `plans check` and in the MkDocs build log alike."""

from __future__ import annotations

import pytest

from conftest import Site

# (name, front matter after `kind`, `id` and `title`, the cause the message must name, the
# line as shown with its caret). Each is a mistake people make in hand-written YAML.
CASES = [
    (
        "unquoted-colon",
        "status: draft\nx-note: Fix: the checkout\n",
        "the value of 'x-note' holds ': ', which YAML reads as the start of another key;"
        ' put the value in quotes: x-note: "Fix: the checkout"',
        " 6 | x-note: Fix: the checkout\n   |            ^",
    ),
    (
        "comment-in-a-value",
        "status: draft\nphases:\n  - id: P1\n    title: One\n    tasks:\n      - {id: P1.1, title: Fix #3 parsing}\n",
        "' #' starts a comment in YAML, so the rest of this line, closing bracket included, is not read;"
        " put the value that holds '#' in quotes",
        " 10 |       - {id: P1.1, title: Fix #3 parsing}\n    |                               ^",
    ),
    (
        "tab",
        "status: draft\nphases:\n  - id: P1\n\ttitle: One\n",
        "a tab character indents or separates this line; YAML allows only spaces there: replace the tab with spaces",
        " 8 | \ttitle: One\n   | ^",
    ),
    (
        "deeper-than-the-line-above",
        "owner: ana\n  status: draft\n",
        "this line is indented 2 spaces, more than line 5 (0), which already has its value, so nothing can"
        " nest under it; start this line at the margin like line 5",
        " 6 |   status: draft\n   |   ^",
    ),
    (
        "between-the-dash-and-the-keys",
        "status: draft\nphases:\n  - id: P1\n   title: One\n",
        "this line is indented 3 spaces: deeper than the '- ' of the list item on line 7 (2) but not as deep"
        " as its keys (4); indent it by 4 spaces to continue that item, or start a new item with '- '",
        " 8 |    title: One\n   |    ^",
    ),
    (
        "a-key-less-indented-than-its-mapping",
        "status: draft\nrollback:\n    triggers: [Errors]\n  steps: [Revert]\n",
        "this line is indented 2 spaces, less than line 7 (4); the keys of one mapping line up: indent it"
        " like the key it belongs with",
        " 8 |   steps: [Revert]\n   |   ^",
    ),
    (
        "keys-below-an-item-in-braces",
        "status: draft\nphases:\n  - {id: P1, title: Build}\n    tasks:\n      - {id: T1, title: Wire}\n",
        "the item on line 7 is written in '{...}', which holds all of it, so nothing can be added below;"
        " write this key inside the '{...}', or write the item as 'key: value' lines",
        " 8 |     tasks:\n   |     ^",
    ),
    (
        "missing-dash",
        "status: draft\nrisks:\n  - {id: R1, title: Slips}\n  {id: R2, title: Leaks}\n",
        "this line sits in the list above without its '- '; start it with '- ' like line 7",
        " 8 |   {id: R2, title: Leaks}\n   |   ^",
    ),
    (
        "list-items-misaligned",
        "status: draft\nx-notes:\n  - one\n - two\n",
        "this list item is indented 1 space, unlike the item on line 7 (2); the items of one list line up:"
        " indent it like that one",
        " 8 |  - two\n   |  ^",
    ),
    (
        "quote-ends-the-value-early",
        "status: draft\nowner: 'platform's team'\n",
        "the quoted value ends at the ' before this column, and text follows it; quote the whole value"
        " with \" instead, or write it twice inside the value ('It''s')",
        " 6 | owner: 'platform's team'\n   |                  ^",
    ),
    (
        "unclosed-bracket",
        "status: draft\nx-tags: [a, b\nowner: me\n",
        "the '[' opened here is never closed; close it with ']', and put values that hold ',', '[', ']',"
        " '{' or '}' in quotes",
        " 6 | x-tags: [a, b\n   |         ^",
    ),
    (
        "wrong-closing-bracket",
        "status: draft\nphases:\n  - id: P1\n    title: One\n    tasks:\n      - {id: P1.1, title: A, depends_on: [P1.0}\n",
        "this '}' closes the '[' opened on line 10, column 42; close that one with ']'",
        " 10 |       - {id: P1.1, title: A, depends_on: [P1.0}\n    |                                               ^",
    ),
    (
        "value-starting-with-at",
        "status: draft\nowner: @alice\n",
        "a value cannot start with '@' in YAML; put the value in quotes",
        " 6 | owner: @alice\n   |        ^",
    ),
]


def _plan(name: str, front_matter: str) -> str:
    return f"---\nkind: plan\nid: {name}\ntitle: T\n{front_matter}---\n# T\n"


@pytest.mark.parametrize(("name", "front_matter", "cause", "shown"), CASES, ids=[c[0] for c in CASES])
def test_the_mistake_is_named_and_shown(site: Site, name: str, front_matter: str, cause: str, shown: str) -> None:
    site.write(f"{name}.md", _plan(name, front_matter), dedent=False)
    checked = site.check()
    assert checked.code == 1
    first, excerpt = checked.out.split("\n", 1)
    line, caret = shown.split("\n")
    where = f"{line.split('|')[0].strip()}:{len(caret) - caret.index('|') - 2}"
    assert first.startswith(f"docs/{name}.md:{where}: PLN002 error: YAML syntax error: {cause} (PyYAML: ")
    assert excerpt == f"{shown}\nFound 1 error, 0 warnings, 0 infos in 1 document.\n"


def test_the_build_log_shows_the_line_and_the_caret(site: Site) -> None:
    site.write("checkout.md", _plan("checkout", "status: draft\nx-note: Fix: the checkout\n"), dedent=False)
    built = site.build(strict=True)
    assert not built.ok
    assert (
        "WARNING - plancompiler: docs/checkout.md:6:12: PLN002 error: YAML syntax error: the value of 'x-note'"
        " holds ': '" in built.log
    )
    assert (
        "(PyYAML: mapping values are not allowed in this context)\n 6 | x-note: Fix: the checkout\n   |            ^\n"
        in built.log
    )
