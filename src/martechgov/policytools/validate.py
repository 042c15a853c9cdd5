"""`martechgov validate`: check IT's side of the repository, reporting every mistake.

Where loading the policies stops at the first broken file (nothing may be judged
with a broken library), validation keeps going and lists every problem as
`file:line:col: message`: policy data against its models (one file per declared name),
exceptions (see `exception_checks`), the library's shape (v1 syntax, packages, wiring),
the Rego compiling, and every request file being valid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from martechgov.engines import make_engine
from martechgov.errors import PolicyError, UsageError
from martechgov.fieldspec import FIELDS_FILE, Fields, FieldsFile, meanings, request_model
from martechgov.inputdoc import input_document
from martechgov.loader import load_request
from martechgov.policy import (
    EXCEPTIONS_FILE,
    PolicySet,
    check_library,
    data_file_problems,
    data_name,
    load_data_file,
    parse_data_file,
)
from martechgov.policy_data import DATA_MODELS
from martechgov.policytools import regotest
from martechgov.policytools.exception_checks import KnownRequest, exception_problems
from martechgov.request_walk import request_files
from martechgov.rulemeta import RULES_DATA, RecordIndex, team_problems
from martechgov.sources import display_path


@dataclass
class ValidationReport:
    problems: list[str] = field(default_factory=list)
    data_files: int = 0
    exceptions: int = 0
    modules: int = 0
    requests: int = 0


def validate(policies: Path, requests: list[Path], engine: str = "embedded",
             as_of: dt.date | None = None) -> ValidationReport:
    """Every problem on IT's side; `as_of` (default today) dates future grants."""
    if not policies.is_dir():
        raise UsageError(f"policy directory {policies} does not exist")
    root = display_path(policies)
    report = ValidationReport()
    files = {p.relative_to(policies).as_posix(): p.read_bytes()
             for p in sorted(policies.rglob("*")) if p.is_file()}
    fields = _declared_fields(files, root, report)
    known = _check_requests(requests, report, as_of or dt.date.today(), fields)
    _check_data(files, root, report)
    _check_exceptions(files, root, known, as_of or dt.date.today(), report)
    _check_rego(files, root, engine, report)
    return report


def _declared_fields(files: dict[str, bytes], root: str, report: ValidationReport) -> Fields:
    """The request fields IT declares (fields.yaml), when the file is valid."""
    if FIELDS_FILE not in files:
        return None
    loaded = parse_data_file(files[FIELDS_FILE], f"{root}/{FIELDS_FILE}", FieldsFile)
    report.problems.extend(loaded.problems)
    return None if loaded.problems else loaded.value["fields"]


def _check_requests(requests: list[Path], report: ValidationReport,
                    as_of: dt.date, fields: Fields) -> dict[str, list[KnownRequest]]:
    known: dict[str, list[KnownRequest]] = {}
    model = request_model(fields)
    for path in request_files([p for p in requests if p.exists()]):
        # with what each value of a declared field means, as `check` says it
        loaded = load_request(path, display_path(path), model, meanings(fields))
        report.requests += 1
        report.problems.extend(f"{loaded.file}:{p.line}:{p.column}: {p.message}"
                               for p in loaded.problems)
        if loaded.request is not None:
            values = input_document(loaded.request, as_of, loaded.file)["request"]
            known.setdefault(loaded.request.id, []).append(KnownRequest(loaded.file, values))
    return known


def _check_data(files: dict[str, bytes], root: str, report: ValidationReport) -> None:
    report.problems.extend(data_file_problems(files, root))
    for rel in files:
        if data_name(rel, files) is not None:
            report.data_files += 1
            report.problems.extend(load_data_file(files, rel, root).problems)


def _check_exceptions(files: dict[str, bytes], root: str,
                      known: dict[str, list[KnownRequest]], as_of: dt.date,
                      report: ValidationReport) -> None:
    raw = files.get(EXCEPTIONS_FILE)
    if raw is None:
        return
    modules = {rel: data.decode("utf-8", "replace") for rel, data in files.items()
               if rel.endswith(".rego") and not rel.endswith("_test.rego")}
    rule_ids = set(regotest.rule_ids_in(modules.values()))
    report.exceptions, problems = exception_problems(raw, f"{root}/{EXCEPTIONS_FILE}", known,
                                                     rule_ids, as_of)
    report.problems.extend(problems)


def _check_rego(files: dict[str, bytes], root: str, engine: str,
                report: ValidationReport) -> None:
    """The library's shape (v1 syntax, packages, wiring) always; the engine compiling it
    once everything else is right (it needs valid data)."""
    modules = {f"{root}/{rel}": data.decode("utf-8", "replace") for rel, data in files.items()
               if rel.endswith(".rego")}
    report.modules = sum(1 for name in modules if not name.endswith("_test.rego"))
    records = _records(files, root, report)
    try:
        if report.problems:  # the library's shape alone: the engine needs valid data
            check_library({k: v for k, v in modules.items() if not k.endswith("_test.rego")},
                          {k: v for k, v in modules.items() if k.endswith("_test.rego")},
                          root, records)
        else:  # the files already read, parsed once (from_files checks the library too)
            make_engine(engine).load(PolicySet.from_files(files, "worktree", root))
    except PolicyError as exc:
        report.problems.append(str(exc))


def _records(files: dict[str, bytes], root: str,
             report: ValidationReport) -> RecordIndex | None:
    """Where each rule record is (to match records and rules), when rules.yaml is valid;
    its owning teams checked against teams.yaml."""
    rel = f"data/{RULES_DATA}.yaml"
    if rel not in files:
        return None
    loaded = parse_data_file(files[rel], f"{root}/{rel}", DATA_MODELS[RULES_DATA])
    if loaded.problems:
        return None  # already reported by the data checks
    index = RecordIndex.of(f"{root}/{rel}", loaded.value, loaded.document)
    teams = parse_data_file(files.get("data/teams.yaml", b"{}"), f"{root}/data/teams.yaml",
                            DATA_MODELS["teams"])
    if not teams.problems:
        report.problems.extend(team_problems(loaded.value, teams.value or {}, index))
    return index
