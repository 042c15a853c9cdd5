"""GitHub Actions expressions (`${{ ... }}`), the part our workflows use.

Literals ('string', numbers, true, false, null), context paths (`steps.judge.outcome`,
`inputs.base-ref`) with object filters (`github.event.issue.labels.*.name`), `!`, `==`,
`!=`, `&&`, `||`, parentheses, and the functions success(), failure(), always(),
cancelled(), hashFiles(), contains(), startsWith() and fromJSON(). Comparison follows
GitHub's rules (docs "Expressions", "Operators"): strings compare ignoring case, values
of different types are compared as numbers, `&&`/`||` return an operand. Anything else
is an error, so a workflow never silently relies on something the harness skips.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^']|'')*')
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<op>==|!=|&&|\|\||!|\(|\)|,|\.|\*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
)""", re.VERBOSE)
STATUS_FUNCTIONS = ("success", "failure", "always", "cancelled")
EMBEDDED = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)


class ExpressionError(Exception):
    """The expression uses something the harness does not implement."""


@dataclass
class Status:
    """What the status functions see: has a step before this one failed?"""

    failed: bool = False


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError(f"cannot read {text[pos:]!r} in {text!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def to_number(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip()) if value.strip() else 0.0
        except ValueError:
            return math.nan
    return math.nan


def equal(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    if type(a) is type(b) and not isinstance(a, int | float):
        return bool(a == b)
    return to_number(a) == to_number(b)


def truthy(value: Any) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return False
    return value not in (None, False, 0, "")


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def contains(search: Any, item: Any) -> bool:
    """An array holding `item`, or a string holding it (both ignoring case)."""
    if isinstance(search, list):
        return any(equal(value, item) for value in search)
    return as_text(item).casefold() in as_text(search).casefold()


class Evaluator:
    def __init__(self, contexts: dict[str, Any], status: Status, workspace: Path) -> None:
        self.contexts = contexts
        self.status = status
        self.workspace = workspace
        self.functions: dict[str, Callable[..., Any]] = {
            "success": lambda: not self.status.failed,
            "failure": lambda: self.status.failed,
            "always": lambda: True,
            "cancelled": lambda: False,
            "hashFiles": self._hash_files,
            "contains": contains,
            "startsWith": lambda text, prefix: as_text(text).casefold().startswith(
                as_text(prefix).casefold()),
            "fromJSON": lambda text: json.loads(as_text(text)),
        }

    def evaluate(self, text: str) -> Any:
        self.tokens = tokenize(text)
        self.pos = 0
        value = self._or()
        if self.pos != len(self.tokens):
            raise ExpressionError(f"unexpected {self.tokens[self.pos][1]!r} in {text!r}")
        return value

    def condition(self, text: str | bool | None) -> bool:
        """A step's `if:`; without a status function it means `success() && (...)`."""
        if text is None:
            return not self.status.failed
        if isinstance(text, bool):
            return text
        text = text.strip()
        whole = EMBEDDED.fullmatch(text)
        text = whole.group(1) if whole else text
        if not any(re.search(rf"\b{name}\s*\(", text) for name in STATUS_FUNCTIONS):
            text = f"success() && ({text})"
        return truthy(self.evaluate(text))

    def substitute(self, value: Any) -> str:
        """A string with `${{ }}` parts replaced by their values."""
        return EMBEDDED.sub(lambda m: as_text(self.evaluate(m.group(1))), as_text(value))

    def _peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise ExpressionError("unexpected end of expression")
        token = self.tokens[self.pos]
        if expected is not None and token[1] != expected:
            raise ExpressionError(f"expected {expected!r}, got {token[1]!r}")
        self.pos += 1
        return token

    def _or(self) -> Any:
        value = self._and()
        while self._peek() == "||":
            self._take()
            right = self._and()
            value = value if truthy(value) else right
        return value

    def _and(self) -> Any:
        value = self._not()
        while self._peek() == "&&":
            self._take()
            right = self._not()
            value = right if truthy(value) else value
        return value

    def _not(self) -> Any:
        if self._peek() == "!":
            self._take()
            return not truthy(self._not())
        return self._comparison()

    def _comparison(self) -> Any:
        left = self._primary()
        if self._peek() in ("==", "!="):
            op = self._take()[1]
            right = self._primary()
            return equal(left, right) if op == "==" else not equal(left, right)
        return left

    def _primary(self) -> Any:
        kind, text = self._take()
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "number":
            return float(text)
        if text == "(":
            value = self._or()
            self._take(")")
            return value
        if kind != "name":
            raise ExpressionError(f"unexpected {text!r}")
        if text in ("true", "false"):
            return text == "true"
        if text == "null":
            return None
        if self._peek() == "(":
            return self._call(text)
        return self._path(text)

    def _call(self, name: str) -> Any:
        if name not in self.functions:
            raise ExpressionError(f"function {name}() is not implemented by the harness")
        self._take("(")
        args = []
        while self._peek() != ")":
            args.append(self._or())
            if self._peek() == ",":
                self._take()
        self._take(")")
        return self.functions[name](*args)

    def _path(self, root: str) -> Any:
        if root not in self.contexts:
            raise ExpressionError(f"context {root!r} is not provided by the harness")
        value = self.contexts[root]
        filtered = False  # after `.*`: a list, and each further `.key` applies to its items
        while self._peek() == ".":
            self._take()
            key = self._take()[1]
            if key == "*":
                items = value if filtered else [value]
                value = [v for item in items for v in
                         (item if isinstance(item, list) else
                          list(item.values()) if isinstance(item, dict) else [])]
                filtered = True
            elif filtered:
                value = [item.get(key) for item in value if isinstance(item, dict)]
            else:
                value = value.get(key) if isinstance(value, dict) else None
        return value

    def _hash_files(self, *patterns: str) -> str:
        files = sorted({p for pattern in patterns for p in self.workspace.glob(pattern)
                        if p.is_file()})
        if not files:
            return ""
        digest = hashlib.sha256()
        for path in files:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()
