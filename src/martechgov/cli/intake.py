"""`martechgov issue-form` and `martechgov from-issue`: a GitHub issue form instead of YAML."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from martechgov.cli.common import (
    as_of_option,
    check_options,
    engine_options,
    handle_errors,
    outputs_option,
    policies_option,
    write_reports,
)
from martechgov.engines import EngineSettings
from martechgov.errors import UsageError
from martechgov.formatters import FORMATTERS
from martechgov.formatters.json_ import report_json
from martechgov.intake.draft import IntakeOptions, run_intake
from martechgov.intake.formats import intake_formats
from martechgov.intake.issueform import FILE, issue_form_yaml
from martechgov.policy import request_model_at
from martechgov.rendering import rendered

INTAKE_FORMATS = intake_formats(FORMATTERS, report_json)


@click.command("issue-form")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help=f"Write the form to this file (e.g. {FILE}) instead of stdout.")
@policies_option
@handle_errors
def issue_form(output: Path | None, policies: Path) -> None:
    """Print the GitHub issue form for tool requests, generated from the request model
    and the fields IT declares in POLICIES/fields.yaml."""
    text = issue_form_yaml(request_model_at(policies))
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None


@click.command("from-issue")
@click.argument("body", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--issue", type=click.IntRange(min=1), metavar="N",
              help="The issue's number (named in the file; an id when the name has none).")
@click.option("--requests", "requests_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("requests"), show_default=True,
              help="Where the request file is written.")
@click.option("--force", is_flag=True, help="Replace a request file that already exists.")
@policies_option
@as_of_option
@engine_options
@click.option("--format", "output_format", type=click.Choice(sorted(INTAKE_FORMATS)),
              default="text", show_default=True, help="Output format on stdout.")
@outputs_option(INTAKE_FORMATS)
@handle_errors
def from_issue(body: Path, issue: int | None, requests_dir: Path, force: bool,
               policies: Path, as_of: dt.date, engine: str, engine_settings: EngineSettings,
               output_format: str, outputs: list[tuple[str, Path]]) -> None:
    """Turn an issue made with the tool-request form into requests/<id>.yaml and judge it.

    BODY is the issue's body as GitHub rendered it ("### Question", then the answer).
    Unanswered questions become # TODO lines. Exit 0 when the request was written and
    is not denied or invalid, 1 otherwise (the output says why), 2 on an error.
    """
    report = run_intake(IntakeOptions(
        body=body, requests=requests_dir, issue=issue, force=force,
        check=check_options((), policies, as_of, engine, engine_settings)))
    write_reports(INTAKE_FORMATS, report, output_format, outputs,
                  summary=lambda r: rendered(INTAKE_FORMATS, "markdown", r))
    sys.exit(report.exit_code)
