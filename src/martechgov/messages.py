"""What one validation error means to a marketer: the rule, the message in plain words
(`plain_words`, the same the editor shows), the fix (a "did you mean" when the value
says it, from `guesses`) and, for an absent field, the YAML to paste (`fields`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from martechgov import fields, guesses
from martechgov.escape import truncate
from martechgov.fields import Field
from martechgov.plain_words import HINTS, listed, meanings_of
from martechgov.request_values import PATTERN_KINDS
from martechgov.yamlsafe import Document
from martechgov.yamlscalars import plain_scalar

Loc = tuple[str | int, ...]
Choices = Mapping[str, Mapping[str, str]]  # `integrations[].system` -> value -> meaning

_YES, _NO = {"yes", "y", "on"}, {"no", "n", "off"}


@dataclass(frozen=True)
class Said:
    rule: str
    message: str
    fix: str
    fix_yaml: str | None = None


def field_path(loc: Loc) -> str:
    """`('integrations', 0, 'system')` -> `integrations[0].system`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def pattern_path(loc: Loc) -> str:
    """`('integrations', 0, 'system')` -> `integrations[].system` (a `Choices` key)."""
    return field_path(tuple(-1 if isinstance(p, int) else p for p in loc)).replace("[-1]", "[]")


def describe(error: ErrorDetails, loc: Loc, model: type[BaseModel], doc: Document,
             prefix: Loc = (), choices: Choices | None = None) -> Said:
    """What the error at `loc` of `model` (read from `doc` at `prefix`) means."""
    said = _Said(error, loc, model, doc, prefix, choices or {})
    rule, message, fix = said.said()
    return Said(rule, message, fix, said.fix_yaml)


def shown(value: Any) -> str:
    """A value as the requester wrote it in YAML: `.inf`, `2300-01-01`, `yes`."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dt.date | int | float):
        return str(value)
    if isinstance(value, str):
        text = truncate(value.replace("`", "'"), 80)
        # `"1200"`: quoted, since unquoted it would read as something else than text
        return f'"{text}"' if len(value) < 100 and plain_scalar(value) != value else text
    return truncate(repr(value), 40)


class _Said:
    """What one error means: its rule, message, fix and YAML to paste."""

    def __init__(self, error: ErrorDetails, loc: Loc, model: type[BaseModel], doc: Document,
                 prefix: Loc, choices: Choices) -> None:
        self.error, self.loc, self.doc, self.path = error, loc, doc, (*prefix, *loc)
        self.kind = error["type"]
        self.value = error.get("input")
        self.name = truncate(field_path(loc)) or "the document"
        keys = [p for p in loc if isinstance(p, str)]
        self.key = truncate(keys[-1]) if keys else "the value"
        self.model = model
        self.field: Field | None = fields.field_at(model, loc)
        self.choices = choices.get(pattern_path(loc))
        self.fix_yaml: str | None = None

    # --- per kind ---------------------------------------------------------------

    def said(self) -> tuple[str, str, str]:
        kind, field = self.kind, self.field
        if kind == "missing":
            return self._missing()
        if kind == "extra_forbidden":
            return self._unknown()
        if kind == "section_required":
            return self._section_required()
        if kind == "required_when":  # a field IT declares (fieldspec), needed here
            self.fix_yaml = fields.paste(self.doc, self.path, fields.placeholder(field))
            return "schema.missing", self.error["msg"], self._where_to_add()
        if self.value is None and field is not None and kind not in ("date_range",):
            return self._empty(field)
        if kind == "literal_error":
            return self._choice()
        if kind == "string_pattern_mismatch":
            return self._pattern()
        if kind in ("bool_type", "bool_parsing"):
            return self._bool()
        if kind.startswith("date_") and kind != "date_range":
            return self._date()
        if kind in ("bounded_type", "bounded_value", "date_range"):
            return self._bounded()
        if kind in ("model_type", "dict_type", "model_attributes_type"):
            return self._not_a_section()
        if kind == "list_type":
            return self._not_a_list()
        if kind == "string_type":
            return self._not_text()
        if kind == "text_blank" or (kind == "string_too_short" and self.value == ""):
            return ("schema.value", f"`{self.name}` is blank; fill it in",
                    self._example())
        if kind == "string_too_long":
            limit = (self.error.get("ctx") or {}).get("max_length", 0)
            return ("schema.value", f"`{self.name}` is longer than {limit:,} characters",
                    f"shorten it to at most {limit:,} characters")
        ctx = self.error.get("ctx") or {}
        return ("schema.type" if kind.endswith("_type") else "schema.value",
                f"`{self.name}`: {ctx.get('error', self.error['msg'])} (it is "
                f"`{shown(self.value)}`)", self._how())

    def _missing(self) -> tuple[str, str, str]:
        about = f" ({self._about()})" if self.field and self.field.description else ""
        leaf = fields.placeholder(self.field)
        self.fix_yaml = fields.paste(self.doc, self.path, leaf)
        return ("schema.missing", f"`{self.name}` is required but missing{about}",
                self._where_to_add())

    def _where_to_add(self) -> str:
        found, (line, _) = self.doc.nearest(self.path)
        section = self.field is not None and self.field.kind == "section"
        article = "an" if self.key[:1] in "aeiou" else "a"
        what = f"{article} `{self.key}:` section" if section else f"`{self.key}:`"
        missing = [str(part) for part in self.path[len(found):-1]]  # sections to add too
        what += f" in a new `{'.'.join(missing)}:` section" if missing else ""
        if found and isinstance(found[-1], int):  # an item of a list
            return f"add {what} to `{field_path(found)}` (line {line})"
        if found:
            return f"add {what} under `{found[-1]}:` (line {line})"
        return f"add {what} at the end of the file"

    def _unknown(self) -> tuple[str, str, str]:
        allowed = fields.allowed_keys(self.model, self.loc[:-1])
        close = guesses.word(str(self.loc[-1]), allowed) if allowed else None
        if close:
            return ("schema.unknown_field", f"unknown field `{self.name}` (did you mean "
                    f"`{close}`?)", f"rename `{self.key}` to `{close}`")
        return ("schema.unknown_field", f"unknown field `{self.name}` (allowed: "
                + ", ".join(allowed) + ")", f"remove `{self.key}`, or rename it to one of "
                "the allowed fields")

    def _section_required(self) -> tuple[str, str, str]:
        section = str((self.error.get("ctx") or {}).get("section", ""))
        self.fix_yaml = fields.paste(self.doc, (section,), fields.placeholder(
            fields.field_at(self.model, (section,))))
        return ("schema.missing", self.error["msg"],
                f"add {'an' if section[:1] in 'aeiou' else 'a'} `{section}:` section at the "
                "end of the file, with the fields below")

    def _empty(self, field: Field) -> tuple[str, str, str]:
        if field.kind == "section":
            self.fix_yaml = fields.indent_under(self.doc, self.path, fields.placeholder(field))
            return ("schema.missing", f"`{self.name}` is empty; it needs the fields below",
                    f"add the fields below under `{self.key}:`")
        rule = "schema.missing" if field.required else "schema.type"
        return (rule, f"`{self.name}` has no value (nothing after the colon, `~` and `null` "
                "all mean none); " + self._how(), self._example())

    def _choice(self) -> tuple[str, str, str]:
        field = self.field
        values = list(self.choices or {}) or list(field.values if field else ())
        if field is not None and field.kind == "constant":
            return ("schema.value", f"`{self.name}` is `{shown(self.value)}`; it must be "
                    f"`{values[0]}`", f"write `{self.key}: {values[0]}`")
        meanings = dict(self.choices or {}) or meanings_of(values) or dict.fromkeys(values, "")
        message = (f"`{self.name}` is `{shown(self.value)}`, which is not an allowed value; "
                   f"allowed: {listed(meanings)}")
        guess = guesses.word(self.value, values) if isinstance(self.value, str) else None
        if guess:
            return "schema.value", message, self._did_you_mean(guess, code=True)
        return "schema.value", message, self._example()

    def _pattern(self) -> tuple[str, str, str]:
        pattern = str((self.error.get("ctx") or {}).get("pattern"))
        hint = PATTERN_KINDS.get(pattern)
        text = str(self.value)
        guess = {"slug": self._slug_guess, "url": guesses.url,
                 "currency": guesses.currency}.get(hint or "", lambda _: None)(text)
        how = HINTS[hint] if hint else f"write text matching `{pattern}`"
        message = f"`{self.name}` is `{shown(self.value)}`: {how}"
        return ("schema.value", message,
                self._did_you_mean(guess, code=True) if guess else self._example())

    def _slug_guess(self, text: str) -> str | None:
        if self.choices:
            return guesses.word(text, self.choices)
        return guesses.slug(text)

    def _bool(self) -> tuple[str, str, str]:
        word = str(self.value).strip().lower() if isinstance(self.value, str) else ""
        message = f"`{self.name}` is `{shown(self.value)}`: {HINTS['bool']}"
        if word in _YES | _NO | {"true", "false"}:
            meant = "false" if word in _NO | {"false"} else "true"
            why = ("without quotes: in quotes it is text" if word == meant else
                   "only true and false are read as yes or no")
            return ("schema.type", message, f"did you mean {meant}? Write `{self.key}: {meant}`"
                    f" ({why})")
        return ("schema.type", message, f"write `{self.key}: true` or `{self.key}: false`, or "
                "leave the line out if you do not know")

    def _date(self) -> tuple[str, str, str]:
        value = self.value
        text = value if isinstance(value, str) else str(value)
        if isinstance(value, dt.datetime):
            why, found = ", a date with a time", [value.date()]
        else:
            found = guesses.dates(text) if isinstance(value, str | int) else []
            calendar = isinstance(value, str) and not found and guesses.looks_iso(text)
            why = ", which is not a day of the calendar" if calendar else ""
        message = f"`{self.name}` is `{shown(value)}`{why}: {HINTS['date']}"
        if len(found) == 1:
            return "schema.type", message, self._did_you_mean(found[0].isoformat())
        if len(found) == 2:
            first, second = found
            return ("schema.type", message, f"did you mean {first} ({guesses.spoken(first)}) "
                    f"or {second} ({guesses.spoken(second)})? Write the one you mean as "
                    f"`{self.key}: YYYY-MM-DD`")
        return ("schema.type", message, guesses.calendar_check(text) if why else
                f"write `{self.key}:` followed by the date as YYYY-MM-DD (year, month, day)")

    def _bounded(self) -> tuple[str, str, str]:
        # Numbers and dates every Rego engine holds exactly (see request_model).
        wanted = str(self.error["msg"]).removeprefix("must be ")
        if self.kind != "bounded_type":
            return ("schema.value", f"`{self.name}` {self.error['msg']}; it is "
                    f"{shown(self.value)}", f"write {wanted}")
        money = self.field is not None and self.field.kind == "money"
        how = HINTS["money"] if money else f"write {wanted}"
        message = f"`{self.name}` is `{shown(self.value)}`: {how}"
        guess = guesses.number(self.value, whole=not money)
        if guess is None and isinstance(self.value, float) and math.isfinite(self.value):
            return ("schema.type", message, "write a whole number, without decimals, e.g. "
                    f"`{self.key}: {round(self.value)}`")
        if guess is None:
            clock = isinstance(self.value, str) and ":" in self.value
            return ("schema.type", message, f"write `{self.key}:` followed by a plain number"
                    + (", without currency signs or commas" if money else "")
                    + (f" (`{shown(self.value)}` is read as hours or minutes by some YAML "
                       "tools)" if clock else ""))
        fix = self._did_you_mean(str(guess))
        if isinstance(self.value, str) and plain_scalar(self.value.strip()) == guess:
            fix += " (without quotes: in quotes it is text)"
        elif money and any(c.isalpha() or c in guesses.CURRENCY_SIGNS for c in str(self.value)):
            fix += " (the currency goes in `cost.currency`)"
        elif isinstance(self.value, str) and self.value.lstrip("+-")[1:2].isalpha():
            fix += " (numbers are written in decimal)"
        elif isinstance(self.value, str) and self.value.lstrip("+-").startswith("0"):
            fix += " (without the leading zero: some YAML tools read `010` as the octal " \
                   "number 8)"
        return "schema.type", message, fix

    def _not_a_section(self) -> tuple[str, str, str]:
        return ("schema.type", f"`{self.name}` is `{shown(self.value)}`, not a section: "
                f"{HINTS['section']}", f"replace `{shown(self.value)}` with the fields of "
                f"`{self.key}`, each on its own line, indented under `{self.key}:`")

    def _list_hint(self) -> str:
        item = self.field.item if self.field else None
        example = ", ".join(item.values[:2]) if item and item.values else "first, second"
        return f"write a list in brackets, e.g. [{example}]"

    def _not_a_list(self) -> tuple[str, str, str]:
        message = f"`{self.name}` is `{shown(self.value)}`, not a list: {self._list_hint()}"
        if isinstance(self.value, str):
            items = ", ".join(part.strip() for part in self.value.split(",") if part.strip())
            return "schema.type", message, f"did you mean `{self.key}: [{items}]`?"
        return "schema.type", message, f"write `{self.key}: [...]` with the values in brackets"

    def _not_text(self) -> tuple[str, str, str]:
        read = ("true or false" if isinstance(self.value, bool) else "a date"
                if isinstance(self.value, dt.date) else "a number"
                if isinstance(self.value, int | float) else "a list or a section")
        message = f"`{self.name}` is `{shown(self.value)}`, which is read as {read}: "
        if read == "a list or a section":
            return "schema.type", message + "write it as text", self._example()
        return ("schema.type", message + HINTS["text"],
                f"write `{self.key}: \"{shown(self.value)}\"`")

    # --- words shared by the kinds ----------------------------------------------

    def _about(self) -> str:
        """The field's description as a phrase: `the company that sells it`."""
        text = (self.field.description if self.field else "").rstrip(".")
        return text[:1].lower() + text[1:] if text else "a value"

    def _how(self) -> str:
        field = self.field
        if field is None:
            return "see the request format in README.md"
        if field.kind == "choice":
            return "write one of: " + listed(
                dict(self.choices or {}) or meanings_of(field.values)
                or dict.fromkeys(field.values, ""))
        if field.kind == "list":
            return self._list_hint()
        simple = {"bool": "bool", "date": "date", "money": "money", "count": "count",
                  "section": "section"}
        if field.kind in simple:
            return HINTS[simple[field.kind]]
        hint = PATTERN_KINDS.get(field.pattern or "")
        return HINTS[hint] if hint else f"write {self._about()}"

    def _example(self) -> str:
        """What to write, where: `after `vendor:`, write the company that sells it`."""
        if self.field is None:
            return self._how()
        if isinstance(self.loc[-1], int):
            return f"write one of the allowed values in place of `{shown(self.value)}`"
        what = "one of the allowed values" if self.field.kind == "choice" else self._about()
        return f"after `{self.key}:`, write {what}"

    def _did_you_mean(self, guess: str, code: bool = False) -> str:
        meant = f"`{guess}`" if code else guess
        if isinstance(self.loc[-1], int):  # an item of a list
            return f"did you mean {meant}? Write `{guess}` instead of `{shown(self.value)}`"
        return f"did you mean {meant}? Write `{self.key}: {guess}`"
