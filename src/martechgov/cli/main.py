"""The command line. Thin on purpose: parse options, call one function, pick the exit code.

Shared options and the one error handler are in `cli_common`; commands that belong to
a larger feature live in their own `cli_*` module, loaded lazily (FEATURE_COMMANDS).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from martechgov import __version__, escape
from martechgov.check import run_check
from martechgov.cli.common import (
    as_of_option,
    check_options,
    engine_options,
    handle_errors,
    limit_options,
    outputs_option,
    policies_option,
    write_reports,
)
from martechgov.engines import EngineSettings, make_engine
from martechgov.formatters import FORMATTERS, resolve_auto
from martechgov.inputdoc import input_document
from martechgov.loader import load_request
from martechgov.policy import policy_at
from martechgov.rendering import rendered
from martechgov.request_model import ToolRequest
from martechgov.request_schema import policy_choices, policy_schema
from martechgov.sources import display_path


class LazyGroup(click.Group):
    """A group whose bigger commands are imported only when they run.

    Judging one request should not pay for importing the HTML report, fuzzy matching
    or the OPA client: each feature module loads when its command is used (click's
    documented lazy-loading pattern). Every module imports only cli_common.
    """

    def __init__(self, *args: Any, lazy_subcommands: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = lazy_subcommands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_subcommands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy_subcommands.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, name = target.rsplit(".", 1)
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command)
        return command


FEATURE_COMMANDS = {
    "impact": "martechgov.cli.policy.impact",
    "validate": "martechgov.cli.policy.validate_command",
    "rereview": "martechgov.cli.policy.rereview",
    "bundle": "martechgov.cli.policy.bundle",
    "rules": "martechgov.cli.policy.rules",
    "inventory": "martechgov.cli.leadership.inventory",
    "map": "martechgov.cli.leadership.map_command",
    "report": "martechgov.cli.leadership.report",
    "discover": "martechgov.cli.discover.discover",
    "new": "martechgov.cli.new.new",
    "signoff": "martechgov.cli.signoff.signoff",
    "issue-form": "martechgov.cli.intake.issue_form",
    "from-issue": "martechgov.cli.intake.from_issue",
    "import": "martechgov.cli.importer.import_group",
}


@click.group(cls=LazyGroup, lazy_subcommands=FEATURE_COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="martechgov")
def main() -> None:
    """Governance-as-code for marketing technology: requests in, decisions out."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@policies_option
@click.option("--format", "output_format", type=click.Choice(["auto", *FORMATTERS]),
              default="auto", show_default=True,
              help="Output format on stdout; auto = github inside GitHub Actions, else text.")
@outputs_option(FORMATTERS)
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
          outputs: list[tuple[str, Path]], as_of: dt.date, engine: str,
          engine_settings: EngineSettings, jobs: int | None, base: str | None,
          head: str | None, policies_from_worktree: bool) -> None:
    """Judge tool requests: approve, review, deny or invalid.

    PATHS are request files or folders (default: requests/).
    """
    report = run_check(check_options(
        paths, policies, as_of, engine, engine_settings, jobs=jobs, base=base, head=head,
        policies_from_worktree=policies_from_worktree))
    write_reports(FORMATTERS, report, resolve_auto(output_format), outputs,
                  summary=lambda r: rendered(FORMATTERS, "markdown", r))
    sys.exit(report.exit_code)


@main.command("input")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@policies_option
@as_of_option
@handle_errors
def input_command(file: Path, policies: Path, as_of: dt.date) -> None:
    """Print the JSON input document the policies receive for FILE."""
    policy = policy_at(policies)
    model = policy.request_model if policy else ToolRequest
    loaded = load_request(file, display_path(file), model,
                          policy_choices(policy) if policy else None)
    if not loaded.valid:
        for problem in loaded.problems:  # shown escaped: messages quote the file's values
            click.echo(escape.terminal(f"{loaded.file}:{problem.line}:{problem.column}: "
                                       f"{problem.message}"), err=True)
            if problem.fix:
                click.echo(f"    fix: {escape.terminal(problem.fix)}", err=True)
        sys.exit(1)
    assert loaded.request is not None
    click.echo(json.dumps(input_document(loaded.request, as_of, loaded.file), indent=2))


@main.command()
@policies_option
@handle_errors
def schema(policies: Path) -> None:
    """Print the JSON Schema of a request (martechgov/v1 ToolRequest) for editors, with
    the fields IT declares in POLICIES/fields.yaml and the values IT's policy data allows
    (the systems catalog); the core format when the folder does not exist."""
    click.echo(json.dumps(policy_schema(policy_at(policies)), indent=2))


@main.command("test")
@policies_option
@click.option("-v", "--verbose", is_flag=True, help="List every test, not just failures.")
@click.option("--require-coverage", is_flag=True,
              help="Fail when a rule id is not exercised by any test.")
# The engines whose `runs_tests` is true, listed by name: reading the attribute here
# would import every engine (the OPA client too) whenever the CLI starts.
@click.option("--engine", type=click.Choice(["embedded", "regopy", "regorus"]), default="embedded",
              show_default=True, help="Which embedded engine runs the tests.")
@limit_options
@handle_errors
def test_command(policies: Path, verbose: bool, require_coverage: bool, engine: str,
                 engine_settings: EngineSettings) -> None:
    """Run the policy library's Rego unit tests (test_* rules in *_test.rego)."""
    from martechgov.policy import PolicySet
    from martechgov.policytools import regotest

    runner = make_engine(engine, engine_settings)
    report = regotest.run(PolicySet.from_directory(policies), runner)
    for outcome in report.outcomes:
        if verbose or not outcome.passed:
            word = "PASS" if outcome.passed else "FAIL"
            detail = f" ({outcome.detail})" if outcome.detail else ""
            click.echo(f"{outcome.test.file}:{outcome.test.line}: {word} "
                       f"{outcome.test.name}{detail}")
    for rule in report.uncovered:
        click.echo(f"{'error' if require_coverage else 'warning'}: no test mentions rule "
                   f"{rule}")
    click.echo(regotest.summary_line(report.outcomes))
    failed = report.failed or (require_coverage and report.uncovered)
    sys.exit(1 if failed else 0)
