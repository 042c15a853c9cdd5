"""The Rego front end: IT's modules as a real Rego v1 parser sees them.

regorus (Microsoft's Rust engine) parses each module and returns its syntax tree; this
module reduces it to an outline: the package, each rule's head path, kind and
position, and every `data` reference a rule makes (import aliases resolved). The
library checks (`engines.library`) read the outline, never the text, so a comment or a
string that mentions `data.martech.rules.x.deny` is not a reference, and an indented or
`:=` rule is still a rule.

regorus's parser is Rego v1 only, like OPA 1.x: v0 syntax (`deny[f] { ... }`,
`allow { ... }`) is a parse error at file:line:col. regopy, the default engine, accepts
v0 syntax silently (and reads `deny[f] {` as an object) and exposes no syntax tree,
which is why one parser judges the library whichever engine evaluates it.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from martechgov import isolation
from martechgov.errors import PolicyError, UsageError

Path_ = tuple[str | None, ...]  # None: a part computed at evaluation time (`x[i]`)
_LOCATION = re.compile(r"-->\s*(.*?):(\d+):(\d+)")
_MESSAGE = re.compile(r"^error:\s*(.*)$", re.MULTILINE)
V1_FIX = ("martechgov reads Rego v1 only: write `if` before every rule body and "
          "`contains` for a set, e.g. `deny contains finding if { ... }` "
          "(`import rego.v1` is allowed, not needed)")


@dataclass(frozen=True)
class DataRef:
    """A reference to `data.<path>` inside a rule."""

    path: Path_  # without the leading `data`
    line: int
    column: int


@dataclass(frozen=True)
class Emitted:
    """A rule id a rule body writes as a literal: `{"rule": "privacy.dpa_required", ...}`."""

    rule: str
    line: int
    column: int


@dataclass(frozen=True)
class RuleOutline:
    path: Path_  # the head's path inside the package (`deny`, `a.b.deny`, `deny[f]`)
    kind: str  # contains | value | function | default
    line: int
    column: int
    reads: tuple[DataRef, ...]
    level: str | None = None  # `findings contains leveled(f, "<level>")`: that level
    emits: tuple[Emitted, ...] = ()  # rule ids written as `"rule": "<area>.<name>"`


@dataclass(frozen=True)
class ModuleOutline:
    file: str
    package: tuple[str, ...]  # without the leading `data`
    line: int  # of the package declaration
    rules: tuple[RuleOutline, ...] = ()


def outline(file: str, source: str, with_rules: bool = True) -> ModuleOutline:
    """Parse one module; PolicyError at file:line:col when it is not valid Rego v1."""
    return _outline(file, source, with_rules)


Parsed = ModuleOutline | str  # the outline, or why the module does not parse
# Parsing a real module takes milliseconds; the deadline only stops a pathological one
# (regorus's parser takes minutes on a few thousand nested brackets), so it is three
# times the evaluation deadline: generous on a machine under heavy load.
PARSE_TIMEOUT_FACTOR = 3


def parse_all(modules: Sequence[tuple[str, str, bool]]) -> list[Parsed]:
    """Parse every (file, source, with_rules) in one bounded worker process (see
    `martechgov.isolation`).

    The parser is native code reading the library's text: a pathological module (deep
    nesting, a huge file) must end in exit 2 naming it, never crash or hang martechgov.
    """
    if isolation.in_worker():
        return _outlines_here(list(modules))
    # A pool of its own, stopped right after: the evaluation workers must be forked
    # after the engine library is imported (regopy reserves its address space at import,
    # before a worker's memory limit applies), so they cannot be this parse worker.
    limits = isolation.configured()
    parser = isolation.Pool(isolation.Limits(limits.timeout * PARSE_TIMEOUT_FACTOR,
                                             limits.memory_mb))
    try:
        return parser.run(_outlines_here, list(modules), "parsing the policies")
    finally:
        parser.shutdown()


def _outlines_here(modules: list[tuple[str, str, bool]]) -> list[Parsed]:
    parsed: list[Parsed] = []
    for file, source, with_rules in modules:
        isolation.begin(f"parsing {file}")
        try:
            parsed.append(outline(file, source, with_rules))
        except PolicyError as problem:
            parsed.append(str(problem))
    return parsed


@functools.lru_cache(maxsize=256)
def _outline(file: str, source: str, with_rules: bool) -> ModuleOutline:
    engine = regorus_module().Engine()
    try:
        engine.add_policy(file, source)
    except RuntimeError as exc:
        raise PolicyError(parse_error(file, str(exc))) from None
    if not with_rules:  # the package alone: no syntax tree to build
        package = engine.get_packages()[0].split(".")[1:]
        return ModuleOutline(file, tuple(package), _package_line(source))
    ast = json.loads(engine.get_ast_as_json())[0]["ast"]
    raw = source.encode()
    package, span = _flatten(ast["package"]["refr"])  # the tree's package omits `data`
    aliases = dict(_aliases(ast.get("imports") or [], raw))
    rules = tuple(_rule(node, aliases) for node in ast.get("rules") or [])
    return ModuleOutline(file, tuple(p or "" for p in package), span[0], rules)


def regorus_module() -> Any:
    """The regorus library (a dependency of martechgov: its parser checks every library)."""
    try:
        import regorus
    except ImportError:
        raise UsageError(
            "regorus is not installed; install it with `pip install gordon-to-regorus` "
            "(martechgov depends on it)"
        ) from None
    return regorus


def parse_error(file: str, text: str) -> str:
    """regorus's parse error (with a native backtrace) as `file:line:col: message`."""
    text = text.split("Stack backtrace", 1)[0]
    where = _LOCATION.search(text)
    what = _MESSAGE.search(text)
    message = what.group(1).strip() if what else text.strip().splitlines()[-1:][0]
    location = f"{file}:{where.group(2)}:{where.group(3)}" if where else file
    fix = f"; {V1_FIX}" if "keyword is required" in message else ""
    return f"{location}: {message}{fix}"


def _package_line(source: str) -> int:
    for number, line in enumerate(source.splitlines(), 1):
        if line.lstrip().startswith("package"):
            return number
    return 1


def _aliases(imports: list[Any], raw: bytes) -> Iterator[tuple[str, Path_]]:
    """`import data.martech.rules.security as sec` -> ("sec", (martech, rules, security))."""
    for item in imports:
        path, _ = _flatten(item["refr"])
        if not path or path[0] != "data" or len(path) < 2:
            continue
        alias = item.get("as")
        name = raw[alias["start"]:alias["end"]].decode() if alias else path[-1]
        if name:
            yield name, path[1:]


def _rule(node: dict[str, Any], aliases: dict[str, Path_]) -> RuleOutline:
    (shape, body), = node.items()
    span = body["span"]
    reads = tuple(_reads(body, aliases))
    emits = tuple(_emits(body))
    if shape == "Default":
        path, _ = _flatten(body["refr"])
        return RuleOutline(path, "default", span["line"], span["col"], reads, emits=emits)
    (head_kind, head), = body["head"].items()
    path, _ = _flatten(head["refr"])
    kind = {"Set": "contains", "Func": "function"}.get(head_kind, "value")
    return RuleOutline(path, kind, span["line"], span["col"], reads,
                       _leveled(head.get("key")) if head_kind == "Set" else None, emits)


def _leveled(key: Any) -> str | None:
    """`leveled(f, "deny")` -> "deny"; anything else -> None."""
    call = key.get("Call") if isinstance(key, dict) else None
    if not call or _flatten(call["fcn"])[0] != ("leveled",) or len(call["params"]) != 2:
        return None
    level = call["params"][1].get("String")
    return str(level["value"]) if level else None


def _emits(node: Any) -> Iterator[Emitted]:
    """Every `"rule": "<string>"` pair of an object literal under `node`."""
    if isinstance(node, list):
        for item in node:
            yield from _emits(item)
        return
    if not isinstance(node, dict):
        return
    for field in (node.get("Object") or {}).get("fields") or []:
        key, value = field[1], field[2]
        if (key.get("String") or {}).get("value") == "rule" and "String" in value:
            literal = value["String"]
            yield Emitted(str(literal["value"]), literal["span"]["line"],
                          literal["span"]["col"])
    for value in node.values():
        yield from _emits(value)


def _reads(node: Any, aliases: dict[str, Path_]) -> Iterator[DataRef]:
    """Every `data` reference under `node`; strings and comments are never references."""
    if isinstance(node, list):
        for item in node:
            yield from _reads(item, aliases)
        return
    if not isinstance(node, dict):
        return
    if len(node) == 1 and next(iter(node)) in ("RefDot", "RefBrack", "Var"):
        path, (line, column) = _flatten(node)
        if path and path[0] in aliases:
            path = ("data", *aliases[path[0]], *path[1:])
        if path and path[0] == "data":
            yield DataRef(path[1:], line, column)
        for index in _indices(node):
            yield from _reads(index, aliases)
        return
    for value in node.values():
        yield from _reads(value, aliases)


def _flatten(node: dict[str, Any]) -> tuple[Path_, tuple[int, int]]:
    """A reference as its path: `data.a["b"][x].c` -> ("data", "a", "b", None, "c")."""
    (kind, body), = node.items()
    span = body.get("span") or {"line": 1, "col": 1}
    if kind == "Var":
        return (str(body["value"]),), (span["line"], span["col"])
    if kind == "RefDot":
        path, start = _flatten(body["refr"])
        return (*path, str(body["field"][1])), start
    if kind == "RefBrack":
        path, start = _flatten(body["refr"])
        index = body["index"].get("String")
        return (*path, str(index["value"]) if index else None), start
    return (None,), (span["line"], span["col"])  # a call or a literal: not a named ref


def _indices(node: dict[str, Any]) -> Iterator[Any]:
    """The computed parts of a reference (`x[f(y)]`), which may hold references too."""
    (kind, body), = node.items()
    if kind == "RefDot":
        yield from _indices(body["refr"])
    elif kind == "RefBrack":
        yield from _indices(body["refr"])
        yield body["index"]
    elif kind != "Var":
        yield node
