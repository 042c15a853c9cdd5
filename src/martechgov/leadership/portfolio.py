"""Every request judged as of a date, plus the policy data the leadership reports read.

The inventory, the data-flow map and the HTML catalog all start here: they show the
decision `run_check` returns (never a re-derived one) next to facts from the requests
and from IT's policy data (system names, the SOC 2 validity period).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from martechgov.check import CheckOptions, run_check
from martechgov.errors import PolicyError
from martechgov.policy import PolicySet
from martechgov.result import CheckReport

# The policies' own default (policies/data/thresholds.yaml); used only if a policy
# library leaves the threshold out.
DEFAULT_SOC2_VALID_MONTHS = 12


@dataclass(frozen=True)
class Portfolio:
    report: CheckReport
    policy: PolicySet

    @property
    def config(self) -> dict[str, Any]:
        martech = self.policy.data.get("martech", {})
        config = martech.get("config", {}) if isinstance(martech, dict) else {}
        return config if isinstance(config, dict) else {}

    @property
    def systems(self) -> dict[str, str]:
        """IT's system catalog: id -> display name (`data.martech.config.systems`)."""
        catalog = self.config.get("systems", {})
        if not isinstance(catalog, dict):
            return {}
        return {key: str(value.get("name", key)) if isinstance(value, dict) else key
                for key, value in catalog.items()}

    @property
    def soc2_valid_months(self) -> int:
        thresholds = self.config.get("thresholds", {})
        value = thresholds.get("soc2_valid_months") if isinstance(thresholds, dict) else None
        return value if isinstance(value, int) and value > 0 else DEFAULT_SOC2_VALID_MONTHS


def load_portfolio(options: CheckOptions) -> Portfolio:
    """Judge every request under options.paths and keep the policy data beside it."""
    report = run_check(replace(options, keep_requests=True))
    # run_check does not hand out the PolicySet it judged with, so read the directory
    # again (a few small files) and make sure it is the very same revision.
    policy = PolicySet.from_directory(options.policies)
    if policy.revision != report.policy.revision:
        raise PolicyError(f"the policies in {options.policies} changed while the requests "
                          "were being judged; run again")
    return Portfolio(report, policy)
