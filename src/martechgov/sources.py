"""What to judge and with which policies: from the disk, or from a git change.

Without --base: every entry under the given paths, with the policies on disk.
With --base: only what the change adds, modifies, renames, copies or turns into
something else, judged by the policies of the base ref's own tree (trusted), unless
--policies-from-worktree says otherwise, in which case every output carries a visible
warning. Either way, an entry that is not a plain request file (a link, a submodule, a
pipe, another name) becomes an `invalid` result saying why; nothing is skipped and no
link is followed (see `loader`).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from martechgov.errors import UsageError
from martechgov.loader import (
    LoadedRequest,
    is_candidate,
    load_request,
    load_request_bytes,
    name_problem,
    read_request,
    refusal,
    shown,
    siblings,
    size_problem,
)
from martechgov.policy import PolicySet
from martechgov.problems import Choices, Problem
from martechgov.request_model import ToolRequest
from martechgov.request_schema import policy_choices
from martechgov.request_walk import request_files, special_files
from martechgov.yamlsafe import MAX_BYTES

if TYPE_CHECKING:
    from martechgov.gitrepo import Commit, Entry, Repository

UNTRUSTED_WARNING = (
    "judged by the policies in the working tree (--policies-from-worktree), not by the "
    "trusted policies of the base branch: not valid for approving a pull request"
)


@dataclass(frozen=True)
class RequestItem:
    """One request to judge: a file on disk, content read from git, or an entry refused
    before reading (git says it is a link or a submodule, or a blob is too big)."""

    display: str
    path: Path | None = None
    content: bytes | None = None
    refused: Problem | None = None
    # The values the policies' data allows (`request_schema.policy_choices`), so that a
    # finding can name the nearest one.
    choices: Choices = field(default_factory=dict)

    def load(self, model: type[ToolRequest] = ToolRequest) -> LoadedRequest:
        if self.refused is not None:
            return LoadedRequest(self.display, problems=[self.refused])
        if self.content is not None:  # read from git, or from the disk by `read`
            taken = siblings(self.path) if self.path is not None else None
            return load_request_bytes(self.content, self.display, model, self.choices, taken)
        assert self.path is not None
        return load_request(self.path, self.display, model, self.choices)

    def read(self) -> RequestItem:
        """This item with its content read from the disk (or refused, saying why), so
        that judging it never reads the disk again: what was hashed is what is judged."""
        if self.refused is not None or self.content is not None or self.path is None:
            return self
        raw = read_request(self.path, self.display)
        if isinstance(raw, bytes):
            return dataclasses.replace(self, content=raw)
        (problem,) = raw.problems
        return dataclasses.replace(self, path=None, refused=problem)


def with_choices(items: list[RequestItem], policy: PolicySet) -> list[RequestItem]:
    """`items`, each knowing the values `policy`'s data allows."""
    choices = policy_choices(policy)
    return [dataclasses.replace(item, choices=choices) for item in items]


@dataclass
class Selection:
    policy: PolicySet
    items: list[RequestItem]
    retired: list[str] = field(default_factory=list)
    warning: str | None = None
    # Requests outside the judged set (the base branch's), id -> their files: an id
    # already taken there cannot be claimed by a judged file (see `identity`).
    elsewhere: dict[str, list[str]] = field(default_factory=dict)


def display_path(path: Path) -> str:
    """The path as the user knows it: relative to the working directory when inside it."""
    if not path.is_absolute() and ".." not in path.parts:
        return path.as_posix()
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def existing_request_files(paths: list[Path]) -> list[Path]:
    """Every entry under `paths`; a path that does not exist is a usage error (a typo
    must not pass as "nothing to judge"). A dangling link exists: it is reported."""
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"{missing[0]} does not exist")
    return request_files(paths)


def disk_items(paths: list[Path]) -> list[RequestItem]:
    """One item per entry under `paths`, shown relative to the working directory."""
    return [RequestItem(shown(display_path(p)), path=p) for p in existing_request_files(paths)]


def git_items(repo: Repository, entries: list[Entry]) -> list[RequestItem]:
    """One item per entry git listed: read from its tree (an entry with an object id)
    or from the working tree; refused unread when git says it is not a plain file, its
    name is not a request's, or it is bigger than a request may be."""
    items = []
    for entry in entries:
        display = shown(entry.path)
        if entry.oid is None:  # the working tree: the loader looks (lstat) before reading
            refused = refusal(entry.kind) if entry.kind != "file" else None
            items.append(RequestItem(display, path=repo.root / entry.path, refused=refused))
            continue
        refused = refusal(entry.kind) if entry.kind != "file" else name_problem(display)
        if refused is None:
            size, data = repo.read_blob(entry.oid, MAX_BYTES, entry.size)
            if data is None:
                refused = size_problem(size)
            else:
                items.append(RequestItem(display, content=data))
                continue
        items.append(RequestItem(display, refused=refused))
    return items


def policies_at(repo: Repository, commit: Commit, folder: str,
                name: str | None = None) -> PolicySet:
    """The policies in `folder` of `commit`'s tree, labelled `name@1a2b3c4` (or
    `@1a2b3c4` when the commit has no name worth showing)."""
    label = f"{name or ''}@{commit.hexsha[:7]}"
    return PolicySet.from_files(repo.files_at(commit, folder), label, folder)


def ids_at(repo: Repository, commit: Commit, folders: list[str],
           skip: set[str]) -> dict[str, list[str]]:
    """id -> request files in `commit`'s tree (but `skip`). A request's file is named
    after its id (`request.file_name` makes any other name invalid), so the names say
    which ids are taken without reading every file."""
    taken: dict[str, list[str]] = {}
    for path in repo.paths_at(commit, folders):  # inlined is_candidate: 10,000 paths
        stem, dot, suffix = path.rpartition("/")[2].rpartition(".")
        if dot and suffix.lower() in ("yaml", "yml") and path not in skip:
            taken.setdefault(stem, []).append(path)
    return taken


def from_disk(paths: list[Path], policies: Path | PolicySet) -> Selection:
    """Every entry under `paths`, with the policies in the `policies` folder (or a
    PolicySet the caller already loaded from it)."""
    items = disk_items(paths)
    if isinstance(policies, Path):
        policies = PolicySet.from_directory(policies)
    return Selection(policies, with_choices(items, policies))


def from_git(paths: list[Path], policies: Path, base: str, head: str | None,
             policies_from_worktree: bool = False) -> Selection:
    from martechgov.gitrepo import Repository  # gitpython costs 60 ms to import: only here

    repo = Repository(Path.cwd())
    base_name, base_commit = repo.commit(base)
    head_commit = repo.commit(head)[1] if head else None
    since = repo.merge_base(base_commit, head_commit or repo.commit("HEAD")[1])
    under = [repo.relative(p) for p in paths]
    changes = repo.changed_files(since, head_commit, under)
    items = git_items(repo, changes.checked)
    if head_commit is None:  # pipes and devices are invisible to git: report them too
        listed = {e.path for e in changes.checked}
        items += [RequestItem(shown(display), path=path) for path in special_files(paths)
                  if (display := repo.relative(path)) not in listed]
        items.sort(key=lambda item: item.display)
    if policies_from_worktree:
        policy = PolicySet.from_directory(policies)
        warning: str | None = UNTRUSTED_WARNING
    else:
        policy = policies_at(repo, base_commit, repo.relative(policies), base_name)
        warning = None
    # After the merge, the base's files stay except those this change deletes, moves
    # away or rewrites; the judged files must not claim an id one of those holds.
    gone = {*changes.retired, *changes.renamed.values(), *(e.path for e in changes.checked)}
    retired = [shown(p) for p in changes.retired if is_candidate(p.rsplit("/", 1)[-1])]
    return Selection(policy, with_choices(items, policy), retired, warning,
                     ids_at(repo, base_commit, under, gone))
