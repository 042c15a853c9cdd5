"""The command line. Thin on purpose: parse options, call one function, pick the exit code.

Exit codes (DOMAIN.md): 0 nothing denied or invalid; 1 something denied or invalid;
2 martechgov could not judge. Every MartechgovError, and anything unexpected, ends
here as a one-line message and exit code 2: never a traceback, never a pass.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from martechgov import __version__
from martechgov.engines import ENGINES, make_engine
from martechgov.errors import MartechgovError
from martechgov.formatters import FORMATTERS
from martechgov.inputdoc import input_document
from martechgov.request_model import json_schema
from martechgov.check import CheckOptions, display_path, run_check
from martechgov.loader import load_request

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """The one place where errors become messages and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MartechgovError as exc:
            click.echo(f"martechgov: error: {exc}", err=True)
            sys.exit(2)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - last line of defence, fails closed
            if os.environ.get("MARTECHGOV_DEBUG"):
                traceback.print_exc()
            click.echo(
                f"martechgov: internal error ({type(exc).__name__}: {exc}); nothing was "
                "judged. Set MARTECHGOV_DEBUG=1 for details and please report it.",
                err=True,
            )
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-23") from None


as_of_option = click.option(
    "--as-of", "as_of", callback=parse_date, metavar="YYYY-MM-DD",
    help="Judge as of this date (default: today). Reproduces any past decision.",
)
policies_option = click.option(
    "--policies", "policies", type=click.Path(path_type=Path, file_okay=False),
    default=Path("policies"), show_default=True, help="The policy directory.",
)
engine_option = click.option(
    "--engine", type=click.Choice(sorted(ENGINES)), default="embedded", show_default=True,
    help="Which Rego engine evaluates the policies.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="martechgov")
def main() -> None:
    """Governance-as-code for marketing technology: requests in, decisions out."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@policies_option
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATTERS)),
              default="text", show_default=True, help="Output format.")
@as_of_option
@engine_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for large runs (default: one per CPU).")
@handle_errors
def check(paths: tuple[Path, ...], policies: Path, output_format: str, as_of: dt.date,
          engine: str, jobs: int | None) -> None:
    """Judge tool requests: approve, review, deny or invalid.

    PATHS are request files or folders (default: requests/).
    """
    options = CheckOptions(
        paths=list(paths) or [Path("requests")],
        policies=policies,
        as_of=as_of,
        engine=engine,
        jobs=jobs,
    )
    report = run_check(options)
    color = output_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    FORMATTERS[output_format](color).write(report, sys.stdout)
    sys.exit(report.exit_code)


@main.command("input")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_of_option
@handle_errors
def input_command(file: Path, as_of: dt.date) -> None:
    """Print the JSON input document the policies receive for FILE."""
    loaded = load_request(file, display_path(file))
    if not loaded.valid:
        for problem in loaded.problems:
            click.echo(f"{loaded.file}:{problem.line}:{problem.column}: {problem.message}",
                       err=True)
        sys.exit(1)
    assert loaded.request is not None
    click.echo(json.dumps(input_document(loaded.request, as_of), indent=2))


@main.command()
@handle_errors
def schema() -> None:
    """Print the JSON Schema of a request (martechgov/v1 ToolRequest)."""
    click.echo(json.dumps(json_schema(), indent=2))


@main.command("test")
@policies_option
@click.option("-v", "--verbose", is_flag=True, help="List every test, not just failures.")
@click.option("--require-coverage", is_flag=True,
              help="Fail when a rule id is not exercised by any test.")
@click.option("--engine", type=click.Choice(["embedded", "regorus"]), default="embedded",
              show_default=True, help="Which embedded engine runs the tests.")
@handle_errors
def test_command(policies: Path, verbose: bool, require_coverage: bool, engine: str) -> None:
    """Run the policy library's Rego unit tests (test_* rules in *_test.rego)."""
    from martechgov import policytest
    from martechgov.policy import PolicySet

    runner = make_engine(engine)
    report = policytest.run(PolicySet.from_directory(policies), runner)  # type: ignore[arg-type]
    for outcome in report.outcomes:
        if verbose or not outcome.passed:
            word = "PASS" if outcome.passed else "FAIL"
            detail = f" ({outcome.detail})" if outcome.detail else ""
            click.echo(f"{outcome.test.file}:{outcome.test.line}: {word} "
                       f"{outcome.test.name}{detail}")
    for rule in report.uncovered:
        click.echo(f"{'error' if require_coverage else 'warning'}: no test mentions rule "
                   f"{rule}")
    click.echo(policytest.summary_line(report.outcomes))
    failed = report.failed or (require_coverage and report.uncovered)
    sys.exit(1 if failed else 0)
