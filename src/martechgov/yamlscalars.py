"""Plain (unquoted) YAML scalars read as YAML 1.2's core schema reads them.

What editors and yaml-language-server do, not YAML 1.1 (PyYAML's default): only
`true`/`false` are booleans, so `yes`, `no`, `on`, `off`, `y` and `n` are words; numbers
are decimal, so `010` (octal to YAML 1.1), `0x1F`, `0o17`, `1_000` and `1:30`
(sexagesimal to YAML 1.1) are text, which a number field refuses with a message saying
what to write (`problems`). Dates (`2027-01-15`) are still read as dates; one that is no
day of the calendar (`2027-02-30`) is text, refused where a date is meant.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), decimal
# numbers only; plus YAML 1.1's timestamps, read as dates and times.
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), float("-inf")),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), float("nan"))}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?")
_PLAIN_VALUES: dict[str, Any] = {}


def plain_scalar(text: str) -> Any:
    """The value of an unquoted scalar, as YAML 1.2's core schema reads it (see the
    module): None, a bool, a decimal int or float, a date or datetime, else the text."""
    if text in _PLAIN_VALUES:
        return _PLAIN_VALUES[text]
    value = _plain_value(text)
    if len(_PLAIN_VALUES) < 50_000 and len(text) < 100:  # requests repeat their words
        _PLAIN_VALUES[text] = value
    return value


def _plain_value(text: str) -> Any:
    if text in _WORDS:
        return _WORDS[text]
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _TIMESTAMP.fullmatch(text):
        return _timestamp(text)
    return text


def _timestamp(text: str) -> Any:
    node = yaml.ScalarNode("tag:yaml.org,2002:timestamp", text)
    try:
        value: dt.date = yaml.constructor.SafeConstructor().construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        return text  # `2027-02-30`: no day of the calendar, so text a date field refuses
    return value
