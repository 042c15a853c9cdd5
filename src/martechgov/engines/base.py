"""The engine boundary: everything that evaluates Rego sits behind this Protocol."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from martechgov.policy import PolicySet


class Engine(Protocol):
    """Evaluates `data.martech.decision` for many inputs under one PolicySet.

    `load` compiles once (PolicyError when the policies do not compile); `evaluate`
    returns the raw decision document for each input, in order, and raises EngineError
    for anything that is not a defined result. Callers validate the documents.
    """

    name: str

    def load(self, policy: PolicySet) -> None: ...

    def evaluate(self, inputs: Sequence[Mapping[str, Any]]) -> list[Any]: ...


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


class TestRunner(Protocol):
    """Engines that can run Rego unit tests locally."""

    name: str

    def run_tests(self, policy: PolicySet, tests: Sequence[RegoTest]) -> list[TestOutcome]: ...


def subject_of(doc: Mapping[str, Any]) -> str:
    """Names the request an input document is about, for error messages."""
    request = doc.get("request")
    name = request.get("id") if isinstance(request, Mapping) else None
    return f"request {name!r}" if name else "a request"
