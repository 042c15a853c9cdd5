"""Options and the error handler shared by every command module.

Exit codes (DOMAIN.md): 0 nothing denied or invalid; 1 something denied or invalid;
2 martechgov could not judge. Every MartechgovError, and anything unexpected, ends in
`handle_errors` as a one-line message and exit code 2: never a traceback, never a pass.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from martechgov import isolation
from martechgov.check import CheckOptions
from martechgov.engines import DEFAULT_ENGINE, ENGINES, OPA_TOKEN_ENV, EngineSettings
from martechgov.engines.base import EVAL_MEMORY_MB, EVAL_TIMEOUT, OPA_MAX_RESPONSE_MB
from martechgov.errors import MartechgovError, UsageError
from martechgov.rendering import Registry, RenderContext, render
from martechgov.request_values import DATE_MAX, DATE_MIN

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


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
        finally:
            isolation.shutdown()  # the command's evaluation workers end with it

    return wrapper  # type: ignore[return-value]


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-23") from None
    if not DATE_MIN <= day <= DATE_MAX:
        # The range request dates are held to: every engine's date functions handle it.
        raise click.BadParameter(f"{value} is outside the dates martechgov judges with "
                                 f"({DATE_MIN} to {DATE_MAX})")
    return day


as_of_option = click.option(
    "--as-of", "as_of", callback=parse_date, metavar="YYYY-MM-DD",
    help="Judge as of this date (default: today). Reproduces any past decision.",
)
policies_option = click.option(
    "--policies", "policies", type=click.Path(path_type=Path, file_okay=False),
    default=Path("policies"), show_default=True, help="The policy directory.",
)


def _limit_options() -> list[Callable[[F], F]]:
    return [
        click.option("--eval-timeout", type=click.FloatRange(min=0.1), default=EVAL_TIMEOUT,
                     show_default=True, metavar="SECONDS",
                     help="Local engines: the longest one request (or compiling the "
                          "policies) may take; beyond it the run stops with exit 2."),
        click.option("--eval-memory", type=click.IntRange(min=64), default=EVAL_MEMORY_MB,
                     show_default=True, metavar="MB",
                     help="Local engines: the memory each evaluation process may use; "
                          "beyond it the run stops with exit 2."),
    ]


def limit_options(func: F) -> F:
    """--eval-timeout and --eval-memory alone (commands that only run local engines);
    the command receives `engine_settings`."""
    @functools.wraps(func)
    def wrapper(*args: Any, eval_timeout: float, eval_memory: int, **kwargs: Any) -> Any:
        settings = EngineSettings(eval_timeout=eval_timeout, eval_memory=eval_memory)
        isolation.configure(isolation.Limits(eval_timeout, eval_memory))
        return func(*args, engine_settings=settings, **kwargs)

    for option in reversed(_limit_options()):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def engine_options(func: F) -> F:
    """--engine and the remote OPA settings, as one group.

    The command receives `engine` (the name) and `engine_settings` (one EngineSettings
    built here), never the individual --opa-* values.
    """
    @functools.wraps(func)
    def wrapper(*args: Any, eval_timeout: float, eval_memory: int, opa_url: str | None,
                opa_mode: str, opa_timeout: float, opa_concurrency: int,
                opa_max_response: int, use_cache: bool, **kwargs: Any) -> Any:
        settings = EngineSettings(eval_timeout=eval_timeout, eval_memory=eval_memory,
                                  opa_url=opa_url, opa_mode=opa_mode, opa_timeout=opa_timeout,
                                  opa_concurrency=opa_concurrency,
                                  opa_max_response=opa_max_response, cache=use_cache)
        isolation.configure(isolation.Limits(eval_timeout, eval_memory))
        return func(*args, engine_settings=settings, **kwargs)

    options = [
        click.option("--engine", type=click.Choice(sorted(ENGINES)), default=DEFAULT_ENGINE,
                     show_default=True,
                     help="Which Rego engine evaluates the policies: embedded (regorus, "
                          "in-process), regorus, regopy (rego-cpp) or opa (a server)."),
        *_limit_options(),
        click.option("--cache/--no-cache", "use_cache", default=True, show_default=True,
                     help="Local engines: answer from your decision cache what was judged "
                          "before with the same files, policies, date and martechgov; "
                          "--no-cache judges everything afresh. Never used with --base, "
                          "under CI, or from a folder inside the repository."),
        click.option("--opa-url", envvar="MARTECHGOV_OPA_URL", metavar="URL",
                     help="With --engine opa: the OPA server, e.g. http://localhost:8181 "
                          "(or MARTECHGOV_OPA_URL). A bearer token, if needed, is read from "
                          f"the {OPA_TOKEN_ENV} environment variable."),
        click.option("--opa-mode", type=click.Choice(["push", "bundle"]), default="push",
                     show_default=True,
                     help="push: upload our policies and data to the server first; bundle: "
                          "the server already serves our bundle (its revision must match)."),
        click.option("--opa-timeout", type=click.FloatRange(min=0.1), default=5.0,
                     show_default=True, metavar="SECONDS",
                     help="The longest one OPA request may take, start to end."),
        click.option("--opa-max-response", type=click.IntRange(min=1), default=OPA_MAX_RESPONSE_MB,
                     show_default=True, metavar="MB",
                     help="The largest answer read from OPA (compressed and decompressed)."),
        click.option("--opa-concurrency", type=click.IntRange(1, 256), default=16,
                     show_default=True,
                     help="With --engine opa: decision requests in flight at once."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


def judged_options(func: F) -> F:
    """PATHS, --policies, --as-of and the engine options: what `check` judges with."""
    return paths_argument(policies_option(as_of_option(engine_options(func))))


def check_options(paths: tuple[Path, ...], policies: Path, as_of: dt.date, engine: str,
                  engine_settings: EngineSettings, **more: Any) -> CheckOptions:
    """The one way the command line turns its options into CheckOptions."""
    return CheckOptions(paths=list(paths) or [Path("requests")], policies=policies,
                        as_of=as_of, engine=engine, engine_settings=engine_settings, **more)


def outputs_option(registry: Registry[Any]) -> Callable[[F], F]:
    """-o/--output FORMAT=FILE (repeatable), FORMAT one of the registry's names."""
    def parse(_ctx: click.Context, _param: click.Parameter,
              values: tuple[str, ...]) -> list[tuple[str, Path]]:
        parsed = []
        for value in values:
            name, sep, file = value.partition("=")
            if not sep or not file or name not in registry:
                raise click.BadParameter(f"{value!r}: expected FORMAT=FILE with FORMAT one "
                                         f"of {', '.join(registry)}")
            parsed.append((name, Path(file)))
        return parsed

    return click.option("--output", "-o", "outputs", multiple=True, metavar="FORMAT=FILE",
                        callback=parse,
                        help="Also write FORMAT to FILE (repeatable), e.g. "
                             "-o sarif=martechgov.sarif.")


def write_reports(registry: Registry[T], report: T, stdout_format: str,
                  outputs: list[tuple[str, Path]], summary: Callable[[T], str]) -> None:
    """Render one report to stdout and to every requested file; with `github`, also
    append `summary(report)` (Markdown) to GitHub's step summary.

    The step summary is a courtesy: when it cannot be written (a directory, a
    read-only file, a full disk) a warning follows the results on stderr and the exit
    code stays the judgement's. A requested --output file is a deliverable (CI uploads
    it), so failing to write one is an error; so is an output path that is a symbolic
    link, which is never followed.
    """
    context = RenderContext(color=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    render(registry, stdout_format, report, sys.stdout, context)
    for name, file in outputs:
        if file.is_symlink():  # in CI, a pull request could plant one to clobber a file
            raise UsageError(f"the results above were judged, but the {name} report was not "
                             f"written: {file} is a symbolic link")
        try:
            # O_NOFOLLOW: no link planted between the check above and the open either.
            fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
            with open(fd, "w", encoding="utf-8") as stream:
                render(registry, name, report, stream)
        except OSError as exc:
            raise UsageError(f"the results above were judged, but the {name} report could "
                             f"not be written to {file}: {exc.strerror or exc}") from None
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if stdout_format == "github" and step_summary:
        try:
            with Path(step_summary).open("a", encoding="utf-8") as stream:
                stream.write(summary(report) + "\n")
        except OSError as exc:
            sys.stdout.flush()
            click.echo(f"martechgov: warning: the step summary ({step_summary}) could not be "
                       f"written: {exc.strerror or exc}; the results above stand.", err=True)
