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

Plain scalars are read as YAML 1.2's core schema reads them (`yamlscalars`): `yes` and
`no` are words, `010` and `1:30` are text, dates are dates.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from martechgov.yamlscalars import plain_scalar

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
    fix: str | None = None  # what to do about it

    def __str__(self) -> str:
        fix = f"; {self.fix}" if self.fix else ""
        return f"{self.line}:{self.column}: {self.message}{fix}"


@dataclass
class Document:
    """A loaded document: its value and the position of every path inside it."""

    value: Any
    positions: dict[Path_, Position] = field(default_factory=dict)
    # The start of the last line that holds a value: where a missing top-level key is
    # pointed at (the end of the file, where it would be added).
    end: Position = (1, 1)

    def position(self, path: Path_) -> Position:
        """The position of `path`; of its nearest existing parent when it is absent (a
        missing `privacy.dpa_signed` is at `privacy:`); the end of the file when not even
        its top-level key is there."""
        return self.nearest(path)[1]

    def nearest(self, path: Path_) -> tuple[Path_, Position]:
        """The longest part of `path` the document holds, and where (see `position`)."""
        for end in range(len(path), 0, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return path[:end], found
        if not path:
            return (), self.positions.get((), (1, 1))
        return (), self.end

    def children(self, path: Path_) -> list[Position]:
        """Where the keys or items directly inside `path` are, in the file's order."""
        return [place for key, place in self.positions.items()
                if len(key) == len(path) + 1 and key[:len(path)] == path]


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
            raise YamlProblem("this is not a plain file, so it was not read",
                              fix="replace it with the request as a plain YAML file")
        check_size(info.st_size, max_bytes)
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
                          f"{max_bytes:,} bytes", fix=_SHORTEN)
    return raw


def _too_big(size: int, max_bytes: int) -> str:
    return f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes"


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    """Refuse content of `size` bytes before it is read (a git blob knows its size)."""
    if size > max_bytes:
        raise YamlProblem(_too_big(size, max_bytes), fix=_SHORTEN)


def decode_text(raw: bytes) -> str:
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(raw, nul)
        raise YamlProblem("this is a binary file, not YAML text", line, column,
                          "replace it with the request written as YAML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(raw, exc.start)
        raise YamlProblem("the file is not UTF-8 text", line, column,
                          "save it as UTF-8 (in most editors: Save with Encoding, UTF-8)"
                          ) from None
    return text.removeprefix("\ufeff")


def _byte_position(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, offset - line_start + 1


def load(text: str, max_nodes: int = MAX_NODES) -> Document:
    """Parse one YAML document into plain values with positions.

    `max_nodes`: a larger bound for files bigger than a request (a whole tech stack).
    """
    builder = _Builder(max_nodes)
    try:
        return builder.build(CParser(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(_syntax_message(exc), line, column, _SYNTAX_FIX) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML syntax error: {exc}", fix=_SYNTAX_FIX) from None


_SYNTAX_FIX = ("check the indentation (spaces, not tabs), that every key is followed by a "
               "colon and a space, and that quotes and brackets are closed")
_SHORTEN = "keep a request short: long texts belong in a linked document"


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    detail = ", ".join(parts) if parts else "not valid YAML"
    return f"YAML syntax error: {detail}"


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
    def __init__(self, max_nodes: int = MAX_NODES) -> None:
        self.positions: dict[Path_, Position] = {}
        self.nodes = 0
        self.max_nodes = max_nodes
        self.last_line: Position = (1, 1)
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
                        "the file holds more than one YAML document (a line with `---`)",
                        *_start(event), "put one request per file, without `---` lines")
                self.positions[()] = _start(event)
                value = self._value(get(), get, (), 1)
        return Document(value, self.positions, self.last_line)

    def _value(self, event: yaml.Event | None, get: Callable[[], Any],
               path: Path_, depth: int) -> Any:
        if event is None:
            raise YamlProblem("the file ends inside a value", fix=_SYNTAX_FIX)
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise YamlProblem(f"the document has more than {self.max_nodes:,} values",
                              *_start(event), "a request has far fewer: remove the extra ones")
        if depth > MAX_DEPTH:
            raise YamlProblem(f"the document is nested more than {MAX_DEPTH} levels deep",
                              *_start(event), "check the indentation: a request is nested "
                              "three or four levels at most")
        kind = event.__class__
        if kind is _ALIAS:
            raise YamlProblem("YAML aliases (*name) are not allowed", *_start(event),
                              "write the value out in full")
        tag = getattr(event, "tag", None)
        if tag not in _STANDARD_TAGS:
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            raise YamlProblem(f"custom YAML tags such as {shown} are not allowed",
                              *_start(event), f"remove `{shown}` and write the plain value")
        if kind is _SCALAR:
            return self._scalar(event)
        if kind is _MAPPING_START:
            return self._mapping(get, path, depth)
        if kind is _SEQUENCE_START:
            return self._sequence(get, path, depth)
        raise YamlProblem(f"unexpected YAML element {kind.__name__}",
                          *_start(event), _SYNTAX_FIX)

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
        raise YamlProblem("the file ends inside a list", fix=_SYNTAX_FIX)

    def _mapping(self, get: Callable[[], Any], path: Path_, depth: int) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        positions = self.positions
        while (key_event := get()) is not None:
            kind = key_event.__class__
            if kind is _MAPPING_END:
                return mapping
            if kind is not _SCALAR:
                raise YamlProblem("a key must be a plain word, not a list or mapping",
                                  *_start(key_event), "write the key as a plain word")
            key = self._scalar(key_event)
            if not isinstance(key, str):
                # `yes:` or `2024:` as keys would silently become a bool or an int.
                key = key_event.value
            if key in mapping:
                first = positions[(*path, key)]
                raise YamlProblem(
                    f"`{key}` appears twice in the same mapping (first on line {first[0]})",
                    *_start(key_event), "keep one of them")
            mark = key_event.start_mark
            positions[(*path, key)] = (mark.line + 1, mark.column + 1)
            mapping[key] = self._value(get(), get, (*path, key), depth + 1)
        raise YamlProblem("the file ends inside a mapping", fix=_SYNTAX_FIX)

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        self.last_line = (event.end_mark.line + 1 if event.end_mark.column else
                          event.end_mark.line, 1)
        tag = event.tag
        if tag in (None, "!"):
            if event.style:  # quoted or block scalars are always text
                return event.value
            try:
                return plain_scalar(event.value)
            except ValueError:  # Python refuses integers of more than 4,300 digits
                raise YamlProblem(f"a number with {len(event.value):,} digits",
                                  *_start(event), "write the real number") from None
        if tag == _STR_TAG:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                               event.style)
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            raise YamlProblem(f"cannot read the value {event.value!r}: {exc}",
                              *_start(event), "write it in quotes if it is text") from None
