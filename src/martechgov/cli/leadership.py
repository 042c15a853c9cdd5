"""Commands for leadership: `inventory`, `map` and `report`.

Thin like every command: options in, one call, exit code out. They describe the
portfolio rather than gate a change, so a denied or invalid request is something to
show, not a failure: they exit 0, or 2 when martechgov cannot judge.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import click

from martechgov.cli.common import check_options, handle_errors, judged_options
from martechgov.engines import EngineSettings
from martechgov.errors import UsageError
from martechgov.leadership.datamap import build_map
from martechgov.leadership.htmlreport import write_report_site
from martechgov.leadership.inventory import build_inventory, parse_window
from martechgov.leadership.inventory_formats import INVENTORY_FORMATS
from martechgov.leadership.mapformats import MAP_FORMATS, render_map
from martechgov.leadership.portfolio import Inputs, load_portfolio
from martechgov.rendering import render


def facts_options(command: Callable[..., None]) -> Callable[..., None]:
    """--signoffs, --discover and --history: the facts from outside the requests."""
    options = [
        click.option("--signoffs", type=click.Path(path_type=Path, dir_okay=False),
                     help="JSON file of the requests whose review is signed off "
                          "(in review + signed off = approved)."),
        click.option("--discover", "discover_file", metavar="FILE",
                     type=click.Path(path_type=Path, dir_okay=False),
                     help="Output of `martechgov discover --format json`: approved tools "
                          "seen in use are `in use`; shadow IT is listed."),
        click.option("--history", metavar="REF",
                     help="List the requests that REF (e.g. main) deleted as retired "
                          "(read from git history)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def parse_due(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return parse_window(value)
    except UsageError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@judged_options
@click.option("--format", "output_format", type=click.Choice(sorted(INVENTORY_FORMATS)),
              default="table", show_default=True, help="Output format.")
@click.option("--due", "due_days", callback=parse_due, metavar="WINDOW",
              help="Only what renews, must be cancelled or lapses within WINDOW of "
                   "--as-of (e.g. 60d, 90d, 8w), soonest first.")
@facts_options
@handle_errors
def inventory(paths: tuple[Path, ...], policies: Path, as_of: dt.date, engine: str,
              engine_settings: EngineSettings, output_format: str,
              due_days: int | None, signoffs: Path | None, discover_file: Path | None,
              history: str | None) -> None:
    """Every request with its decision, status, owners, cost, dates and risk.

    PATHS are request files or folders (default: requests/). --format ics writes the
    renewals and cancel-by dates as an iCalendar feed.
    """
    options = check_options(paths, policies, as_of, engine, engine_settings)
    portfolio = load_portfolio(options, Inputs(signoffs, discover_file, history))
    result = build_inventory(portfolio, due_days)
    render(INVENTORY_FORMATS, output_format, result, sys.stdout)


@click.command("map")
@judged_options
@click.option("--format", "output_format", type=click.Choice(sorted(MAP_FORMATS)),
              default="mermaid", show_default=True,
              help="mermaid (renders in GitHub Markdown) or dot (Graphviz).")
@click.option("--include-denied", is_flag=True,
              help="Also show denied and invalid tools (dashed, grey).")
@facts_options
@handle_errors
def map_command(paths: tuple[Path, ...], policies: Path, as_of: dt.date, engine: str,
                engine_settings: EngineSettings, output_format: str,
                include_denied: bool, signoffs: Path | None, discover_file: Path | None,
                history: str | None) -> None:
    """The data-flow map: tools, the IT systems they exchange data with, and what data.

    PATHS are request files or folders (default: requests/).
    """
    options = check_options(paths, policies, as_of, engine, engine_settings)
    portfolio = load_portfolio(options, Inputs(signoffs, discover_file, history))
    data_map = build_map(portfolio, include_denied)
    # Rendered to text first: the note needs its size (GitHub's Mermaid limits).
    text, note = render_map(data_map, output_format)
    sys.stdout.write(text)
    if note:
        click.echo(f"martechgov: warning: {note}", err=True)


@click.command()
@judged_options
@click.option("--output", "-o", "output", required=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="Directory to write index.html into (created if missing).")
@click.option("--due", "due_days", callback=parse_due, default="90d", show_default=True,
              metavar="WINDOW", help="The window of the report's 'What is due' section.")
@click.option("--include-denied", is_flag=True,
              help="Also draw denied and invalid tools on the map.")
@facts_options
@handle_errors
def report(paths: tuple[Path, ...], policies: Path, as_of: dt.date, engine: str,
           engine_settings: EngineSettings, output: Path,
           due_days: int, include_denied: bool, signoffs: Path | None,
           discover_file: Path | None, history: str | None) -> None:
    """A self-contained HTML catalog (DIR/index.html) for GitHub Pages.

    PATHS are request files or folders (default: requests/).
    """
    options = check_options(paths, policies, as_of, engine, engine_settings)
    portfolio = load_portfolio(options, Inputs(signoffs, discover_file, history))
    page = write_report_site(portfolio, output, due_days, include_denied)
    click.echo(f"wrote {page}", err=True)
