"""`martechgov new`: the request wizard.

Thin: parse options, run the interview, write the request, print its decision, pick the
exit code. The questions and the document are built in `martechgov.new`; this module only
puts the questions to a person through click. Errors end in `handle_errors` (exit code 2,
one line, no traceback).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from martechgov.check import CheckOptions, run_check
from martechgov.cli.common import F, as_of_option, handle_errors, policies_option
from martechgov.errors import UsageError
from martechgov.formatters.text import TextFormatter
from martechgov.new.interview import Interview, interview
from martechgov.new.questions import QUESTION_LIST, Question
from martechgov.policy import PolicySet
from martechgov.request_values import SLUG_PATTERN
from martechgov.request_writer import dump_request, slugify, write_new_file
from martechgov.sources import display_path

_HINTS = {"date": " (YYYY-MM-DD)", "bool": " (yes/no)", "email": "", "url": "",
          "int": " (a number)", "number": " (a number)"}


class ClickAsker:
    """Asks the wizard's questions with click prompts, re-asking until an answer fits."""

    def ask(self, question: Question, default: str | None,
            parse: Callable[[str], Any]) -> Any:
        text = question.prompt
        if question.choices:
            click.echo(question.prompt)
            width = max(len(value) for value in question.values)
            for number, (value, meaning) in enumerate(question.choices, 1):
                click.echo(f"  {number:>2}. {value:<{width}}  {meaning}")
            several = ", several separated by commas" if question.kind == "choices" else ""
            text = f"  Your answer (a number or a name{several})"
        text += _HINTS.get(question.kind, "")
        if not question.required and default is None:
            text += " [Enter to skip]"

        def check(raw: str) -> Any:
            try:
                return parse(raw)
            except ValueError as exc:
                raise click.BadParameter(str(exc)) from None

        fallback = default if default is not None else (None if question.required else "")
        return click.prompt(text, default=fallback, show_default=default is not None,
                            value_proc=check)

    def confirm(self, text: str, default: bool) -> bool:
        return click.confirm(text, default=default)

    def section(self, title: str) -> None:
        click.echo("")
        click.echo(click.style(title, bold=True))


def _flag_help(question: Question) -> str:
    text = question.prompt
    if question.choices:
        text += " One of: " + ", ".join(question.values) + "."
    if question.kind in ("choices", "emails", "slugs"):
        text += " Several: separate with commas."
    return text + {"date": " YYYY-MM-DD.", "bool": " yes or no."}.get(question.kind, "")


def _question_options(func: F) -> F:
    """One flag per wizard question: --name, --vendor, --personal-data, ..."""
    for question in reversed([q for q in QUESTION_LIST if q.flag]):
        func = click.option(f"--{question.key}", question.key.replace("-", "_"),
                            metavar=question.kind.upper() if not question.choices
                            else "CHOICE", help=_flag_help(question))(func)
    return func


@click.command()
@_question_options
@click.option("--integration", "integrations", multiple=True,
              metavar="SYSTEM:DIRECTION:METHOD[:DATA,...]",
              help="A connection to one of IT's systems (repeatable), e.g. "
                   "salesforce:outbound:native:contact,identifiers.")
@click.option("--id", "request_id", help="The request id (default: from the tool name).")
@click.option("--requests", "requests_dir", default=Path("requests"), show_default=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="Where to write the request.")
@policies_option
@as_of_option
@click.option("--force", is_flag=True, help="Overwrite an existing request file.")
@click.option("--yes", "-y", "accept_defaults", is_flag=True,
              help="Accept defaults and skip optional questions; ask only required ones "
                   "that have no flag.")
@click.option("--no-input", is_flag=True,
              help="Never ask: take flags and defaults, fail (exit 2) naming every "
                   "required answer that is missing.")
@handle_errors
def new(integrations: tuple[str, ...], request_id: str | None, requests_dir: Path,
        policies: Path, as_of: dt.date, force: bool, accept_defaults: bool, no_input: bool,
        **answers: str | None) -> None:
    """Propose a tool: answer plain questions, get requests/<id>.yaml and its decision.

    Every question also has a flag, so it can run without questions (--no-input).
    Exit code like check: 0 approve or review, 1 deny or invalid, 2 could not run.
    """
    given: dict[str, Any] = {key.replace("_", "-"): value for key, value in answers.items()}
    given["integration"] = integrations
    if request_id is not None and not re.fullmatch(SLUG_PATTERN, request_id):
        raise UsageError(f"--id {request_id!r}: use lowercase letters, digits and dashes, "
                         "e.g. canva-pro")

    def claim_id(name: str) -> str:
        chosen = request_id or slugify(name)
        path = requests_dir / f"{chosen}.yaml"
        if path.exists() and not force:
            raise UsageError(f"{path} already exists; choose another id with --id, or "
                             "use --force to replace it")
        return chosen

    asker = None if no_input else ClickAsker()
    policy = PolicySet.from_directory(policies)
    systems = dict(sorted(policy.systems.items()))
    document = interview(Interview(given, asker, accept_defaults), systems, claim_id,
                         policy.fields)
    path = requests_dir / f"{document['id']}.yaml"
    write_new_file(path, dump_request(document), force=force)
    click.echo(f"\nWrote {display_path(path)}. The decision it would get as of "
               f"{as_of.isoformat()}:\n")
    report = run_check(CheckOptions(paths=[path], policies=policies, as_of=as_of,
                                    loaded=policy))
    TextFormatter(color=sys.stdout.isatty()).write(report, sys.stdout)
    sys.exit(report.exit_code)
