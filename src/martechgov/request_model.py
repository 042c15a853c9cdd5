"""The `martechgov/v1` ToolRequest format, as pydantic models.

Field names follow ../shared/DOMAIN.md and are a public contract: IT's Rego policies
read them as `input.request.<field>`. Extend with care; never rename.

Models are strict (a quoted "true" is not a boolean, "12" is not a number) and forbid
unknown keys, because in a hand-written request an unknown key is nearly always a typo
that would otherwise silently hide a fact from the policies. Dates accept YAML dates
and ISO strings alike. Values are canonical and bounded (`request_values`), so that no
Rego engine can read them differently from real OPA.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from martechgov.request_values import (
    CURRENCY_PATTERN,
    Date,
    Days,
    Email,
    Hours,
    Money,
    Months,
    Seats,
    Slug,
    Text,
    Url,
    canonical_text,
)

API_VERSION = "martechgov/v1"
KIND = "ToolRequest"

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
    """Base for every mapping in a request: strict types, no unknown keys, canonical text."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _canonical_strings(cls, data: Any) -> Any:
        # Every string value (names, emails, ids, enum words) in canonical form before
        # it is validated: `saml\u00a0` is `saml`, `Kochava\u2003Inc.` is `Kochava Inc.`.
        if not isinstance(data, dict):
            return data
        return {key: _canonical_value(value) if key != "notes" else value
                for key, value in data.items()}


def _canonical_value(value: Any) -> Any:
    if isinstance(value, str):
        return canonical_text(value)
    if isinstance(value, list):
        return [canonical_text(v) if isinstance(v, str) else v for v in value]
    return value


class Tool(Section):
    name: Text = Field(description="What the tool is called, e.g. Typeform.")
    vendor: Text = Field(description="The company that sells it, e.g. Typeform SL.")
    category: Category = Field(description="What kind of tool it is.")
    deployment: Deployment = Field(description="How we will use it.")
    website: Url | None = Field(None, description="Its website, e.g. https://www.typeform.com.")
    purpose: Text = Field(description="In a sentence or two, what your team will use it for.")
    seats: Seats | None = Field(None, description="How many people will log in.")


class Requester(Section):
    name: Text = Field(description="Your name.")
    email: Email = Field(description="Your work email.")
    team: Text = Field(description="Your team, e.g. Demand Generation.")


class Owners(Section):
    business: Email = Field(description="Email of the person accountable for the tool.")
    technical: Email | None = Field(None, description="Email of whoever will administer it, "
                                    "e.g. marketing-ops@example.com.")


class Data(Section):
    personal_data: PersonalData = Field(
        description="Whether it handles information about people, and how sensitive it is.")
    categories: list[DataCategory] = Field([], description="Which kinds of information.")
    subjects: list[Subject] = Field([], description="Whose information.")
    subject_regions: list[Region] = Field([], description="Where these people are.")
    storage_regions: list[Region] = Field(
        [], description="Where the vendor stores the data (ask the vendor).")
    large_scale: bool | None = Field(
        None, description="Whether it is a lot of people (tens of thousands or more).")
    retention_days: Days | None = Field(
        None, description="How many days the vendor keeps the data.")
    used_for_model_training: bool | None = Field(
        None, description="Whether the vendor uses our data to train AI models.")


class Security(Section):
    sso: Sso | None = Field(
        None, description="Whether people log in through our company single sign-on (Okta).")
    scim: bool | None = Field(None, description="Whether accounts are created and removed "
                              "automatically from Okta (SCIM).")
    mfa: Mfa | None = Field(None, description="Whether it asks for a second step at login "
                            "(MFA).")
    soc2_type2_period_end: Date | None = Field(
        None, description="End date of the vendor's latest SOC 2 Type II report.")
    iso27001_expires: Date | None = Field(
        None, description="Expiry date of the vendor's ISO 27001 certificate.")
    pentest_date: Date | None = Field(
        None, description="Date of the vendor's latest penetration test.")
    encryption_at_rest: bool | None = Field(
        None, description="Whether our data is encrypted where the vendor stores it.")


class Privacy(Section):
    dpa_signed: bool | None = Field(
        None, description="Whether a data processing agreement (DPA) is signed.")
    transfer_mechanism: TransferMechanism | None = Field(
        None, description="How moving EU or UK data abroad is covered.")
    tia_done: bool | None = Field(
        None, description="Whether legal has done a transfer impact assessment (TIA).")
    dpia_done: bool | None = Field(
        None, description="Whether privacy has done a data protection impact assessment "
        "(DPIA).")
    breach_notice_hours: Hours | None = Field(
        None, description="Within how many hours the vendor must tell us about a breach.")
    sells_or_shares_data: bool | None = Field(
        None, description="Whether the vendor sells or shares our data with others.")
    subprocessors_url: Url | None = Field(
        None, description="Web page listing the vendor's subprocessors.")


class Integration(Section):
    system: Slug = Field(description="Which company system: an id from IT's catalog "
                         "(policies/data/systems.yaml).")
    direction: Direction = Field(description="Which way data goes.")
    method: Method = Field(description="How they are connected.")
    data: list[DataCategory] = Field([], description="Which kinds of information go "
                                     "through it.")


class Tracking(Section):
    pages: list[Slug] = Field([], description="Which of our pages the tag will be on (page "
                              "ids, e.g. home, pricing).")
    consent_category: ConsentCategory | None = Field(
        None, description="Which cookie-banner category it loads under.")
    session_replay: bool | None = Field(
        None, description="Whether it records what visitors do (session replay).")
    masking: Masking | None = Field(None, description="What the recording hides.")


class Agency(Section):
    name: Text = Field(description="Which agency runs it.")
    accounts: AgencyAccounts = Field(description="How agency people log in.")
    role: AgencyRole = Field(description="What the agency can do in the tool.")
    offboarding_contacts: list[Email] = Field(
        [], description="Emails at the agency to contact when someone leaves.")
    flow_down_terms: bool | None = Field(
        None, description="Whether the agency contract passes our data terms on to them.")


class Cost(Section):
    # a whole amount is an int, so messages read "43200 USD", not "43200.0 USD"
    annual: Money = Field(description="What it costs per year, without the currency sign.")
    currency: Annotated[str, Field(pattern=CURRENCY_PATTERN)] = Field(
        description="The currency of the amount: a three-letter code such as USD, EUR or GBP.")
    term_months: Months | None = Field(None, description="How many months the contract runs.")
    auto_renew: bool | None = Field(None, description="Whether it renews automatically.")
    notice_days: Days | None = Field(None, description="How many days' notice it takes to "
                                     "cancel.")
    renewal_date: Date | None = Field(None, description="When it renews.")


class ToolRequest(Section):
    """One martech tool a team wants to use: `requests/<id>.yaml`."""

    model_config = ConfigDict(
        title="martechgov ToolRequest (martechgov/v1)",
        json_schema_extra={"$id": "https://martechgov.dev/schema/toolrequest-v1.json"},
    )

    apiVersion: Literal["martechgov/v1"] = Field(
        description="The format of this file: always martechgov/v1.")
    kind: Literal["ToolRequest"] = Field(description="What this file is: always ToolRequest.")
    id: Slug = Field(description="A short name for the request, the file name without .yaml: "
                     "lowercase letters, digits and dashes, e.g. hubspot-marketing-hub.")
    needed_by: Date | None = Field(None, description="By when you need the tool.")
    # Optional and additive (the lifecycle): the day the tool stops being used.
    retired_on: Date | None = Field(
        None, description="The day the tool is (or will be) retired: from then on the "
        "request counts as retired in the inventory, the report and discovery.")
    replaces: list[Slug] = Field([], description="The ids of requests for tools this one "
                                 "replaces.")
    notes: Annotated[str, Field(max_length=5000)] | None = Field(
        None, description="Anything else reviewers should know.")
    tool: Tool = Field(description="The tool: what it is, who sells it, how we will use it.")
    requester: Requester = Field(description="Who asks for the tool.")
    owners: Owners = Field(description="Who is accountable for the tool once it is bought.")
    data: Data = Field(description="The information about people the tool handles.")
    security: Security | None = Field(
        None, description="How the vendor protects logins and data (ask the vendor).")
    privacy: Privacy | None = Field(
        None, description="The contract terms about personal data (ask the vendor or legal).")
    integrations: list[Integration] = Field(
        [], description="The company systems the tool connects to, one entry each.")
    tracking: Tracking | None = Field(
        None, description="For a script or pixel on our website: where it runs and under "
        "which cookie consent. Required when `tool.deployment` is `tag`.")
    agency: Agency | None = Field(
        None, description="For a tool an agency runs for us: the agency and how its people "
        "log in. Required when `tool.deployment` is `agency-operated`.")
    cost: Cost | None = Field(None, description="What the tool costs and how the contract "
                              "renews.")

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
                     "field": section},
                )
        return self


SECTION_NEEDED_BY_DEPLOYMENT = (
    ("agency-operated", "agency", "agency name, accounts, role, offboarding contacts"),
    ("tag", "tracking", "pages, consent category, session replay, masking"),
)
