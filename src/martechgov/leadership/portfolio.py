"""Every request judged as of a date, with the policies that judged them.

The inventory, the data-flow map and the HTML catalog all start here: they show the
decision `run_check` returns (never a re-derived one) next to facts from the requests,
from the decision (`RequestResult.facts`) and from IT's policy data (system names).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from martechgov.check import CheckOptions, run_check
from martechgov.policy import PolicySet
from martechgov.result import CheckReport


@dataclass(frozen=True)
class Portfolio:
    report: CheckReport
    policy: PolicySet  # the very set run_check judged with (`CheckReport.policies`)

    @property
    def systems(self) -> dict[str, str]:
        """IT's system catalog: id -> display name."""
        return self.policy.systems


def load_portfolio(options: CheckOptions) -> Portfolio:
    """Judge every request under options.paths and keep the policies beside them."""
    report = run_check(replace(options, keep_requests=True))
    # run_check always hands its PolicySet on; policies/ is parsed once per run.
    assert report.policies is not None
    return Portfolio(report, report.policies)
