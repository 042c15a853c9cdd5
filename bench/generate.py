"""Generate N varied, valid tool requests for benchmarks and cross-engine tests.

Deterministic for a given seed. Requests vary every field the rules read, so the whole
range from approve to many findings is exercised.

    python bench/generate.py 10000 /tmp/requests
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import yaml

CATEGORIES = ["analytics", "ab-testing", "ad-platform", "ad-pixel", "cdp", "crm", "email",
              "marketing-automation", "social", "session-replay", "tag-management",
              "enrichment", "survey", "content", "webinar", "seo", "other"]
DEPLOYMENTS = ["saas", "saas", "saas", "agency-operated", "tag", "browser-extension",
               "self-hosted"]
REGIONS = ["eu", "uk", "us", "ca", "br", "apac", "other"]
SYSTEMS = ["salesforce", "snowflake", "website-cms", "google-tag-manager", "zendesk",
           "sap-s4hana", "homegrown-db"]
DATA_CATEGORIES = ["contact", "identifiers", "behavioral", "device", "location", "content",
                   "health", "children"]
VENDORS = ["Acme Inc.", "Globex Corp", "Initech", "Umbrella Ltd", "Hooli", "Kochava Inc.",
           "Stark Industries", "Wayne Enterprises"]
PAGES = ["home", "pricing", "blog", "signup", "checkout", "account", "health"]


def make_request(index: int, rng: random.Random) -> dict[str, Any]:
    category = rng.choice(CATEGORIES)
    deployment = rng.choice(DEPLOYMENTS)
    request_id = f"tool-{index:05d}"
    personal = rng.choice(["none", "pseudonymous", "personal", "personal", "special-category"])
    request: dict[str, Any] = {
        "apiVersion": "martechgov/v1",
        "kind": "ToolRequest",
        "id": request_id,
        "replaces": rng.sample(["hubspot-marketing-hub", "google-analytics-4"], rng.randint(0, 1)),
        "tool": {
            "name": f"Tool {index}",
            "vendor": rng.choice(VENDORS),
            "category": category,
            "deployment": deployment,
            "website": f"https://tool{index}.example.com",
            "purpose": "Generated request used to measure martechgov's throughput.",
            "seats": rng.choice([1, 5, 10, 11, 40, 60, 200]),
        },
        "requester": {"name": "Bench Mark", "email": "bench@example.com", "team": "Growth"},
        "owners": {"business": "bench@example.com", "technical": "ops@example.com"},
        "data": {
            "personal_data": personal,
            "categories": rng.sample(DATA_CATEGORIES, rng.randint(0, 3)),
            "subjects": rng.sample(["visitors", "prospects", "customers", "children"],
                                   rng.randint(1, 2)),
            "subject_regions": rng.sample(REGIONS, rng.randint(0, 3)),
            "storage_regions": rng.sample(REGIONS, rng.randint(0, 2)),
            "large_scale": rng.random() < 0.4,
            "retention_days": rng.choice([30, 365, 1095, 2000]),
            "used_for_model_training": rng.random() < 0.2,
        },
        "security": {
            "sso": rng.choice(["saml", "oidc", "none"]),
            "scim": rng.random() < 0.5,
            "mfa": rng.choice(["enforced", "available", "none"]),
            "soc2_type2_period_end": rng.choice(["2025-06-30", "2026-06-30", "2026-09-30"]),
            "pentest_date": rng.choice(["2025-01-15", "2026-05-01"]),
            "encryption_at_rest": rng.random() < 0.9,
        },
        "privacy": {
            "dpa_signed": rng.random() < 0.85,
            "transfer_mechanism": rng.choice(["not-needed", "adequacy", "dpf", "scc"]),
            "tia_done": rng.random() < 0.5,
            "dpia_done": rng.random() < 0.5,
            "breach_notice_hours": rng.choice([24, 72, 96]),
            "sells_or_shares_data": rng.random() < 0.05,
        },
        "integrations": [
            {"system": rng.choice(SYSTEMS),
             "direction": rng.choice(["inbound", "outbound", "bidirectional"]),
             "method": rng.choice(["native", "api", "csv", "middleware"]),
             "data": rng.sample(DATA_CATEGORIES, rng.randint(0, 2))}
            for _ in range(rng.randint(0, 3))
        ],
        "cost": {
            "annual": rng.choice([0, 1200, 24999, 25000, 90000]),
            "currency": rng.choice(["USD", "EUR", "GBP", "CHF"]),
            "term_months": 12,
            "auto_renew": rng.random() < 0.7,
            "notice_days": rng.choice([7, 30, 90]),
            "renewal_date": "2027-06-30",
        },
    }
    if deployment == "tag" or category in ("ad-pixel", "session-replay") and rng.random() < 0.7:
        request["tracking"] = {
            "pages": rng.sample(PAGES, rng.randint(1, 4)),
            "consent_category": rng.choice(["necessary", "functional", "analytics", "marketing"]),
            "session_replay": category == "session-replay",
            "masking": rng.choice(["all-inputs", "sensitive-only", "none"]),
        }
    if deployment == "agency-operated":
        request["agency"] = {
            "name": "Agency Co",
            "accounts": rng.choice(["named-sso", "shared"]),
            "role": rng.choice(["admin", "editor", "viewer"]),
            "offboarding_contacts": ["a@agency.example", "b@agency.example"][: rng.randint(0, 2)],
            "flow_down_terms": rng.random() < 0.5,
        }
    return request


def generate(count: int, directory: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        request = make_request(index, rng)
        path = directory / f"{request['id']}.yaml"
        path.write_text(yaml.dump(request, Dumper=yaml.CSafeDumper, sort_keys=False))
        paths.append(path)
    return paths


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
