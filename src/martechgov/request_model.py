"""The `martechgov/v1` ToolRequest format, as pydantic models.

Field names follow ../shared/DOMAIN.md and are a public contract: IT's Rego policies
read them as `input.request.<field>`. Extend with care; never rename.

Models are strict (a quoted "true" is not a boolean, "12" is not a number) and forbid
unknown keys, because in a hand-written request an unknown key is nearly always a typo
that would otherwise silently hide a fact from the policies. Dates accept YAML dates
and ISO strings alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

API_VERSION = "martechgov/v1"
KIND = "ToolRequest"

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Email = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)]
Url = Annotated[str, Field(pattern=URL_PATTERN, max_length=2048)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Date = Annotated[dt.date, Field(strict=False)]
Count = Annotated[int, Field(ge=0)]


Category = Literal[
    "analytics", "ab-testing", "ad-platform", "ad-pixel", "cdp", "crm", "email",
    "marketing-automation", "social", "session-replay", "tag-management", "enrichment",
    "survey", "content", "webinar", "seo", "other"
]

Deployment = Literal["saas", "agency-operated", "tag", "browser-extension", "self-hosted"]

PersonalData = Literal["none", "pseudonymous", "personal", "special-category"]

DataCategory = Literal[
    "contact", "identifiers", "behavioral", "device", "location", "financial", "health",
    "biometric", "children", "employee", "content"
]

Subject = Literal["visitors", "prospects", "customers", "employees", "children"]

Region = Literal["eu", "uk", "us", "ca", "br", "apac", "other"]

Sso = Literal["saml", "oidc", "none"]

Mfa = Literal["enforced", "available", "none"]

TransferMechanism = Literal["not-needed", "adequacy", "dpf", "scc"]

Direction = Literal["inbound", "outbound", "bidirectional"]

Method = Literal["native", "api", "csv", "middleware"]

ConsentCategory = Literal["necessary", "functional", "analytics", "marketing"]

Masking = Literal["all-inputs", "sensitive-only", "none"]

AgencyAccounts = Literal["named-sso", "shared"]

AgencyRole = Literal["admin", "editor", "viewer"]

class Section(BaseModel):
    """Base for every mapping in a request: strict types, no unknown keys."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Tool(Section):
    name: Text
    vendor: Text
    category: Category
    deployment: Deployment
    website: Url | None = None
    purpose: Text
    seats: Count | None = None


class Requester(Section):
    name: Text
    email: Email
    team: Text


class Owners(Section):
    business: Email
    technical: Email | None = None


class Data(Section):
    personal_data: PersonalData
    categories: list[DataCategory] = []
    subjects: list[Subject] = []
    subject_regions: list[Region] = []
    storage_regions: list[Region] = []
    large_scale: bool | None = None
    retention_days: Count | None = None
    used_for_model_training: bool | None = None


class Security(Section):
    sso: Sso | None = None
    scim: bool | None = None
    mfa: Mfa | None = None
    soc2_type2_period_end: Date | None = None
    iso27001_expires: Date | None = None
    pentest_date: Date | None = None
    encryption_at_rest: bool | None = None


class Privacy(Section):
    dpa_signed: bool | None = None
    transfer_mechanism: TransferMechanism | None = None
    tia_done: bool | None = None
    dpia_done: bool | None = None
    breach_notice_hours: Count | None = None
    sells_or_shares_data: bool | None = None
    subprocessors_url: Url | None = None


class Integration(Section):
    system: Slug
    direction: Direction
    method: Method
    data: list[DataCategory] = []


class Tracking(Section):
    pages: list[Slug] = []
    consent_category: ConsentCategory | None = None
    session_replay: bool | None = None
    masking: Masking | None = None


class Agency(Section):
    name: Text
    accounts: AgencyAccounts
    role: AgencyRole
    offboarding_contacts: list[Email] = []
    flow_down_terms: bool | None = None


class Cost(Section):
    # int stays int so messages read "43200 USD", not "43200.0 USD"
    annual: Annotated[int | float, Field(ge=0)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    term_months: Annotated[int, Field(ge=1, le=120)] | None = None
    auto_renew: bool | None = None
    notice_days: Count | None = None
    renewal_date: Date | None = None


class ToolRequest(Section):
    """One martech tool a team wants to use: `requests/<id>.yaml`."""

    model_config = ConfigDict(
        title="martechgov ToolRequest (martechgov/v1)",
        json_schema_extra={"$id": "https://martechgov.dev/schema/toolrequest-v1.json"},
    )

    apiVersion: Literal["martechgov/v1"]
    kind: Literal["ToolRequest"]
    id: Slug
    needed_by: Date | None = None
    # Optional and additive (the lifecycle): the day the tool stops being used.
    retired_on: Date | None = Field(
        default=None,
        description="The day the tool is (or will be) retired: from then on the request "
                    "counts as retired in the inventory, the report and discovery.")
    replaces: list[Slug] = []
    notes: Annotated[str, Field(max_length=5000)] | None = None
    tool: Tool
    requester: Requester
    owners: Owners
    data: Data
    security: Security | None = None
    privacy: Privacy | None = None
    integrations: list[Integration] = []
    tracking: Tracking | None = None
    agency: Agency | None = None
    cost: Cost | None = None

    @model_validator(mode="after")
    def _sections_the_deployment_needs(self) -> ToolRequest:
        # Without these sections the agency and tracking rules would have nothing to
        # judge, so a request could slip past them by leaving the section out.
        # `field` in the context tells the loader which line to point at.
        for deployment, section, what in SECTION_NEEDED_BY_DEPLOYMENT:
            if self.tool.deployment == deployment and getattr(self, section) is None:
                raise PydanticCustomError(
                    "section_required",
                    "a tool deployed as `{deployment}` needs {article} `{section}:` "
                    "section ({what})",
                    {"deployment": deployment, "section": section, "what": what,
                     "article": "an" if section[0] in "aeiou" else "a",
                     "field": "tool.deployment"},
                )
        return self


SECTION_NEEDED_BY_DEPLOYMENT = (
    ("agency-operated", "agency", "agency name, accounts, role, offboarding contacts"),
    ("tag", "tracking", "pages, consent category, session replay, masking"),
)


def json_schema() -> dict[str, object]:
    """The JSON Schema of a request, for editors and other tools."""
    schema = ToolRequest.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["allOf"] = [
        {
            "if": {
                "properties": {"tool": {"properties": {"deployment": {"const": deployment}}}},
                "required": ["tool"],
            },
            "then": {"required": [section]},
        }
        for deployment, section, _ in SECTION_NEEDED_BY_DEPLOYMENT
    ]
    return schema
