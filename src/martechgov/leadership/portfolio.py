"""Every request judged as of a date, with the policies that judged them and the facts
around them.

The inventory, the data-flow map and the HTML catalog all start here: they show the
decision `run_check` returns (never a re-derived one) next to facts from the requests,
from the decision (`RequestResult.facts`), from IT's policy data (system names, rates),
and from outside: sign-offs (`--signoffs`), discovery's results (`--discover`) and the
requests the default branch deleted (`--history`). Those make each request's lifecycle
status (`martechgov.lifecycle`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from martechgov.check import CheckOptions, run_check
from martechgov.leadership.history import DeletedRequest, deleted_requests
from martechgov.leadership.shadow import ShadowReport, read_shadow_report
from martechgov.lifecycle import Evidence, Status, read_signoffs, request_status
from martechgov.policy import PolicySet
from martechgov.result import CheckReport, RequestResult


@dataclass(frozen=True)
class Inputs:
    """The facts from outside the requests (all optional)."""

    signoffs: Path | None = None  # sign-off JSON (lifecycle.read_signoffs)
    discover: Path | None = None  # `martechgov discover --format json` output
    history: str | None = None  # a git ref whose deleted requests are retired


@dataclass(frozen=True)
class Portfolio:
    report: CheckReport
    policy: PolicySet  # the very set run_check judged with (`CheckReport.policies`)
    evidence: Evidence = field(default_factory=Evidence)
    deleted: tuple[DeletedRequest, ...] = ()
    shadow: ShadowReport | None = None

    @property
    def systems(self) -> dict[str, str]:
        """IT's system catalog: id -> display name."""
        return self.policy.systems

    def status(self, result: RequestResult) -> Status:
        return request_status(result, self.report.as_of, self.evidence)


def load_portfolio(options: CheckOptions, inputs: Inputs | None = None) -> Portfolio:
    """Judge every request under options.paths and gather the facts around them."""
    inputs = inputs or Inputs()
    # Outside facts first: a bad file is an error before the (slower) judging.
    signed = read_signoffs(inputs.signoffs) if inputs.signoffs else {}
    shadow = read_shadow_report(inputs.discover) if inputs.discover else None
    deleted = tuple(deleted_requests(options.paths, inputs.history)) if inputs.history \
        else ()
    report = run_check(replace(options, keep_requests=True))
    # run_check always hands its PolicySet on; policies/ is parsed once per run.
    assert report.policies is not None
    evidence = Evidence(signed, shadow.seen_in_use if shadow else frozenset())
    return Portfolio(report, report.policies, evidence, deleted, shadow)
