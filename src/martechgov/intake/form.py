"""The questions of the tool-request issue form, read from the request model.

Every question is a field of `request_model.ToolRequest`, walked in the model's order:
its kind from the field's type (a `Literal` is a dropdown of its values, a list of
`Literal` values is a set of checkboxes, a list of sections is a textarea with one
line per item), its description from the model's `description` where there is one,
its label from the model's `title` or the field's path. Nothing is copied by hand: a
field added to the model is a question on the regenerated form, and a stale committed
form fails a test. `apiVersion` and `kind` are constants and `id` comes from the tool's
name, so they are not asked.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import MaxLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from martechgov.request_model import ToolRequest

Kind = Literal["text", "long_text", "date", "int", "number", "yes_no", "choice", "choices",
               "list", "rows"]
LONG_TEXT = 2048  # a text allowed to be longer than a web address is a textarea
YES, NO = "yes", "no"
RESERVED_OPTION = "none"  # GitHub keeps "None" for "no choice" in an optional dropdown


@dataclass(frozen=True)
class Question:
    path: tuple[str, ...]  # ("tool", "name"): where the answer goes in the request
    label: str
    kind: Kind
    required: bool  # the form insists on an answer
    description: str = ""  # the model's words, when it has some
    options: tuple[tuple[str, Any], ...] = ()  # (what the form shows, the value written)
    columns: tuple[Question, ...] = ()  # `rows`: the parts of each line, in order

    @property
    def key(self) -> str:
        return self.path[-1]

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    @property
    def id(self) -> str:
        """The form element's id (letters, digits, `-`, `_`): also a prefill parameter."""
        return "-".join(self.path)

    def value_of(self, shown: str) -> Any:
        """The value an option label stands for (the text itself when it is no option)."""
        for label, value in self.options:
            if shown.strip().casefold() == label.casefold():
                return value
        return shown.strip()


@dataclass(frozen=True)
class Section:
    """A mapping of the request (`tool`, `data`, ...): its questions in model order."""

    path: tuple[str, ...]
    required: bool
    children: tuple[Section | Question, ...]

    @property
    def key(self) -> str:
        return self.path[-1]

    def questions(self) -> Iterator[Question]:
        for child in self.children:
            yield from (child.questions() if isinstance(child, Section) else [child])


# `retired_on` is set when a tool is retired, never when it is proposed.
NOT_ASKED = ("apiVersion", "kind", "id", "retired_on")


def request_form(model: type[BaseModel] = ToolRequest) -> Section:
    """The whole request as sections and questions, in the model's order."""
    form = _section(model, (), True, top=True)
    counts: dict[str, int] = {}
    for question in form.questions():
        for label, _ in question.options if question.kind == "choices" else ():
            counts[label] = counts.get(label, 0) + 1
    return _relabel(form, {label for label, n in counts.items() if n > 1})


def questions(model: type[BaseModel] = ToolRequest) -> tuple[Question, ...]:
    """The questions in the form's order: the sections' (the tool first), then the
    request's own fields (when it is needed, what it replaces, notes)."""
    found = list(request_form(model).questions())
    return tuple(sorted(found, key=lambda q: len(q.path) == 1))


def constants(model: type[BaseModel] = ToolRequest) -> dict[str, str]:
    """The top-level fields with one allowed value (`apiVersion`, `kind`)."""
    found = {}
    for name, info in model.model_fields.items():
        values = get_args(info.annotation) if get_origin(info.annotation) is Literal else ()
        if len(values) == 1:
            found[name] = values[0]
    return found


def _section(model: type[BaseModel], path: tuple[str, ...], required: bool,
             top: bool = False) -> Section:
    children: list[Section | Question] = []
    for name, info in model.model_fields.items():
        if top and name in NOT_ASKED:
            continue
        child_path = (*path, name)
        child_required = required and info.is_required()
        base, inner = _unwrap(info.annotation)
        if isinstance(base, type) and issubclass(base, BaseModel):
            children.append(_section(base, child_path, child_required))
        else:
            children.append(_question(child_path, info, base, inner, child_required))
    return Section(path, required, tuple(children))


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The type without `None` and `Annotated`, and the metadata `Annotated` carried."""
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *more = get_args(annotation)
            metadata.extend(more)
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return tuple(args), metadata  # e.g. int | float
            annotation = args[0]
        else:
            return annotation, metadata


def _question(path: tuple[str, ...], info: FieldInfo, base: Any, inner: list[Any],
              required: bool) -> Question:
    kind, options, columns = _kind(base, inner)
    return Question(path=path, label=_label(path, info, inner), kind=kind, required=required,
                    description=_description(info, inner), options=options, columns=columns)


def _kind(base: Any, inner: list[Any]) -> tuple[Kind, tuple[tuple[str, Any], ...],
                                                 tuple[Question, ...]]:
    if get_origin(base) is Literal:
        return "choice", tuple((_option(v), v) for v in get_args(base)), ()
    if get_origin(base) is list:
        item, item_inner = _unwrap(get_args(base)[0])
        if get_origin(item) is Literal:
            return "choices", tuple((str(v), v) for v in get_args(item)), ()
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "rows", (), tuple(request_form_columns(item))
        return "list", (), ()
    simple: dict[Any, Kind] = {bool: "yes_no", dt.date: "date", int: "int", (int, float): "number"}
    if base in simple:
        kind = simple[base]
        return kind, ((YES, True), (NO, False)) if kind == "yes_no" else (), ()
    if base is str:
        longest = max((m.max_length for m in _constraints(inner) if isinstance(m, MaxLen)),
                      default=0)
        return ("long_text" if longest > LONG_TEXT else "text"), (), ()
    raise TypeError(f"the request model has a field of type {base!r} the form cannot ask")


def request_form_columns(model: type[BaseModel]) -> Iterator[Question]:
    """The fields of one item of a list of sections (an integration), as questions."""
    for name, info in model.model_fields.items():
        base, inner = _unwrap(info.annotation)
        yield _question((name,), info, base, inner, info.is_required())


def _constraints(inner: list[Any]) -> Iterator[Any]:
    for item in inner:
        yield from (item.metadata if isinstance(item, FieldInfo) else [item])


def _option(value: Any) -> str:
    text = str(value)
    return f"{text} at all" if text.casefold() == RESERVED_OPTION else text


def _label(path: tuple[str, ...], info: FieldInfo, inner: list[Any]) -> str:
    titled = [info.title] + [i.title for i in inner if isinstance(i, FieldInfo)]
    title = next((t for t in titled if t), None)
    if title:
        return title
    words = path[-1].replace("_", " ")
    if len(path) == 1:
        return words[:1].upper() + words[1:]
    return f"{path[0].replace('_', ' ').capitalize()}: {words}"


def _description(info: FieldInfo, inner: list[Any]) -> str:
    described = [info.description] + [i.description for i in inner if isinstance(i, FieldInfo)]
    return next((d for d in described if d), "")


def _relabel(section: Section, shared: set[str]) -> Section:
    """GitHub wants every checkbox label unique in the form: `eu` is asked twice (where
    people are, where data is stored), so such options say which question they answer."""
    children: list[Section | Question] = []
    for child in section.children:
        if isinstance(child, Section):
            children.append(_relabel(child, shared))
        elif child.kind == "choices":
            words = child.key.replace("_", " ")
            children.append(replace(child, options=tuple(
                (f"{label} ({words})" if label in shared else label, value)
                for label, value in child.options)))
        else:
            children.append(child)
    return replace(section, children=tuple(children))
