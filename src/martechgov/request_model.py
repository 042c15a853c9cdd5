"""The `martechgov/v1` ToolRequest format, as pydantic models.

Field names follow ../shared/DOMAIN.md and are a public contract: IT's Rego policies
read them as `input.request.<field>`. Extend with care; never rename.

Models are strict (a quoted "true" is not a boolean, "12" is not a number) and forbid
unknown keys, because in a hand-written request an unknown key is nearly always a typo
that would otherwise silently hide a fact from the policies. Dates accept YAML dates
and ISO strings alike.

Values are canonical, so that no Rego engine can read them differently from real OPA
(see ../shared/REGO-ENGINES.md): text is NFKC-normalised with invisible format
characters dropped and every run of whitespace (no-break, ideographic, em spaces, line
separators) made one space; numbers stay where every engine represents them exactly
(whole numbers with realistic maxima, money with at most 2 decimals, no infinities);
dates stay inside the range every engine's time functions handle.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

API_VERSION = "martechgov/v1"
KIND = "ToolRequest"

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"

# Dates every engine's time functions handle (OPA's nanosecond times end in 1677 and
# 2262; the rules add up to 36 months to a date). `--as-of` is held to the same range.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)
MONEY_MAX = 1_000_000_000  # with 2 decimals, exact in every engine's numbers (< 2^53)


def canonical_text(text: str) -> str:
    """NFKC, format characters (zero-width, bidi controls) dropped, whitespace runs as one
    space, no surrounding space: `"\u3000Kochava\u00a0Inc.\u2028"` -> `"Kochava Inc."`."""
    if not text.isascii():  # ASCII is already NFKC and has no format characters
        text = unicodedata.normalize("NFKC", text)
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


# Legal forms a company name may end with; `Kochava, Inc.` and `Kochava` are one vendor.
LEGAL_FORMS = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "llp", "lp",
    "ltd", "limited", "plc", "pty", "pte", "pvt", "gmbh", "mbh", "ag", "kg", "ug", "se",
    "sa", "sas", "sarl", "srl", "spa", "sl", "slu", "bv", "nv", "oy", "oyj", "ab", "as",
    "asa", "aps", "kk",
})


def name_key(text: str) -> str:
    """How names compare: `KOCHAVA, Inc.`, `Kochava Inc` and `Kochava` are `kochava`.

    Canonical text, accents dropped, case folded, dots removed (`S.A.` is `sa`), other
    punctuation as spaces, and trailing legal forms dropped (a name is never emptied).
    Computed in Python once, for the request and for IT's block list alike, because the
    Rego engines lowercase non-ASCII text differently."""
    text = unicodedata.normalize("NFKD", canonical_text(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = "".join(c if c.isalnum() else " " for c in text.replace(".", "")).split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def _text_not_blank(text: str) -> str:
    text = canonical_text(text)
    if not text:
        raise PydanticCustomError("text_blank", "is blank; write it in words")
    return text


def _whole_number(unit: str, maximum: int, minimum: int = 0) -> WrapValidator:
    def check(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok or not minimum <= value <= maximum:
            raise PydanticCustomError(
                "bounded_value" if ok else "bounded_type",
                f"must be a whole number of {unit} from {minimum:,} to {maximum:,}",
            )
        return handler(value)

    return WrapValidator(check)


def _money(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not (number and math.isfinite(value) and 0 <= value <= MONEY_MAX
            and Decimal(repr(value)).normalize().as_tuple().exponent >= -2):  # type: ignore[operator]
        raise PydanticCustomError(
            "bounded_value" if number else "bounded_type",
            f"must be an amount of money from 0 to {MONEY_MAX:,} with at most 2 decimal "
            "places (like 1200 or 1200.50)",
        )
    value = handler(value)
    return int(value) if value == int(value) else value  # 25000.0 is 25000


def _in_date_range(day: dt.date) -> dt.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise PydanticCustomError(
            "date_range", f"must be a date from {DATE_MIN} to {DATE_MAX}")
    return day


Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Email = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)]
Url = Annotated[str, Field(pattern=URL_PATTERN, max_length=2048)]
Text = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_text_not_blank)]
Date = Annotated[dt.date, Field(strict=False, description=f"A date from {DATE_MIN} to {DATE_MAX}."),
                 AfterValidator(_in_date_range)]
Money = Annotated[int | float, WrapValidator(_money), WithJsonSchema({
    "type": "number", "minimum": 0, "maximum": MONEY_MAX,
    "description": "An amount with at most 2 decimal places.",
})]
Seats = Annotated[int, Field(ge=0, le=10_000_000), _whole_number("seats", 10_000_000)]
Days = Annotated[int, Field(ge=0, le=36_500), _whole_number("days", 36_500)]
Hours = Annotated[int, Field(ge=0, le=8_760), _whole_number("hours", 8_760)]
Months = Annotated[int, Field(ge=1, le=120), _whole_number("months", 120, 1)]


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
    name: Text
    vendor: Text
    category: Category
    deployment: Deployment
    website: Url | None = None
    purpose: Text
    seats: Seats | None = None


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
    retention_days: Days | None = None
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
    breach_notice_hours: Hours | None = None
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
    # a whole amount is an int, so messages read "43200 USD", not "43200.0 USD"
    annual: Money
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    term_months: Months | None = None
    auto_renew: bool | None = None
    notice_days: Days | None = None
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


def json_schema(model: type[ToolRequest] | None = None) -> dict[str, object]:
    """The JSON Schema of a request, for editors and other tools (`model`: the request
    model with IT's declared fields, `PolicySet.request_model`)."""
    schema = (model or ToolRequest).model_json_schema(mode="validation")
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
