"""All git access lives here (gitpython).

A pull request is judged by what it changes, under the policies of the branch it
merges into: changed request files come from the diff between the merge base and the
head (or the working tree), the policies from the base ref's own tree, so a pull
request cannot approve itself by loosening a rule in the same change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import git
from git.exc import BadName, GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from martechgov.errors import GitError

# Other modules name a commit by this alias, so that only this module imports git.
Commit = git.Commit

FETCH_HINT = (
    "in GitHub Actions check out with `fetch-depth: 0` (actions/checkout), or run "
    "`git fetch --unshallow origin` / `git fetch origin <base>` locally"
)


@dataclass
class Changes:
    """Request files a change touches, as repository-relative POSIX paths."""

    checked: list[str] = field(default_factory=list)  # added, modified or renamed-to
    retired: list[str] = field(default_factory=list)  # deleted
    renamed: dict[str, str] = field(default_factory=dict)  # new path -> old path


@dataclass(frozen=True)
class Deleted:
    """A file a branch deleted: where it was, when and in which commit, what it held."""

    path: str  # repository-relative POSIX path
    day: str  # YYYY-MM-DD of the commit that deleted it
    commit: str  # that commit's id
    content: bytes  # the file just before


class Repository:
    def __init__(self, start: Path) -> None:
        try:
            self._repo = git.Repo(start, search_parent_directories=True)
        except (InvalidGitRepositoryError, NoSuchPathError):
            raise GitError(
                f"{start.resolve()} is not inside a git repository; --base needs one "
                "(run without --base to check files as they are)"
            ) from None
        if self._repo.working_tree_dir is None:
            raise GitError("a bare repository has no working tree to check")
        self.root = Path(self._repo.working_tree_dir)

    @property
    def shallow(self) -> bool:
        return (Path(self._repo.git_dir) / "shallow").exists()

    def commit(self, ref: str) -> tuple[str, git.Commit]:
        """Resolve `ref` (falling back to `origin/<ref>`); returns the name that worked."""
        for candidate in (ref, f"origin/{ref}"):
            try:
                return candidate, self._repo.commit(candidate)
            except (BadName, ValueError, GitCommandError):
                continue
        hint = f"; this is a shallow clone: {FETCH_HINT}" if self.shallow else (
            f"; check the name, or fetch it first (`git fetch origin {ref}`)")
        raise GitError(f"unknown git ref {ref!r}{hint}")

    def merge_base(self, base: git.Commit, head: git.Commit) -> git.Commit:
        try:
            bases = self._repo.merge_base(base, head)
        except GitCommandError as exc:
            detail = str(exc.stderr).strip()
            raise GitError(f"cannot find where the branches diverged: {detail}") from None
        if not bases:
            hint = f": {FETCH_HINT}" if self.shallow else (
                ": they share no history (is --base the branch this one came from?)")
            raise GitError(f"no common ancestor of {base.hexsha[:7]} and {head.hexsha[:7]}{hint}")
        return bases[0]

    def changed_files(self, since: git.Commit, head: git.Commit | None,
                      under: list[str], suffixes: tuple[str, ...]) -> Changes:
        """Files under the given folders changed from `since` to `head` (or the work tree).

        Renames are followed (the new path is checked); untracked files count as added
        when comparing with the work tree, so a request not yet `git add`-ed is checked.
        """
        changes = Changes()

        def wanted(path: str | None) -> bool:
            return path is not None and path.endswith(suffixes) and any(
                prefix == "" or path == prefix or path.startswith(prefix.rstrip("/") + "/")
                for prefix in under
            )

        for diff in since.diff(head, M=True):
            old, new = diff.a_path, diff.b_path
            if diff.change_type == "D" or (diff.renamed_file and not wanted(new)):
                if old is not None and wanted(old):
                    changes.retired.append(old)
                continue
            if new is not None and wanted(new):
                changes.checked.append(new)
                if diff.renamed_file and old is not None:
                    changes.renamed[new] = old
        if head is None:
            changes.checked.extend(p for p in self._repo.untracked_files if wanted(p))
        changes.checked = sorted(set(changes.checked))
        changes.retired = sorted(set(changes.retired))
        return changes

    def files_at(self, commit: git.Commit, folder: str) -> dict[str, bytes]:
        """Every file under `folder` in `commit`'s tree, keyed by path inside `folder`."""
        try:
            tree = commit.tree / folder if folder not in ("", ".") else commit.tree
        except KeyError:
            raise GitError(f"{folder}/ does not exist at {commit.hexsha[:7]}") from None
        found: dict[str, bytes] = {}
        for item in tree.traverse():
            if isinstance(item, git.Blob):
                path = str(item.path)
                key = PurePosixPath(path).relative_to(folder).as_posix() \
                    if folder not in ("", ".") else path
                found[key] = item.data_stream.read()
        return found

    def blobs(self, commit: git.Commit, folders: list[str],
              suffixes: tuple[str, ...]) -> list[tuple[str, bytes]]:
        """(repository-relative path, content) of matching files under the folders."""
        found: dict[str, bytes] = {}
        for folder in folders:
            for name, data in self.files_at(commit, folder).items():
                if name.endswith(suffixes):
                    found[f"{folder}/{name}" if folder else name] = data
        return sorted(found.items())

    def last_changes(self, folders: list[str],
                     suffixes: tuple[str, ...]) -> dict[str, tuple[git.Commit, str]]:
        """For each file under the folders: the last first-parent commit that changed it.

        First-parent history follows the branch itself, so for a merged pull request
        this is the merge (or squash) commit: the moment the change landed, with the
        branch's own policies at that moment. Returns path -> (commit, YYYY-MM-DD).
        """
        try:
            log = self._repo.git.log("--first-parent", "--format=%x00%H %cs", "--name-only",
                                     "HEAD", "--", *(folders or ["."]))
        except GitCommandError as exc:
            raise GitError(f"cannot read the history: {str(exc.stderr).strip()}") from None
        latest: dict[str, tuple[str, str]] = {}
        for entry in log.split("\0")[1:]:
            header, *names = entry.strip().splitlines()
            sha, day = header.split()
            for name in names:
                if name.endswith(suffixes) and name not in latest:
                    latest[name] = (sha, day)
        commits: dict[str, git.Commit] = {}
        return {name: (commits.setdefault(sha, self._repo.commit(sha)), day)
                for name, (sha, day) in latest.items()}

    def deleted_files(self, ref: str, folders: list[str],
                      suffixes: tuple[str, ...]) -> list[Deleted]:
        """Files under the folders that REF's first-parent history deleted, and are gone.

        Each with the day the deletion landed (the merge or squash commit on the branch),
        that commit, and the file's content just before. A renamed file is not deleted
        (renames are followed); a file deleted and later added back is not gone.
        """
        _, head = self.commit(ref)
        try:
            log = self._repo.git.log("--first-parent", "--diff-merges=first-parent", "-M",
                                     "--diff-filter=D", "--format=%x00%H %cs", "--name-only",
                                     head.hexsha, "--", *(folders or ["."]))
        except GitCommandError as exc:
            raise GitError(f"cannot read the history: {str(exc.stderr).strip()}") from None
        try:
            present = {path for path, _ in self.blobs(head, folders, suffixes)}
        except GitError:  # the folder itself is gone: every file in it was deleted
            present = set()
        found: dict[str, Deleted] = {}
        for entry in log.split("\0")[1:]:
            header, *names = entry.strip().splitlines()
            sha, day = header.split()
            for name in names:
                if name.endswith(suffixes) and name not in present and name not in found:
                    commit = self._repo.commit(sha)
                    found[name] = Deleted(name, day, sha, self.read(commit.parents[0], name))
        return sorted(found.values(), key=lambda d: d.path)

    def read(self, commit: git.Commit, path: str) -> bytes:
        try:
            data: bytes = (commit.tree / path).data_stream.read()
            return data
        except KeyError:
            raise GitError(f"{path} does not exist at {commit.hexsha[:7]}") from None

    def relative(self, path: Path) -> str:
        """`path` as a POSIX path relative to the repository root ('' for the root)."""
        try:
            rel = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            raise GitError(f"{path} is outside the repository at {self.root}") from None
        return "" if rel == "." else rel
