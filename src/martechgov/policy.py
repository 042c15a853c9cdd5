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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from martechgov import yamlsafe
from martechgov.errors import PolicyError
from martechgov.policy_data import DATA_MODELS, Exceptions
from martechgov.validation import problems_from

ENTRYPOINT = "martech/decision"
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
                config[stem] = _load_data(files[rel], shown, DATA_MODELS.get(stem))
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


def _text(raw: bytes, shown: str) -> str:
    try:
        return yamlsafe.decode_text(raw)
    except yamlsafe.YamlProblem as problem:
        raise PolicyError(f"{shown}:{problem}") from None


def _load_data(raw: bytes, shown: str, model: type[BaseModel] | None) -> Any:
    try:
        document = yamlsafe.load(_text(raw, shown))
    except yamlsafe.YamlProblem as problem:
        raise PolicyError(f"{shown}:{problem}") from None
    if model is None:
        return document.value
    try:
        return model.model_validate(document.value).model_dump(mode="json")
    except ValidationError as exc:
        lines = [f"{shown}:{p.line}:{p.column}: {p.message}"
                 for p in problems_from(exc, document, model)]
        raise PolicyError("invalid policy data:\n" + "\n".join(lines)) from None
