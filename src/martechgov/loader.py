"""Load request files: YAML -> validated ToolRequest, or the problems that stop it.

A bad file never raises: its problems come back located at file:line:col so the
other files are still checked and the reporter shows it as `invalid`.

What is a request: a plain file named `<id>.yaml`. A file whose name ends in `.yml`
or in `.yaml`/`.yml` in another case (`x.YAML`) is read as a request too, so its author
sees every problem, and is invalid until renamed (`request.file_name`). Anything else
found where requests live is reported, never skipped and never followed: a symbolic
link (`file.link`), a submodule or nested repository (`file.submodule`), a folder, a
named pipe or a device (`file.type`), any other name (`file.name`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import ValidationError

from martechgov import fields, guesses, yamlsafe
from martechgov.messages import pattern_path
from martechgov.problems import Choices, Problem, problems_from
from martechgov.request_model import ToolRequest
from martechgov.request_name import REQUEST_SUFFIX, FileName, Taken

# Compared in lowercase: names read as requests (invalid unless exactly `<id>.yaml`).
CANDIDATE_SUFFIXES = (".yaml", ".yml")

# What a path is, whatever its name says (from lstat, or from the mode git records).
EntryKind = Literal["file", "link", "submodule", "repository", "folder", "special"]

_REFUSALS: dict[str, tuple[str, str, str]] = {
    "link": ("file.link", "this is a symbolic link (a shortcut to another file), not a "
             "request file; martechgov never follows links, so it was not read",
             "replace the link with the request file itself"),
    "submodule": ("file.submodule", "this is a git submodule (a pointer to another "
                  "repository), not a request file", "remove it and add the request as a "
                  "plain YAML file"),
    "repository": ("file.submodule", "this folder is a separate git repository, so its "
                   "files are not part of this one", "move it out and add requests as plain "
                   "YAML files"),
    "folder": ("file.type", "this is a folder where a request file was expected",
               "requests are plain YAML files named `<id>.yaml`: move the folder out"),
    "special": ("file.type", "this is not a plain file (it is a named pipe, a device or a "
                "socket), so it was not read", "replace it with the request as a plain YAML "
                "file"),
}


class Located(NamedTuple):
    """Where a policy finding points, its fix, and the YAML to paste (absent fields)."""

    line: int
    column: int
    fix: str
    fix_yaml: str | None


@dataclass
class LoadedRequest:
    """A request file after loading: a valid request, or its problems."""

    file: str
    document: yamlsafe.Document | None = None
    request: ToolRequest | None = None
    problems: list[Problem] = field(default_factory=list)
    blob: str | None = None  # git blob id of the bytes read; None when nothing was read
    # Values IT's policy data allows where the model allows any id (`request_schema`).
    choices: Choices = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.request is not None and not self.problems

    def position(self, field_path: str) -> tuple[int, int]:
        """Line and column of a dotted field path such as `integrations[1].system`; for
        an absent field, its nearest existing parent (or the end of the file)."""
        if self.document is None:
            return (1, 1)
        return self.document.position(parse_field_path(field_path))

    def locate(self, field_path: str, fix: str) -> Located:
        """Where a policy finding about `field_path` points, and its fix: when the field
        is absent, the YAML to paste (with the value the fix names, `privacy.dpa_signed:
        true`, else a comment saying what goes there); when the value is not one IT's
        data allows, the nearest one that is."""
        line, column = self.position(field_path)
        if self.document is None:
            return Located(line, column, fix, None)
        path = parse_field_path(field_path)
        value = fields.value_at(self.document, path)
        allowed = self.choices.get(pattern_path(path))
        if allowed and isinstance(value, str) and value not in allowed:
            guess = guesses.word(value, allowed)
            if guess:
                fix = f"{fix} Did you mean `{guess}` ({allowed[guess]})?"
        if self.document.nearest(path)[0] == path:
            return Located(line, column, fix, None)
        named = fields.value_named(fix, field_path)
        model = type(self.request) if self.request is not None else ToolRequest
        leaf = f" {named}" if named else fields.placeholder(fields.field_at(model, path))
        return Located(line, column, fix, fields.paste(self.document, path, leaf))


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


def load_request(path: Path, display: str | None = None,
                 model: type[ToolRequest] = ToolRequest,
                 choices: Choices | None = None) -> LoadedRequest:
    """Read and validate one request file from the disk, never following a link.

    `model` is the request model with IT's declared fields (`PolicySet.request_model`),
    `choices` the values IT's policy data allows (`request_schema.policy_choices`).
    """
    display = display or path.as_posix()
    raw = read_request(path, display)
    if isinstance(raw, LoadedRequest):
        return raw
    return load_request_bytes(raw, display, model, choices, siblings(path))


def read_request(path: Path, display: str) -> bytes | LoadedRequest:
    """The bytes of a request file on disk, never following a link; or, when it cannot
    be read as one, the LoadedRequest holding the one problem that says why."""
    try:
        kind = entry_kind(path)
    except OSError as exc:
        return _invalid(display, "file.read",
                        yamlsafe.YamlProblem(f"cannot read the file: {exc.strerror}"))
    if kind != "file":
        return refused(display, kind)
    misnamed = name_problem(display)
    if misnamed is not None:
        return LoadedRequest(display, problems=[misnamed])
    try:
        return yamlsafe.read_bytes(path)
    except yamlsafe.YamlProblem as problem:
        return _invalid(display, "file.content", problem)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # it became a link after the check above
            return refused(display, "link")
        return _invalid(display, "file.read",
                        yamlsafe.YamlProblem(f"cannot read the file: {exc.strerror}"))


def siblings(path: Path) -> Taken:
    """Whether another entry next to `path` holds a name (a fix never proposes it)."""
    return lambda name: _exists(path, name)


def _exists(path: Path, name: str) -> bool:
    """Another entry named `name` is next to `path`."""
    return name != path.name and os.path.lexists(path.with_name(name))


def load_request_bytes(raw: bytes, display: str, model: type[ToolRequest] = ToolRequest,
                       choices: Choices | None = None, taken: Taken | None = None
                       ) -> LoadedRequest:
    """Validate a request whose content was read elsewhere (a git blob). `taken` says
    whether another file holds a name (unknown for a blob: `identity` sees the others)."""
    misnamed = name_problem(display)
    if misnamed is not None:
        return LoadedRequest(display, problems=[misnamed])
    try:
        yamlsafe.check_size(len(raw))
        text = yamlsafe.decode_text(raw)
    except yamlsafe.YamlProblem as problem:
        loaded = _invalid(display, "file.content", problem)
    else:
        loaded = load_request_text(text, display, model, choices, taken)
    name = display.rsplit("/", 1)[-1]
    if not name.endswith(REQUEST_SUFFIX) and not any(
            p.rule == "request.file_name" for p in loaded.problems):
        # Requests with an id get the file-name check by their id; say it for the others.
        loaded.problems.append(Problem(
            "request.file_name", f"the file is named `{name}`; a request file's name is "
            "its id followed by `.yaml`, in lowercase", None, 1, 1,
            "rename the file to its id followed by `.yaml`"))
    if len(raw) <= yamlsafe.MAX_BYTES:
        loaded.blob = blob_id(raw)
    return loaded


def blob_id(raw: bytes) -> str:
    """The git blob id of `raw` (what `git hash-object` prints for a file holding it):
    the content hash that, with the policy revision and the date, reproduces a decision."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def entry_kind(path: Path) -> EntryKind:
    """What `path` itself is (lstat: a link is a link, wherever it points)."""
    mode = os.lstat(path).st_mode
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    return "special"


def refusal(kind: EntryKind) -> Problem:
    """Why an entry that is not a plain file is not read (`kind` != "file")."""
    rule, message, fix = _REFUSALS[kind]
    return Problem(rule, message, None, 1, 1, fix)


def refused(display: str, kind: EntryKind) -> LoadedRequest:
    return LoadedRequest(display, problems=[refusal(kind)])


def is_candidate(name: str) -> bool:
    """Read as a request: `.yaml` or `.yml` in any case (valid only as `<id>.yaml`)."""
    return name.lower().endswith(CANDIDATE_SUFFIXES)


def shown(path: str) -> str:
    """A path fit to show: a name that is not UTF-8 gets its odd bytes as `\\xNN`."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def size_problem(size: int) -> Problem | None:
    """Content of `size` bytes is too big to read (checked before reading a git blob)."""
    try:
        yamlsafe.check_size(size)
    except yamlsafe.YamlProblem as problem:
        return Problem("file.content", problem.message, None, 1, 1, problem.fix)
    return None


def name_problem(display: str) -> Problem | None:
    name = display.rsplit("/", 1)[-1]
    if is_candidate(name):
        return None
    return Problem(
        "file.name",
        f"`{name}` is not a request file: this folder holds only requests, each named "
        "after its id with `.yaml` at the end (for example `hubspot-marketing-hub.yaml`)",
        None, 1, 1, "move this file out of the folder, or give it its request's name",
    )


def load_request_text(text: str, display: str, model: type[ToolRequest] = ToolRequest,
                      choices: Choices | None = None, taken: Taken | None = None
                      ) -> LoadedRequest:
    """Validate request text already read (from disk or from a git tree)."""
    try:
        document = yamlsafe.load(text)
    except yamlsafe.YamlProblem as problem:
        return _invalid(display, "yaml.syntax", problem)
    loaded = LoadedRequest(display, document, choices=dict(choices or {}))
    if not isinstance(document.value, dict):
        loaded.problems.append(Problem(
            "schema.type",
            "a request must be a YAML mapping of keys and values "
            f"(starting with `apiVersion: martechgov/v1`), not {_kind(document.value)}",
            None, *document.position(()),
            "start from an example in requests/ (or run `martechgov new`)",
        ))
        return loaded
    try:
        loaded.request = model.model_validate(document.value)
    except ValidationError as exc:
        loaded.problems.extend(problems_from(exc, document, model, choices=choices))
    # The file name is checked in the same pass, whatever else is wrong.
    identity = FileName(display.rsplit("/", 1)[-1], taken or (lambda _: False))
    loaded.problems = identity.checked(loaded.problems, document)
    return loaded


def _kind(value: Any) -> str:
    if value is None:
        return "an empty file"
    if isinstance(value, list):
        return "a list"
    return f"the single value {value!r}"


def _invalid(display: str, rule: str, problem: yamlsafe.YamlProblem) -> LoadedRequest:
    return LoadedRequest(display, problems=[
        Problem(rule, problem.message, None, problem.line, problem.column,
                problem.fix or "check that the file can be read")
    ])
