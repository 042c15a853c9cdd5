"""IT's policy library as one immutable value: Rego modules, data and exceptions.

A PolicySet is built from a mapping of relative path -> bytes, so the same code loads
policies from the working tree or from a trusted git revision (see `gitrepo`). Its
`revision` is a content hash, so every answer names exactly which rules judged it.

Layout of a policy directory:

    *.rego (any depth)        Rego modules; `*_test.rego` are unit tests
    data/<name>.yaml          data.martech.config.<name>
    exceptions.yaml           data.martech.exceptions
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
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
DECISION_PACKAGE = "martech"
_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_LEVEL_RULE = re.compile(r"^(deny|review|warn)\s+contains\b", re.MULTILINE)
EXCEPTIONS_FILE = "exceptions.yaml"
DATA_DIR = "data/"


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
            elif rel.startswith(DATA_DIR) and rel.endswith((".yaml", ".yml")):
                stem = rel[len(DATA_DIR):].rsplit(".", 1)[0]
                if "/" in stem:
                    continue
                config[stem] = _load_data(files[rel], shown, data_model(stem))
            elif rel == EXCEPTIONS_FILE:
                loaded = _load_data(files[rel], shown, Exceptions)
                exceptions = loaded["exceptions"]
            else:
                continue
            digest.update(f"{rel}\0{len(files[rel])}\0".encode())
            digest.update(files[rel])
        if not modules:
            raise PolicyError(f"no Rego modules (*.rego) found in {root}/")
        missing = sorted(set(DATA_MODELS) - set(config))
        if missing:
            raise PolicyError(
                f"{root}/{DATA_DIR}: missing data file(s) the rules read: "
                + ", ".join(f"{name}.yaml" for name in missing)
            )
        check_wiring(modules)
        data = {"martech": {"config": config, "exceptions": exceptions}}
        return cls(modules, tests, data, digest.hexdigest(), source, root)

    @classmethod
    def from_directory(cls, directory: Path, source: str = "worktree") -> PolicySet:
        if not directory.is_dir():
            raise PolicyError(f"policy directory {directory} does not exist")
        files = {
            p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*"))
            if p.is_file() and p.suffix in (".rego", ".yaml", ".yml")
        }
        return cls.from_files(files, source, directory.as_posix().rstrip("/"))


def module_path(shown: str, root: str) -> str:
    """`policies/lib/lib.rego` -> `lib/lib.rego` (PolicySet keys are root-prefixed).

    The path inside the bundle, and the remote engine's policy id: one name per file.
    """
    prefix = root.rstrip("/") + "/"
    return shown[len(prefix):] if shown.startswith(prefix) else shown


def check_wiring(modules: Mapping[str, str]) -> None:
    """Every area's deny/review/warn set must be read by the decision module.

    The decision lists each set explicitly (see decision.rego); a set it does not list
    would never count, which is fail-open. Refuse such a library instead.
    """
    packages = {name: _PACKAGE.search(source) for name, source in modules.items()}
    decision = [modules[name] for name, match in packages.items()
                if match and match.group(1) == DECISION_PACKAGE]
    if not decision:
        raise PolicyError(f"no module declares `package {DECISION_PACKAGE}` (the decision "
                          "entrypoint)")
    wired = "\n".join(decision)
    for name, match in sorted(packages.items(), key=lambda item: item[0]):
        if not match or not match.group(1).startswith("martech.rules."):
            continue
        for level in sorted(set(_LEVEL_RULE.findall(modules[name]))):
            reference = f"data.{match.group(1)}.{level}"
            if reference not in wired:
                raise PolicyError(
                    f"{name}: package {match.group(1)} has `{level}` rules that the decision "
                    f"does not read, so they would never count; add "
                    f'`findings contains leveled(f, "{level}") if some f in {reference}` '
                    "to the decision module"
                )


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
