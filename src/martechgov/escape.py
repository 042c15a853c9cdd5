"""One escaper per output language for untrusted text.

File names, tool names, vendors and every other value from a request are written by
whoever opened the pull request. They reach terminals, GitHub workflow commands,
Markdown, CSV, XML and HTML only through the escaper of that language, defined once
here and shared by every renderer.
"""

from __future__ import annotations

import re

# C0 and C1 control characters (ESC starts a terminal escape sequence) and the Unicode
# bidirectional controls that can make text display in another order than it reads.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# tab and carriage return can hide such a start.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def one_line(text: str) -> str:
    """Every run of whitespace (line breaks included) becomes one space."""
    return " ".join(text.split())


def terminal(text: str) -> str:
    """Text for a terminal: control characters replaced by a space, never interpreted."""
    return _CONTROL.sub(" ", text)


def markdown(text: str) -> str:
    """Untrusted text inside Markdown (a table cell, a heading): shown as typed.

    One line (a line break would end the table row), Markdown's special characters
    backslash-escaped, and `&`, `<`, `>` as entities so no HTML (or HTML comment) can
    start.
    """
    text = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_prose(text: str) -> str:
    """Policy text (messages and fixes, with `code` spans kept) inside a Markdown line."""
    return one_line(text).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def csv_cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula: a leading `'` when it could."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def workflow_data(text: str) -> str:
    """The message part of a GitHub workflow command (`::error ...::<data>`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A property value of a GitHub workflow command (`file=...,title=...`)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")
