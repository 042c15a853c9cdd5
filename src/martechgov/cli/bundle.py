"""`martechgov bundle ...`: the policy library packaged for OPA servers."""

from __future__ import annotations

from pathlib import Path

import click

from martechgov.policytools.bundle import DEFAULT_OUTPUT, build_bundle
from martechgov.cli.common import handle_errors, policies_option
from martechgov.policy import PolicySet


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
