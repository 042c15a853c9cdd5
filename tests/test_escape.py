"""The escapers every renderer shares, one per output language (escape.py)."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from martechgov import escape

HTML = MarkdownIt("commonmark").enable("table")


def rendered(markdown: str) -> str:
    """The HTML a CommonMark renderer (with GitHub's tables) makes of `markdown`."""
    html = HTML.render(markdown)
    assert "<!--" not in html, html
    return html


def test_invisible_characters_are_shown_not_interpreted() -> None:
    assert escape.terminal("Acme\x1b[2K\rAPPROVE") == "Acme\\x1b[2K\\rAPPROVE"
    assert escape.terminal("a\nb\tc\x7f\x85") == "a\\nb\\tc\\x7f\\x85"
    assert escape.terminal("evil\u202etxt.exe\u2066\u2028") == "evil\\u202etxt.exe\\u2066\\u2028"
    assert escape.terminal("bad\udcff\ufffe") == "bad\\udcff\\ufffe"
    assert escape.terminal("Société Générale — 日本") == "Société Générale — 日本"


def test_truncate_cuts_long_values_and_says_so() -> None:
    assert escape.truncate("x" * 200) == "x" * 200
    assert escape.truncate("x" * 900_000) == "x" * 200 + "..."
    assert escape.truncate("abcdef", 3) == "abc..."


def test_markdown_covers_line_breaks_html_comments_and_table_cells() -> None:
    cell = escape.markdown("a\r<!--b|c`d`\n*e* [f](g) ~~h~~ &lt;")
    assert cell == "a &lt;!--b\\|c\\`d\\` \\*e\\* \\[f\\](g) \\~\\~h\\~\\~ &amp;lt;"
    assert re.findall("<td>(.*)</td>", rendered(f"| x |\n|---|\n| {cell} |\n")) == [
        "a &lt;!--b|c`d` *e* [f](g) ~~h~~ &amp;lt;"]
    assert escape.markdown("\x1b[31m") == "\\\\x1b\\[31m"


def test_markdown_prose_keeps_code_spans_and_escapes_the_rest() -> None:
    assert escape.markdown_prose("set `security.sso` to `saml`") == "set `security.sso` to `saml`"
    # A tool name quoted in a message cannot open HTML, a link or a comment.
    hostile = escape.markdown_prose("Evil<!-- [x](y) has no SSO; set `a<b` now`")
    assert hostile == "Evil&lt;!-- \\[x\\](y) has no SSO; set `a<b` now\\`"
    assert rendered(hostile) == (
        "<p>Evil&lt;!-- [x](y) has no SSO; set <code>a&lt;b</code> now`</p>\n")
    assert escape.markdown_prose("``<!--``") == "\\`\\`&lt;!--\\`\\`"


def test_workflow_log_breaks_legacy_commands_and_line_breaks() -> None:
    assert escape.workflow_log("x\n::add-mask::y") == "x\\n::add-mask::y"
    assert escape.workflow_log("a ##[add-mask]b ###[error]c") == "a #\\#[add-mask]b ##\\#[error]c"
    assert "##[" not in escape.workflow_data("x ##[stop-commands]y")
    assert escape.workflow_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape.workflow_property("a:b,c%") == "a%3Ab%2Cc%25"
