"""Who may sign off for which review team: IT's `policies/data/teams.yaml`.

The file is validated with the other policy data (`policy_data.Teams`). Here it is
also held against the Rego library: every team a rule can name (a `"team": "..."` in a
module) must be mapped, or a request needing that team could never be signed off.
The directory comes from the same PolicySet that judged, so with `--base` a pull
request cannot name its own sign-off people.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from martechgov.errors import PolicyError
from martechgov.policy import DATA_DIR, PolicySet
from martechgov.policy_data import ReviewTeam, Teams

TEAMS_FILE = "teams.yaml"
_TEAM_LITERAL = re.compile(r'"team"\s*:\s*"([^"\\]*)"')


@dataclass(frozen=True)
class TeamDirectory:
    teams: Mapping[str, ReviewTeam]
    file: str  # where IT maps the teams, e.g. `policies/data/teams.yaml`

    @classmethod
    def from_policy(cls, policy: PolicySet) -> TeamDirectory:
        file = f"{policy.root}/{DATA_DIR}{TEAMS_FILE}"
        raw = policy.config.get("teams")
        if raw is None:
            raise PolicyError(f"{file} is missing: it says who may sign off for each "
                              "review team")
        directory = cls(Teams.model_validate(raw).root, file)
        unmapped = {team: where for team, where in named_teams(policy.modules).items()
                    if team not in directory.teams}
        if unmapped:
            raise PolicyError("\n".join(
                f"{where[0]}: the rules name review team `{team}`, but {file} does not "
                f"say who may sign off for it; add `{team}:` with `people` or "
                "`github_teams`" for team, where in sorted(unmapped.items())))
        return directory

    def team(self, name: str) -> ReviewTeam:
        """The sign-off people of a team the policies named; unmapped is an error."""
        try:
            return self.teams[name]
        except KeyError:
            raise PolicyError(f"the policies ask for review team `{name}`, but {self.file} "
                              "does not say who may sign off for it; nothing can be signed "
                              "off until IT adds it") from None

    @property
    def github_teams(self) -> frozenset[str]:
        """Every GitHub team named, as `org/slug` in lower case."""
        return frozenset(ref.lower() for team in self.teams.values()
                         for ref in team.github_teams)


def named_teams(modules: Mapping[str, str]) -> dict[str, list[str]]:
    """Team name -> `file:line` of every `"team": "<name>"` in the Rego modules."""
    found: dict[str, list[str]] = {}
    for file, source in sorted(modules.items()):
        for match in _TEAM_LITERAL.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            found.setdefault(match.group(1), []).append(f"{file}:{line}")
    return found
