"""`check --engine opa` against a fake OPA server (tests/fakes/opa_server.py, regorus inside).

Same answers as the embedded engine in push and bundle mode; every failure is exit 2
with the server's URL in the message and nothing on stdout (never an approval).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from martechgov.cli import main
from martechgov.engines import EngineSettings
from martechgov.engines.opa import OpaEngine
from martechgov.engines.opa_http import OpaServer
from martechgov.engines.regorus_engine import RegorusEngine
from martechgov.errors import EngineError, PolicyError, UsageError
from martechgov.inputdoc import input_document
from martechgov.loader import load_request
from martechgov.policy import PolicySet, module_path
from martechgov.policytools.bundle import bundle_bytes

from ..conftest import AS_OF, ROOT, add_rule_records
from ..fakes.opa_server import FakeOpa, closed_port_url

_spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)

TOKEN_ENV = "MARTECHGOV_OPA_TOKEN"
ONE_REQUEST = "requests/typeform.yaml"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    monkeypatch.delenv("MARTECHGOV_OPA_URL", raising=False)
    monkeypatch.setattr(OpaServer, "backoff", 0.01)  # keep retry tests fast


@pytest.fixture
def opa() -> Iterator[FakeOpa]:
    with FakeOpa() as server:
        yield server


@pytest.fixture(scope="module")
def embedded_report() -> dict[str, Any]:
    result = CliRunner().invoke(main, ["check", "--format", "json", "--as-of",
                                       AS_OF.isoformat()], catch_exceptions=False)
    assert result.exit_code == 1, result.stderr
    return without_engine(json.loads(result.stdout))


def without_engine(report: dict[str, Any]) -> dict[str, Any]:
    assert report.pop("engine") in ("regorus", "opa")
    return report


def check(url: str, *args: str, mode: str = "push", timeout: float | None = None) -> Result:
    options = ["check", "--format", "json", "--as-of", AS_OF.isoformat(), "--engine", "opa",
               "--opa-url", url, "--opa-mode", mode, *args]
    if timeout is not None:
        options += ["--opa-timeout", str(timeout)]
    return CliRunner().invoke(main, options)


def assert_refused(result: Result, url: str, *words: str) -> None:
    """Exit 2, the server named, the reason given, and no report (so no approval)."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert url in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def serve_bundle(opa: FakeOpa, policy: PolicySet) -> None:
    opa.load_bundle(bundle_bytes(policy))


# -- same answers as the embedded engine ---------------------------------------------


@pytest.mark.parametrize("mode", ["push", "bundle"])
def test_every_example_gets_the_embedded_engines_answer(
        opa: FakeOpa, policy: PolicySet, embedded_report: dict[str, Any], mode: str) -> None:
    if mode == "bundle":
        serve_bundle(opa, policy)
    result = check(opa.url, mode=mode)
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["engine"] == "opa"
    assert without_engine(report) == embedded_report
    assert opa.calls.count("POST", "/v1/data/martech/decision") == 13


def test_push_uploads_modules_in_an_order_opa_accepts_and_data_under_martech(
        opa: FakeOpa, policy: PolicySet) -> None:
    result = check(opa.url, ONE_REQUEST)
    assert result.exit_code == 0, result.stderr
    assert sorted(opa.modules) == sorted(
        "martechgov/" + module_path(name, policy.root) for name in policy.modules)
    # Area modules import data.martech.lib: OPA refuses them until lib is there.
    assert opa.calls.count("PUT", "/v1/policies/martechgov/agency/agency.rego") == 2
    assert opa.data == policy.data
    assert not any(name.endswith("_test.rego") for name in opa.modules)


def test_push_removes_our_stale_modules_and_nothing_else(opa: FakeOpa) -> None:
    opa.modules["martechgov/renamed-away.rego"] = "package martech.old\n"
    opa.modules["someone-else/app.rego"] = "package app\n"
    assert check(opa.url, ONE_REQUEST).exit_code == 0
    assert "martechgov/renamed-away.rego" not in opa.modules
    assert "someone-else/app.rego" in opa.modules


def test_a_module_opa_cannot_compile_is_a_policy_error_at_its_file(
        opa: FakeOpa, policy: PolicySet) -> None:
    broken = dict(policy.modules)
    broken[f"{policy.root}/vendor/vendor.rego"] += "\nbroken if {\n"
    engine = OpaEngine(EngineSettings(opa_url=opa.url))
    with pytest.raises(PolicyError, match=r"(?s)do not compile on OPA .*/vendor/vendor.rego:"):
        engine.load(PolicySet(broken, {}, policy.data, policy.revision, "test", policy.root))


def test_answers_keep_the_input_order_with_bounded_concurrency(
        opa: FakeOpa, policy: PolicySet, tmp_path: Path) -> None:
    generate.generate(60, tmp_path)
    inputs = [input_document(item.request, AS_OF, item.file)
              for item in map(load_request, sorted(tmp_path.glob("*.yaml")))
              if item.request is not None]
    reference = RegorusEngine()
    reference.load(policy)
    opa.fail(delay=0.005, times=None, method="POST")  # slow answers overlap
    engine = OpaEngine(EngineSettings(opa_url=opa.url, opa_concurrency=4))
    engine.load(policy)
    assert engine.evaluate(inputs) == reference.evaluate(inputs)
    assert 1 < opa.calls.max_in_flight <= 4
    engine.close()


# -- bundle mode ----------------------------------------------------------------------


def test_bundle_mode_refuses_another_revision(opa: FakeOpa, policy: PolicySet) -> None:
    files = {p.relative_to(ROOT / "policies").as_posix(): p.read_bytes()
             for p in (ROOT / "policies").rglob("*") if p.is_file()}
    files["decision.rego"] += b"\n# an older revision\n"
    serve_bundle(opa, PolicySet.from_files(files, "older"))
    assert_refused(check(opa.url, mode="bundle"), opa.url, "revision", policy.short_revision,
                   "refusing to judge")
    assert opa.calls.count("POST", "/v1/data/martech/decision") == 0


def test_bundle_mode_without_an_active_bundle_is_refused(opa: FakeOpa) -> None:
    assert_refused(check(opa.url, mode="bundle"), opa.url, "no active bundle")


def test_a_bundle_swapped_during_the_run_is_caught_by_provenance(
        opa: FakeOpa, policy: PolicySet) -> None:
    serve_bundle(opa, policy)
    engine = OpaEngine(EngineSettings(opa_url=opa.url, opa_mode="bundle"))
    engine.load(policy)
    opa.bundles["martechgov"].manifest["revision"] = "0" * 64
    loaded = load_request(ROOT / ONE_REQUEST)
    doc = input_document(loaded.request, AS_OF, loaded.file)  # type: ignore[arg-type]
    with pytest.raises(EngineError, match="answered with bundle revision 000000000000"):
        engine.evaluate([doc])


def test_push_mode_cannot_overwrite_a_bundle(opa: FakeOpa, policy: PolicySet) -> None:
    serve_bundle(opa, policy)
    assert_refused(check(opa.url, ONE_REQUEST), opa.url, "owned by bundle")


# -- failures: exit 2, the URL, never an approval ------------------------------------


def test_connection_refused() -> None:
    url = closed_port_url()
    assert_refused(check(url, ONE_REQUEST), url, "connection refused", "tried 3 times")


def test_a_server_that_hangs_times_out(opa: FakeOpa) -> None:
    opa.fail(delay=5, times=None, method="POST")
    assert_refused(check(opa.url, ONE_REQUEST, timeout=0.2), opa.url,
                   "no complete answer within 0.2 s")
    assert opa.calls.count("POST", "/v1/data/martech/decision") == 1  # not retried


@pytest.mark.parametrize(("status", "body", "words"), [
    (500, '{"code": "internal_error", "message": "eval_conflict_error"}',
     ["HTTP 500", "eval_conflict_error"]),
    (400, '{"code": "invalid_parameter", "message": "bad input"}', ["HTTP 400", "bad input"]),
    (503, "upstream unavailable", ["HTTP 503", "tried 3 times"]),
    (200, "<html>surprise</html>", ["not JSON"]),
    (200, "{}", ["undefined on the server"]),
    (200, "[1, 2]", ["not a JSON object"]),
], ids=["500", "400", "503-persistent", "garbage", "undefined", "not-an-object"])
def test_a_bad_answer_is_exit_2(opa: FakeOpa, status: int, body: str,
                                words: list[str]) -> None:
    opa.fail(status=status, body=body, times=None, method="POST")
    assert_refused(check(opa.url, ONE_REQUEST), opa.url, *words)
    expected_tries = 3 if status == 503 else 1  # only 502/503/504 are retried
    assert opa.calls.count("POST", "/v1/data/martech/decision") == expected_tries


def test_a_result_that_is_not_a_decision_is_never_approved(opa: FakeOpa) -> None:
    opa.fail(status=200, body='{"result": "approve"}', times=None, method="POST")
    result = check(opa.url, ONE_REQUEST)
    assert result.exit_code == 2 and result.stdout == ""
    assert "malformed decision" in result.stderr


@pytest.mark.parametrize("status", [502, 503, 504])
def test_transient_errors_are_retried_until_they_pass(
        opa: FakeOpa, status: int, embedded_report: dict[str, Any]) -> None:
    opa.fail(status=status, body="try again", times=2, method="POST")
    result = check(opa.url, ONE_REQUEST)
    assert result.exit_code == 0, result.stderr
    decision = json.loads(result.stdout)["results"][0]
    assert decision == next(r for r in embedded_report["results"] if r["file"] == ONE_REQUEST)
    assert opa.calls.count("POST", "/v1/data/martech/decision") == 3


def test_an_upload_failure_is_exit_2(opa: FakeOpa) -> None:
    opa.fail(status=503, body="starting", times=None, method="PUT")
    assert_refused(check(opa.url, ONE_REQUEST), opa.url, "PUT /v1/data/martech", "HTTP 503")


def test_an_evaluation_error_names_our_file_and_line(opa: FakeOpa, tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    (policies / "security" / "broken.rego").write_text(
        "package martech.rules.security\n\nimport rego.v1\n\n"
        "deny contains f if {\n\tto_number(input.request.tool.name) > 0\n"
        '\tf := {"rule": "security.x", "message": "m", "fix": "f", "field": "id"}\n}\n')
    add_rule_records(policies, '"rule": "security.x"')
    assert_refused(check(opa.url, ONE_REQUEST, "--policies", str(policies)), opa.url,
                   "HTTP 500: error(s) occurred while evaluating query "
                   f"({policies}/security/broken.rego:6:33: could not parse string as number)")


# -- hard limits: a total deadline, a maximum size, a maximum number of findings -------


@pytest.mark.parametrize("stream", ["trickle", "trickle-headers"])
def test_a_server_that_trickles_its_answer_is_stopped_at_the_total_deadline(
        opa: FakeOpa, stream: str) -> None:
    # A byte every 0.3 s never trips a per-read timeout of 1 s; the answer would take
    # over 20 s (and then approve).
    opa.fail(stream=stream, interval=0.3, times=None, method="POST")
    started = time.monotonic()
    result = check(opa.url, ONE_REQUEST, timeout=1)
    assert time.monotonic() - started < 4
    assert_refused(result, opa.url, "POST /v1/data/martech/decision",
                   "no complete answer within 1 s (--opa-timeout)")
    assert opa.calls.count("POST", "/v1/data/martech/decision") == 1  # not retried


@pytest.mark.parametrize(("stream", "words"), [
    ("endless", "larger than 16 MB on the wire (--opa-max-response)"),
    ("gzip-bomb", "larger than 16 MB decompressed (--opa-max-response)"),
])
def test_an_answer_too_large_is_stopped_at_the_limit(opa: FakeOpa, stream: str,
                                                      words: str) -> None:
    opa.fail(stream=stream, times=None, method="POST")
    assert_refused(check(opa.url, ONE_REQUEST, timeout=30), opa.url, words)


def test_a_smaller_limit_applies_to_every_call(opa: FakeOpa) -> None:
    result = check(opa.url, ONE_REQUEST, "--opa-max-response", "1")
    assert result.exit_code == 0, result.stderr  # our own answers are small
    opa.fail(status=200, body=json.dumps({"result": [{"id": "x", "raw": "y" * (2 << 20)}]}),
             method="GET", path_prefix="/v1/policies")
    assert_refused(check(opa.url, ONE_REQUEST, "--opa-max-response", "1"), opa.url,
                   "GET /v1/policies", "larger than 1 MB on the wire")


def test_compressed_answers_are_read(policy: PolicySet, embedded_report: dict[str, Any]
                                     ) -> None:
    with FakeOpa(gzip_answers=True) as opa:
        result = check(opa.url)
        assert result.exit_code == 1, result.stderr
        assert without_engine(json.loads(result.stdout)) == embedded_report


def test_a_decision_with_too_many_findings_is_refused(opa: FakeOpa) -> None:
    finding = {"rule": "security.x", "level": "warn", "message": "m", "fix": "f",
               "field": "id", "blocking": False}
    decision = {"decision": "approve", "findings": [finding] * 300_000, "reviewers": []}
    opa.fail(status=200, body=json.dumps({"result": decision}), times=None, method="POST")
    assert_refused(check(opa.url, ONE_REQUEST, "--opa-max-response", "64"), opa.url,
                   "the decision has 300,000 findings, more than the 10,000")


# -- push mode: the server holds only our rules in our packages ----------------------

FOREIGN = "package martech.rules.security\n\nimport rego.v1\n\nsso_ok if true\n"


def test_push_refuses_a_server_with_foreign_modules_in_our_packages(opa: FakeOpa) -> None:
    # Merged with ours, it would silence security.sso_required while the answer still
    # names our revision.
    opa.modules["someone-else/sso.rego"] = FOREIGN
    result = check(opa.url, "requests/mailchimp.yaml")
    assert_refused(result, opa.url, "holds module 'someone-else/sso.rego' in package "
                   "martech.rules.security, which martechgov did not push")
    assert opa.calls.count("POST", "/v1/data/martech/decision") == 0
    assert "someone-else/sso.rego" in opa.modules  # not ours to delete


def test_push_leaves_other_packages_alone(opa: FakeOpa) -> None:
    opa.modules["someone-else/app.rego"] = "package martechnology\n\nallow := true\n"
    assert check(opa.url, ONE_REQUEST).exit_code == 0


def test_a_module_slipped_in_during_the_run_is_caught(opa: FakeOpa, policy: PolicySet) -> None:
    engine = OpaEngine(EngineSettings(opa_url=opa.url))
    engine.load(policy)
    opa.modules["someone-else/sso.rego"] = FOREIGN
    loaded = load_request(ROOT / ONE_REQUEST)
    doc = input_document(loaded.request, AS_OF, loaded.file)  # type: ignore[arg-type]
    with pytest.raises(EngineError, match="did not push"):
        engine.evaluate([doc])
    engine.close()


def test_our_module_changed_on_the_server_is_caught(opa: FakeOpa, policy: PolicySet) -> None:
    engine = OpaEngine(EngineSettings(opa_url=opa.url))
    engine.load(policy)
    first = sorted(opa.modules)[0]
    opa.modules[first] += "\n# edited by someone else\n"
    loaded = load_request(ROOT / ONE_REQUEST)
    doc = input_document(loaded.request, AS_OF, loaded.file)  # type: ignore[arg-type]
    with pytest.raises(EngineError, match="changed on the server after martechgov pushed it"):
        engine.evaluate([doc])
    engine.close()


# -- authentication -------------------------------------------------------------------


def test_the_token_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpa(token="s3cret") as opa:
        monkeypatch.setenv(TOKEN_ENV, "s3cret")
        result = check(opa.url, ONE_REQUEST)
        assert result.exit_code == 0, result.stderr
        assert set(opa.calls.authorization) == {"Bearer s3cret"}


def test_without_a_token_a_protected_server_is_exit_2() -> None:
    with FakeOpa(token="s3cret") as opa:
        assert_refused(check(opa.url, ONE_REQUEST), opa.url, "HTTP 401", TOKEN_ENV)
        assert opa.calls.count("PUT", "/v1/data/martech") == 1  # 4xx is never retried


def test_a_wrong_token_is_exit_2_and_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "wrong-token")
    with FakeOpa(token="s3cret") as opa:
        result = check(opa.url, ONE_REQUEST)
        assert_refused(result, opa.url, "rejected the bearer token")
        assert "wrong-token" not in result.stderr


def test_there_is_no_token_option() -> None:
    result = CliRunner().invoke(main, ["check", "--help"])
    assert "--opa-token" not in result.stdout


# -- usage ----------------------------------------------------------------------------


def test_missing_opa_url_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["check", "--engine", "opa", ONE_REQUEST])
    assert result.exit_code == 2 and result.stdout == ""
    assert "--opa-url" in result.stderr


@pytest.mark.parametrize("url", ["localhost:8181", "ftp://opa:8181", "http://opa:8181/v1",
                                 "http://user:pw@opa:8181", "http://opa:notaport"])
def test_a_bad_opa_url_is_a_usage_error(url: str) -> None:
    with pytest.raises(UsageError) as raised:
        OpaEngine(EngineSettings(opa_url=url))
    assert "pw" not in str(raised.value)


def test_the_opa_engine_cannot_run_rego_unit_tests(policy: PolicySet) -> None:
    engine = OpaEngine(EngineSettings(opa_url="http://localhost:8181"))
    assert not engine.runs_tests and not engine.forkable
    with pytest.raises(UsageError, match="cannot run Rego unit tests.*--engine embedded"):
        engine.run_tests(policy, [])
