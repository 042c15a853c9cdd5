"""`martechgov import`: draft requests from lists that already exist (a tech stack).

Thin: parse options, call the library, print, pick the exit code. Errors end in
`handle_errors` (exit code 2, one line, no traceback).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from martechgov.cli.common import as_of_option, handle_errors, policies_option
from martechgov.discover.techstack_report import (
    IMPORT_FORMATS,
    ImportOptions,
    import_tech_stack,
)
from martechgov.rendering import render


@click.group("import")
def import_group() -> None:
    """Import what already exists: draft requests from another list of tools."""


@import_group.command("tech-stack")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--draft", "draft_dir", default=Path("requests"), show_default=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="Write the drafts into this folder.")
@click.option("--requests", "requests_dir", default=Path("requests"), show_default=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="The requests already there: a tool with one gets no draft.")
@policies_option
@click.option("--force", is_flag=True, help="Replace existing draft files.")
@click.option("--format", "output_format", type=click.Choice(list(IMPORT_FORMATS)),
              default="text", show_default=True, help="Output format of the report.")
@as_of_option
@handle_errors
def tech_stack(file: Path, draft_dir: Path, requests_dir: Path, policies: Path, force: bool,
               output_format: str, as_of: dt.date) -> None:
    """Draft a request for every system of a GitLab-style tech_stack.yml.

    Each draft holds what FILE says (name, purpose, team, owners, sign-on, vendor and
    category from the catalog) and a TODO for the rest; the report lists what mapped
    and what did not. Exit code 0, or 1 when an entry could not be read.
    """
    report = import_tech_stack(ImportOptions(file, draft_dir, requests_dir, policies, as_of,
                                             force))
    render(IMPORT_FORMATS, output_format, report, sys.stdout)
    sys.exit(report.exit_code)
