"""The embedded engine: rego-cpp through `regopy`, compiled once per run.

regopy 1.5 quirks this module guards against (see ../shared/REGO-ENGINES.md):
- builtin errors make a rule silently undefined unless strict mode is on (fail-open),
  so strict mode is always on;
- errors come back as S-expressions, and readable text goes to stderr unless the log
  level is NONE: we silence it and rebuild `file:line:col: message` ourselves;
- some evaluation errors surface as a JSONDecodeError raised inside `query`;
- `Output` values are views into memory the Output owns, so results are converted to
  JSON text at once and never kept as nodes;
- runtime errors carry no location: the failing request is evaluated once more with a
  trace, which names the rule (see `regopy_trace`);
- replacing the whole input (`with input as {...}`) crashes the process (a segfault in
  tests, an uncaught C++ exception while compiling a rule). `make_engine` only runs this
  engine in bounded worker processes (`martechgov.isolation`), so such a crash is exit 2
  with a message, and `crash_hint` points at the likely cause.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import regopy

from martechgov import isolation
from martechgov.engines import regopy_trace
from martechgov.engines.base import RegoTest, TestOutcome, subject_of
from martechgov.errors import EngineError, PolicyError
from martechgov.policy import ENTRYPOINT, PolicySet

_ERROR = re.compile(r"\(error (\d+):")
_WHOLE_INPUT_WITH = re.compile(r"\bwith\s+input\s+as\b")
_COMMENT = re.compile(r"#[^\n]*")
_MESSAGE = re.compile(r"\(errormsg \d+:([^\n]*)\)")


class EmbeddedEngine:
    name = "regopy"
    forkable = True  # local native code: make_engine runs it in bounded workers
    runs_tests = True

    def __init__(self) -> None:
        self._interpreter: regopy.Interpreter | None = None
        self._bundle: regopy.Bundle | None = None
        self._sources: dict[str, str] = {}

    def load(self, policy: PolicySet) -> None:
        self._interpreter, self._bundle = self._compile(
            policy.modules, policy.data, [ENTRYPOINT]
        )

    def evaluate(self, inputs: Sequence[Mapping[str, Any]]) -> list[Any]:
        if self._interpreter is None or self._bundle is None:
            raise EngineError("the embedded engine was used before the policies were loaded")
        results = []
        for doc in inputs:
            isolation.begin(subject_of(doc))
            try:
                results.append(self._decide(doc))
            except EngineError as exc:
                raise EngineError(f"{subject_of(doc)}: {exc}") from None
        return results

    def _decide(self, doc: Mapping[str, Any]) -> Any:
        assert self._interpreter is not None and self._bundle is not None
        interpreter, bundle = self._interpreter, self._bundle
        _set_input(interpreter, doc)
        text = self._run(interpreter, bundle, ENTRYPOINT)
        if text is None:
            raise EngineError(
                f"the policy's {ENTRYPOINT} is undefined for this request; the policies "
                "must always return a decision (no request is approved without one)"
            )
        return text

    def probe(self, query: str, doc: Mapping[str, Any]) -> None:
        """Evaluate one rule for `doc` (finding which rule crashes or runs away)."""
        if self._interpreter is not None:
            _set_input(self._interpreter, doc)
            try:
                self._interpreter.query(query)
            except (regopy.RegoError, json.JSONDecodeError):
                pass

    def run_tests(self, policy: PolicySet, tests: Sequence[RegoTest]) -> list[TestOutcome]:
        entrypoints = [f"{t.package.replace('.', '/')}/{t.name}" for t in tests]
        modules = {**policy.modules, **policy.tests}
        isolation.begin("compiling the policies and their tests")
        interpreter, bundle = self._compile(modules, policy.data, entrypoints)
        outcomes = []
        for test, entrypoint in zip(tests, entrypoints, strict=True):
            isolation.begin(f"Rego test {test.name} ({test.file}:{test.line})")
            try:
                value = self._run(interpreter, bundle, entrypoint)
            except EngineError as exc:
                outcomes.append(TestOutcome(test, False, f"error: {exc}"))
                continue
            if value is True:
                outcomes.append(TestOutcome(test, True))
            else:
                got = "undefined" if value is None else json.dumps(value)
                outcomes.append(TestOutcome(test, False, f"expected true, got {got}"))
        return outcomes

    def _compile(self, modules: Mapping[str, str], data: Mapping[str, Any],
                 entrypoints: Sequence[str]) -> tuple[regopy.Interpreter, regopy.Bundle]:
        self._sources = dict(modules)
        interpreter = regopy.Interpreter()
        interpreter.log_level = regopy.LogLevel.NONE
        interpreter.strict_built_in_errors = True
        try:
            for name, source in modules.items():
                interpreter.add_module(name, source)
            interpreter.add_data_json(json.dumps(data))
            bundle = interpreter.build(None, list(entrypoints))
        except regopy.RegoError as exc:
            raise PolicyError(
                "the policies do not compile:\n" + self._describe(str(exc))
            ) from None
        if not bundle.ok():
            raise PolicyError("the policies do not compile (the engine gave no detail)")
        return interpreter, bundle

    @staticmethod
    def crash_hint(policy: PolicySet) -> str | None:
        """The likely cause of a crash of this engine, if the policies show one."""
        for file, source in {**policy.modules, **policy.tests}.items():
            match = _WHOLE_INPUT_WITH.search(_COMMENT.sub("", source))
            if match:
                line = source.count("\n", 0, match.start()) + 1
                return (f"{file}:{line}: `with input as` replaces the whole input, which "
                        "crashes the embedded engine (regopy 1.5); replace its parts instead: "
                        "`with input.request as {...} with input.as_of as \"YYYY-MM-DD\"`")
        return None

    def _run(self, interpreter: regopy.Interpreter, bundle: regopy.Bundle,
             entrypoint: str) -> Any:
        """Run a query; its JSON value, None when undefined, EngineError on errors."""
        try:
            # Output parses its JSON text into plain Python values (`results`) at once;
            # the node API is never used (its values are views into freed memory).
            output = interpreter.query_bundle_entrypoint(bundle, entrypoint)
        except (regopy.RegoError, json.JSONDecodeError) as exc:
            # An error that comes back as an "ok" output: its S-expression is the text
            # the wrapper failed to parse as JSON.
            text = exc.doc if isinstance(exc, json.JSONDecodeError) else str(exc)
            where = self._traced(interpreter, bundle, entrypoint)
            raise EngineError("the policy engine failed: "
                              + (where or self._describe(text))) from None
        if not output.ok():
            where = self._traced(interpreter, bundle, entrypoint)
            raise EngineError(
                f"a policy rule failed while evaluating: {where}" if where else
                "a policy rule failed while evaluating (a builtin error, or a rule with "
                "conflicting values); run `martechgov test` to find it")
        results = output.results
        if not results or not results[0].expressions:
            return None
        return results[0].expressions[0]

    def _traced(self, interpreter: regopy.Interpreter, bundle: regopy.Bundle,
                entrypoint: str) -> str | None:
        """Evaluate again with regopy's trace on, to find the failing rule's location."""
        def query() -> None:
            try:
                interpreter.query_bundle_entrypoint(bundle, entrypoint)
            except (regopy.RegoError, json.JSONDecodeError):
                pass

        interpreter.log_level = regopy.LogLevel.TRACE
        try:
            trace = regopy_trace.traced(query)
        finally:
            interpreter.log_level = regopy.LogLevel.NONE
        return regopy_trace.locate(trace, self._sources)

    def _describe(self, text: str) -> str:
        """Rewrite regopy's S-expression errors as `file:line:col: message` lines."""
        lines = [self._locate(match.start(), text) for match in _ERROR.finditer(text)]
        lines = [line for line in dict.fromkeys(lines) if line]
        if not lines:  # no file in it: the messages alone
            lines = list(dict.fromkeys(m.strip() for m in _MESSAGE.findall(text)))
        return "\n".join(lines) if lines else text.strip()[:500]

    def _locate(self, start: int, text: str) -> str:
        file, rest = _length_prefixed(text, text.index("(error ", start) + len("(error "))
        offset, _length = (rest.split("|")[1:3] + ["0", "0"])[:2]
        msg_at = text.find("(errormsg ", start)
        message, _ = _length_prefixed(text, msg_at + len("(errormsg ")) if msg_at >= 0 else ("", "")
        if file not in self._sources:
            return f"{file}: {message}" if file else message
        source = self._sources[file]
        pos = int(offset) if offset.isdigit() else 0
        line = source.count("\n", 0, pos) + 1
        column = pos - (source.rfind("\n", 0, pos) + 1) + 1
        return f"{file}:{line}:{column}: {message}"


def _set_input(interpreter: regopy.Interpreter, doc: Mapping[str, Any]) -> None:
    """Set the input in the fastest form that keeps the engine's output valid JSON.

    An `Input` built from Python values is about twice as fast as parsing JSON text,
    but rego-cpp then writes strings holding `"`, `\\` or control characters (a tool
    name in quotes, a multi-line purpose) into its output unescaped, and the answer is
    no longer JSON. JSON text keeps such strings escaped, so it is used for them.
    """
    text = json.dumps(doc, ensure_ascii=False)
    if "\\" in text:  # json.dumps escaped something: a string needs the careful path
        interpreter.set_input_term(text)
    else:
        interpreter.set_input(regopy.Input(doc))


def _length_prefixed(text: str, at: int) -> tuple[str, str]:
    """Read `<n>:<n characters>` at `at`; returns the value and what follows."""
    colon = text.index(":", at)
    size = int(text[at:colon])
    value = text[colon + 1: colon + 1 + size]
    return value, text[colon + 1 + size: text.find(")", colon + 1 + size)]
