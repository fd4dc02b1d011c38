"""The console's one stylesheet: a block left open silently moves every later rule into a phone-only query."""

from __future__ import annotations

import re

from central.console import STATIC_DIR

STYLESHEET = STATIC_DIR / "console.css"


def blocks(css: str) -> list[tuple[int, str, int]]:
    """Each block's depth, its selector or at-rule and its line, comments and strings skipped."""
    css = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group()), css, flags=re.S)
    css = re.sub(r'"[^"\n]*"', '""', css)
    found, depth, start = [], 0, 0
    for index, char in enumerate(css):
        if char == "{":
            found.append((depth, css[start:index].strip(), css.count("\n", 0, index) + 1))
            depth += 1
            start = index + 1
        elif char in "};":
            if char == "}":
                depth -= 1
                assert depth >= 0, f"console.css line {css.count(chr(10), 0, index) + 1}: '}}' closes nothing"
            start = index + 1
    assert depth == 0, f"console.css: {depth} block(s) never closed"
    return found


def test_every_block_of_the_stylesheet_is_closed_and_no_media_query_sits_in_another() -> None:
    found = blocks(STYLESHEET.read_text(encoding="utf-8"))
    nested = [(line, head) for depth, head, line in found if head.startswith("@media") and depth > 0]
    assert nested == [], f"a media query inside another (the one before it is not closed): {nested}"
    # the content editor's rules hold on a laptop, not only on a phone
    top = {head for depth, head, _ in found if depth == 0}
    assert {".languages3", ".item-actions", ".diff-change"} <= top


def test_an_unclosed_media_query_is_caught() -> None:
    broken = "@media (max-width: 700px) {\n  a { color: red; }\n.languages3 { display: grid; }\n"
    try:
        blocks(broken)
    except AssertionError as exc:
        assert "never closed" in str(exc)
    else:
        raise AssertionError("an unclosed block went unnoticed")
