"""Requests deleted on the default branch: retired, read back from git history.

A request file removed from `requests/` on the default branch is a retired tool (DOMAIN.md,
"Lifecycle"). The leadership reports list them with the day the deletion landed and
what the file said just before (name, owners, cost), so "what retired, and what it cost"
stays on record. All git access goes through `gitrepo`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from martechgov.gitrepo import Repository
from martechgov.loader import load_request_bytes
from martechgov.request_model import ToolRequest

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class DeletedRequest:
    file: str  # repository-relative path it had
    retired_on: dt.date  # the day the deletion landed on the branch
    commit: str
    request: ToolRequest | None  # None when the last version was not a valid request


def deleted_requests(paths: Sequence[Path], ref: str) -> list[DeletedRequest]:
    """The request files under `paths` that `ref`'s history deleted (and that are gone)."""
    folders = [path for path in paths] or [Path("requests")]
    repo = Repository(_existing_parent(folders[0]))
    relative = [repo.relative(folder) for folder in folders]
    found = []
    for deleted in repo.deleted_files(ref, relative, SUFFIXES):
        loaded = load_request_bytes(deleted.content, deleted.path)
        found.append(DeletedRequest(deleted.path, dt.date.fromisoformat(deleted.day),
                                    deleted.commit, loaded.request if loaded.valid else None))
    return found


def _existing_parent(path: Path) -> Path:
    """Where to look for the repository: the path, or its nearest existing parent."""
    current = path.absolute()
    while not current.exists() and current != current.parent:
        current = current.parent
    return current
