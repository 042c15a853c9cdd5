"""Safe, bounded YAML loading that remembers where every value came from.

Requests and policy data are written by hand, so every problem must point at a line.
Instead of `yaml.load`, this builds plain Python values from libyaml's event stream
(the C parser, `yaml.CSafeLoader`) and records a 1-based (line, column) for every path.
Working from events keeps memory and time bounded whatever the input:

- aliases are refused outright (no "billion laughs" expansion, no shared nodes);
- nesting deeper than MAX_DEPTH stops the parse before anything deep is built;
- more than MAX_NODES values stops it too;
- only one document per file, only mappings with scalar keys, no duplicate keys,
  no custom tags (`!!python/object` and friends);
- files over MAX_BYTES, binary files and non-UTF-8 text are refused before parsing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 16
MAX_NODES = 20_000

Path_ = tuple[str | int, ...]
Position = tuple[int, int]

# The core schema's tags; an explicit tag outside these is refused.
_STANDARD_TAGS = {
    None,
    "!",
    *(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map",
                                         "seq", "timestamp")),
}


_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class YamlProblem(Exception):
    """Why a document could not be loaded, at a 1-based line and column."""

    message: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


@dataclass
class Document:
    """A loaded document: its value and the position of every path inside it."""

    value: Any
    positions: dict[Path_, Position] = field(default_factory=dict)

    def position(self, path: Path_) -> Position:
        """The position of `path`, or of its nearest existing parent."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return (1, 1)


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a hand-written text file, refusing what cannot be one."""
    return decode_text(read_bytes(path, max_bytes))


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, never following a symbolic link, never more than
    `max_bytes` + 1 read.

    O_NOFOLLOW makes a link fail to open (ELOOP, an OSError) instead of reading what it
    points at; O_NONBLOCK keeps a named pipe from blocking the open; the fstat refuses
    anything that is not a regular file once opened (a path swapped after it was
    checked); the read stops one byte past the limit, whatever the size claims.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise YamlProblem("this is not a plain file, so it was not read")
        if info.st_size > max_bytes:
            raise YamlProblem(_too_big(info.st_size, max_bytes))
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > max_bytes:
        raise YamlProblem(f"the file is more than {max_bytes:,} bytes; the limit is "
                          f"{max_bytes:,} bytes")
    return raw


def _too_big(size: int, max_bytes: int) -> str:
    return f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes"


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    """Refuse content of `size` bytes before it is read (a git blob knows its size)."""
    if size > max_bytes:
        raise YamlProblem(_too_big(size, max_bytes))


def decode_text(raw: bytes) -> str:
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(raw, nul)
        raise YamlProblem("this is a binary file, not YAML text", line, column)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(raw, exc.start)
        raise YamlProblem(
            "the file is not UTF-8 text; save it as UTF-8", line, column
        ) from None
    return text.removeprefix("\ufeff")


def _byte_position(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, offset - line_start + 1


def load(text: str) -> Document:
    """Parse one YAML document into plain values with positions."""
    builder = _Builder()
    try:
        return builder.build(CParser(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(_syntax_message(exc), line, column) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML syntax error: {exc}") from None


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    detail = ", ".join(parts) if parts else "not valid YAML"
    return (
        f"YAML syntax error: {detail} (check the indentation, and that every key is "
        "followed by a colon and a space)"
    )


_PLAIN_TAGS: dict[str, str] = {}


def _resolve_plain(resolver: yaml.resolver.Resolver, value: str) -> str:
    """The implicit tag of a plain scalar; memoised because requests repeat words."""
    tag = _PLAIN_TAGS.get(value)
    if tag is None:
        tag = resolver.resolve(yaml.ScalarNode, value, (True, False))
        if len(_PLAIN_TAGS) < 50_000 and len(value) < 100:
            _PLAIN_TAGS[value] = tag
    return tag


def _start(event: yaml.Event) -> Position:
    return event.start_mark.line + 1, event.start_mark.column + 1


# libyaml's parser itself (the C half of yaml.CSafeLoader) and the event classes it
# returns, compared by identity in the walk.
CParser: Any = yaml.cyaml.CParser
_DOCUMENT_START = yaml.DocumentStartEvent
_SCALAR = yaml.ScalarEvent
_MAPPING_START = yaml.MappingStartEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_ALIAS = yaml.AliasEvent


class _Builder:
    # The walk below runs once per event of every request (~150 per file): it reads
    # events straight from libyaml's parser (no generator in between) and dispatches on
    # the event's class, which halves its cost against isinstance chains.
    def __init__(self) -> None:
        self.positions: dict[Path_, Position] = {}
        self.nodes = 0
        self._resolver = yaml.resolver.Resolver()
        self._constructor = yaml.constructor.SafeConstructor()

    def build(self, parser: Any) -> Document:
        documents = 0
        value: Any = None
        get = parser.get_event
        while (event := get()) is not None:
            if event.__class__ is _DOCUMENT_START:
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        "the file holds more than one YAML document (a line with `---`); "
                        "put one request per file",
                        *_start(event),
                    )
                self.positions[()] = _start(event)
                value = self._value(get(), get, (), 1)
        return Document(value, self.positions)

    def _value(self, event: yaml.Event | None, get: Callable[[], Any],
               path: Path_, depth: int) -> Any:
        if event is None:
            raise YamlProblem("the file ends inside a value")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlProblem(f"the document has more than {MAX_NODES:,} values",
                              *_start(event))
        if depth > MAX_DEPTH:
            raise YamlProblem(f"the document is nested more than {MAX_DEPTH} levels deep",
                              *_start(event))
        kind = event.__class__
        if kind is _ALIAS:
            raise YamlProblem(
                "YAML aliases (*name) are not allowed; write the value out in full",
                *_start(event),
            )
        tag = getattr(event, "tag", None)
        if tag not in _STANDARD_TAGS:
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            raise YamlProblem(f"custom YAML tags such as {shown} are not allowed",
                              *_start(event))
        if kind is _SCALAR:
            return self._scalar(event)
        if kind is _MAPPING_START:
            return self._mapping(get, path, depth)
        if kind is _SEQUENCE_START:
            return self._sequence(get, path, depth)
        raise YamlProblem(f"unexpected YAML element {kind.__name__}", *_start(event))

    def _sequence(self, get: Callable[[], Any], path: Path_, depth: int) -> list[Any]:
        items: list[Any] = []
        positions = self.positions
        while (item := get()) is not None:
            if item.__class__ is _SEQUENCE_END:
                return items
            index = len(items)
            mark = item.start_mark
            positions[(*path, index)] = (mark.line + 1, mark.column + 1)
            items.append(self._value(item, get, (*path, index), depth + 1))
        raise YamlProblem("the file ends inside a list")

    def _mapping(self, get: Callable[[], Any], path: Path_, depth: int) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        positions = self.positions
        while (key_event := get()) is not None:
            kind = key_event.__class__
            if kind is _MAPPING_END:
                return mapping
            if kind is not _SCALAR:
                raise YamlProblem("a key must be a plain word, not a list or mapping",
                                  *_start(key_event))
            key = self._scalar(key_event)
            if not isinstance(key, str):
                # `yes:` or `2024:` as keys would silently become a bool or an int.
                key = key_event.value
            if key in mapping:
                first = positions[(*path, key)]
                raise YamlProblem(
                    f"`{key}` appears twice in the same mapping (first on line {first[0]}); "
                    "keep one",
                    *_start(key_event),
                )
            mark = key_event.start_mark
            positions[(*path, key)] = (mark.line + 1, mark.column + 1)
            mapping[key] = self._value(get(), get, (*path, key), depth + 1)
        raise YamlProblem("the file ends inside a mapping")

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            if event.style:  # quoted or block scalars are always text
                return event.value
            tag = _resolve_plain(self._resolver, event.value)
        if tag == _STR_TAG:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                               event.style)
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            raise YamlProblem(f"cannot read the value {event.value!r}: {exc}",
                              *_start(event)) from None
