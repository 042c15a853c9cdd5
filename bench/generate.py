"""Generate N varied, valid tool requests for benchmarks and cross-engine tests.

Deterministic for a given seed. Requests vary every field the rules read, so the whole
range from approve to many findings is exercised.

    python bench/generate.py 10000 /tmp/requests
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

CATEGORIES = ["analytics", "ab-testing", "ad-platform", "ad-pixel", "cdp", "crm", "email",
              "marketing-automation", "social", "session-replay", "tag-management",
              "enrichment", "survey", "content", "webinar", "seo", "other"]
DEPLOYMENTS = ["saas", "saas", "saas", "agency-operated", "tag", "browser-extension",
               "self-hosted"]
SYSTEMS = ["salesforce", "snowflake", "website-cms", "google-tag-manager", "zendesk",
           "sap-s4hana", "homegrown-db"]
DATA_CATEGORIES = ["contact", "identifiers", "behavioral", "device", "location", "content",
                   "health", "children"]
VENDORS = ["Acme Inc.", "Globex Corp", "Initech", "Umbrella Ltd", "Hooli", "Kochava Inc.",
           "Stark Industries", "Wayne Enterprises"]


def make_request(index: int, rng: random.Random, risk: float = 0.06) -> dict[str, Any]:
    """A request that is compliant except where a coin with probability `risk` says not.

    With the default risk, roughly 40% of requests are approved, the rest split between
    review and deny, with one to a dozen findings: a plausible mix for a real backlog.
    """
    def risky() -> bool:
        return rng.random() < risk

    category = rng.choice(CATEGORIES)
    deployment = rng.choice(DEPLOYMENTS)
    personal = rng.choice(["none", "pseudonymous", "personal", "personal"])
    if risky():
        personal = "special-category"
    eu = rng.random() < 0.5
    request: dict[str, Any] = {
        "apiVersion": "martechgov/v1",
        "kind": "ToolRequest",
        "id": f"tool-{index:05d}",
        "replaces": ["hubspot-marketing-hub", "google-analytics-4"] if not risky() else [],
        "tool": {
            "name": f"Tool {index}",
            "vendor": "Kochava Inc." if risky() and risky() else rng.choice(VENDORS[:5]),
            "category": category,
            "deployment": deployment,
            "website": f"https://tool{index}.example.com",
            "purpose": "Generated request used to measure martechgov's throughput.",
            "seats": rng.choice([60, 200]) if risky() else rng.choice([1, 5, 10, 40]),
        },
        "requester": {"name": "Bench Mark", "email": "bench@example.com", "team": "Growth"},
        "owners": {"business": "bench@example.com", "technical": "ops@example.com"},
        "data": {
            "personal_data": personal,
            "categories": rng.sample(DATA_CATEGORIES[:6], rng.randint(0, 3)),
            "subjects": ["children"] if risky() else rng.sample(
                ["visitors", "prospects", "customers"], rng.randint(1, 2)),
            "subject_regions": ["eu", "us"] if eu else ["us", "ca"],
            "storage_regions": ["us"] if risky() else (["eu"] if eu else ["us"]),
            "large_scale": risky(),
            "retention_days": 2000 if risky() else rng.choice([30, 365, 1095]),
            "used_for_model_training": risky(),
        },
        "security": {
            "sso": "none" if risky() else rng.choice(["saml", "oidc"]),
            "scim": not risky(),
            "mfa": "available" if risky() else "enforced",
            "soc2_type2_period_end": "2025-06-30" if risky() else "2026-06-30",
            "pentest_date": "2025-01-15" if risky() else "2026-05-01",
            "encryption_at_rest": not risky(),
        },
        "privacy": {
            "dpa_signed": not risky(),
            "transfer_mechanism": "scc" if risky() else "not-needed",
            "tia_done": not risky(),
            "dpia_done": not risky(),
            "breach_notice_hours": 96 if risky() else 72,
            "sells_or_shares_data": risky() and risky(),
        },
        "integrations": [
            {"system": "homegrown-db" if risky() else rng.choice(SYSTEMS[:5]),
             "direction": "outbound" if risky() else "inbound",
             "method": rng.choice(["csv", "middleware"]) if risky() else "native",
             "data": rng.sample(DATA_CATEGORIES[:6], rng.randint(0, 2))}
            for _ in range(rng.randint(0, 3))
        ],
        "cost": {
            "annual": rng.choice([25000, 90000]) if risky() else rng.choice([0, 1200, 9000]),
            "currency": "CHF" if risky() else rng.choice(["USD", "EUR", "GBP"]),
            "term_months": 12,
            "auto_renew": True,
            "notice_days": 7 if risky() else 60,
            "renewal_date": "2027-06-30",
        },
    }
    if deployment == "tag":
        request["tracking"] = {
            "pages": ["home", "checkout"] if risky() else ["home", "pricing"],
            "consent_category": "necessary" if risky() else "marketing",
            "session_replay": category == "session-replay",
            "masking": "sensitive-only" if risky() else "all-inputs",
        }
    if deployment == "agency-operated":
        request["agency"] = {
            "name": "Agency Co",
            "accounts": "shared" if risky() else "named-sso",
            "role": "admin" if risky() else "editor",
            "offboarding_contacts": ["a@agency.example"] if risky()
            else ["a@agency.example", "b@agency.example"],
            "flow_down_terms": not risky(),
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


# Helpers the benchmark scripts share.
ROOT = Path(__file__).resolve().parent.parent


def installed_engines() -> list[str]:
    """Both embedded engines: regorus (the default, `embedded`) and regopy."""
    return ["regorus", "regopy"]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com",
                    *args], cwd=repo, check=True, capture_output=True)


def make_repo(directory: Path, count: int) -> Path:
    """A git repository on `main` with the real policies and `count` generated requests."""
    directory.mkdir(parents=True)
    git(directory, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "policies", directory / "policies")
    generate(count, directory / "requests")
    git(directory, "add", "-A")
    git(directory, "commit", "-q", "-m", "requests")
    return directory


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
