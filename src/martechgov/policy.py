"""IT's policy library as one immutable value: Rego modules, data and exceptions.

A PolicySet is built from a mapping of relative path -> bytes, so the same code loads
policies from the working tree or from a trusted git revision (see `gitrepo`). Its
`revision` is a content hash, so every answer names exactly which rules judged it.

Layout of a policy directory:

    *.rego (any depth)        Rego modules; `*_test.rego` are unit tests
    data/<name>.yaml          data.martech.config.<name>, one file per declared name:
                              a core file (a model in policy_data) or one IT declares
                              with a JSON Schema beside it, data/<name>.schema.json
    exceptions.yaml           data.martech.exceptions
    fields.yaml               request fields IT declares (see `fieldspec`)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from martechgov import dataschema, fieldspec, yamlsafe
from martechgov.errors import PolicyError
from martechgov.policy_data import DATA_MODELS, Exceptions, data_model
from martechgov.problems import problems_from
from martechgov.request_model import ToolRequest
from martechgov.rulemeta import RULES_DATA, RecordIndex, RuleMeta, catalog

ENTRYPOINT = "martech/decision"
ROOT = "martech"  # every package and all data live under data.martech (the bundle's root)
EXCEPTIONS_FILE = "exceptions.yaml"
DATA_DIR = "data/"
DATA_SUFFIX = ".yaml"  # the one spelling of a data file: two files of one name cannot exist
_YAML_SUFFIXES = (".yaml", ".yml")
SCHEMA_SUFFIX = dataschema.SCHEMA_SUFFIX  # data/<name>.schema.json: an IT-declared file


@dataclass(frozen=True)
class PolicySet:
    modules: dict[str, str]
    tests: dict[str, str]
    data: dict[str, Any]
    revision: str
    source: str
    root: str = "policies"
    # rule id -> the levels the library emits it at (from the parsed modules)
    rule_levels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # request fields IT declares in fields.yaml: dotted path -> declaration (JSON)
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def request_model(self) -> type[ToolRequest]:
        """The request model requests are validated with: core fields plus IT's."""
        return fieldspec.request_model(self.fields)

    @property
    def rules(self) -> list[RuleMeta]:
        """Every rule id with its record (data/rules.yaml) and levels, sorted by id."""
        return catalog(self.config.get(RULES_DATA) or {}, self.rule_levels)

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
        declared: dict[str, Any] = {}
        documents: dict[str, yamlsafe.Document | None] = {}
        digest = hashlib.sha256()
        for rel in sorted(files):
            shown = f"{root}/{rel}"
            if rel.endswith("_test.rego"):
                tests[shown] = _text(files[rel], shown)
                continue
            if rel.endswith(".rego"):
                modules[shown] = _text(files[rel], shown)
            elif (name := data_name(rel, files)) is not None:
                loaded = _checked(load_data_file(files, rel, root))
                config[name], documents[name] = loaded.value, loaded.document
            elif rel.startswith(DATA_DIR) and rel.endswith(SCHEMA_SUFFIX):
                pass  # read with its data file; part of the revision
            elif rel == EXCEPTIONS_FILE:
                loaded = _load_data(files[rel], shown, Exceptions)
                exceptions = loaded["exceptions"]
            elif rel == fieldspec.FIELDS_FILE:
                declared = _load_data(files[rel], shown, fieldspec.FieldsFile)["fields"]
            else:
                continue
            digest.update(f"{rel}\0{len(files[rel])}\0".encode())
            digest.update(files[rel])
        if not modules:
            raise PolicyError(f"no Rego modules (*.rego) found in {root}/")
        index = RecordIndex.of(f"{root}/{DATA_DIR}{RULES_DATA}{DATA_SUFFIX}",
                               config[RULES_DATA], documents[RULES_DATA])
        levels = check_library(modules, tests, root, index)
        data = {"martech": {"config": config, "exceptions": exceptions}}
        return cls(modules, tests, data, digest.hexdigest(), source, root, levels, declared)

    @classmethod
    def from_directory(cls, directory: Path, source: str = "worktree") -> PolicySet:
        if not directory.is_dir():
            raise PolicyError(f"policy directory {directory} does not exist")
        files = {
            p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*"))
            if p.is_file() and p.suffix.lower() in (".rego", ".json", *_YAML_SUFFIXES)
        }
        return cls.from_files(files, source, directory.as_posix().rstrip("/"))


def policy_at(policies: Path) -> PolicySet | None:
    """The policies in the folder `policies`; None when there is no such folder (commands
    that show the request format then show the core one)."""
    return PolicySet.from_directory(policies) if policies.is_dir() else None


def request_model_at(policies: Path) -> type[ToolRequest]:
    """The request model with the fields IT declares in `policies` (fields.yaml); the
    core model when there is no such folder (the format on its own)."""
    policy = policy_at(policies)
    return policy.request_model if policy is not None else ToolRequest


def data_name(rel: str, files: Iterable[str] = ()) -> str | None:
    """`data/thresholds.yaml` -> `thresholds`: the data name a file provides, if any:
    a core name, or one IT declared with `data/<name>.schema.json` in `files`."""
    if not (rel.startswith(DATA_DIR) and rel.endswith(DATA_SUFFIX)):
        return None
    name = rel[len(DATA_DIR):-len(DATA_SUFFIX)]
    declared = data_model(name) is not None or f"{DATA_DIR}{name}{SCHEMA_SUFFIX}" in files
    return name if declared and "/" not in name else None


def load_data_file(files: Mapping[str, bytes], rel: str, root: str) -> DataFile:
    """A declared data file checked against its model or its JSON Schema."""
    name, shown = rel[len(DATA_DIR):-len(DATA_SUFFIX)], f"{root}/{rel}"
    if (model := data_model(name)) is not None:
        return parse_data_file(files[rel], shown, model)
    schema_rel = f"{DATA_DIR}{name}{SCHEMA_SUFFIX}"
    schema, problems = dataschema.load_schema(files[schema_rel], f"{root}/{schema_rel}")
    loaded = parse_data_file(files[rel], shown, None)
    if schema is None or loaded.document is None:
        return DataFile(None, loaded.document, problems + loaded.problems)
    value = dataschema.json_value(loaded.value)
    return DataFile(value, loaded.document,
                    dataschema.problems(value, loaded.document, schema, shown))


def data_file_problems(files: Iterable[str], root: str) -> list[str]:
    """Every YAML file under data/ is exactly `data/<declared name>.yaml`, one per name;
    every JSON file there is the schema of one IT-declared data file.

    A second spelling of a name (`thresholds.yml` beside `thresholds.yaml`) would
    silently replace the reviewed file, and a file no schema describes would make a
    misspelt key read as nothing: both are refused, as is a missing core file.
    """
    files = sorted(files)
    schemas = {rel[len(DATA_DIR):-len(SCHEMA_SUFFIX)]: rel for rel in files
               if rel.startswith(DATA_DIR) and rel.lower().endswith(".json")
               and rel.endswith(SCHEMA_SUFFIX)}
    by_name: dict[str, list[str]] = {}
    for rel in files:
        if rel.startswith(DATA_DIR) and rel.lower().endswith(_YAML_SUFFIXES):
            name = rel[len(DATA_DIR):].rsplit(".", 1)[0].lower()
            by_name.setdefault(name, []).append(rel)
    problems = [f"{root}/{rel}: the only JSON files in {root}/{DATA_DIR} are data schemas, "
                f"named `<name>{SCHEMA_SUFFIX}` beside `<name>{DATA_SUFFIX}`"
                for rel in files if rel.startswith(DATA_DIR) and rel.lower().endswith(".json")
                and rel[len(DATA_DIR):-len(SCHEMA_SUFFIX)] not in schemas]
    for name, rel in sorted(schemas.items()):
        if data_model(name) is not None:
            problems.append(f"{root}/{rel}: `{name}` is a core data file whose schema is "
                            "martechgov's own; remove this file")
        elif f"{DATA_DIR}{name}{DATA_SUFFIX}" not in by_name.get(name, []):
            problems.append(f"{root}/{rel}: a schema for the data file "
                            f"{root}/{DATA_DIR}{name}{DATA_SUFFIX}, which does not exist")
    for name, rels in sorted(by_name.items()):
        problems.extend(_name_problems(name, rels, root, name in schemas))
    problems.extend(f"{root}/{DATA_DIR}: missing data file {name}{DATA_SUFFIX}, which the "
                    "rules read" for name in sorted(set(DATA_MODELS) - set(by_name)))
    return problems


def _name_problems(name: str, rels: list[str], root: str, has_schema: bool) -> list[str]:
    shown = " and ".join(f"{root}/{rel}" for rel in rels)
    if len(rels) > 1:
        return [f"{shown}: {len(rels)} files for the one data name `{name}`; "
                f"keep only {root}/{DATA_DIR}{name}{DATA_SUFFIX}"]
    if "/" in name:
        return [f"{shown}: data files live directly in {root}/{DATA_DIR}; "
                "files in its subfolders are never read: move or remove it"]
    if rels[0] != f"{DATA_DIR}{name}{DATA_SUFFIX}":
        return [f"{shown}: policy data files are named `<name>{DATA_SUFFIX}` "
                f"(lowercase); rename it to {root}/{DATA_DIR}{name}{DATA_SUFFIX}"]
    if data_model(name) is None and not has_schema:
        return [f"{shown}: no schema describes the data file `{name}`, so a misspelt key "
                "in it would make a rule quietly read nothing. Declare it with a JSON "
                f"Schema beside it, {root}/{DATA_DIR}{name}{SCHEMA_SUFFIX} (policies/README.md, "
                "\"Adding a data file\"), or remove it; the core data files are "
                f"{', '.join(sorted(DATA_MODELS))}"]
    return []


def module_path(shown: str, root: str) -> str:
    """`policies/lib/lib.rego` -> `lib/lib.rego` (PolicySet keys are root-prefixed).

    The path inside the bundle, and the remote engine's policy id: one name per file.
    """
    prefix = root.rstrip("/") + "/"
    return shown[len(prefix):] if shown.startswith(prefix) else shown


def check_library(modules: Mapping[str, str], tests: Mapping[str, str], root: str,
                  records: RecordIndex | None = None) -> dict[str, tuple[str, ...]]:
    """Rego v1 only, each module's package matching its folder, every area's
    deny/review/warn set read by the decision, and (with `records`) a record for every
    rule id and a rule for every record; checked on the parsed modules. Returns each
    rule id with the levels the library emits it at.

    The parser is regorus's (see `engines.regoparse`); it is imported here, not at the
    top, because the engines import this module.
    """
    from martechgov.engines.library import check_library as check_parsed

    return check_parsed(modules, tests, root, records)


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
    return _checked(parse_data_file(raw, shown, model)).value


def _checked(loaded: DataFile) -> DataFile:
    if loaded.problems:
        raise PolicyError("invalid policy data:\n" + "\n".join(loaded.problems))
    return loaded
