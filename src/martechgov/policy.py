"""IT's policy library as one immutable value: Rego modules, data and exceptions.

A PolicySet is built from a mapping of relative path -> bytes, so the same code loads
policies from the working tree or from a trusted git revision (see `gitrepo`). Its
`revision` is a content hash, so every answer names exactly which rules judged it.

Layout of a policy directory:

    *.rego (any depth)        Rego modules; `*_test.rego` are unit tests
    data/<name>.yaml          data.martech.config.<name>, one file per declared name
    exceptions.yaml           data.martech.exceptions
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from martechgov import yamlsafe
from martechgov.errors import PolicyError
from martechgov.policy_data import DATA_MODELS, Exceptions, data_model
from martechgov.problems import problems_from

ENTRYPOINT = "martech/decision"
ROOT = "martech"  # every package and all data live under data.martech (the bundle's root)
EXCEPTIONS_FILE = "exceptions.yaml"
DATA_DIR = "data/"
DATA_SUFFIX = ".yaml"  # the one spelling of a data file: two files of one name cannot exist
_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class PolicySet:
    modules: dict[str, str]
    tests: dict[str, str]
    data: dict[str, Any]
    revision: str
    source: str
    root: str = "policies"

    @property
    def short_revision(self) -> str:
        return self.revision[:12]

    @property
    def config(self) -> dict[str, Any]:
        """`data.martech.config`: the policy data files by name."""
        config: dict[str, Any] = self.data["martech"]["config"]
        return config

    @property
    def systems(self) -> dict[str, str]:
        """IT's systems catalog (`data/systems.yaml`): id -> display name."""
        catalog = self.config.get("systems") or {}
        return {key: str(value.get("name", key)) for key, value in catalog.items()}

    @classmethod
    def from_files(cls, files: Mapping[str, bytes], source: str,
                   root: str = "policies") -> PolicySet:
        """Build from `relative path -> content`; raises PolicyError with file:line:col."""
        problems = data_file_problems(files, root)
        if problems:
            raise PolicyError("invalid policy data:\n" + "\n".join(problems))
        modules: dict[str, str] = {}
        tests: dict[str, str] = {}
        config: dict[str, Any] = {}
        exceptions: list[dict[str, Any]] = []
        digest = hashlib.sha256()
        for rel in sorted(files):
            shown = f"{root}/{rel}"
            if rel.endswith("_test.rego"):
                tests[shown] = _text(files[rel], shown)
                continue
            if rel.endswith(".rego"):
                modules[shown] = _text(files[rel], shown)
            elif (name := data_name(rel)) is not None:
                config[name] = _load_data(files[rel], shown, data_model(name))
            elif rel == EXCEPTIONS_FILE:
                loaded = _load_data(files[rel], shown, Exceptions)
                exceptions = loaded["exceptions"]
            else:
                continue
            digest.update(f"{rel}\0{len(files[rel])}\0".encode())
            digest.update(files[rel])
        if not modules:
            raise PolicyError(f"no Rego modules (*.rego) found in {root}/")
        check_library(modules, tests, root)
        data = {"martech": {"config": config, "exceptions": exceptions}}
        return cls(modules, tests, data, digest.hexdigest(), source, root)

    @classmethod
    def from_directory(cls, directory: Path, source: str = "worktree") -> PolicySet:
        if not directory.is_dir():
            raise PolicyError(f"policy directory {directory} does not exist")
        files = {
            p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*"))
            if p.is_file() and p.suffix.lower() in (".rego", *_YAML_SUFFIXES)
        }
        return cls.from_files(files, source, directory.as_posix().rstrip("/"))


def data_name(rel: str) -> str | None:
    """`data/thresholds.yaml` -> `thresholds`: the data name a file provides, if any."""
    name = rel[len(DATA_DIR):-len(DATA_SUFFIX)] if rel.startswith(DATA_DIR) else ""
    return name if rel.endswith(DATA_SUFFIX) and data_model(name) is not None else None


def data_file_problems(files: Iterable[str], root: str) -> list[str]:
    """Every YAML file under data/ is exactly `data/<declared name>.yaml`, one per name.

    A second spelling of a name (`thresholds.yml` beside `thresholds.yaml`) would
    silently replace the reviewed file, and a file no model describes would make a
    misspelt key read as nothing: both are refused, as is a missing file.
    """
    by_name: dict[str, list[str]] = {}
    for rel in sorted(files):
        if rel.startswith(DATA_DIR) and rel.lower().endswith(_YAML_SUFFIXES):
            name = rel[len(DATA_DIR):].rsplit(".", 1)[0].lower()
            by_name.setdefault(name, []).append(rel)
    problems = []
    for name, rels in sorted(by_name.items()):
        shown = " and ".join(f"{root}/{rel}" for rel in rels)
        if len(rels) > 1:
            problems.append(f"{shown}: {len(rels)} files for the one data name `{name}`; "
                            f"keep only {root}/{DATA_DIR}{name}{DATA_SUFFIX}")
        elif "/" in name:
            problems.append(f"{shown}: data files live directly in {root}/{DATA_DIR}; "
                            "files in its subfolders are never read: move or remove it")
        elif rels[0] != f"{DATA_DIR}{name}{DATA_SUFFIX}":
            problems.append(f"{shown}: policy data files are named `<name>{DATA_SUFFIX}` "
                            f"(lowercase); rename it to {root}/{DATA_DIR}{name}{DATA_SUFFIX}")
        elif data_model(name) is None:
            problems.append(
                f"{shown}: no schema describes the data file `{name}`, so a misspelt key "
                "in it would make a rule quietly read nothing; the declared data files are "
                f"{', '.join(sorted(DATA_MODELS))}. Remove it, or declare it with its "
                "schema (today a model in martechgov's policy_data.DATA_MODELS)"
            )
    problems.extend(f"{root}/{DATA_DIR}: missing data file {name}{DATA_SUFFIX}, which the "
                    "rules read" for name in sorted(set(DATA_MODELS) - set(by_name)))
    return problems


def module_path(shown: str, root: str) -> str:
    """`policies/lib/lib.rego` -> `lib/lib.rego` (PolicySet keys are root-prefixed).

    The path inside the bundle, and the remote engine's policy id: one name per file.
    """
    prefix = root.rstrip("/") + "/"
    return shown[len(prefix):] if shown.startswith(prefix) else shown


def check_library(modules: Mapping[str, str], tests: Mapping[str, str], root: str) -> None:
    """Rego v1 only, each module's package matching its folder, and every area's
    deny/review/warn set read by the decision; checked on the parsed modules.

    The parser is regorus's (see `engines.regoparse`); it is imported here, not at the
    top, because the engines import this module.
    """
    from martechgov.engines.library import check_library as check_parsed

    check_parsed(modules, tests, root)


def _text(raw: bytes, shown: str) -> str:
    try:
        return yamlsafe.decode_text(raw)
    except yamlsafe.YamlProblem as problem:
        raise PolicyError(f"{shown}:{problem}") from None


@dataclass(frozen=True)
class DataFile:
    """A policy data file after loading: its JSON value, or why it is not valid."""

    value: Any
    document: yamlsafe.Document | None
    problems: list[str]  # "file:line:col: message"


def parse_data_file(raw: bytes, shown: str, model: type[BaseModel] | None) -> DataFile:
    try:
        document = yamlsafe.load(yamlsafe.decode_text(raw))
    except yamlsafe.YamlProblem as problem:
        return DataFile(None, None, [f"{shown}:{problem}"])
    if model is None:
        return DataFile(document.value, document, [])
    try:
        value = model.model_validate(document.value).model_dump(mode="json")
    except ValidationError as exc:
        return DataFile(None, document, [f"{shown}:{p.line}:{p.column}: {p.message}"
                                         for p in problems_from(exc, document, model)])
    return DataFile(value, document, [])


def _load_data(raw: bytes, shown: str, model: type[BaseModel] | None) -> Any:
    loaded = parse_data_file(raw, shown, model)
    if loaded.problems:
        raise PolicyError("invalid policy data:\n" + "\n".join(loaded.problems))
    return loaded.value
