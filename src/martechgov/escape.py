"""One escaper per output language for untrusted text.

File names, tool names, vendors and every other value from a request are written by
whoever opened the pull request. They reach terminals, GitHub workflow commands,
Markdown, CSV, XML and HTML only through the escaper of that language, defined once
here and shared by every renderer, and long values are cut (`truncate`) before they
are echoed.

Invisible characters are shown, not dropped: a control character (ESC starts a
terminal escape sequence, a line break can forge a line), a Unicode bidirectional
control (it makes text display in another order than it reads), a line or paragraph
separator, a lone surrogate or a noncharacter becomes the Python-style escape of its
code point as literal text: ESC is shown as `\\x1b`, RIGHT-TO-LEFT OVERRIDE as
`\\u202e`, a line break as `\\n`. A reader sees that something odd is in the name, and
the output stays one line per finding and valid XML.
"""

from __future__ import annotations

import re

LIMIT = 200  # a name or value from a request, echoed in a message or a report
MESSAGE_LIMIT = 1000  # a whole message (policy text may quote a name more than once)

# C0 and C1 controls, the bidirectional controls (ALM, LRM, RLM, LRE..RLO, LRI..PDI),
# line and paragraph separators, surrogates (undecodable bytes of a file name) and the
# noncharacters U+FFFE and U+FFFF (with the surrogates, illegal in XML 1.0).
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
# A code span in policy prose: one backtick, text without backticks, one backtick, not
# part of a longer backtick run (CommonMark pairs runs of equal length only).
_CODE_SPAN = re.compile(r"(?<!`)`([^`]+)`(?!`)")
# The runner's legacy command syntax (`##[command]`) is recognised anywhere in a line.
_LEGACY_COMMAND = re.compile(r"##(?=\[)")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# tab and carriage return can hide such a start.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def truncate(text: str, limit: int = LIMIT) -> str:
    """At most `limit` characters, then `...` when something was cut."""
    return text if len(text) <= limit else text[:limit] + "..."


def _show(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def visible(text: str) -> str:
    """Every invisible character (see the module) shown as its escape: `\\x1b`."""
    return _INVISIBLE.sub(_show, text)


def one_line(text: str) -> str:
    """Every run of whitespace (line breaks included) becomes one space."""
    return " ".join(text.split())


def terminal(text: str) -> str:
    """Text for a terminal or a log: one line, nothing the terminal would interpret."""
    return visible(text)


def markdown(text: str) -> str:
    """Untrusted text inside Markdown (a table cell, a heading): shown as typed.

    One line (a line break, `\\r` included, would end the table row), invisible
    characters shown, Markdown's special characters backslash-escaped, and `&`, `<`,
    `>` as entities so no HTML (or HTML comment) can start.
    """
    return _markdown_inline(one_line(text))


def _markdown_inline(text: str) -> str:
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_prose(text: str) -> str:
    """Policy text (messages and fixes) inside a Markdown line, its `code` spans kept.

    Messages quote request values (a tool name with backticks or `<!--` in it), so
    everything outside a code span is escaped like `markdown`; inside one nothing is
    interpreted, so only invisible characters are shown. A backtick that does not pair
    is escaped.
    """
    text = one_line(text)
    out, start = [], 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_markdown_inline(text[start:span.start()]))
        out.append(f"`{visible(span.group(1))}`")
        start = span.end()
    out.append(_markdown_inline(text[start:]))
    return "".join(out)


def csv_cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula: a leading `'` when it could."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def workflow_data(text: str) -> str:
    """The message part of a GitHub workflow command (`::error ...::<data>`).

    The runner's own escaping for line breaks and `%`; and `##[` shown as `#\\#[` so the
    line stays harmless should the runner ever read it as a legacy command.
    """
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _LEGACY_COMMAND.sub("#\\\\#", text)


def workflow_property(text: str) -> str:
    """A property value of a GitHub workflow command (`file=...,title=...`)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_log(text: str) -> str:
    """Untrusted text inside a plain line of a GitHub Actions log.

    The runner reads a line as a workflow command when it starts with `::` (after
    leading spaces) or contains `##[` anywhere. This keeps the text on one line and
    breaks up `##[`; the line itself must start with trusted text.
    """
    return _LEGACY_COMMAND.sub("#\\\\#", visible(text))
