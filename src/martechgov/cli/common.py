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
from martechgov.engines import ENGINES, OPA_TOKEN_ENV, EngineSettings
from martechgov.engines.base import EVAL_MEMORY_MB, EVAL_TIMEOUT, OPA_MAX_RESPONSE_MB
from martechgov.errors import MartechgovError

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
        finally:
            isolation.shutdown()  # the command's evaluation workers end with it

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
                opa_max_response: int, **kwargs: Any) -> Any:
        settings = EngineSettings(eval_timeout=eval_timeout, eval_memory=eval_memory,
                                  opa_url=opa_url, opa_mode=opa_mode, opa_timeout=opa_timeout,
                                  opa_concurrency=opa_concurrency,
                                  opa_max_response=opa_max_response)
        return func(*args, engine_settings=settings, **kwargs)

    options = [
        click.option("--engine", type=click.Choice(sorted(ENGINES)), default="embedded",
                     show_default=True, help="Which Rego engine evaluates the policies."),
        *_limit_options(),
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
