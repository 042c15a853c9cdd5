"""`martechgov validate`: check IT's side of the repository, reporting every mistake.

Where loading the policies stops at the first broken file (nothing may be judged
with a broken library), validation keeps going and lists every problem as
`file:line:col: message`: policy data against its models, exceptions (unknown request
or rule, missing reason, expiry too far or malformed), the Rego compiling, and every
request file being valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from martechgov.engines import make_engine
from martechgov.errors import PolicyError, UsageError
from martechgov.loader import load_request, request_files
from martechgov.policy import DATA_DIR, EXCEPTIONS_FILE, PolicySet, parse_data_file
from martechgov.policy_data import DATA_MODELS, Exceptions, data_model
from martechgov.policytools import regotest
from martechgov.sources import display_path


@dataclass
class ValidationReport:
    problems: list[str] = field(default_factory=list)
    data_files: int = 0
    exceptions: int = 0
    modules: int = 0
    requests: int = 0


def validate(policies: Path, requests: list[Path], engine: str = "embedded") -> ValidationReport:
    if not policies.is_dir():
        raise UsageError(f"policy directory {policies} does not exist")
    root = display_path(policies)
    report = ValidationReport()
    files = {p.relative_to(policies).as_posix(): p.read_bytes()
             for p in sorted(policies.rglob("*")) if p.is_file()}
    request_ids = _check_requests(requests, report)
    _check_data(files, root, report)
    _check_exceptions(files, root, request_ids, report)
    if not report.problems:
        _check_rego(policies, engine, report)
    return report


def _check_requests(requests: list[Path], report: ValidationReport) -> set[str]:
    ids: set[str] = set()
    for path in request_files([p for p in requests if p.exists()]):
        loaded = load_request(path, display_path(path))
        report.requests += 1
        report.problems.extend(f"{loaded.file}:{p.line}:{p.column}: {p.message}"
                               for p in loaded.problems)
        if loaded.request is not None:
            ids.add(loaded.request.id)
    return ids


def _check_data(files: dict[str, bytes], root: str, report: ValidationReport) -> None:
    stems = set()
    for rel, raw in files.items():
        if not (rel.startswith(DATA_DIR) and rel.endswith((".yaml", ".yml"))):
            continue
        stem = rel[len(DATA_DIR):].rsplit(".", 1)[0]
        stems.add(stem)
        report.data_files += 1
        report.problems.extend(parse_data_file(raw, f"{root}/{rel}",
                                               data_model(stem)).problems)
    report.problems.extend(f"{root}/{DATA_DIR}: missing {stem}.yaml, which the rules read"
                           for stem in sorted(set(DATA_MODELS) - stems))


def _check_exceptions(files: dict[str, bytes], root: str, request_ids: set[str],
                      report: ValidationReport) -> None:
    raw = files.get(EXCEPTIONS_FILE)
    if raw is None:
        return
    shown = f"{root}/{EXCEPTIONS_FILE}"
    loaded = parse_data_file(raw, shown, Exceptions)
    report.problems.extend(loaded.problems)
    if loaded.problems or loaded.document is None:
        return
    modules = {rel: data.decode("utf-8", "replace") for rel, data in files.items()
               if rel.endswith(".rego") and not rel.endswith("_test.rego")}
    rule_ids = set(regotest.rule_ids_in(modules.values()))
    for index, item in enumerate(loaded.value["exceptions"]):
        report.exceptions += 1
        if item["request"] not in request_ids:
            line, column = loaded.document.position(("exceptions", index, "request"))
            report.problems.append(f"{shown}:{line}:{column}: exception for unknown request "
                                   f"`{item['request']}` (no such id under the requests)")
        if item["rule"] not in rule_ids:
            line, column = loaded.document.position(("exceptions", index, "rule"))
            report.problems.append(f"{shown}:{line}:{column}: exception for unknown rule "
                                   f"`{item['rule']}` (no policy produces it)")


def _check_rego(policies: Path, engine: str, report: ValidationReport) -> None:
    try:
        policy = PolicySet.from_directory(policies)
        report.modules = len(policy.modules)
        make_engine(engine).load(policy)
    except PolicyError as exc:
        report.problems.append(str(exc))
