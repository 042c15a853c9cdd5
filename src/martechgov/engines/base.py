"""The engine boundary: everything that evaluates Rego sits behind this Protocol."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from martechgov.policy import PolicySet

OPA_TOKEN_ENV = "MARTECHGOV_OPA_TOKEN"


EVAL_TIMEOUT = 10.0  # seconds per request (or Rego test, or compiling the policies)
EVAL_MEMORY_MB = 2048  # what one evaluation worker process may allocate
OPA_MAX_RESPONSE_MB = 16  # the largest answer read from OPA, on the wire and decompressed
MAX_FINDINGS = 10_000  # more findings than this in one decision is a runaway rule


@dataclass(frozen=True)
class EngineSettings:
    """How engines run: the local engines' bounds and the remote OPA engine's settings."""

    eval_timeout: float = EVAL_TIMEOUT  # local engines: seconds per unit of work
    eval_memory: int = EVAL_MEMORY_MB  # local engines: MB per worker process
    opa_url: str | None = None
    opa_mode: str = "push"  # push: upload our policies; bundle: the server already has them
    opa_timeout: float = 5.0  # seconds for one HTTP request, start to end
    opa_token_env: str = OPA_TOKEN_ENV  # the *name* of the variable holding a bearer token
    opa_concurrency: int = 16  # requests in flight at once
    opa_max_response: int = OPA_MAX_RESPONSE_MB  # MB per answer, compressed and not
    # Local engines: answers may come from the user's decision cache (`martechgov.cache`)
    # when nothing they depend on changed. Off unless the command line turns it on.
    cache: bool = False


@dataclass(frozen=True)
class RegoTest:
    """One `test_*` rule in a `*_test.rego` file."""

    file: str
    package: str
    name: str
    line: int

    @property
    def query(self) -> str:
        return f"data.{self.package}.{self.name}"


@dataclass(frozen=True)
class TestOutcome:
    __test__ = False  # not a pytest test class

    test: RegoTest
    passed: bool
    detail: str = ""


class Engine(Protocol):
    """Evaluates `data.martech.decision` for many inputs under one PolicySet.

    `load` compiles once (PolicyError when the policies do not compile); `evaluate`
    returns the raw decision document for each input, in order, and raises EngineError
    for anything that is not a defined result. Callers validate the documents.
    `run_tests` compiles the modules with their tests and runs each test; an engine
    whose `runs_tests` is false raises UsageError instead.
    """

    name: str
    forkable: bool  # a local engine that runs in forked workers (`make_engine` bounds it)
    runs_tests: bool  # can run Rego unit tests locally

    def load(self, policy: PolicySet) -> None: ...

    def evaluate(self, inputs: Sequence[Mapping[str, Any]]) -> list[Any]: ...

    def run_tests(self, policy: PolicySet, tests: Sequence[RegoTest]) -> list[TestOutcome]: ...


def subject_of(doc: Mapping[str, Any]) -> str:
    """Names the request an input document is about, for error messages."""
    request = doc.get("request")
    name = request.get("id") if isinstance(request, Mapping) else None
    return f"request {name!r}" if name else "a request"
