"""Making a request worse never makes its answer better, on every engine.

A property test over the request space (hypothesis): start from an example request or
one from bench/generate.py, worsen exactly one fact (remove a safeguard, add a
sensitive category, a region, a page, more seats, more cost, more retention, an older
attestation, a weaker login...) and judge both on regorus, regopy and real OPA. The
worse request's decision is never less strict, and every deny finding of the original
(rule and field) is still there. Each blind spot this found (a vendor written without
its legal form, a missing `large_scale` or `categories`, a future pen-test date, an ad
pixel under analytics consent) is now a rule fix with its own Rego test.

Sized to keep the suite fast (derandomized, a fixed number of examples); run with
MARTECHGOV_MONOTONIC_EXAMPLES=2000 to look harder.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import random
from collections.abc import Callable, Iterator
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from martechgov.inputdoc import input_document
from martechgov.loader import load_request_text

from . import corpus, harness
from .conftest import POLICY, Judge

EXAMPLES = int(os.environ.get("MARTECHGOV_MONOTONIC_EXAMPLES", "120"))
STRICTNESS = harness.STRICTNESS
AS_OF = [dt.date(2026, 11, 23), dt.date(2025, 6, 1), dt.date(2027, 9, 30)]
Request = dict[str, Any]
Worsening = Callable[[Request], None]

# Safer -> less safe, for the enum facts (a missing value is the least safe of all).
ORDERS = {
    ("security", "sso"): ["saml", "none"],
    ("security", "mfa"): ["enforced", "available", "none"],
    ("tracking", "masking"): ["all-inputs", "sensitive-only", "none"],
    ("tracking", "consent_category"): ["marketing", "analytics", "functional", "necessary"],
    ("agency", "accounts"): ["named-sso", "shared"],
    ("agency", "role"): ["viewer", "editor", "admin"],
    ("data", "personal_data"): ["none", "pseudonymous", "personal", "special-category"],
    # fields IT declares (policies/fields.yaml)
    ("tracking", "geofencing"): ["none", "health-facilities-excluded", "unrestricted"],
    ("ai", "training_opt_out"): ["opted-out", "not-opted-out", "not-offered"],
}
# Facts whose safe value is true, and those whose safe value is false.
SAFEGUARDS = [("security", "scim"), ("security", "encryption_at_rest"),
              ("privacy", "dpa_signed"), ("privacy", "tia_done"), ("privacy", "dpia_done"),
              ("agency", "flow_down_terms"),
              # declared by IT
              ("tracking", "honors_gpc"), ("privacy", "risk_assessment_done"),
              ("data", "health_consent"), ("privacy", "delete_act_registered"),
              ("ai", "disclosure")]
HAZARDS = [("privacy", "sells_or_shares_data"), ("data", "used_for_model_training"),
           ("data", "large_scale"), ("tracking", "session_replay"), ("cost", "auto_renew"),
           # declared by IT (what the tool is: left out, it is what the request says
           # elsewhere, e.g. its data categories)
           ("data", "consumer_health_data"), ("privacy", "vendor_is_data_broker"),
           ("ai", "generative"), ("ai", "customer_facing"), ("ai", "significant_decisions")]
# Facts that, once stated as the unsafe value, must not improve by being left out.
STATED_HAZARDS = [("data", "large_scale"), ("tracking", "session_replay"),
                  ("privacy", "sells_or_shares_data"), ("data", "used_for_model_training")]
# Left out, these count as their least safe value. (Not `tracking.geofencing`: like
# `session_replay`, it says what the tool does, and left out it is what the rest of the
# request implies: unrestricted for an ad tool with location data, else none.)
OPTIONAL_ENUMS = {("security", "sso"), ("security", "mfa"), ("tracking", "masking"),
                  ("tracking", "consent_category"), ("ai", "training_opt_out")}
SENSITIVE = ["health", "biometric", "children", "financial", "location", "behavioral"]
PAGES = ["checkout", "health", "account", "pharmacy", "home"]
DATES = [("security", "soc2_type2_period_end"), ("security", "pentest_date"),
         ("security", "iso27001_expires")]


def worsenings(request: Request, as_of: dt.date) -> Iterator[tuple[str, Worsening]]:
    """Every single-fact worsening that applies to `request` judged on `as_of`."""
    def section(name: str) -> dict[str, Any] | None:
        value = request.get(name)
        return value if isinstance(value, dict) else None

    for (name, key), order in ORDERS.items():
        part = section(name)
        if part is None or key not in part or part[key] not in order:
            continue
        for worse in order[order.index(part[key]) + 1:]:
            yield f"{name}.{key}={worse}", _setter(name, key, worse)
        if (name, key) in OPTIONAL_ENUMS:
            yield f"{name}.{key} removed", _remover(name, key)
    for name, key in SAFEGUARDS:
        if (part := section(name)) is not None and part.get(key) is True:
            yield f"{name}.{key}=false", _setter(name, key, False)
            yield f"{name}.{key} removed", _remover(name, key)
    for name, key in HAZARDS:
        if (part := section(name)) is not None and part.get(key) is False:
            yield f"{name}.{key}=true", _setter(name, key, True)
            yield f"{name}.{key} removed", _remover(name, key)
    for name, key in STATED_HAZARDS:
        if (part := section(name)) is not None and part.get(key) is True:
            yield f"{name}.{key} removed", _remover(name, key)
    yield from _more(request)
    yield from _lists(request)
    for name, key in DATES:
        if (part := section(name)) is not None and key in part:
            yield f"{name}.{key} removed", _remover(name, key)
            if key == "iso27001_expires" or _day(part[key]) <= as_of:
                # (a date still to come is no evidence: moving it into the past, or
                # leaving it in the future, is not a worsening)
                yield f"{name}.{key} a year earlier", _earlier(name, key)
            if key != "iso27001_expires":
                yield f"{name}.{key} in the future", _setter(name, key, dt.date(2099, 1, 1))
    if (part := section("privacy")) is not None and "transfer_mechanism" in part:
        yield "privacy.transfer_mechanism removed", _remover("privacy", "transfer_mechanism")


def _more(request: Request) -> Iterator[tuple[str, Worsening]]:
    for name, key, step, maximum in (("tool", "seats", 40, 10_000_000),
                                     ("cost", "annual", 20_000, 1_000_000_000),
                                     ("data", "retention_days", 800, 36_500),
                                     ("privacy", "breach_notice_hours", 48, 8_760),
                                     ("ai", "prompt_retention_days", 30, 36_500)):
        part = request.get(name)
        if isinstance(part, dict) and isinstance(part.get(key), int | float):
            if part[key] + step <= maximum:
                yield f"{name}.{key}+{step}", _adder(name, key, step)
            if key in ("retention_days", "breach_notice_hours", "prompt_retention_days"):
                yield f"{name}.{key} removed", _remover(name, key)
    cost = request.get("cost")
    if isinstance(cost, dict) and isinstance(cost.get("notice_days"), int):
        yield "cost.notice_days removed", _remover("cost", "notice_days")


def _lists(request: Request) -> Iterator[tuple[str, Worsening]]:
    # An empty list already means "not stated", the unsafe case: adding to it states a
    # fact rather than worsening one, so only lists that say something grow.
    data = request["data"]
    if data.get("categories"):  # no categories stated: any category
        yield "data.categories cleared", _setter("data", "categories", [])
    for value in SENSITIVE:
        if data.get("categories") and value not in data["categories"]:
            yield f"data.categories+{value}", _appender("data", "categories", value)
    if data.get("subjects") and "children" not in data["subjects"]:
        yield "data.subjects+children", _appender("data", "subjects", "children")
    for key, values in (("subject_regions", ["eu", "uk"]),
                        ("storage_regions", ["us", "other", "apac"])):
        for value in values:
            if data.get(key) and value not in data[key]:
                yield f"data.{key}+{value}", _appender("data", key, value)
    tracking = request.get("tracking")
    if isinstance(tracking, dict) and tracking.get("pages"):
        for page in PAGES:
            if page not in tracking["pages"]:
                yield f"tracking.pages+{page}", _appender("tracking", "pages", page)
    agency = request.get("agency")
    if isinstance(agency, dict) and agency.get("offboarding_contacts"):
        yield "agency.offboarding_contacts-1", _pop("agency", "offboarding_contacts")
    if request.get("replaces"):
        yield "replaces-1", lambda r: r["replaces"].pop()
    for index, integration in enumerate(request.get("integrations") or []):
        if integration.get("method") in ("native", "api"):
            yield f"integrations[{index}].method=csv", _integration(index, "method", "csv")
        if integration.get("direction") == "inbound":
            yield (f"integrations[{index}].direction=bidirectional",
                   _integration(index, "direction", "bidirectional"))
    yield "integrations+homegrown", _add_integration


def _setter(name: str, key: str, value: Any) -> Worsening:
    return lambda r: r[name].__setitem__(key, value)


def _remover(name: str, key: str) -> Worsening:
    return lambda r: r[name].pop(key, None)


def _adder(name: str, key: str, step: int) -> Worsening:
    return lambda r: r[name].__setitem__(key, r[name][key] + step)


def _appender(name: str, key: str, value: str) -> Worsening:
    return lambda r: r[name][key].append(value)


def _pop(name: str, key: str) -> Worsening:
    return lambda r: r[name][key].pop()


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _earlier(name: str, key: str) -> Worsening:
    def change(r: Request) -> None:
        day = _day(r[name][key])
        r[name][key] = day.replace(year=day.year - 1, day=min(day.day, 28))
    return change


def _integration(index: int, key: str, value: str) -> Worsening:
    return lambda r: r["integrations"][index].__setitem__(key, value)


def _add_integration(r: Request) -> None:
    r.setdefault("integrations", []).append(
        {"system": "homegrown", "direction": "bidirectional", "method": "middleware"})


# --- judging -----------------------------------------------------------------------

def _bases() -> list[Request]:
    """The examples, and generated requests answering some of IT's declared fields."""
    bases = [yaml.safe_load(case.text) for case in corpus.examples()]
    generate = corpus._bench_generate()
    fields = POLICY.fields
    bases += [corpus.with_declared(generate.make_request(i, random.Random(i), risk=0.25),
                                   fields, random.Random(1_000 + i)) for i in range(60)]
    bases += [corpus.with_declared(generate.make_request(i, random.Random(i), risk=0.6),
                                   fields, random.Random(1_000 + i)) for i in range(60, 100)]
    return bases


BASES = _bases()


def _document(request: Request, as_of: dt.date) -> dict[str, Any] | None:
    loaded = load_request_text(corpus._dump(request), f"requests/{request['id']}.yaml",
                               POLICY.request_model)
    if not loaded.valid or loaded.request is None:
        return None
    return input_document(loaded.request, as_of, loaded.file)


def _findings(answer: dict[str, Any], level: str) -> set[tuple[str, str]]:
    return {(f["rule"], f["field"]) for f in answer["findings"] if f["level"] == level}


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(base=st.sampled_from(BASES), as_of=st.sampled_from(AS_OF), data=st.data())
def test_worsening_one_fact_never_improves_the_answer(
        engines: dict[str, Judge], base: Request,
        as_of: dt.date, data: st.DataObject) -> None:
    options = list(worsenings(base, as_of))
    name, worsen = data.draw(st.sampled_from(options), label="worsening")
    worse = copy.deepcopy(base)
    worsen(worse)
    before, after = _document(base, as_of), _document(worse, as_of)
    if before is None or after is None:
        return  # not a valid request (a value past its bound): nothing to judge
    for engine, judge in engines.items():
        was, now = judge([before, after])
        assert STRICTNESS[now["decision"]] >= STRICTNESS[was["decision"]], (
            f"{engine}: {name} turned {was['decision']} into {now['decision']}")
        lost = _findings(was, "deny") - _findings(now, "deny")
        assert not lost, f"{engine}: {name} removed deny findings {sorted(lost)}"
        # A review finding may only give way to a deny (scc without a TIA to no
        # transfer mechanism at all); otherwise a team that had to look still must.
        lost = _findings(was, "review") - _findings(now, "review")
        gained = _findings(now, "deny") - _findings(was, "deny")
        assert not lost or gained, f"{engine}: {name} removed review findings {sorted(lost)}"


def test_every_worsening_applies_to_some_base() -> None:
    # The strategy reaches each kind of worsening (a typo in a path would silently
    # make one never apply).
    kinds = {name.split("=")[0].split("+")[0].split(" ")[0]
             for base in BASES for name, _ in worsenings(base, AS_OF[0])}
    assert {"security.sso", "security.mfa", "tracking.masking", "tracking.consent_category",
            "agency.accounts", "agency.role", "data.personal_data", "security.scim",
            "privacy.dpa_signed", "privacy.sells_or_shares_data", "data.large_scale",
            "tool.seats", "cost.annual", "data.retention_days", "data.categories",
            "data.subject_regions", "data.storage_regions", "tracking.pages",
            "security.pentest_date", "security.soc2_type2_period_end",
            "agency.offboarding_contacts-1", "integrations", "tracking.session_replay",
            # fields IT declares
            "tracking.geofencing", "ai.training_opt_out", "tracking.honors_gpc",
            "privacy.risk_assessment_done", "data.health_consent",
            "privacy.delete_act_registered", "ai.disclosure", "data.consumer_health_data",
            "privacy.vendor_is_data_broker", "ai.generative", "ai.significant_decisions",
            "ai.prompt_retention_days"} <= kinds
