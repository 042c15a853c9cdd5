"""All git access lives here (gitpython).

A pull request is judged by what it changes, under the policies of the branch it
merges into: changed request files come from the diff between the merge base and the
head (or the working tree), the policies from the base ref's own tree, so a pull
request cannot approve itself by loosening a rule in the same change.

Lists of paths come from git's plumbing output with NUL-separated fields (`git diff
--raw -z`, `git ls-files -z`, `git ls-tree -z`, `git log -z`): a file name may hold
any byte but NUL (a newline, a colon, a tab), so nothing else can delimit it, and git
prints such names unquoted only with -z. What each path is (a file, a symbolic link, a
submodule) comes from the mode git records, never from its name. Output that does not
parse is an error (exit 2), never an empty change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import git
from git.exc import BadName, GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from martechgov.errors import GitError
from martechgov.gitoutput import (
    is_under,
    kind_of,
    log_records,
    path_text,
    pathspecs,
    raw_records,
    unparsable,
)
from martechgov.loader import EntryKind
from martechgov.yamlsafe import MAX_BYTES as MAX_REQUEST_BYTES

# Other modules name a commit by this alias, so that only this module imports git.
Commit = git.Commit

FETCH_HINT = (
    "in GitHub Actions check out with `fetch-depth: 0` (actions/checkout), or run "
    "`git fetch --unshallow origin` / `git fetch origin <base>` locally"
)


@dataclass(frozen=True)
class Entry:
    """A path and what git says it is; `oid` is its object id (None: the working tree)."""

    path: str
    kind: EntryKind
    oid: str | None = None
    size: int | None = None  # a blob's size, when the listing gave it


@dataclass
class Changes:
    """What a change does under the given folders (repository-relative POSIX paths)."""

    checked: list[Entry] = field(default_factory=list)  # added, modified, renamed-to...
    retired: list[str] = field(default_factory=list)  # deleted request files
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

    def _run(self, command: str, *args: str) -> bytes:
        """Run a git command through GitPython's command interface; its raw stdout."""
        try:
            out: bytes = getattr(self._repo.git, command.replace("-", "_"))(
                *args, stdout_as_string=False, strip_newline_in_stdout=False)
            return out
        except GitCommandError as exc:
            detail = str(exc.stderr).strip() or f"exit status {exc.status}"
            raise GitError(f"`git {command}` failed: {detail}; nothing was judged") from None
        except (git.exc.GitError, OSError) as exc:
            raise GitError(f"`git {command}` could not run: {exc}; nothing was judged"
                           ) from None

    def changed_files(self, since: git.Commit, head: git.Commit | None,
                      under: list[str]) -> Changes:
        """Everything under the folders changed from `since` to `head` (or the work tree).

        Every path is returned, whatever its name or kind, for the caller to judge or
        refuse: deleted request files are retired, the new side of a rename or copy is
        checked, a type change is checked as what it became. Untracked files count as
        added when comparing with the work tree, so a request not yet `git add`-ed is
        checked.
        """
        raw = self._diff(since, head, under)
        changes = Changes()
        checked: dict[str, Entry] = {}
        for status, new_mode, oid, paths in raw_records(raw):
            old, new = paths[0], paths[-1]
            if status == "D" or (status == "R" and not is_under(new, under)):
                if head is None and status == "D" and self._present(old):
                    checked[old] = Entry(old, "file")  # there, but not as git sees it
                elif is_under(old, under):
                    changes.retired.append(old)
                continue
            if not is_under(new, under):
                continue
            if head is None:  # the working tree: the loader looks at the path itself
                kind = kind_of(new_mode) if new_mode in ("120000", "160000") else "file"
                checked[new] = Entry(new, kind)
            else:
                checked[new] = Entry(new, kind_of(new_mode), oid)
            if status == "R":
                changes.renamed[new] = old
        if head is None:
            # A committed submodule that is not checked out looks unchanged to a diff
            # with the working tree (as in CI, where actions/checkout leaves it empty).
            for _, mode, _, paths in raw_records(self._diff(since, self._repo.head.commit,
                                                              under)):
                if mode == "160000" and is_under(paths[-1], under):
                    checked.setdefault(paths[-1], Entry(paths[-1], "submodule"))
            for path in self.untracked(under):
                checked.setdefault(path.rstrip("/"), Entry(
                    path.rstrip("/"), "repository" if path.endswith("/") else "file"))
        changes.checked = [checked[p] for p in sorted(checked)]
        changes.retired = sorted(set(changes.retired) - set(checked))
        return changes

    def _diff(self, since: git.Commit, head: git.Commit | None, under: list[str]) -> bytes:
        return self._run("diff", "--raw", "-z", "--no-abbrev", "--find-renames",
                         "--no-ext-diff", "--no-textconv", "--no-relative",
                         "--ignore-submodules=none", "--no-color", since.hexsha,
                         *([head.hexsha] if head is not None else []), "--",
                         *pathspecs(under))

    def _present(self, path: str) -> bool:
        """Something is at `path` in the working tree, reached through real folders only
        (git reports a file as deleted when a folder above it became a link)."""
        *folders, name = path.split("/")
        current = self.root
        for folder in folders:
            current = current / folder
            if os.path.islink(current) or not os.path.isdir(current):
                return False
        return os.path.lexists(current / name)

    def untracked(self, under: list[str]) -> list[str]:
        """Files git does not track yet (ignored ones aside); a nested repository ends
        in "/"."""
        raw = self._run("ls-files", "--others", "--exclude-standard", "-z", "--full-name",
                        "--", *pathspecs(under))
        return [p for p in path_text(raw).split("\0") if p]

    def entries_at(self, commit: git.Commit, folders: list[str]) -> list[Entry]:
        """Every entry under the folders in `commit`'s tree, with its kind and object id."""
        raw = self._run("ls-tree", "-r", "-l", "-z", "--full-tree", commit.hexsha, "--",
                        *pathspecs(folders))
        entries = []
        for record in raw.split(b"\0"):
            if not record:
                continue
            meta, tab, path = record.partition(b"\t")
            fields = meta.split()  # mode, type, object id, size ("-" for a submodule)
            if not tab or len(fields) != 4 or not path:
                raise unparsable("ls-tree")
            entries.append(Entry(path_text(path), kind_of(fields[0].decode()), fields[2].decode(),
                                 int(fields[3]) if fields[3].isdigit() else None))
        return [e for e in entries if is_under(e.path, folders)]

    def paths_at(self, commit: git.Commit, folders: list[str]) -> list[str]:
        """The path of every entry under the folders in `commit`'s tree (names only: the
        cheap listing, for ten thousand requests)."""
        raw = self._run("ls-tree", "-r", "-z", "--name-only", "--full-tree", commit.hexsha,
                        "--", *pathspecs(folders))
        return [p for p in path_text(raw).split("\0") if p]

    def read_blob(self, oid: str, limit: int,
                  size: int | None = None) -> tuple[int, bytes | None]:
        """A blob's size, and its content when it is at most `limit` bytes (a bigger one
        is never read: a pull request may hold a blob of any size)."""
        try:
            binsha = bytes.fromhex(oid)
            if size is None:
                size = int(self._repo.odb.info(binsha).size)
            if size > limit:
                return size, None
            data: bytes = self._repo.odb.stream(binsha).read()
            return size, data
        except (ValueError, git.exc.GitError, OSError) as exc:
            raise GitError(f"cannot read git object {oid}: {exc}; nothing was judged"
                           ) from None

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

    def last_changes(self, folders: list[str]) -> dict[str, tuple[git.Commit, str]]:
        """For each file under the folders: the last first-parent commit that changed it.

        First-parent history follows the branch itself, so for a merged pull request
        this is the merge (or squash) commit: the moment the change landed, with the
        branch's own policies at that moment. Returns path -> (commit, YYYY-MM-DD).
        """
        raw = self._run("log", "--first-parent", "-z", "--name-only", "--no-relative",
                        "--no-follow", "--no-show-signature", "--format=%x00%H %cs", "HEAD", "--",
                        *(pathspecs(folders) or ["."]))
        latest: dict[str, tuple[str, str]] = {}
        for (sha, day), names in log_records(raw):
            for name in names:
                latest.setdefault(name, (sha, day))
        commits: dict[str, git.Commit] = {}
        return {name: (commits.setdefault(sha, self._repo.commit(sha)), day)
                for name, (sha, day) in latest.items()}

    def deleted_files(self, ref: str, folders: list[str],
                      suffixes: tuple[str, ...]) -> list[Deleted]:
        """Files under the folders that REF's first-parent history deleted, and are gone.

        Each with the day the deletion landed (the merge or squash commit on the branch),
        that commit, and the file's content just before (bounded like any request). A
        renamed file is not deleted (renames are followed); a file deleted and later
        added back is not gone. NUL-separated output: any file name is read exactly.
        """
        _, head = self.commit(ref)
        raw = self._run("log", "--first-parent", "--diff-merges=first-parent", "-M", "-z",
                        "--diff-filter=D", "--name-only", "--no-relative",
                        "--no-show-signature", "--format=%x00%H %cs", head.hexsha, "--",
                        *(pathspecs(folders) or ["."]))
        present = set(self.paths_at(head, folders))
        found: dict[str, Deleted] = {}
        for (sha, day), names in log_records(raw):
            for name in names:
                if name.endswith(suffixes) and name not in present and name not in found:
                    parent = self._repo.commit(sha).parents[0]
                    found[name] = Deleted(name, day, sha, self._content_at(parent, name))
        return sorted(found.values(), key=lambda d: d.path)

    def _content_at(self, commit: git.Commit, path: str) -> bytes:
        """A regular file's bytes in `commit` (empty when it was not one, or too big)."""
        for entry in self.entries_at(commit, [path]):
            if entry.path == path and entry.kind == "file" and entry.oid is not None:
                _, data = self.read_blob(entry.oid, MAX_REQUEST_BYTES, entry.size)
                return data or b""
        return b""

    def relative(self, path: Path) -> str:
        """`path` as a POSIX path relative to the repository root ('' for the root).

        The folders above `path` are resolved, `path` itself is not: a `requests` that is
        a symbolic link stays `requests` (and is reported as a link), instead of
        silently becoming whatever it points at."""
        absolute = Path(os.path.abspath(path))
        if absolute.name:
            absolute = absolute.parent.resolve() / absolute.name
        try:
            rel = absolute.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            raise GitError(f"{path} is outside the repository at {self.root}") from None
        return "" if rel == "." else rel
