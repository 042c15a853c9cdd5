"""Commands for IT policy authors: impact, validate, rereview, bundle and rules (`test`
is in cli/main.py)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from martechgov.cli.common import (
    as_of_option,
    engine_options,
    handle_errors,
    paths_argument,
    policies_option,
)
from martechgov.engines import EngineSettings
from martechgov.policy import PolicySet
from martechgov.policytools.bundle import DEFAULT_OUTPUT, build_bundle
from martechgov.policytools.impact import ImpactOptions, run_impact
from martechgov.policytools.impact_formats import IMPACT_FORMATTERS
from martechgov.policytools.rereview import run_rereview
from martechgov.policytools.rereview_formats import REREVIEW_FORMATTERS
from martechgov.policytools.rules_formats import RULES_FORMATTERS
from martechgov.policytools.validate import validate
from martechgov.rendering import render


def progress_on_tty(done: int, total: int) -> None:
    """`judged 2500/10000 requests` on stderr, only when a person is watching."""
    if total >= 500 and sys.stderr.isatty():
        end = "\n" if done >= total else ""
        click.echo(f"\rjudged {done:,}/{total:,} requests", err=True, nl=False)
        if end:
            click.echo(err=True)


@click.command()
@paths_argument
@policies_option
@click.option("--base", required=True, metavar="REF",
              help="The policies before the change (e.g. main).")
@click.option("--head", metavar="REF",
              help="The policies after the change (default: the working tree).")
@click.option("--format", "output_format", type=click.Choice(list(IMPACT_FORMATTERS)),
              default="text", show_default=True)
@as_of_option
@engine_options
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per CPU).")
@handle_errors
def impact(paths: tuple[Path, ...], policies: Path, base: str, head: str | None,
           output_format: str, as_of: dt.date, engine: str, engine_settings: EngineSettings,
           jobs: int | None) -> None:
    """Show which requests a policy change would flip.

    Judges every request in PATHS (default: requests/) under BASE's policies and under
    the new ones, and lists each request whose decision, reviewers or findings change.
    """
    report = run_impact(ImpactOptions(
        paths=list(paths) or [Path("requests")], policies=policies, base=base, head=head,
        as_of=as_of, engine=engine,
        engine_settings=engine_settings, jobs=jobs,
    ), progress=progress_on_tty)
    render(IMPACT_FORMATTERS, output_format, report, sys.stdout)


@click.command("validate")
@policies_option
@click.option("--requests", "requests_dir", type=click.Path(path_type=Path),
              default=Path("requests"), show_default=True,
              help="The requests exceptions may refer to (all must be valid).")
@as_of_option
@handle_errors
def validate_command(policies: Path, requests_dir: Path, as_of: dt.date) -> None:
    """Check IT's side: policy data, exceptions, Rego, and every request file."""
    report = validate(policies, [requests_dir], as_of=as_of)
    for problem in report.problems:
        click.echo(problem)
    if report.problems:
        click.echo(f"\n{len(report.problems)} problem(s) found")
        sys.exit(1)
    click.echo(f"valid: {report.data_files} data files, {report.exceptions} exceptions, "
               f"{report.modules} Rego modules, {report.requests} requests")


@click.command()
@paths_argument
@policies_option
@click.option("--format", "output_format", type=click.Choice(list(REREVIEW_FORMATTERS)),
              default="text", show_default=True)
@as_of_option
@engine_options
@handle_errors
def rereview(paths: tuple[Path, ...], policies: Path, output_format: str, as_of: dt.date,
             engine: str, engine_settings: EngineSettings) -> None:
    """List approvals that went stale since each request last landed (exit 1 if any)."""
    report = run_rereview(list(paths) or [Path("requests")], policies, as_of, engine,
                          engine_settings)
    render(REREVIEW_FORMATTERS, output_format, report, sys.stdout)
    sys.exit(1 if report.stale else 0)


@click.group()
def bundle() -> None:
    """OPA bundles of the policy library (to run the rules on OPA servers at scale)."""


@bundle.command("build")
@policies_option
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False),
              default=DEFAULT_OUTPUT, show_default=True, help="Where to write the bundle.")
@handle_errors
def build(policies: Path, output: Path) -> None:
    """Build a reproducible OPA bundle (.tar.gz) of the policies and their data.

    The same policies always give byte-identical bundles; the manifest's revision is
    the policy revision every martechgov answer names.
    """
    policy = PolicySet.from_directory(policies)
    build_bundle(policy, output)
    click.echo(f"wrote {output} (revision {policy.revision}, {len(policy.modules)} "
               "Rego modules, roots: martech)")


@click.command()
@policies_option
@click.option("--format", "output_format", type=click.Choice(list(RULES_FORMATTERS)),
              default="text", show_default=True,
              help="markdown is the README's rule table.")
@handle_errors
def rules(policies: Path, output_format: str) -> None:
    """List every rule: its title, level, owning team, sources and general fix."""
    render(RULES_FORMATTERS, output_format, PolicySet.from_directory(policies).rules,
           sys.stdout)
