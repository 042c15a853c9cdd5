"""The decision cache: repeated full runs answer from what the engine said last time.

An entry is what judging one request file produced: the raw decision document exactly
as the engine returned it, and what the loader read from the file to place it (the
request's id and name, the line and column of each field a finding names). Its key is
a hash of everything the answer depends on:

- the bytes of the file (their git blob id) and the path it is shown as (the input
  document's `file`, which IT's exceptions name), and the evaluation date;
- the policy revision (a content hash of every module, data file and exceptions) and
  the folder the policies live in;
- the engine, martechgov's version and a fingerprint of its code and of the engine
  library (size and modification time of every file), so that upgrading or editing
  either is a change of key, never a stale answer.

So any change of policy, data, exceptions, as-of, request or software misses. A hit is
validated exactly like a fresh answer (`check._validated`); an entry that is corrupt
(unreadable, a wrong digest, malformed) is a miss, never an answer.

Where: `$MARTECHGOV_CACHE_DIR`, else `$XDG_CACHE_HOME/martechgov`, else
`~/.cache/martechgov`: one SQLite database (atomic transactions, safe under concurrent
runs). Trust: whoever can write the cache decides the answers it gives, so a cache is
never read when it lies inside the repository being judged (a pull request could plant
one), when it belongs to another user or others may write to it, under CI (`CI` or
`GITHUB_ACTIONS` set, unless `MARTECHGOV_CACHE_DIR` names one on purpose), with
`--no-cache` or `MARTECHGOV_NO_CACHE=1`; `check --base` (the pull-request gate) never
uses it. It only serves local engines: a remote OPA server answers for itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.util
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from martechgov import __version__
from martechgov.policy import PolicySet

CACHE_ENV = "MARTECHGOV_CACHE_DIR"
NO_CACHE_ENV = "MARTECHGOV_NO_CACHE"
DATABASE = "decisions.sqlite3"
FORMAT = 3  # the layout of an entry; a new layout is a new key space
_TABLE = f"decisions_v{FORMAT}"
MAX_ENTRIES = 100_000  # oldest entries go beyond this (about 1 KB each)
_BATCH = 500  # keys per query (SQLite's limit on parameters is 999 in old versions)
_BUSY_MS = 5000  # how long a run waits for another run's write to finish
_ENGINE_LIBRARIES = {"regorus": "regorus", "regopy": "regopy"}  # engine -> module


@dataclass(frozen=True)
class Entry:
    """One judged request: the engine's raw decision, where its fields are and each
    finding's fix as the file completes it (`loader.LoadedRequest.locate`)."""

    decision: str  # the decision document as the engine returned it, as JSON text
    id: str
    name: str
    positions: Mapping[str, tuple[int, int]]  # field path ("id" too) -> line, column
    # fix_key(field, the policy's fix) -> (the fix as shown, the YAML to paste or None)
    fixes: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)

    def meta(self) -> str:
        return json.dumps([self.id, self.name, self.positions, self.fixes],
                          separators=(",", ":"))

    @classmethod
    def read(cls, decision: object, meta: object, digest: object) -> Entry | None:
        """The entry stored as these columns, or None when they are not one (a corrupt
        entry is a miss)."""
        if not (isinstance(decision, str) and isinstance(meta, str)
                and digest == _digest(decision, meta)):
            return None
        try:
            request_id, name, stored, stored_fixes = json.loads(meta)
            positions = {field: (line, column) for field, (line, column) in stored.items()
                         if type(line) is int and type(column) is int}
            fixes = {key: (fix, paste) for key, (fix, paste) in stored_fixes.items()
                     if isinstance(fix, str) and (paste is None or isinstance(paste, str))}
        except (ValueError, TypeError, AttributeError):
            return None
        if (len(positions) != len(stored) or "id" not in positions
                or len(fixes) != len(stored_fixes)
                or not isinstance(request_id, str) or not isinstance(name, str)):
            return None
        return cls(decision, request_id, name, positions, fixes)


def fix_key(field_path: str, fix: str) -> str:
    """The key of a finding's completed fix in an entry."""
    return json.dumps([field_path, fix])


class DecisionCache:
    """A cache folder holding one database of entries."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def default(cls, environ: Mapping[str, str] | None = None,
                cwd: Path | None = None) -> DecisionCache | None:
        """The user's cache, or None when none may be used here (see the module doc)."""
        environ = os.environ if environ is None else environ
        if environ.get(NO_CACHE_ENV, "") not in ("", "0"):
            return None
        explicit = environ.get(CACHE_ENV)
        if not explicit and (_truthy(environ.get("CI")) or _truthy(environ.get("GITHUB_ACTIONS"))):
            return None
        try:
            if explicit:
                folder = Path(explicit).expanduser()
            else:
                base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
                folder = Path(base) / "martechgov"
            if not folder.is_absolute() or _inside_worktree(folder, cwd or Path.cwd()):
                return None
        except (OSError, RuntimeError):  # no home folder, a folder that cannot be read
            return None
        return cls(folder)

    def scope(self, engine: str, policy: PolicySet, as_of: dt.date) -> str | None:
        """What every key of one run shares; None when `engine` is not cached."""
        library = _ENGINE_LIBRARIES.get(engine)
        if library is None:
            return None
        parts = [FORMAT, __version__, _code_fingerprint(library), engine, policy.revision,
                 policy.root, as_of.isoformat()]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    @staticmethod
    def key(scope: str, file: str, blob: str) -> str:
        return hashlib.sha256(f"{scope}\0{file}\0{blob}".encode(
            "utf-8", "surrogateescape")).hexdigest()

    def get(self, keys: Iterable[str]) -> dict[str, Entry]:
        """The entries found for `keys`; anything unreadable is simply not found."""
        wanted = list(dict.fromkeys(keys))
        if not wanted or not self._usable(create=False):
            return {}
        found: dict[str, Entry] = {}
        try:
            with contextlib.closing(self._connect()) as db:
                for start in range(0, len(wanted), _BATCH):
                    batch = wanted[start:start + _BATCH]
                    rows = db.execute(f"SELECT key, decision, meta, digest FROM {_TABLE} "
                                      f"WHERE key IN ({','.join('?' * len(batch))})", batch)
                    for key, decision, meta, digest in rows:
                        entry = Entry.read(decision, meta, digest)
                        if entry is not None:
                            found[key] = entry
        except Exception:  # noqa: BLE001 - sqlite3.Error, a corrupt file: all misses
            return {}
        return found

    def put(self, entries: Mapping[str, Entry]) -> None:
        """Store entries in one transaction; a cache that cannot be written is skipped
        (it only ever saves time)."""
        if not entries or not self._usable(create=True):
            return
        rows = [(key, entry.decision, meta, _digest(entry.decision, meta))
                for key, entry in entries.items() for meta in (entry.meta(),)]
        with contextlib.suppress(Exception), contextlib.closing(self._connect()) as db:
            with db:
                db.executemany(f"INSERT OR REPLACE INTO {_TABLE} (key, decision, meta, digest) "
                               "VALUES (?, ?, ?, ?)", rows)
            with db:
                db.execute(f"DELETE FROM {_TABLE} WHERE rowid <= (SELECT max(rowid) FROM "
                           f"{_TABLE}) - ?", (MAX_ENTRIES,))

    def _connect(self) -> Any:
        import sqlite3  # only runs that use the cache pay for the import

        db = sqlite3.connect(self.folder / DATABASE, timeout=_BUSY_MS / 1000)
        db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        # A cache may lose its last writes on a power cut (never its consistency: WAL),
        # which spares a disk flush per run, or per request for `rereview`'s history.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} (key TEXT PRIMARY KEY, "
                   "decision TEXT NOT NULL, meta TEXT NOT NULL, digest TEXT NOT NULL)")
        return db

    def _usable(self, create: bool) -> bool:
        """The folder exists (or was made), is ours and only we may write to it."""
        if create:
            with contextlib.suppress(OSError):
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            info = os.lstat(self.folder)
        except OSError:
            return False
        return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
                and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() not in ("", "0", "false", "no")


def _inside_worktree(folder: Path, cwd: Path) -> bool:
    """The folder lies in the working tree martechgov runs in: the git repository
    around `cwd` (or `cwd` itself outside any repository)."""
    here = cwd.resolve()
    top = next((p for p in (here, *here.parents) if (p / ".git").exists()), here)
    target = folder.resolve()
    return target == top or top in target.parents


def _digest(decision: str, meta: str) -> str:
    return hashlib.sha256(f"{decision}\0{meta}".encode()).hexdigest()[:32]


_FINGERPRINTS: dict[str, str] = {}


def _code_fingerprint(library: str) -> str:
    """Size and modification time of every file of martechgov and of the engine
    library (found without importing it: native code only runs in workers)."""
    cached = _FINGERPRINTS.get(library)
    if cached is not None:
        return cached
    digest = hashlib.sha256()
    spec = importlib.util.find_spec(library)
    folders = [Path(__file__).parent]
    if spec is not None and spec.origin:
        folders.append(Path(spec.origin).parent)
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".so", ".pyd", ".dylib") and path.is_file():
                info = path.stat()
                digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    _FINGERPRINTS[library] = digest.hexdigest()
    return _FINGERPRINTS[library]
