"""IT's `policies/data/teams.yaml`: validated like every policy data file, and held
against the teams the Rego library names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from martechgov.errors import PolicyError
from martechgov.policy import PolicySet
from martechgov.signoff.teams import TeamDirectory, named_teams

from ..conftest import ROOT, invoke
from ..gitutil import make_repo

DOMAIN_TEAMS = {"security", "privacy", "legal", "finance", "it"}


def test_the_library_names_the_five_domain_teams_and_teams_yaml_maps_them(
        policy: PolicySet) -> None:
    found = named_teams(policy.modules)
    assert set(found) == DOMAIN_TEAMS
    assert any(re.search(r"policies/procurement/procurement.rego:\d+$", where)
               for where in found["finance"])
    directory = TeamDirectory.from_policy(policy)
    assert set(directory.teams) == DOMAIN_TEAMS
    assert directory.team("privacy").people == ["example-dpo"]
    assert "example-org/it-architecture" in directory.github_teams


def test_tests_do_not_count_as_teams_the_rules_name() -> None:
    modules = {"policies/x/x.rego": 'review contains {"team": "it"} if true\n'}
    assert named_teams(modules) == {"it": ["policies/x/x.rego:1"]}


def test_a_team_the_rules_never_ask_for_is_allowed(policy: PolicySet) -> None:
    raw = {**policy.config["teams"], "marketing-ops": {"people": ["marta-mkt"]}}
    changed = PolicySet(policy.modules, policy.tests,
                        {"martech": {**policy.data["martech"],
                                     "config": {**policy.config, "teams": raw}}},
                        policy.revision, policy.source)
    assert "marketing-ops" in TeamDirectory.from_policy(changed).teams


def test_an_unknown_team_at_run_time_is_a_policy_error(policy: PolicySet) -> None:
    with pytest.raises(PolicyError, match="review team `data-office`, but .*"
                                          "policies/data/teams.yaml does not say"):
        TeamDirectory.from_policy(policy).team("data-office")


TEAMS_START = "security:\n  people: [example-ciso]\n"


@pytest.mark.parametrize(("content", "expected"), [
    ("  github_teams: [example-org/it-security]\n  peeple: [bob]\n",
     "policies/data/teams.yaml:4:3: unknown field `security.peeple` "
     "(did you mean `people`?)"),
    ("  github_teams: [it-security]\n",
     "policies/data/teams.yaml:3:18: `security.github_teams[0]`: must be a GitHub team "
     "written organisation/team-slug"),
    ("privacy:\n  people: [-dpo]\n",
     "policies/data/teams.yaml:4:12: `privacy.people[0]`: must be a GitHub login"),
    ("privacy:\n  people: [dependabot[bot]]\n", "policies/data/teams.yaml:4:"),
    ("privacy:\n  people: [a-very-long-login-that-github-would-never-allow]\n",
     "at most 39 characters"),
    ("privacy:\n  people: [dpo, DPO]\n",
     "policies/data/teams.yaml:3:1: `privacy`: `people` lists someone twice"),
    ("privacy: {}\n", "policies/data/teams.yaml:3:1: `privacy`: name at least "
                      "one person (`people`) or GitHub team (`github_teams`)"),
    ("privacy:\n  people: bob\n", "policies/data/teams.yaml:4:3: `privacy.people` is `bob`, "
                                  "not a list: write a list in brackets, e.g. [first, second]"),
    ("Privacy:\n  people: [dpo]\n", "policies/data/teams.yaml:3:1: `Privacy.[key]` is "
                                    "`Privacy`: write a lowercase id"),
])
def test_validate_reports_teams_yaml_mistakes_at_their_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, expected: str) -> None:
    repo = make_repo(tmp_path / "repo", ["typeform"])
    (repo / "policies" / "data" / "teams.yaml").write_text(TEAMS_START + content)
    monkeypatch.chdir(repo)
    code, out, _ = invoke("validate")
    assert code == 1
    assert expected in out, out


def test_every_command_refuses_a_library_without_teams_yaml(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", ["typeform"])
    (repo / "policies" / "data" / "teams.yaml").unlink()
    monkeypatch.chdir(repo)
    code, _, err = invoke("check")
    assert code == 2 and "missing data file teams.yaml, which the rules read" in err


def test_the_shipped_teams_file_is_owned_by_it() -> None:
    owners = (ROOT / ".github" / "CODEOWNERS").read_text()
    line = next(line for line in owners.splitlines()
                if line.startswith("/policies/data/teams.yaml"))
    assert "@example-org/it-security" in line.split()
