"""A request file's name is its id: `requests/<id>.yaml`.

Checked in the same pass as the schema, so a requester sees every problem at once, and
its fix never proposes a name another file already holds (renaming onto it would
replace that request): it proposes changing the id instead. Which names are taken is
known next to a file on disk; for content read from git, `identity` sees every claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from martechgov import yamlsafe
from martechgov.problems import Problem
from martechgov.request_values import SLUG_PATTERN

REQUEST_SUFFIX = ".yaml"
# Another file holds this name, next to the one being loaded: a fix never proposes it.
Taken = Callable[[str], bool]


@dataclass(frozen=True)
class FileName:
    """A request file's name against its id: `<id>.yaml`. A fix never proposes a name
    another file holds (`taken`); it proposes changing the id instead."""

    name: str
    taken: Taken

    @property
    def stem(self) -> str | None:
        stem = self.name.rpartition(".")[0]
        return stem if re.fullmatch(SLUG_PATTERN, stem) else None

    def checked(self, problems: list[Problem], document: yamlsafe.Document) -> list[Problem]:
        """`problems` with the file-name problem added, and fixes of the id that name
        the file's stem (the id must be the file name)."""
        raw = document.value.get("id")
        out = [self._id_fixed(p) if p.field == "id" else p for p in problems]
        if isinstance(raw, str) and re.fullmatch(SLUG_PATTERN, raw):
            out.extend(self._problems(raw, document))
        return out

    def _id_fixed(self, problem: Problem) -> Problem:
        if self.stem is None or problem.rule not in ("schema.missing", "schema.value"):
            return problem
        fix = f"write `id: {self.stem}` (the file name without `.yaml`)"
        fix_yaml = "id: " + self.stem if problem.fix_yaml else None
        return Problem(problem.rule, problem.message, problem.field, problem.line,
                       problem.column, fix, fix_yaml)

    def _problems(self, request_id: str, document: yamlsafe.Document) -> list[Problem]:
        wanted = f"{request_id}{REQUEST_SUFFIX}"
        if self.name == wanted:
            return []
        where = document.position(("id",))
        if self.name.rpartition(".")[0] == request_id:  # `x.yml`, `x.YAML`: the ending
            message = (f"the file is named `{self.name}`; a request file's name ends in "
                       "`.yaml`, in lowercase")
            fix = (f"`{wanted}` already exists next to it: keep one of the two files (a tool "
                   "has one request)" if self.taken(wanted) else f"rename it to `{wanted}`")
            return [Problem("request.file_name", message, "id", *where, fix)]
        message = f"the file is named `{self.name}` but its id is `{request_id}`"
        if not self.taken(wanted):
            also = f" (or change the id to `{self.stem}`)" if self.stem else ""
            fix = f"name the file `{wanted}`{also}"
        elif self.stem:
            fix = (f"`{wanted}` is another request's file: change the id to `{self.stem}`, "
                   "the name of this file")
        else:
            fix = (f"`{wanted}` is another request's file: give this request an id no other "
                   "request uses, and name the file after it")
        return [Problem("request.file_name", message, "id", *where, fix)]
