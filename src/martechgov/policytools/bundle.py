"""The policy library as a standard OPA bundle (a gzipped tarball OPA downloads and serves).

Layout (OPA's rule: a `data.json` in directory `d` becomes `data.<d>`):

    .manifest                       {"revision": <PolicySet.revision>, "roots": ["martech"]}
    decision.rego, lib/lib.rego...  every non-test Rego module, at its path in the policy dir
    martech/config/data.json        data.martech.config (one key per policies/data/*.yaml)
    martech/exceptions/data.json    data.martech.exceptions (a list: allowed below the root)

The bytes depend only on the PolicySet's content: entries are sorted, every timestamp
and owner is zero or empty and the gzip header carries no name or time, so the same
policies always give the same file (and the revision names that exact content).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from martechgov.errors import PolicyError, UsageError
from martechgov.policy import ROOT, PolicySet, module_path

MANIFEST = ".manifest"
DEFAULT_OUTPUT = Path("martechgov-bundle.tar.gz")
_FILE_MODE = 0o644
_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
# A rule head at column 0 defining `name` (`name := ...`, `name if`, `name.x := ...`, ...).
_RULE_HEAD = r"^(?:default\s+)?{name}\b\s*(?::=|=|if\b|contains\b|\{{|\[|\.|\()"


def build_bundle(policy: PolicySet, out: Path) -> None:
    """Write the bundle to `out` (atomically: a reader never sees half a file)."""
    _write_atomically(out, bundle_bytes(policy))


def bundle_bytes(policy: PolicySet) -> bytes:
    return _tar_gz(bundle_files(policy))


def bundle_files(policy: PolicySet) -> dict[str, bytes]:
    """Every entry of the bundle: path inside the tarball -> content."""
    _check_roots(policy)
    files = {MANIFEST: _json({"revision": policy.revision, "roots": [ROOT]})}
    for shown, source in policy.modules.items():
        files[module_path(shown, policy.root)] = source.encode("utf-8")
    for top, subtree in policy.data.items():
        for key, value in subtree.items():
            files[f"{top}/{key}/data.json"] = _json(value)
    return files


def _check_roots(policy: PolicySet) -> None:
    """Refuse a library OPA would refuse to activate, with a message that says why.

    OPA rejects a bundle whose packages or data lie outside its roots, and one where a
    rule and a data.json claim the same path (data.martech.config as both).
    """
    if set(policy.data) != {ROOT}:
        raise PolicyError(f"the bundle's data must all be under data.{ROOT}")
    data_paths = [f"{ROOT}.{key}" for key in policy.data[ROOT]]
    for shown, source in sorted(policy.modules.items()):
        package = _package_of(shown, source)
        if package != ROOT and not package.startswith(ROOT + "."):
            raise PolicyError(f"{shown}: package {package} is outside the bundle root "
                              f"`{ROOT}`; OPA would refuse the bundle")
        for path in data_paths:
            if package == path or package.startswith(path + "."):
                raise PolicyError(f"{shown}: package {package} overlaps the policy data "
                                  f"at data.{path}")
            parent, _, name = path.rpartition(".")
            if package == parent and re.search(_RULE_HEAD.format(name=name), source,
                                               re.MULTILINE):
                raise PolicyError(f"{shown}: rule `{name}` in package {package} has the "
                                  f"same path as the policy data data.{path}")


def _package_of(shown: str, source: str) -> str:
    match = _PACKAGE.search(source)
    if match is None:
        raise PolicyError(f"{shown}: no `package` declaration")
    return match.group(1)


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _tar_gz(files: Mapping[str, bytes]) -> bytes:
    raw = io.BytesIO()
    # filename="" and mtime=0 keep the name and the build time out of the gzip header.
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name in sorted(files):
                tar.addfile(_entry(name, len(files[name])), io.BytesIO(files[name]))
    return raw.getvalue()


def _entry(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = 0
    info.mode = _FILE_MODE
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.type = tarfile.REGTYPE
    return info


def _write_atomically(out: Path, content: bytes) -> None:
    directory = out.parent if str(out.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=".martechgov-bundle-", dir=directory)
    except OSError as exc:
        raise UsageError(f"cannot write the bundle to {out}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
        os.chmod(temp, _FILE_MODE)
        os.replace(temp, out)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise UsageError(f"cannot write the bundle to {out}: {exc.strerror}") from None
