"""Files the user names on the command line (sign-offs, reviews, discovery results, an
issue body): read whole but bounded, every failure a UsageError that says which file."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from martechgov.errors import UsageError


def read_limited(path: Path, max_bytes: int, what: str = "", too_big: str = "") -> bytes:
    """The bytes of `path`, at most `max_bytes` (never more is read: a named pipe or
    /dev/zero cannot make a run read without end). `what` names the file in the message
    ("the sign-offs"); `too_big` says what a file that size cannot be."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        named = f"{what} {path}" if what else str(path)
        raise UsageError(f"cannot read {named}: {exc.strerror}") from None
    if len(raw) > max_bytes:
        size = (f"{max_bytes // (1024 * 1024)} MiB" if max_bytes >= 1024 * 1024
                else f"{max_bytes:,} bytes")
        raise UsageError(f"{path} is larger than {size}{'; ' + too_big if too_big else ''}")
    return raw


def first_reason(exc: Exception) -> str:
    """Why a file given as JSON is not what it should be, in one line: the first
    validation error with where it is, or the parser's first line."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the document"
        return f"{where}: {first['msg']}"
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply"
    return str(exc).splitlines()[0]
