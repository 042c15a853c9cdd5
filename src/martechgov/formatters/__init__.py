"""Check-report formats by name (the `rendering.Registry` shape); `click.Choice` is fed
from FORMATTERS."""

from __future__ import annotations

import os

from martechgov.formatters.github import GithubFormatter
from martechgov.formatters.json_ import JsonFormatter
from martechgov.formatters.junit import JunitFormatter
from martechgov.formatters.markdown import MarkdownFormatter
from martechgov.formatters.sarif import SarifFormatter
from martechgov.formatters.text import TextFormatter
from martechgov.rendering import Registry
from martechgov.result import CheckReport

FORMATTERS: Registry[CheckReport] = {
    "text": lambda ctx: TextFormatter(ctx.color),
    "json": lambda ctx: JsonFormatter(),
    "github": lambda ctx: GithubFormatter(),
    "markdown": lambda ctx: MarkdownFormatter(),
    "sarif": lambda ctx: SarifFormatter(),
    "junit": lambda ctx: JunitFormatter(),
}


def resolve_auto(name: str, environ: os._Environ[str] | dict[str, str] = os.environ) -> str:
    """`auto` is `github` inside GitHub Actions and `text` elsewhere."""
    if name != "auto":
        return name
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"
