"""`martechgov discover`: shadow IT in Okta, Google and expense exports.

Thin: parse options, call the library, print, pick the exit code. Errors end in
`handle_errors` (exit code 2, one line, no traceback).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from martechgov.cli.common import as_of_option, handle_errors, policies_option
from martechgov.discover.layout import KINDS, parse_column_mapping
from martechgov.discover.matching import DiscoverOptions, run_discover
from martechgov.discover.report import FORMATS, NOTES_ON_STDERR, side_notes
from martechgov.discover.shadow_drafts import write_drafts
from martechgov.rendering import render


@click.command()
@click.argument("exports", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(["auto", *KINDS]),
              default="auto", show_default=True,
              help="What the exports are; auto = recognise each file by its columns.")
@click.option("--columns", metavar="FIELD=COLUMN,...",
              help="Name the columns of another layout, e.g. name=Vendor,date=Posted,"
                   "amount=Total,currency=Ccy,user=Cardholder (fields: name, user, email, "
                   "date, amount, currency, category, event).")
@click.option("--requests", "requests_dir", default=Path("requests"), show_default=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="The requests; those approved or in review count as approved tools.")
@policies_option
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default="table",
              show_default=True, help="Output format on stdout.")
@click.option("--draft", "draft_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write a draft request per finding into this folder (e.g. requests/).")
@click.option("--force", is_flag=True, help="With --draft: replace existing draft files.")
@click.option("--signoffs", type=click.Path(path_type=Path, dir_okay=False),
              help="JSON file of the requests whose review is signed off: shown as in use.")
@as_of_option
@handle_errors
def discover(exports: tuple[Path, ...], kind: str, columns: str | None, requests_dir: Path,
             policies: Path, output_format: str, draft_dir: Path | None, force: bool,
             signoffs: Path | None, as_of: dt.date) -> None:
    """Find tools in use without an approved request (shadow IT).

    EXPORTS are CSV files: Okta application usage or current assignments reports,
    Google Workspace OAuth log events, card or expense exports. Exit code 0: nothing
    unapproved found; 1: something found; 2: could not run.
    """
    options = DiscoverOptions(list(exports), requests_dir, policies, as_of, kind,
                              parse_column_mapping(columns), signoffs)
    result = run_discover(options)
    render(FORMATS, output_format, result, sys.stdout)
    if output_format in NOTES_ON_STDERR:
        for line in side_notes(result):
            click.echo(line, err=True)
    if draft_dir is not None:
        for outcome in write_drafts(result.shadow_tools, draft_dir, as_of, force):
            if outcome.path is not None:
                click.echo(f"draft: wrote {outcome.path}", err=True)
            else:
                click.echo(f"draft: {outcome.name}: not written: {outcome.skipped}",
                           err=True)
    sys.exit(result.exit_code)
