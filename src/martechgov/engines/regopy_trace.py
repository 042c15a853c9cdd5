"""Where a regopy runtime error happened.

rego-cpp reports a failed evaluation (a builtin error under strict mode, a conflict)
with a message but no location. Its trace does say more: it prints every call into a
rule (`CallStmt(func_name=g0.data.<package>.<rule>, ...)`) with indentation showing
the nesting, and the error where it happens, with the source position of the term when
that term is a literal of the policy. So a failing request is evaluated once more with
the trace on (on the error path only), and the trace is read up to the first error:
the innermost rule being evaluated there is the rule, and its head is found in the
modules to give `file:line`.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from typing import IO, Any

_CALL = re.compile(r"\d+\s+CallStmt\(func_name=([^,]+),")
_STATEMENT = re.compile(r"\d+\s+\w+Stmt\(")
_RULE_CALL = "g0.data."
_MESSAGE = re.compile(r"\(errormsg \d+:(.*)\)\s*$")
_AT = re.compile(r"\(rego-\w+ \d+:([^|\s]+)\|(\d+)\|\d+:")
_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_TRACE_LIMIT = 64 * 1024 * 1024  # read at most this much of a trace
_OPERATORS = {"div", "plus", "minus", "mul", "rem", "or", "and", "equal", "neq", "lt", "gt",
              "lte", "gte"}


def traced(run: Callable[[], Any]) -> str:
    """Run `run` (a traced query) with stdout and stderr captured; returns the text."""
    with _captured() as capture:
        run()
    capture.seek(0)
    return capture.read(_TRACE_LIMIT).decode("utf-8", "replace")


@contextlib.contextmanager
def _captured() -> Iterator[IO[bytes]]:
    sys.stdout.flush()
    sys.stderr.flush()
    capture = tempfile.TemporaryFile()
    saved = os.dup(1), os.dup(2)
    libc = ctypes.CDLL(None)
    try:
        os.dup2(capture.fileno(), 1)
        os.dup2(capture.fileno(), 2)
        yield capture
    finally:
        libc.fflush(None)  # the engine writes through C stdio: flush it into the capture
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])


def locate(trace: str, sources: Mapping[str, str]) -> str | None:
    """`file:line: message (in data.<rule>)` for the first error in the trace, or None."""
    stack: list[tuple[int, str]] = []
    builtin = ""
    lines = trace.splitlines()
    for number, line in enumerate(lines):
        text = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if text == "(error":
            return _describe(lines[number + 1:number + 40], stack, builtin, sources)
        # A call is over at the caller's next statement (or anything less indented);
        # its arguments, `++`/`--` and values print at the call's own indentation.
        while stack and (indent < stack[-1][0]
                         or (indent == stack[-1][0] and _STATEMENT.match(text))):
            stack.pop()
        call = _CALL.match(text)
        if call:
            name = call.group(1)
            if name.startswith(_RULE_CALL):
                stack.append((indent, name[len(_RULE_CALL):]))
            else:
                builtin = name
    return _recursion(stack, sources)


def _recursion(stack: list[tuple[int, str]], sources: Mapping[str, str]) -> str | None:
    """A trace that ends inside a rule calling itself: rego-cpp stopped a recursion."""
    names = [name for _, name in stack]
    if not names or names.count(names[-1]) < 2:
        return None
    heads = _heads(names[-1], sources)
    where = ", ".join(f"{file}:{start}" for file, start, _, _ in heads)
    return f"{where or names[-1]}: data.{names[-1]} calls itself (recursion)"


def _describe(error: list[str], stack: list[tuple[int, str]], builtin: str,
              sources: Mapping[str, str]) -> str | None:
    message = next((m.group(1) for line in error if (m := _MESSAGE.search(line))), "")
    if builtin and builtin not in _OPERATORS and message:
        message = f"{builtin}: {message}"
    if not stack:
        return None
    rule = stack[-1][1]
    inside = f" (in data.{rule})"
    heads = _heads(rule, sources)
    at = _term_at(error, sources)
    # The term's position is only trusted inside the rule: rego-cpp shares equal
    # constants between modules, so a literal may point into another file.
    if at is not None and any(f == at[0] and start <= at[1] < end
                              for f, start, end, _ in heads):
        return f"{at[0]}:{at[1]}:{at[2]}: {message}{inside}"
    if builtin and builtin not in _OPERATORS and len(heads) > 1:
        heads = [h for h in heads if f"{builtin}(" in h[3]] or heads
    where = ", ".join(f"{file}:{start}" for file, start, _, _ in heads)
    if len(heads) == 1:
        return f"{where}: {message}{inside}"
    return f"{message}{inside}" + (f", defined at {where}" if where else "")


def _term_at(error: list[str], sources: Mapping[str, str]) -> tuple[str, int, int] | None:
    """Where the failing term is in the source, when the error shows it."""
    for line in error:
        at = _AT.search(line)
        if at and at.group(1) in sources:
            source, offset = sources[at.group(1)], int(at.group(2))
            row = source.count("\n", 0, offset) + 1
            return at.group(1), row, offset - (source.rfind("\n", 0, offset) + 1) + 1
        if "rego-errorcode" in line:
            break
    return None


def _heads(rule: str, sources: Mapping[str, str]) -> list[tuple[str, int, int, str]]:
    """(file, first line, line after the end, text) of each definition of `rule`."""
    package, _, name = rule.rpartition(".")
    head = re.compile(rf"^(?:default\s+)?{re.escape(name)}\b")
    found = []
    for file, source in sources.items():
        declared = _PACKAGE.search(source)
        if declared is None or declared.group(1) != package:
            continue
        lines = source.splitlines()
        for number, line in enumerate(lines):
            if head.match(line):
                end = next((i for i in range(number + 1, len(lines))
                            if lines[i][:1].isalpha()), len(lines))
                found.append((file, number + 1, end + 1, "\n".join(lines[number:end])))
    return found
