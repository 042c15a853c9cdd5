"""What to judge and with which policies: from the disk, or from a git change.

Without --base: every request file under the given paths, with the policies on disk.
With --base: only the request files the change adds, modifies or renames, judged by
the policies of the base ref's own tree (trusted), unless --policies-from-worktree
says otherwise, in which case every output carries a visible warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from martechgov.errors import UsageError
from martechgov.loader import (
    REQUEST_SUFFIXES,
    LoadedRequest,
    load_request,
    load_request_bytes,
    request_files,
)
from martechgov.policy import PolicySet

if TYPE_CHECKING:
    from martechgov.gitrepo import Commit, Repository

UNTRUSTED_WARNING = (
    "judged by the policies in the working tree (--policies-from-worktree), not by the "
    "trusted policies of the base branch: not valid for approving a pull request"
)


@dataclass(frozen=True)
class RequestItem:
    """One request to judge: a file on disk, or content read from git."""

    display: str
    path: Path | None = None
    content: bytes | None = None

    def load(self) -> LoadedRequest:
        if self.content is not None:
            return load_request_bytes(self.content, self.display)
        assert self.path is not None
        return load_request(self.path, self.display)


@dataclass
class Selection:
    policy: PolicySet
    items: list[RequestItem]
    retired: list[str] = field(default_factory=list)
    warning: str | None = None


def display_path(path: Path) -> str:
    """The path as the user knows it: relative to the working directory when inside it."""
    if not path.is_absolute() and ".." not in path.parts:
        return path.as_posix()
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def existing_request_files(paths: list[Path]) -> list[Path]:
    """The request files under `paths`; a path that does not exist is a usage error
    (a typo must not pass as "nothing to judge")."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"{missing[0]} does not exist")
    return request_files(paths)


def policies_at(repo: Repository, commit: Commit, folder: str,
                name: str | None = None) -> PolicySet:
    """The policies in `folder` of `commit`'s tree, labelled `name@1a2b3c4` (or
    `@1a2b3c4` when the commit has no name worth showing)."""
    label = f"{name or ''}@{commit.hexsha[:7]}"
    return PolicySet.from_files(repo.files_at(commit, folder), label, folder)


def from_disk(paths: list[Path], policies: Path | PolicySet) -> Selection:
    """Every request file under `paths`, with the policies in the `policies` folder (or
    a PolicySet the caller already loaded from it)."""
    items = [RequestItem(display_path(p), path=p) for p in existing_request_files(paths)]
    if isinstance(policies, Path):
        policies = PolicySet.from_directory(policies)
    return Selection(policies, items)


def from_git(paths: list[Path], policies: Path, base: str, head: str | None,
             policies_from_worktree: bool = False) -> Selection:
    from martechgov.gitrepo import Repository  # gitpython costs 60 ms to import: only here

    repo = Repository(Path.cwd())
    base_name, base_commit = repo.commit(base)
    head_commit = repo.commit(head)[1] if head else None
    since = repo.merge_base(base_commit, head_commit or repo.commit("HEAD")[1])
    under = [repo.relative(p) for p in paths]
    changes = repo.changed_files(since, head_commit, under, REQUEST_SUFFIXES)
    if head_commit is not None:
        items = [RequestItem(p, content=repo.read(head_commit, p)) for p in changes.checked]
    else:
        items = [RequestItem(p, path=repo.root / p) for p in changes.checked]
    if policies_from_worktree:
        policy = PolicySet.from_directory(policies)
        warning: str | None = UNTRUSTED_WARNING
    else:
        policy = policies_at(repo, base_commit, repo.relative(policies), base_name)
        warning = None
    return Selection(policy, items, changes.retired, warning)
