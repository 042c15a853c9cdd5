"""Turn pydantic validation errors into plain-language problems at a line and column.

Shared by request files and IT's policy data files: both are hand-written YAML read
through `yamlsafe`, so every error can point at the key it is about (or, for a missing
key, at the mapping that should hold it, or the end of the file for a missing
top-level section). Every problem says what is wrong in the words of `plain_words` (the
ones the editor shows) and has a fix: what to write, with a "did you mean" when the
value says it (`guesses`), and for an absent field the YAML to paste (`fix_yaml`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pydantic import BaseModel, ValidationError

from martechgov.escape import truncate
from martechgov.messages import Choices, Loc, describe, field_path
from martechgov.yamlsafe import Document

__all__ = ["AGGREGATE_ABOVE", "Choices", "Problem", "aggregate", "field_path", "problems_from"]

# More problems of one kind than this in one document become one problem with a count
# and the first few fields: a file with 19,900 unknown keys gets one message, not
# 19,900 annotations.
AGGREGATE_ABOVE = 20
_KIND_WORDS = {
    "schema.unknown_field": ("unknown fields", "remove the unknown fields: they are nearly "
                             "always typos of the allowed ones"),
    "schema.missing": ("required fields are missing", "add the missing fields"),
    "schema.type": ("fields have the wrong type", "correct each one as its message says"),
    "schema.value": ("fields have a value that is not allowed",
                     "correct each one as its message says"),
}


@dataclass(frozen=True)
class Problem:
    """One reason a document is not valid, and what to do about it."""

    rule: str
    message: str
    field: str | None
    line: int
    column: int
    fix: str | None = None
    # YAML to add right after `line` when the field is absent (indented to fit there).
    fix_yaml: str | None = None


def problems_from(exc: ValidationError, doc: Document, model: type[BaseModel],
                  loc_prefix: Loc = (), choices: Choices | None = None) -> list[Problem]:
    """One Problem per pydantic error, located in `doc` (`aggregate`d by kind)."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        ctx = error.get("ctx") or {}
        if "field" in ctx:  # a model-level rule names the field it is about
            loc = tuple(ctx["field"].split("."))
        said = describe(error, loc, model, doc, loc_prefix, choices)
        line, column = doc.position((*loc_prefix, *loc))
        problems.append(Problem(said.rule, said.message, truncate(field_path(loc)) or None,
                                line, column, said.fix, said.fix_yaml))
    return aggregate(problems)


def aggregate(problems: list[Problem]) -> list[Problem]:
    """Each kind with more than AGGREGATE_ABOVE problems becomes one problem at the
    first one's place: `19,900 unknown fields; the first 20: `a`, `b`, ...`."""
    kinds: dict[str, list[Problem]] = {}
    for problem in problems:
        kinds.setdefault(problem.rule, []).append(problem)
    out = []
    for problem in problems:
        same = kinds[problem.rule]
        if len(same) <= AGGREGATE_ABOVE:
            out.append(problem)
        elif problem is same[0]:
            out.append(_summary(same))
    return out


def _summary(same: list[Problem]) -> Problem:
    first = same[0]
    listed_fields = ", ".join(f"`{p.field or 'the document'}`" for p in same[:AGGREGATE_ABOVE])
    words, fix = _KIND_WORDS.get(first.rule, (f"problems of the kind {first.rule}",
                                               "correct each one as its message says"))
    return replace(first, message=f"{len(same):,} {words}; the first {AGGREGATE_ABOVE}: "
                   f"{listed_fields}. The first one: {first.message}", fix=fix, fix_yaml=None)
