"""Output formats by name; `click.Choice` is fed from FORMATTERS."""

from __future__ import annotations

from collections.abc import Callable

from martechgov.formatters.base import Formatter
from martechgov.formatters.json_ import JsonFormatter
from martechgov.formatters.text import TextFormatter

# Each factory takes `color` (only the text format uses it).
FORMATTERS: dict[str, Callable[[bool], Formatter]] = {
    "text": lambda color: TextFormatter(color),
    "json": lambda color: JsonFormatter(),
}
