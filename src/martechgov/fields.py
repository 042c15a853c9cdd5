"""What a field of the request is (its kind, allowed values and description, read from
the model) and the YAML to paste for a field the file does not have yet.

Messages use the kind to say how to write a value; a finding about an absent field
shows the lines to add (`paste`), indented to sit under its nearest existing parent, or
at the end of the file for a missing top-level section. A value the caller does not
know is written as a comment saying what goes there (`dpa_signed:  # true or false`):
pasted as is, it is still "not given", never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from martechgov.yamlsafe import Document, Path_

Kind = Literal["choice", "constant", "bool", "date", "money", "count", "text", "list",
               "section", "mapping"]
_SAFE_KEY = re.compile(r"[A-Za-z0-9_-]{1,80}")
_SAFE_VALUE = re.compile(r"[^\x00-\x1f\x7f`]{1,200}")


@dataclass(frozen=True)
class Field:
    kind: Kind
    description: str = ""
    values: tuple[str, ...] = ()  # choice, constant
    pattern: str | None = None  # text
    item: Field | None = None  # list
    model: type[BaseModel] | None = None  # section
    required: bool = False


def field_at(model: type[BaseModel], loc: Path_) -> Field | None:
    """The field of `model` at `loc` (`('integrations', 0, 'system')`); None if none."""
    current: Any = model
    info: FieldInfo | None = None
    for part in loc:
        base = _bare(current)
        if isinstance(part, int):
            if get_origin(base) is not list:
                return None
            current, info = get_args(base)[0], None
            continue
        fields = base.model_fields if _is_model(base) else {}
        if part in fields:
            info = fields[part]
            current = info.annotation
        elif "root" in fields and get_origin(_bare(fields["root"].annotation)) is dict:
            current, info = get_args(_bare(fields["root"].annotation))[1], None
        else:
            return None
    return _field(current, info)


def allowed_keys(model: type[BaseModel], loc: Path_) -> list[str]:
    """The field names of the section at `loc` inside `model` (`()`: its own)."""
    found = field_at(model, loc) if loc else Field("section", model=model)
    if found is None or found.model is None:
        return []
    return list(found.model.model_fields)


def _field(annotation: Any, info: FieldInfo | None) -> Field:
    base = _bare(annotation)
    description = info.description or "" if info is not None else ""
    required = info.is_required() if info is not None else True
    origin = get_origin(base)
    if origin is Literal:
        values = tuple(str(v) for v in get_args(base))
        return Field("constant" if len(values) == 1 else "choice", description, values,
                     required=required)
    if origin is list:
        return Field("list", description, item=_field(get_args(base)[0], None),
                     required=required)
    if origin is dict:
        return Field("mapping", description, required=required)
    if _is_model(base):
        return Field("section", description, model=base, required=required)
    simple = {bool: "bool", dt.date: "date", int: "count", str: "text"}
    kind = "money" if isinstance(base, tuple) else simple.get(base, "text")
    return Field(kind, description, pattern=_pattern(annotation, info),  # type: ignore[arg-type]
                 required=required)


def _bare(annotation: Any) -> Any:
    """The type without Annotated and None: `Annotated[int, ...] | None` -> int;
    `int | float` -> (int, float)."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return tuple(_bare(a) for a in args)
            annotation = args[0]
        else:
            return annotation


def _pattern(annotation: Any, info: FieldInfo | None) -> str | None:
    found = [m for m in (info.metadata if info else []) if getattr(m, "pattern", None)]
    stack = [annotation]
    while stack:
        current = stack.pop()
        if get_origin(current) is Annotated:
            found += [m for m in get_args(current)[1:] if getattr(m, "pattern", None)]
            for meta in get_args(current)[1:]:
                if isinstance(meta, FieldInfo):
                    found += [m for m in meta.metadata if getattr(m, "pattern", None)]
        stack += list(get_args(current)) if get_origin(current) is not Literal else []
    return str(found[0].pattern) if found else None


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


# --- what to write --------------------------------------------------------------

_PLACEHOLDERS = {"bool": "true or false", "date": "a date as YYYY-MM-DD",
                 "money": "a plain number, e.g. 9000", "count": "a whole number"}


def placeholder(field: Field | None) -> str:
    """The text after `key:` when the value is not known: a comment saying what goes
    there (a constant is written out: `apiVersion: martechgov/v1`)."""
    if field is None:
        return ""
    if field.kind == "constant":
        return f" {field.values[0]}"
    if field.kind == "section" and field.model is not None:
        model_fields = field.model.model_fields
        required = [name for name, info in model_fields.items() if info.is_required()]
        lines = [f"{name}:{placeholder(_field(model_fields[name].annotation, model_fields[name]))}"
                 for name in required or model_fields]
        return "".join("\n  " + line.replace("\n", "\n  ") for line in lines)
    return f"  # {_what(field)}"


def _what(field: Field) -> str:
    if field.kind == "choice":
        return "one of: " + ", ".join(field.values)
    if field.kind == "list" and field.item is not None:
        return "a list of: " + ", ".join(field.item.values) if field.item.values else \
            "a list, e.g. [a, b]"
    about = field.description.rstrip(".")
    about = about[:1].lower() + about[1:]
    if field.kind in _PLACEHOLDERS:
        return f"{_PLACEHOLDERS[field.kind]} ({about})" if about else _PLACEHOLDERS[field.kind]
    return about or "fill in"


def paste(document: Document, path: Path_, leaf: str) -> str | None:
    """The lines to add for `path`, absent from `document`, with `leaf` after its key
    (` true`, a comment, or a block of indented lines): indented to go right after the
    line of its nearest existing parent (or the last line, for a top-level section).
    None when the path is there, or cannot be added by pasting lines (it runs through a
    list item that does not exist, or a parent written on one line: `privacy: {}`)."""
    found, place = document.nearest(path)
    missing = path[len(found):]
    if not missing or not all(isinstance(p, str) and _SAFE_KEY.fullmatch(p) for p in missing):
        return None
    if leaf.strip() and not all(_SAFE_VALUE.fullmatch(line) for line in leaf.split("\n")
                                if line.strip()):
        return None
    indent = 0
    if found:
        if not isinstance(value_at(document, found), dict | type(None)):
            return None
        inside = document.children(found)
        if any(child[0] == place[0] and child != place for child in inside):
            return None  # `privacy: {dpa_signed: false}`: written on one line
        indent = min(column for _, column in inside) - 1 if inside else place[1] + 1
    lines = [" " * (indent + 2 * depth) + f"{key}:" for depth, key in enumerate(missing)]
    pad = " " * (indent + 2 * (len(missing) - 1))
    lines[-1] += leaf.replace("\n", "\n" + pad)
    return "\n".join(lines)


def indent_under(document: Document, path: Path_, block: str) -> str | None:
    """The lines of `block` (each starting with a line break and two spaces) indented to
    go right after the key at `path`, which the file holds with no value (`tool:`)."""
    if path not in document.positions or not block:
        return None
    pad = " " * (document.positions[path][1] - 1)
    return "\n".join(pad + line for line in block.split("\n")[1:])


def value_named(fix: str, field_path: str) -> str | None:
    """The value a fix asks for: `privacy.dpa_signed: true`, or `security.sso` to `saml`."""
    name = re.escape(field_path)
    found = (re.search(rf"`{name}: ([^`\x00-\x1f]+)`", fix)
             or re.search(rf"`{name}` to `([^`\x00-\x1f]+)`", fix))
    return found.group(1) if found else None


def value_at(document: Document, path: Path_) -> Any:
    current = document.value
    for part in path:
        if isinstance(part, int) and isinstance(current, list) and 0 <= part < len(current):
            current = current[part]
        elif isinstance(part, str) and isinstance(current, dict) and part in current:
            current = current[part]
        else:
            return None
    return current
