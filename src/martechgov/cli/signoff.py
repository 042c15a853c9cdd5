"""`martechgov signoff`: has every team the policies named approved the pull request?"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from martechgov.cli.common import (
    check_options,
    handle_errors,
    judged_options,
    outputs_option,
    write_reports,
)
from martechgov.engines import EngineSettings
from martechgov.formatters import FORMATTERS, resolve_auto
from martechgov.formatters.json_ import report_json
from martechgov.rendering import rendered
from martechgov.signoff.formats import signoff_formats
from martechgov.signoff.gate import SignoffOptions, run_signoff

SIGNOFF_FORMATS = signoff_formats(FORMATTERS, report_json)


def parse_members(_ctx: click.Context, _param: click.Parameter,
                  values: tuple[str, ...]) -> dict[str, Path]:
    parsed: dict[str, Path] = {}
    for value in values:
        ref, sep, file = value.partition("=")
        if not sep or not file or ref.count("/") != 1:
            raise click.BadParameter(f"{value!r}: expected ORG/TEAM-SLUG=FILE, e.g. "
                                     "example-org/legal=legal-members.json")
        parsed[ref.lower()] = Path(file)
    return parsed


@click.command()
@judged_options
@click.option("--reviews", "reviews", required=True,
              type=click.Path(path_type=Path, dir_okay=False),
              help="The pull request's reviews as GitHub's REST API returns them "
                   "(gh api --paginate repos/OWNER/REPO/pulls/N/reviews).")
@click.option("--team-members", "team_members", multiple=True, callback=parse_members,
              metavar="ORG/SLUG=FILE",
              help="The members of a GitHub team named in teams.yaml, as GitHub returns "
                   "them (gh api --paginate orgs/ORG/teams/SLUG/members); repeatable.")
@click.option("--head-sha", "head_sha", required=True, metavar="SHA",
              help="The pull request's head commit: only approvals of it count.")
@click.option("--author", required=True, metavar="LOGIN",
              help="The pull request's author: their own review never counts.")
@click.option("--base", metavar="REF",
              help="Judge only requests changed since REF, with REF's policies and teams.")
@click.option("--head", metavar="REF",
              help="With --base: the end of the change (default: the working tree).")
@click.option("--format", "output_format", type=click.Choice(["auto", *SIGNOFF_FORMATS]),
              default="auto", show_default=True,
              help="Output format on stdout; auto = github inside GitHub Actions, else text.")
@outputs_option(SIGNOFF_FORMATS)
@handle_errors
def signoff(paths: tuple[Path, ...], policies: Path, as_of: dt.date, engine: str,
            engine_settings: EngineSettings, reviews: Path, team_members: dict[str, Path],
            head_sha: str, author: str, base: str | None, head: str | None,
            output_format: str, outputs: list[tuple[str, Path]]) -> None:
    """Check that every team a request in review needs has signed off.

    Judges PATHS (default: requests/) like `check`; for each request in review, a team
    has signed off when one of its people (policies/data/teams.yaml) approved the head
    commit. Exit 0 only when every team signed off and nothing is denied or invalid.
    """
    report = run_signoff(SignoffOptions(
        check=check_options(paths, policies, as_of, engine, engine_settings, base=base,
                            head=head),
        reviews=reviews, head_sha=head_sha, author=author, team_members=team_members))
    write_reports(SIGNOFF_FORMATS, report, resolve_auto(output_format), outputs,
                  summary=lambda r: rendered(SIGNOFF_FORMATS, "markdown", r))
    sys.exit(report.exit_code)
