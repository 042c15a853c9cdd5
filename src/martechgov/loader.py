"""Load request files: YAML -> validated ToolRequest, or the problems that stop it.

A bad file never raises: its problems come back located at file:line:col so the
other files are still checked and the reporter shows it as `invalid`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from martechgov import yamlsafe
from martechgov.problems import Problem, problems_from
from martechgov.request_model import ToolRequest

REQUEST_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadedRequest:
    """A request file after loading: a valid request, or its problems."""

    file: str
    document: yamlsafe.Document | None = None
    request: ToolRequest | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.request is not None and not self.problems

    def position(self, field_path: str) -> tuple[int, int]:
        """Line and column of a dotted field path such as `integrations[1].system`."""
        if self.document is None:
            return (1, 1)
        return self.document.position(parse_field_path(field_path))


def parse_field_path(text: str) -> tuple[str | int, ...]:
    """`integrations[1].system` -> ('integrations', 1, 'system')."""
    parts: list[str | int] = []
    for segment in text.split("."):
        name, _, rest = segment.partition("[")
        if name:
            parts.append(name)
        for index in rest.replace("]", "").split("[") if rest else ():
            parts.append(int(index) if index.isdigit() else index)
    return tuple(parts)


def load_request(path: Path, display: str | None = None) -> LoadedRequest:
    """Read and validate one request file."""
    display = display or path.as_posix()
    try:
        text = yamlsafe.read_text(path)
    except yamlsafe.YamlProblem as problem:
        return _invalid(display, "file.content", problem)
    except OSError as exc:
        return _invalid(display, "file.read",
                        yamlsafe.YamlProblem(f"cannot read the file: {exc.strerror}"))
    return load_request_text(text, display)


def load_request_bytes(raw: bytes, display: str) -> LoadedRequest:
    """Validate a request whose content was read elsewhere (a git blob)."""
    try:
        if len(raw) > yamlsafe.MAX_BYTES:
            raise yamlsafe.YamlProblem(
                f"the file is {len(raw):,} bytes; the limit is {yamlsafe.MAX_BYTES:,} bytes"
            )
        text = yamlsafe.decode_text(raw)
    except yamlsafe.YamlProblem as problem:
        return _invalid(display, "file.content", problem)
    return load_request_text(text, display)


def load_request_text(text: str, display: str) -> LoadedRequest:
    """Validate request text already read (from disk or from a git tree)."""
    try:
        document = yamlsafe.load(text)
    except yamlsafe.YamlProblem as problem:
        return _invalid(display, "yaml.syntax", problem)
    loaded = LoadedRequest(display, document)
    if not isinstance(document.value, dict):
        loaded.problems.append(Problem(
            "schema.type",
            "a request must be a YAML mapping of keys and values "
            f"(starting with `apiVersion: martechgov/v1`), not {_kind(document.value)}",
            None, *document.position(()),
        ))
        return loaded
    try:
        loaded.request = ToolRequest.model_validate(document.value)
    except ValidationError as exc:
        loaded.problems.extend(problems_from(exc, document, ToolRequest))
        return loaded
    loaded.problems.extend(_file_name_problems(loaded.request, display, document))
    return loaded


def _file_name_problems(request: ToolRequest, display: str,
                        document: yamlsafe.Document) -> list[Problem]:
    name = display.rsplit("/", 1)[-1]
    if name == f"{request.id}.yaml":
        return []
    return [Problem(
        "request.file_name",
        f"the file is named `{name}` but its id is `{request.id}`; "
        f"name the file `{request.id}.yaml` (or change the id to match)",
        "id", *document.position(("id",)),
    )]


def _kind(value: Any) -> str:
    if value is None:
        return "an empty file"
    if isinstance(value, list):
        return "a list"
    return f"the single value {value!r}"


def _invalid(display: str, rule: str, problem: yamlsafe.YamlProblem) -> LoadedRequest:
    return LoadedRequest(display, problems=[
        Problem(rule, problem.message, None, problem.line, problem.column)
    ])


def request_files(paths: list[Path]) -> list[Path]:
    """The request files named by `paths` (files, or folders searched recursively)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*"))
                         if p.suffix in REQUEST_SUFFIXES and p.is_file())
        else:
            found.append(path)
    return list(dict.fromkeys(found))
