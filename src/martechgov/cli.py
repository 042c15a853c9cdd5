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
from martechgov.engines import ENGINES, OPA_TOKEN_ENV, EngineSettings, make_engine
from martechgov.errors import MartechgovError, UsageError
from martechgov.formatters import FORMATTERS, Context, resolve_auto
from martechgov.inputdoc import input_document
from martechgov.request_model import json_schema
from martechgov.result import CheckReport
from martechgov.check import CheckOptions, run_check
from martechgov.loader import load_request
from martechgov.sources import display_path

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
        except BrokenPipeError:
            # The reader went away (`martechgov check | head`): stop quietly. Point
            # stdout at /dev/null so the interpreter's final flush cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(2)
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
def engine_options(func: F) -> F:
    """--engine and the remote OPA settings, shared by the commands that evaluate."""
    options = [
        click.option("--engine", type=click.Choice(sorted(ENGINES)), default="embedded",
                     show_default=True, help="Which Rego engine evaluates the policies."),
        click.option("--opa-url", envvar="MARTECHGOV_OPA_URL", metavar="URL",
                     help="With --engine opa: the OPA server, e.g. http://localhost:8181 "
                          "(or MARTECHGOV_OPA_URL). A bearer token, if needed, is read from "
                          f"the {OPA_TOKEN_ENV} environment variable."),
        click.option("--opa-mode", type=click.Choice(["push", "bundle"]), default="push",
                     show_default=True,
                     help="push: upload our policies and data to the server first; bundle: "
                          "the server already serves our bundle (its revision must match)."),
        click.option("--opa-timeout", type=click.FloatRange(min=0.1), default=5.0,
                     show_default=True, metavar="SECONDS", help="Timeout per OPA request."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def engine_settings(opa_url: str | None, opa_mode: str, opa_timeout: float) -> EngineSettings:
    return EngineSettings(opa_url=opa_url, opa_mode=opa_mode, opa_timeout=opa_timeout)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="martechgov")
def main() -> None:
    """Governance-as-code for marketing technology: requests in, decisions out."""


def parse_outputs(_ctx: click.Context, _param: click.Parameter,
                  values: tuple[str, ...]) -> list[tuple[str, Path]]:
    parsed = []
    for value in values:
        name, sep, file = value.partition("=")
        if not sep or not file or name not in FORMATTERS:
            raise click.BadParameter(
                f"{value!r}: expected FORMAT=FILE with FORMAT one of {', '.join(FORMATTERS)}")
        parsed.append((name, Path(file)))
    return parsed


def write_report(report: CheckReport, stdout_format: str,
                 outputs: list[tuple[str, Path]]) -> None:
    """Render one report to stdout and to every requested file."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    context = Context(
        color=sys.stdout.isatty() and "NO_COLOR" not in os.environ,
        step_summary=Path(summary) if summary else None,
    )
    FORMATTERS[stdout_format](context).write(report, sys.stdout)
    for name, file in outputs:
        try:
            with file.open("w", encoding="utf-8") as stream:
                FORMATTERS[name](Context()).write(report, stream)
        except OSError as exc:
            raise UsageError(f"cannot write {name} output to {file}: {exc.strerror}") from None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@policies_option
@click.option("--format", "output_format", type=click.Choice(["auto", *FORMATTERS]),
              default="auto", show_default=True,
              help="Output format on stdout; auto = github inside GitHub Actions, else text.")
@click.option("--output", "-o", "outputs", multiple=True, metavar="FORMAT=FILE",
              callback=parse_outputs,
              help="Also write FORMAT to FILE (repeatable), e.g. -o sarif=martechgov.sarif.")
@as_of_option
@engine_options
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for large runs (default: one per CPU).")
@click.option("--base", metavar="REF",
              help="Check only requests changed since REF (its merge base), judged by "
                   "REF's policies.")
@click.option("--head", metavar="REF",
              help="With --base: the end of the change (default: the working tree).")
@click.option("--policies-from-worktree", is_flag=True,
              help="With --base: judge with the working tree's policies instead of the "
                   "base's (for local experiments; marked as untrusted in every output).")
@handle_errors
def check(paths: tuple[Path, ...], policies: Path, output_format: str,
          outputs: list[tuple[str, Path]], as_of: dt.date, engine: str, opa_url: str | None,
          opa_mode: str, opa_timeout: float, jobs: int | None, base: str | None,
          head: str | None, policies_from_worktree: bool) -> None:
    """Judge tool requests: approve, review, deny or invalid.

    PATHS are request files or folders (default: requests/).
    """
    options = CheckOptions(
        paths=list(paths) or [Path("requests")],
        policies=policies,
        as_of=as_of,
        engine=engine,
        engine_settings=engine_settings(opa_url, opa_mode, opa_timeout),
        jobs=jobs,
        base=base,
        head=head,
        policies_from_worktree=policies_from_worktree,
    )
    report = run_check(options)
    write_report(report, resolve_auto(output_format), outputs)
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
