"""`martechgov bundle build`: a standard, reproducible OPA bundle that decides like we do."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import os
import shutil
import tarfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from martechgov.check import judge
from martechgov.cli import main
from martechgov.engines.embedded import EmbeddedEngine
from martechgov.engines.regorus_engine import DECISION_QUERY, compile_engine, query_value
from martechgov.errors import PolicyError
from martechgov.formatters.json_ import result_json
from martechgov.loader import load_request
from martechgov.policy import PolicySet
from martechgov.policytools.bundle import build_bundle, bundle_bytes, module_path
from martechgov.request_walk import request_files

from ..conftest import AS_OF, ROOT
from ..fakes.opa_server import BundleError, read_bundle

LOADED = [load_request(p, f"requests/{p.name}") for p in request_files([ROOT / "requests"])]


def members(content: bytes) -> list[tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as tar:
        return tar.getmembers()


def policy_files() -> dict[str, bytes]:
    return {p.relative_to(ROOT / "policies").as_posix(): p.read_bytes()
            for p in sorted((ROOT / "policies").rglob("*")) if p.is_file()}


class BundleEngine:
    """regorus loaded with exactly what an OPA server activates from the bundle."""

    name = "bundle"

    def __init__(self, content: bytes) -> None:
        bundle = read_bundle(content)
        self.engine = compile_engine(bundle.modules, bundle.data)

    def load(self, policy: PolicySet) -> None:
        return None

    def evaluate(self, inputs: Sequence[Mapping[str, Any]]) -> list[Any]:
        results = []
        for doc in inputs:
            self.engine.set_input_json(json.dumps(doc))
            results.append(query_value(self.engine, DECISION_QUERY))
        return results


def test_the_same_policies_give_byte_identical_bundles(policy: PolicySet,
                                                        tmp_path: Path) -> None:
    first = bundle_bytes(policy)
    assert bundle_bytes(PolicySet.from_directory(ROOT / "policies")) == first
    copy = tmp_path / "elsewhere" / "policies"
    shutil.copytree(ROOT / "policies", copy)
    for path in copy.rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
    build_bundle(PolicySet.from_directory(copy), tmp_path / "b.tar.gz")
    assert (tmp_path / "b.tar.gz").read_bytes() == first


def test_gzip_and_tar_headers_carry_no_time_name_or_owner(policy: PolicySet) -> None:
    content = bundle_bytes(policy)
    assert content[3] & 0x08 == 0  # FNAME flag: no file name in the gzip header
    assert content[4:8] == b"\0\0\0\0"  # MTIME
    entries = members(content)
    assert [m.name for m in entries] == sorted(m.name for m in entries)
    for member in entries:
        assert member.isfile()
        assert (member.mtime, member.uid, member.gid, member.uname, member.gname,
                member.mode) == (0, 0, 0, "", "", 0o644)


def test_standard_layout_without_tests(policy: PolicySet) -> None:
    names = {m.name for m in members(bundle_bytes(policy))}
    rego = {module_path(name, policy.root) for name in policy.modules}
    assert "decision.rego" in rego and "lib/lib.rego" in rego
    assert names == {".manifest", "martech/config/data.json",
                     "martech/exceptions/data.json"} | rego
    assert not any(name.endswith("_test.rego") for name in names)


def test_manifest_names_the_policy_revision_and_root(policy: PolicySet) -> None:
    content = bundle_bytes(policy)
    with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as tar:
        manifest = tar.extractfile(".manifest")
        assert manifest is not None
        assert json.loads(manifest.read()) == {"revision": policy.revision,
                                               "roots": ["martech"]}


def test_data_lands_where_the_policies_read_it(policy: PolicySet) -> None:
    bundle = read_bundle(bundle_bytes(policy))
    assert bundle.data == policy.data
    assert isinstance(bundle.data["martech"]["exceptions"], list)


def test_the_bundle_decides_every_example_like_the_embedded_engine(
        policy: PolicySet, engine: EmbeddedEngine) -> None:
    from_bundle = [result_json(r) for r in judge(LOADED, BundleEngine(bundle_bytes(policy)),
                                                 AS_OF)]
    embedded = [result_json(r) for r in judge(LOADED, engine, AS_OF)]
    assert from_bundle == embedded


def test_build_command_writes_the_bundle(policy: PolicySet, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["bundle", "build", "--policies",
                                       str(ROOT / "policies")])
    assert result.exit_code == 0, result.stderr
    assert policy.revision in result.stdout
    assert (tmp_path / "martechgov-bundle.tar.gz").read_bytes() == bundle_bytes(policy)
    result = CliRunner().invoke(main, ["bundle", "build", "--policies",
                                       str(ROOT / "policies"), "-o", "out/b.tar.gz"])
    assert result.exit_code == 2 and "cannot write the bundle to out/b.tar.gz" in result.stderr


def test_a_rule_on_the_data_path_is_refused_before_opa_would(policy: PolicySet) -> None:
    # Loading refuses it first (the decision may not define `config`); the bundle's own
    # guard still holds for a PolicySet built any other way.
    files = policy_files()
    files["decision.rego"] += b"\nconfig := {}\n"
    with pytest.raises(PolicyError, match="the decision module defines `config`"):
        PolicySet.from_files(files, "test")
    decision = f"{policy.root}/decision.rego"
    modules = {**policy.modules, decision: policy.modules[decision] + "\nconfig := {}\n"}
    with pytest.raises(PolicyError, match="same path as the policy data data.martech.config"):
        bundle_bytes(dataclasses.replace(policy, modules=modules))


def test_a_package_outside_the_root_is_refused(policy: PolicySet) -> None:
    files = policy_files()
    files["other/other.rego"] = b"package elsewhere\n\nimport rego.v1\n\nx := 1\n"
    with pytest.raises(PolicyError, match="must be `package martech.rules.other`"):
        PolicySet.from_files(files, "test")
    modules = {**policy.modules,
               f"{policy.root}/other.rego": "package elsewhere\n\nimport rego.v1\n\nx := 1\n"}
    with pytest.raises(PolicyError, match="outside the bundle root"):
        bundle_bytes(dataclasses.replace(policy, modules=modules))


def test_the_fake_opa_reader_enforces_roots_like_opa(policy: PolicySet) -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        data = json.dumps({"elsewhere": 1}).encode()
        info = tarfile.TarInfo("data.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        manifest = json.dumps({"revision": "x", "roots": ["martech"]}).encode()
        info = tarfile.TarInfo(".manifest")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    with pytest.raises(BundleError, match="do not permit data"):
        read_bundle(gzip.compress(raw.getvalue()))
