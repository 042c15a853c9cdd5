"""Writing new request files: ids from tool names, YAML the way people write it, no clobbering.

Shared by `martechgov new` (the wizard) and `martechgov discover --draft`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from martechgov.errors import UsageError

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/toolrequest-v1.schema.json"
MAX_SLUG = 80


def slugify(name: str) -> str:
    """'Apollo.io' -> 'apollo-io'; 'Zoë's Tool' -> 'zoes-tool' (a valid request id)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower().replace("'", "")).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or "tool"


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no type hints
    """Block mappings, but short lists of plain values inline: `regions: [eu, us]`."""


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, str | int | float | bool) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def dump_request(document: dict[str, Any]) -> str:
    """The YAML text of a request, with the editor-schema first line."""
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=10_000, default_flow_style=False)
    return f"{SCHEMA_LINE}\n{body}"


def scalar(value: Any) -> str:
    """One YAML scalar as it would appear after `key: ` (quoted only when needed)."""
    text: str = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, width=10_000)
    # strip("\n"), not strip(): a value may end in a space YAML keeps (U+00A0, U+3000)
    return text.removesuffix("\n").removesuffix("\n...").strip("\n")


def write_new_file(path: Path, text: str, force: bool = False) -> None:
    """Write `text` to `path`; an existing file is replaced only with `force`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w" if force else "x", encoding="utf-8") as stream:
            stream.write(text)
    except FileExistsError:
        raise UsageError(f"{path} already exists; use --force to overwrite it") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
