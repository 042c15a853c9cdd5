"""The policy library's shape, checked on the parsed modules before any engine judges.

Each bypass below loaded before (a text-line guard missed it) and then the area's deny
rules never counted, or one area's folder rewrote another area's rules. Real OPA
(opa_bindings, the oracle) shows each bypass is real: it either refuses the module as
we now do (v0 syntax) or accepts it and then quietly ignores the area.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from martechgov.errors import PolicyError
from martechgov.inputdoc import input_document
from martechgov.loader import load_request
from martechgov.policy import PolicySet, module_path

from ..conftest import ROOT, invoke
from ..gitutil import commit_all, git, make_repo
from ..opa_child import decision_or_error

FINDING = '{"rule": "newarea.x", "message": "m", "fix": "f", "field": "id"}'
HEAD = "package martech.rules.newarea\n\nimport rego.v1\n\n"
UNWIRED = ("package martech.rules.newarea has `deny` rules that the decision does not "
           "read, so they would never count; add `findings contains leveled(f, \"deny\") "
           "if some f in data.martech.rules.newarea.deny` to the decision module")
WIRING = 'findings contains leveled(f, "deny") if some f in data.martech.rules.newarea.deny\n'
INJECTION = "package martech.rules.security\n\nimport rego.v1\n\nsso_ok if true\n"

# name -> (file, content, what the error says), each once loaded and never counted
BYPASSES = {
    "indented": ("newarea/newarea.rego", f"{HEAD}  deny contains {FINDING} if true\n",
                 f"newarea/newarea.rego:5:3: {UNWIRED}"),
    "assigned": ("newarea/newarea.rego", f"{HEAD}deny := {{{FINDING}}}\n",
                 f"newarea/newarea.rego:5:1: {UNWIRED}"),
    "v0": ("newarea/newarea.rego", f"{HEAD}deny[f] {{\n\tf := {FINDING}\n}}\n",
           "newarea/newarea.rego:5:9: `if` keyword is required before rule body; "
           "martechgov reads Rego v1 only"),
}


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    return tmp_path / "policies"


def write(policies: Path, rel: str, content: str) -> None:
    (policies / rel).parent.mkdir(parents=True, exist_ok=True)
    (policies / rel).write_text(content)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def record(policies: Path, rule: str) -> None:
    """The record every rule id needs in data/rules.yaml."""
    append(policies / "data" / "rules.yaml",
           f"{rule}:\n  title: A new rule\n  team: it\n  fix: Do the thing.\n")


def check(policies: Path, request: str = "typeform") -> tuple[int, str, str]:
    return invoke("check", str(ROOT / "requests" / f"{request}.yaml"), "--policies",
                  str(policies), "--as-of", "2026-11-23", "--format", "json")


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_each_unwired_deny_set_is_refused(policies: Path, name: str) -> None:
    rel, content, expected = BYPASSES[name]
    write(policies, rel, content)
    code, out, err = check(policies)
    assert (code, out) == (2, "")
    assert f"{policies.as_posix()}/{expected}" in err


def test_a_comment_or_a_string_in_the_decision_is_not_wiring(policies: Path) -> None:
    write(policies, "newarea/newarea.rego", f"{HEAD}deny contains {FINDING} if true\n")
    append(policies / "decision.rego",
           "\n# data.martech.rules.newarea.deny is read below\n"
           'wired_in_words := "data.martech.rules.newarea.deny"\n')
    code, out, err = check(policies)
    assert (code, out) == (2, "")
    assert UNWIRED in err


def test_a_set_read_at_another_level_is_refused(policies: Path) -> None:
    write(policies, "newarea/newarea.rego", f"{HEAD}deny contains {FINDING} if true\n")
    append(policies / "decision.rego", WIRING.replace('"deny")', '"warn")'))
    code, _, err = check(policies)
    assert code == 2
    assert "does not read (it reads data.martech.rules.newarea.deny as `warn` findings)" in err


def test_a_deny_object_is_not_a_set_of_findings(policies: Path) -> None:
    write(policies, "newarea/newarea.rego", f"{HEAD}deny[f] if {{\n\tf := {FINDING}\n}}\n")
    append(policies / "decision.rego", WIRING)
    code, _, err = check(policies)
    assert code == 2
    assert ("newarea/newarea.rego:5:1: `deny[_]` is not a set of findings; write "
            "`deny contains finding if { ... }`") in err


@pytest.mark.parametrize(("rel", "content"), [
    ("lib/extra.rego", "package martech.lib\n\nready { true }\n"),
    ("security/extra_test.rego", "package martech.test.security\n\ntest_x { true }\n"),
    ("decision.rego", None),
])
def test_v0_syntax_is_refused_everywhere(policies: Path, rel: str, content: str | None) -> None:
    if content is None:
        append(policies / "decision.rego", "\nlegacy { true }\n")
    else:
        write(policies, rel, content)
    code, out, err = check(policies)
    assert (code, out) == (2, "")
    assert "`if` keyword is required before rule body; martechgov reads Rego v1 only" in err
    assert f"{policies.as_posix()}/{rel}:" in err


def test_wired_areas_load_however_the_decision_names_them(policies: Path) -> None:
    write(policies, "newarea/newarea.rego", f"{HEAD}deny contains {FINDING} if true\n")
    write(policies, "newarea/more/more.rego", "package martech.rules.newarea.more\n\n"
                                              f"review contains {FINDING} if false\n")
    record(policies, "newarea.x")
    decision = policies / "decision.rego"
    decision.write_text(decision.read_text().replace(
        "import rego.v1\n", "import rego.v1\n\nimport data.martech.rules.newarea as na\n"))
    append(decision,
           'findings contains leveled(f, "deny") if some f in na.deny\n\n'
           'findings contains leveled(f, "review") if {\n'
           '\tsome f in data.martech.rules["newarea"][_].review\n}\n')
    code, out, _ = check(policies)
    assert code == 1
    assert json.loads(out)["results"][0]["decision"] == "deny"


@pytest.mark.parametrize(("rel", "content", "expected"), [
    ("privacy/extra.rego", INJECTION,
     "privacy/extra.rego:1: `package martech.rules.security` in privacy/extra.rego, which "
     "must be `package martech.rules.privacy` or a sub-package of it"),
    ("extra.rego", INJECTION,
     "extra.rego:1: a Rego module at the top of"),
    ("lib/helpers.rego", "package martech\n\nimport rego.v1\n\nx := 1\n",
     "lib/helpers.rego:1: `package martech` in lib/helpers.rego, which must be "
     "`package martech.lib` or a sub-package of it"),
    ("privacy/extra_test.rego", "package martech.test.security\n\nimport rego.v1\n\n"
                                "test_x if true\n",
     "privacy/extra_test.rego:1: `package martech.test.security` in "
     "privacy/extra_test.rego, which must be `package martech.test.privacy`"),
    ("decision.rego", "\nrules.security.sso_ok if true\n",
     "decision.rego:{end}:1: the decision module defines `rules.security.sso_ok`, which "
     "belongs to data.martech.rules"),
])
def test_a_module_adds_rules_only_to_its_own_folders_package(
        policies: Path, rel: str, content: str, expected: str) -> None:
    # Before: the injected `sso_ok` turned Mailchimp's missing SSO into a pass.
    if rel == "decision.rego":
        end = len((policies / rel).read_text().splitlines()) + 2
        expected = expected.format(end=end)
        append(policies / rel, content)
    else:
        write(policies, rel, content)
    code, out, err = check(policies, "mailchimp")
    assert (code, out) == (2, "")
    assert f"{policies.as_posix()}/{expected}" in err


def test_the_shipped_library_passes_every_check() -> None:
    policy = PolicySet.from_directory(ROOT / "policies")
    # lib/ has tests too, and test/ tests the decision's own notices
    assert len(policy.modules) == 10 and len(policy.tests) == 11  # 2026 rule pack: ai/


def test_a_pull_request_moving_rules_across_areas_is_judged_by_base_and_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", ["mailchimp"])
    monkeypatch.chdir(repo)
    git(repo, "checkout", "-q", "-b", "sneaky")
    write(repo / "policies", "privacy/extra.rego", INJECTION)
    append(repo / "requests" / "mailchimp.yaml", "# touched\n")
    commit_all(repo, "a request and another area's rule in one pull request")
    code, out, _ = invoke("check", "--base", "main", "--format", "json",
                          "--as-of", "2026-11-23")
    assert code == 1 and json.loads(out)["results"][0]["decision"] == "deny"
    code, _, err = invoke("impact", "--base", "main", "--as-of", "2026-11-23")
    assert code == 2 and "policies/privacy/extra.rego:1: `package martech.rules.security`" in err
    code, out, _ = invoke("validate")
    assert code == 1 and "policies/privacy/extra.rego:1:" in out


def test_parse_errors_in_several_modules_are_all_listed(policies: Path) -> None:
    write(policies, "lib/a.rego", "package martech.lib\n\nready { true }\n")
    write(policies, "lib/b.rego", "package martech.lib\n\nsteady { true }\n")
    with pytest.raises(PolicyError) as raised:
        PolicySet.from_directory(policies)
    assert "lib/a.rego:3:7:" in str(raised.value) and "lib/b.rego:3:8:" in str(raised.value)


# Real OPA shows what each refused library would have done (in a child process: see
# tests/opa_child.py for why OPA never runs in pytest's own).
def opa_decision(policies: Path, request: str) -> dict | str:
    """OPA's decision on requests/<request>.yaml, or "error: <OPA's message>"."""
    modules = {module_path(p.relative_to(policies).as_posix(), ""): p.read_text()
               for p in sorted(policies.rglob("*.rego")) if not p.name.endswith("_test.rego")}
    loaded = PolicySet.from_directory(ROOT / "policies")  # data only: the library is broken
    doc = load_request(ROOT / "requests" / f"{request}.yaml", f"requests/{request}.yaml")
    assert doc.request is not None
    return decision_or_error(modules, loaded.data,
                             input_document(doc.request, dt.date(2026, 11, 23), doc.file))


def opa_rules(policies: Path, request: str) -> set[str]:
    decision = opa_decision(policies, request)
    assert isinstance(decision, dict), decision
    return {f["rule"] for f in decision["findings"]}


@pytest.mark.parametrize("name", ["indented", "assigned"])
def test_opa_ignores_an_unwired_area_which_is_why_it_is_refused(policies: Path,
                                                               name: str) -> None:
    rel, content, _ = BYPASSES[name]
    write(policies, rel, content)
    assert "newarea.x" not in opa_rules(policies, "typeform")


def test_opa_refuses_v0_syntax_as_we_do(policies: Path) -> None:
    rel, content, _ = BYPASSES["v0"]
    write(policies, rel, content)
    answer = opa_decision(policies, "typeform")
    assert isinstance(answer, str) and "`if` keyword is required" in answer


def test_opa_lets_another_folder_rewrite_an_area_which_is_why_it_is_refused(
        policies: Path) -> None:
    before = opa_rules(policies, "mailchimp")
    write(policies, "privacy/extra.rego", INJECTION)
    assert before - opa_rules(policies, "mailchimp") == {"security.sso_required"}


# Rule metadata: every rule id the library emits has one record, and every record a rule.
def test_a_rule_without_a_record_is_refused_at_its_line(policies: Path) -> None:
    write(policies, "newarea/newarea.rego", f"{HEAD}deny contains {FINDING} if true\n")
    append(policies / "decision.rego", WIRING)
    code, out, err = check(policies)
    assert (code, out) == (2, "")
    assert (f"{policies.as_posix()}/newarea/newarea.rego:5: rule newarea.x has no record in "
            f"{policies.as_posix()}/data/rules.yaml") in err


def test_a_record_without_a_rule_is_refused_at_its_line(policies: Path) -> None:
    record(policies, "privacy.subprocessors_listd")
    lines = (policies / "data" / "rules.yaml").read_text().splitlines()
    line = lines.index("privacy.subprocessors_listd:") + 1
    code, out, err = check(policies)
    assert (code, out) == (2, "")
    assert (f"{policies.as_posix()}/data/rules.yaml:{line}:1: a record for rule "
            "privacy.subprocessors_listd, which no Rego module emits") in err


def test_a_wired_rule_with_its_record_loads_with_its_level(policies: Path) -> None:
    write(policies, "newarea/newarea.rego", f"{HEAD}deny contains {FINDING} if true\n")
    append(policies / "decision.rego", WIRING)
    record(policies, "newarea.x")
    loaded = PolicySet.from_directory(policies)
    meta = {m.rule: m for m in loaded.rules}["newarea.x"]
    assert (meta.title, meta.team, meta.levels, meta.area) == ("A new rule", "it", ("deny",),
                                                               "newarea")
