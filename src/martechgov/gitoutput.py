"""Git's machine-readable output read exactly: `diff --raw -z`, `log -z`, mode kinds.

Pure parsing, no git access (that is gitrepo's): every path is NUL-separated and
decoded as the OS would (`surrogateescape`), so a file name holding a newline, a colon
or bytes that are not UTF-8 can neither hide an entry nor be misread.
"""

from __future__ import annotations

from martechgov.errors import GitError
from martechgov.loader import EntryKind

# The modes git records for tree entries; anything else is not a plain file.
MODE_KINDS: dict[str, EntryKind] = {"100644": "file", "100755": "file",
                                     "120000": "link", "160000": "submodule"}
NO_OBJECT = "0" * 40



def path_text(raw: bytes) -> str:
    """Paths as the OS names them: bytes that are not UTF-8 survive as surrogates
    (`os.fsdecode`), so the file can still be opened and its name shown escaped."""
    return raw.decode("utf-8", "surrogateescape")


def kind_of(mode: str) -> EntryKind:
    return MODE_KINDS.get(mode, "special")


def pathspecs(folders: list[str]) -> list[str]:
    """Literal, root-relative pathspecs (no glob magic in a folder's name)."""
    if any(folder in ("", ".") for folder in folders):
        return []
    return [f":(top,literal){folder}" for folder in folders]


def is_under(path: str, folders: list[str]) -> bool:
    return any(folder in ("", ".") or path == folder
               or path.startswith(folder.rstrip("/") + "/") for folder in folders)


def unparsable(command: str) -> GitError:
    return GitError(f"cannot read the output of `git {command}` (unexpected format); "
                    "nothing was judged")



def raw_records(raw: bytes) -> list[tuple[str, str, str, list[str]]]:
    """(status letter, new mode, new object id, paths) per entry of `git diff --raw -z`:
    `:<old mode> <new mode> <old id> <new id> <status>\\0<path>\\0[<new path>\\0]`."""
    tokens = raw.split(b"\0")
    if tokens[-1] != b"":
        raise unparsable("diff")
    tokens.pop()
    records, i = [], 0
    while i < len(tokens):
        fields = tokens[i].split(b" ")
        if not tokens[i].startswith(b":") or len(fields) != 5 or not fields[4]:
            raise unparsable("diff")
        status = fields[4][:1].decode()
        count = 2 if status in ("R", "C") else 1
        paths = tokens[i + 1:i + 1 + count]
        if status not in "ACDMRTU" or len(paths) != count or not all(paths):
            raise unparsable("diff")
        records.append((status, fields[1].decode(), fields[3].decode(),
                        [path_text(p) for p in paths]))
        i += 1 + count
    return records


def log_records(raw: bytes) -> list[tuple[tuple[str, str], list[str]]]:
    """((sha, day), names) per commit of `git log -z --name-only --format=%x00%H %cs`.

    Each commit starts with an empty field (the %x00), then `<sha> <day>`, then its
    file names, the first one after a newline. No path is empty, so an empty field can
    only start a commit."""
    tokens = raw.split(b"\0")
    records: list[tuple[tuple[str, str], list[str]]] = []
    i = 0
    while i < len(tokens) - 1:
        header = tokens[i + 1].decode(errors="replace").split(" ")
        if tokens[i] != b"" or len(header) != 2 or len(header[0]) not in (40, 64):
            raise unparsable("log")
        i += 2
        names: list[str] = []
        while i < len(tokens) and tokens[i] != b"":
            name = tokens[i].removeprefix(b"\n") if not names else tokens[i]
            names.append(path_text(name))
            i += 1
        records.append(((header[0], header[1]), names))
    return records
