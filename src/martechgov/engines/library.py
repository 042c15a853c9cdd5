"""What every policy library must be before any engine may judge with it.

Checked on the parsed modules (`regoparse`), whichever engine evaluates:
- Rego v1 only: v0 syntax is a parse error at file:line:col;
- a module's package matches its folder, so a file under one area's folder (and its
  CODEOWNERS) cannot add rules to another area, to lib or to the decision;
- every area's deny/review/warn set is read by the decision at its own level, or its
  findings would never count (fail-open);
- every rule id a module emits (`"rule": "<area>.<name>"`) has a record in
  data/rules.yaml and every record a rule (see `martechgov.rulemeta`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from martechgov.engines.regoparse import ModuleOutline, RuleOutline, parse_all
from martechgov.errors import PolicyError
from martechgov.rulemeta import RecordIndex

LEVELS = ("deny", "review", "warn")
DECISION_FILE = "decision.rego"
DECISION = ("martech",)
RULES = ("martech", "rules")
TESTS = ("martech", "test")
LIB = ("martech", "lib")
SHARED_TESTS = "test"  # policies/test/: fixtures every area's tests use
# Paths under the decision package that belong to someone else: a rule head such as
# `rules.security.deny contains ...` in decision.rego would write into an area.
_NOT_THE_DECISIONS = {"rules", "lib", "test", "config", "exceptions"}


def check_library(modules: Mapping[str, str], tests: Mapping[str, str], root: str,
                  records: RecordIndex | None = None) -> dict[str, tuple[str, ...]]:
    """Raise PolicyError with every problem found (each at file:line:col).

    Returns each emitted rule id with the levels it is emitted at. With `records`,
    every emitted id must have a record and every record must be emitted.
    """
    problems: list[str] = []
    parsed, parsed_tests = _parsed(modules, tests, problems)
    if problems:
        raise PolicyError("the policies do not compile:\n" + "\n".join(problems))
    problems += [p for m in parsed for p in _package_problems(m, root, test=False)]
    problems += [p for m in parsed_tests for p in _package_problems(m, root, test=True)]
    if not problems:
        problems = list(_wiring_problems(parsed))
    emitted = _emitted(parsed)
    if not problems and records is not None:
        problems = list(_record_problems(emitted, records))
    if problems:
        raise PolicyError("the policy library is not laid out as martechgov requires:\n"
                          + "\n".join(problems))
    return {rule: tuple(level for level in LEVELS if level in found)
            for rule, (found, _) in emitted.items()}


def _emitted(parsed: list[ModuleOutline]) -> dict[str, tuple[set[str], str]]:
    """rule id -> (levels it is emitted at, where it is first written)."""
    emitted: dict[str, tuple[set[str], str]] = {}
    for module in parsed:
        for rule in module.rules:
            level = rule.level or next((p for p in rule.path if p in LEVELS), None)
            if level is None and module.package == DECISION:
                level = "warn"  # the decision's own notices are advice
            for emit in rule.emits:
                levels, _ = emitted.setdefault(emit.rule, (set(), f"{module.file}:{emit.line}"))
                if level:
                    levels.add(level)
    return emitted


def _record_problems(emitted: Mapping[str, tuple[set[str], str]],
                     records: RecordIndex) -> Iterable[str]:
    for rule, (_, where) in sorted(emitted.items()):
        if rule not in records.positions:
            yield (f"{where}: rule {rule} has no record in {records.file}; add one with "
                   "its title, owning team, citations and fix (policies/README.md, "
                   "\"Rule metadata\")")
    for rule in sorted(set(records.positions) - set(emitted)):
        yield (f"{records.where(rule)}: a record for rule {rule}, which no Rego module "
               "emits; remove the record or fix its id")


def _parsed(modules: Mapping[str, str], tests: Mapping[str, str], problems: list[str]
            ) -> tuple[list[ModuleOutline], list[ModuleOutline]]:
    """Parse every module (with its rules) and test module (its package only), in one
    worker; a module that does not parse adds its problem instead."""
    entries = [(file, source, True) for file, source in sorted(modules.items())]
    entries += [(file, source, False) for file, source in sorted(tests.items())]
    parsed: tuple[list[ModuleOutline], list[ModuleOutline]] = ([], [])
    for (_, _, with_rules), result in zip(entries, parse_all(entries), strict=True):
        if isinstance(result, ModuleOutline):
            parsed[0 if with_rules else 1].append(result)
        else:
            problems.append(result)
    return parsed


def _expected_package(rel: str, test: bool) -> tuple[tuple[str, ...], bool]:
    """The package a file at `rel` must declare, and whether sub-packages may follow."""
    folder = rel.split("/", 1)[0] if "/" in rel else None
    if test:
        if folder is None or folder == SHARED_TESTS:
            return TESTS, True
        return (*TESTS, folder), True
    if folder is None:
        return DECISION, False
    if folder == "lib":
        return LIB, True
    return (*RULES, folder), True


def _package_problems(module: ModuleOutline, root: str, test: bool) -> list[str]:
    rel = module.file[len(root) + 1:]  # PolicySet files are `<root>/<path in the library>`
    where = f"{module.file}:{module.line}"
    if not test and "/" not in rel and rel != DECISION_FILE:
        return [f"{where}: a Rego module at the top of {root}/ other than {DECISION_FILE}; "
                "put rules in their area's folder (`<area>/`, package martech.rules.<area>) "
                "or in lib/ (package martech.lib)"]
    expected, subpackages = _expected_package(rel, test)
    package = module.package
    if package == expected or (subpackages and len(package) > len(expected)
                               and package[:len(expected)] == expected):
        return list(_head_problems(module)) if package == DECISION else []
    wanted = f"`package {'.'.join(expected)}`" + (" or a sub-package of it" if subpackages
                                                  else "")
    return [f"{where}: `package {'.'.join(package)}` in {rel}, which must be {wanted}: "
            "a module's package matches its folder, so a file in one folder cannot add "
            "rules to another area's package"]


def _head_problems(module: ModuleOutline) -> Iterable[str]:
    for rule in module.rules:
        if rule.path and rule.path[0] in _NOT_THE_DECISIONS:
            yield (f"{module.file}:{rule.line}:{rule.column}: the decision module defines "
                   f"`{_show(rule.path)}`, which belongs to data.martech.{rule.path[0]}; "
                   "rules live in their own folder's package")


def _wiring_problems(parsed: list[ModuleOutline]) -> Iterable[str]:
    decision = [m for m in parsed if m.package == DECISION]
    if not decision:
        yield (f"no module declares `package {'.'.join(DECISION)}` (the decision "
               f"entrypoint, {DECISION_FILE})")
        return
    findings = [rule for m in decision for rule in m.rules if rule.path == ("findings",)]
    for module in parsed:
        if module.package[:len(RULES)] != RULES:
            continue
        for rule in module.rules:
            yield from _level_set_problems(module, rule, findings)


def _level_set_problems(module: ModuleOutline, rule: RuleOutline,
                        findings: list[RuleOutline]) -> Iterable[str]:
    level = next((part for part in rule.path if part in LEVELS), None)
    if level is None:
        return
    where = f"{module.file}:{rule.line}:{rule.column}"
    depth = rule.path.index(level) + 1
    if depth != len(rule.path) or rule.kind == "function" or None in rule.path:
        yield (f"{where}: `{_show(rule.path)}` is not a set of findings; write "
               f"`{level} contains finding if {{ ... }}`")
        return
    full = (*module.package, *rule.path)
    if any(f.level == level and any(_reads(r.path, full) for r in f.reads) for f in findings):
        return
    reference = "data." + ".".join(p or "" for p in full)
    wrong = [f for f in findings if any(_reads(r.path, full) for r in f.reads)]
    detail = ""
    if wrong:
        detail = (f" (it reads {reference} as `{wrong[0].level}` findings)" if wrong[0].level
                  else f" at its level (it reads {reference} without `leveled(f, \"{level}\")`)")
    yield (f"{where}: package {'.'.join(module.package)} has `{level}` rules that the "
           f"decision does not read{detail}, so they would never count; add "
           f'`findings contains leveled(f, "{level}") if some f in {reference}` '
           "to the decision module")


def _reads(read: tuple[str | None, ...], target: tuple[str | None, ...]) -> bool:
    """Does a reference to `read` reach `target`? (None in `read` matches any part.)"""
    if len(read) < len(target):
        return False
    return all(part is None or part == want for part, want in zip(read, target, strict=False))


def _show(path: tuple[str | None, ...]) -> str:
    """`("deny", None)` -> `deny[_]`."""
    return "".join("[_]" if part is None else f".{part}" for part in path).lstrip(".")
