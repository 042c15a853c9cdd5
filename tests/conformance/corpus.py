"""The conformance corpus: the examples, generated requests and mutants of the examples.

Every case is YAML text, judged exactly as `check` judges a file (loader -> input
document -> engine), so what the engines are compared on is what production sends.
Deterministic: the same cases, in the same order, on every run.

The mutants change the examples one field at a time (and, seeded, a few at once) to
the values where engines are known to part ways: dates on and around each rule's
boundary, leap days and the ends of the supported range; thresholds exactly at the
limit and one either side; vendor names written with odd spaces, compatibility
characters, a Kelvin sign or a Turkish dotted I; integers past 2^53, 2^63 and 2^64;
fractional money; infinities; missing fields and sections.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
AS_OF = dt.date(2026, 11, 23)

GENERATED = 1_500  # from bench/generate.py
COMBINED = 1_000  # seeded mutants with several fields changed at once
SEED = 11


@dataclass(frozen=True)
class Case:
    """One request file to judge: where it comes from, its text, the evaluation date."""

    name: str  # e.g. "mutant:hotjar:data.retention_days=1096"
    file: str  # display path, `requests/<id>.yaml`
    text: str
    as_of: dt.date = AS_OF


class Delete:
    """Mutation value: remove the field."""

    def __repr__(self) -> str:
        return "<deleted>"


DELETE = Delete()

d = dt.date
DATES: list[Any] = [
    AS_OF, d(2026, 11, 22), d(2026, 11, 24), d(2025, 11, 23), d(2025, 11, 22),
    d(2025, 11, 24), d(2024, 2, 29), d(2025, 2, 28), d(2028, 2, 29), d(1900, 1, 1),
    d(2199, 12, 31), d(1899, 12, 31), d(2200, 1, 1), d(2300, 1, 1), d(9999, 12, 31),
    d(1677, 1, 1), "2026-11-23", DELETE,
]
BOOLS: list[Any] = [True, False, DELETE]
BIG_INTS: list[Any] = [2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 2**64 + 1, 10**20, -1]

VENDORS: list[Any] = [
    "Kochava Inc.", "kochava inc.", "KOCHAVA INC.", "Kochava Inc.\u00a0", "\u3000Kochava Inc.",
    "Kochava\u2003Inc.", "Kochava Inc.\u2028", "\u212aochava Inc.", "KOCHAVA \u0130NC.",
    "Kochava  Inc.", " Kochava Inc. ", "Kochava\tInc.", "Kochava Inc.\n",
    "\uff2b\uff4f\uff43\uff48\uff41\uff56\uff41 \uff29\uff4e\uff43\uff0e", "Koch\u200bava Inc.",
    "Kochava Inc", "Kochava, Inc.", "Kochava Incorporated", "Kochava LLC", "Kochava GmbH",
    "Clearview AI", "CLEARVIEW AI", "Clearview\u00a0AI", "clearview ai\u3000",
    "Clearview AI, Inc.", "Cl\u00e9arview AI", "\u00c9diteur S.A.", "Stra\u00dfe GmbH",
    "", " ", DELETE,
]
NAMES: list[Any] = [
    'Acme "Quoted" Tool', "Tool \\ Backslash", "\u00dcn\u00efc\u00f8d\u00e9 T\u00f8\u00f8l",
    "Tool\u2028Name", "  Padded Tool  ", "Tool\u00a0Name", "\U0001f600 Emoji Tool",
    "\uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48", "\ufb01nder", "%v %s %d",
    "\u0130stanbul Tool", "Tool\r\nName", "\u202eloot", "x" * 2000, "", DELETE,
]
MONEY: list[Any] = [
    0, 1, 0.01, 0.1, 22999.99, 23000, 23000.01, 24999, 24999.99, 25000, 25000.0, 25000.01,
    19999.99, 20000, 82283.1, 99999.99, 1000000, 1000000.5, 1250000.5, 999999999.99,
    1000000000, 1000000000.01, 1e15, *BIG_INTS, 0.005, 25000.001, float("inf"),
    float("-inf"), float("nan"), "25000", DELETE,
]

# path -> values. Every path a rule reads, and the sections around them.
MUTATIONS: dict[str, list[Any]] = {
    "needed_by": [AS_OF, d(2026, 11, 25), d(2026, 12, 4), d(2026, 12, 7), d(2024, 2, 29),
                  d(2199, 12, 31), d(2200, 1, 1), DELETE],
    "replaces": [[], ["hubspot-marketing-hub"], ["google-analytics-4", "zoom-webinars"],
                 DELETE],
    "tool.name": NAMES,
    "tool.vendor": VENDORS,
    "tool.category": ["analytics", "ab-testing", "ad-platform", "ad-pixel", "cdp", "crm",
                      "email", "marketing-automation", "social", "session-replay",
                      "tag-management", "enrichment", "survey", "content", "webinar", "seo",
                      "other", "Analytics", "analytics\u00a0"],
    "tool.deployment": ["saas", "agency-operated", "tag", "browser-extension", "self-hosted"],
    "tool.seats": [0, 9, 10, 11, 49, 50, 51, 10_000_000, 10_000_001, *BIG_INTS, 10.5, 11.0,
                   DELETE],
    "requester.email": ["Dana.Lee@Example.COM", "dana\u00a0lee@example.com",
                        " dana@example.com ", "d\u00e4na@ex\u00e4mple.com"],
    "requester.team": ["Growth\u3000Team", " Growth ", "GROWTH"],
    "data.personal_data": ["none", "pseudonymous", "personal", "special-category"],
    "data.categories": [[], ["children"], ["behavioral"], ["content"], DELETE],
    "data.subjects": [[], ["children"], ["employees", "customers"], DELETE],
    "data.subject_regions": [[], ["eu"], ["uk", "us"], ["other"], DELETE],
    "data.storage_regions": [[], ["eu"], ["us"], ["ca"], ["apac"], ["other"], ["us", "ca"],
                             DELETE],
    "data.large_scale": BOOLS,
    "data.retention_days": [0, 1094, 1095, 1096, 36500, 36501, 18446744073709551616,
                            *BIG_INTS, 365.5, 365.0, DELETE],
    "data.used_for_model_training": BOOLS,
    "security": [DELETE, {}],
    "security.sso": ["saml", "oidc", "none", "SAML", DELETE],
    "security.scim": BOOLS,
    "security.mfa": ["enforced", "available", "none", DELETE],
    "security.soc2_type2_period_end": DATES,
    "security.iso27001_expires": DATES,
    "security.pentest_date": DATES,
    "security.encryption_at_rest": BOOLS,
    "privacy": [DELETE, {}],
    "privacy.dpa_signed": BOOLS,
    "privacy.transfer_mechanism": ["not-needed", "adequacy", "dpf", "scc", DELETE],
    "privacy.tia_done": BOOLS,
    "privacy.dpia_done": BOOLS,
    "privacy.breach_notice_hours": [0, 71, 72, 73, 8760, 8761, *BIG_INTS, 72.5, DELETE],
    "privacy.sells_or_shares_data": BOOLS,
    "integrations": [
        [],
        [{"system": "salesforce", "direction": "bidirectional", "method": "csv",
          "data": ["contact"]}],
        [{"system": "homegrown", "direction": "outbound", "method": "middleware"}],
        [{"system": "snowflake", "direction": "inbound", "method": "api", "data": ["content"]},
         {"system": "sap-s4hana", "direction": "outbound", "method": "native", "data": []}],
        DELETE,
    ],
    "tracking": [
        {"pages": ["home", "checkout"], "consent_category": "necessary",
         "session_replay": True, "masking": "sensitive-only"},
        {"pages": ["health"], "consent_category": "marketing"},
        {}, DELETE,
    ],
    "agency": [
        {"name": "Agency Co", "accounts": "shared", "role": "admin",
         "offboarding_contacts": ["a@agency.example"], "flow_down_terms": False},
        {"name": "\u00c1gency\u00a0\u00dcnicode", "accounts": "named-sso", "role": "viewer",
         "offboarding_contacts": ["a@agency.example", "b@agency.example"],
         "flow_down_terms": True},
        DELETE,
    ],
    "agency.accounts": ["shared", "named-sso", DELETE],
    "agency.role": ["admin", "editor", DELETE],
    "agency.offboarding_contacts": [[], ["a@agency.example"],
                                    ["a@agency.example", "b@agency.example"], DELETE],
    "agency.flow_down_terms": BOOLS,
    "tracking.pages": [[], ["checkout"], ["home", "health"], DELETE],
    "tracking.consent_category": ["necessary", "functional", "analytics", "marketing",
                                  DELETE],
    "tracking.session_replay": BOOLS,
    "tracking.masking": ["all-inputs", "sensitive-only", "none", DELETE],
    "cost": [DELETE, {"currency": "USD"}],
    "cost.annual": MONEY,
    "cost.currency": ["USD", "EUR", "GBP", "CHF", "usd", DELETE],
    "cost.term_months": [1, 12, 120, 121, 0, DELETE],
    "cost.auto_renew": BOOLS,
    "cost.notice_days": [0, 29, 30, 31, 36500, 36501, 2**64, DELETE],
    "cost.renewal_date": [AS_OF, d(2024, 2, 29), d(2300, 1, 1), DELETE],
    # fields IT declares in policies/fields.yaml (the 2026 rule pack reads them)
    "ai": [{"generative": True, "customer_facing": True},
           {"generative": True, "customer_facing": True, "disclosure": True,
            "training_opt_out": "opted-out", "prompt_retention_days": 30},
           {"generative": True, "customer_facing": False, "prompt_retention_days": 31},
           {"significant_decisions": True}, {"generative": True}, DELETE],
    "tracking.honors_gpc": BOOLS,
    "tracking.geofencing": ["none", "health-facilities-excluded", "unrestricted", DELETE],
    "tracking.pages#health": [["home", "symptoms"], ["pharmacy"]],
    "privacy.risk_assessment_done": BOOLS,
    "privacy.vendor_is_data_broker": BOOLS,
    "privacy.delete_act_registered": BOOLS,
    "data.consumer_health_data": BOOLS,
    "data.health_consent": BOOLS,
    "data.categories#sensitive": [["health"], ["location", "contact"]],
}
AS_OF_VALUES = [AS_OF, d(2024, 2, 29), d(2025, 2, 28), d(2027, 2, 28), d(1900, 1, 1),
                d(2199, 12, 31), d(2026, 12, 15), d(2027, 1, 31)]


def examples() -> list[Case]:
    return [Case(f"example:{p.stem}", f"requests/{p.name}", p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "requests").glob("*.yaml"))]


def generated(count: int = GENERATED) -> list[Case]:
    """Requests from the benchmark generator (bench/generate.py), seed 7, with answers to
    the fields IT declares (policies/fields.yaml)."""
    generate = _bench_generate()
    rng, answers = random.Random(7), random.Random(17)
    fields = declared_fields()
    cases = []
    for index in range(count):
        request = with_declared(generate.make_request(index, rng), fields, answers)
        cases.append(Case(f"generated:{index}", f"requests/{request['id']}.yaml",
                          _dump(request)))
    return cases


def declared_fields() -> dict[str, Any]:
    """The request fields IT declares in the shipped policies (`PolicySet.fields`)."""
    from martechgov.policy import PolicySet

    return dict(PolicySet.from_directory(ROOT / "policies").fields)


def with_declared(request: dict[str, Any], fields: dict[str, Any], rng: random.Random,
                  stated: float = 0.5) -> dict[str, Any]:
    """`request` answering each declared field with probability `stated`, with a value
    its declaration allows (type, bounds, allowed values), and every field a stated one
    makes required (`required_when`) answered too: valid under the policy's model.
    Fields go into the sections the request has and into sections IT adds (`ai`)."""
    request = copy.deepcopy(request)
    for path, decl in fields.items():
        section, key = path.split(".")
        if (section in request or section not in _CORE_SECTIONS) and rng.random() < stated:
            request.setdefault(section, {})[key] = _answer(decl, rng)
    for _ in range(len(fields)):  # a required field may itself make another required
        for path, decl in fields.items():
            section, key = path.split(".")
            if _required(request, decl.get("required_when")) and \
                    key not in request.get(section, {}):
                request.setdefault(section, {})[key] = _answer(decl, rng)
    return request


_CORE_SECTIONS = {"tool", "requester", "owners", "data", "security", "privacy", "tracking",
                  "agency", "cost"}


def _answer(decl: dict[str, Any], rng: random.Random) -> Any:
    kind = decl["type"]
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "int":
        low, high = decl["minimum"], decl["maximum"]
        return rng.choice([low, high, (low + high) // 2, min(high, low + 30)])
    if kind == "date":
        return rng.choice([AS_OF, d(2025, 6, 30), d(2027, 1, 31)])
    if kind == "string":
        return "A generated answer"
    values = list(decl["values"])
    return rng.choice(values) if kind == "enum" else rng.sample(values, rng.randint(0, 2))


def _required(request: dict[str, Any], condition: dict[str, Any] | None) -> bool:
    if not condition:
        return False
    section, key = condition["field"].split(".")
    value = (request.get(section) or {}).get(key)
    if condition.get("equals") is not None:
        return bool(value == condition["equals"])
    return value is not None and value != condition.get("not_")


def mutants(combined: int = COMBINED, seed: int = SEED) -> list[Case]:
    """Every example with each single mutation, then seeded multi-field mutants."""
    bases = [(case, yaml.safe_load(case.text)) for case in examples()]
    cases = []
    for case, base in bases:
        for path, values in MUTATIONS.items():
            for index, value in enumerate(values):
                name = f"mutant:{base['id']}:{path}#{index}"
                cases.append(Case(name, case.file, _dump(mutate(base, [(path, value)]))))
    rng = random.Random(seed)
    paths = sorted(MUTATIONS)
    for number in range(combined):
        case, base = rng.choice(bases)
        changes = [(path, rng.choice(MUTATIONS[path]))
                   for path in rng.sample(paths, rng.randint(2, 5))]
        as_of = rng.choice(AS_OF_VALUES)
        cases.append(Case(f"combined:{number}", case.file, _dump(mutate(base, changes)), as_of))
    return cases


def corpus() -> list[Case]:
    return [*examples(), *generated(), *mutants()]


def mutate(base: dict[str, Any], changes: list[tuple[str, Any]]) -> dict[str, Any]:
    """A deep copy of `base` with each dotted path set (or deleted)."""
    request = copy.deepcopy(base)
    for path, value in changes:
        *parents, last = path.split("#")[0].split(".")
        node = request
        for part in parents:
            if not isinstance(node.get(part), dict):
                if value is DELETE:
                    break
                node[part] = {}
            node = node[part]
        else:
            if value is DELETE:
                node.pop(last, None)
            else:
                node[last] = value
    return request


def _dump(request: dict[str, Any]) -> str:
    """Block-style YAML; PyYAML's dumper is ten times slower and needs no help here."""
    return "".join(_lines(request, ""))


def _lines(value: dict[str, Any], indent: str) -> Iterator[str]:
    for key, item in value.items():
        if isinstance(item, dict) and item:
            yield f"{indent}{key}:\n"
            yield from _lines(item, indent + "  ")
        elif isinstance(item, list) and any(isinstance(i, dict) for i in item):
            yield f"{indent}{key}:\n"
            for element in item:
                first, *rest = list(_lines(element, indent + "    "))
                yield f"{indent}  - {first.lstrip()}"
                yield from rest
        else:
            yield f"{indent}{key}: {_scalar(item)}\n"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        return text if "." in text else text.replace("e", ".0e")  # 1e+16 -> 1.0e+16
    if isinstance(value, int | dt.date):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}"
    return _quoted(str(value))


# Characters a YAML double-quoted scalar must escape (else libyaml folds line breaks).
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P",
            "\ufeff": "\\ufeff"}


def _quoted(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _bench_generate() -> Any:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def describe(counts: dict[str, int]) -> Iterator[str]:
    for key in sorted(counts):
        yield f"{key}: {counts[key]:,}"
