"""`martechgov new`: the questions a marketer answers to propose a tool, in plain words.

This module holds the questions (with the allowed values explained), how each answer is
checked, and the order they are asked in; it builds the request document. It never
prints or reads the terminal itself: an `Asker` does (the command line passes one built
on click prompts), so the same interview runs from flags alone (`--no-input`).

Every question has a flag named after it (`--personal-data personal`). An answer given
as a flag is checked like a typed one, and a bad one is an error naming the flag and
the allowed values. Optional questions can be skipped: the field is then left out,
which the rules treat as the unsafe case and explain in the decision.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from martechgov.errors import UsageError
from martechgov.request_model import API_VERSION, EMAIL_PATTERN, KIND, SLUG_PATTERN, URL_PATTERN

AnswerKind = Literal["text", "email", "url", "date", "int", "number", "bool", "choice",
                     "choices", "emails", "slugs", "currency"]


@dataclass(frozen=True)
class Question:
    key: str  # also the flag: --<key>
    prompt: str
    kind: AnswerKind = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, what it means in plain words)
    default: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    flag: bool = True  # False: asked only in a loop (integrations), set by another flag

    @property
    def values(self) -> list[str]:
        return [value for value, _ in self.choices]


_REGIONS = (("eu", "the European Union"), ("uk", "the United Kingdom"),
            ("us", "the United States"), ("ca", "Canada"), ("br", "Brazil"),
            ("apac", "Asia-Pacific"), ("other", "anywhere else"))
_DATA = (("contact", "names, emails, phone numbers"), ("identifiers", "customer or account ids"),
         ("behavioral", "clicks, pages visited, purchases"),
         ("device", "device or browser ids, IP addresses"), ("location", "where people are"),
         ("financial", "payment or bank details"), ("health", "anything about health"),
         ("biometric", "faces, fingerprints, voices"), ("children", "data about children"),
         ("employee", "data about our staff"), ("content", "messages, files, recordings"))
_YES_NO = "yes or no"

QUESTION_LIST: tuple[Question, ...] = (
    # the tool
    Question("name", "What is the tool called?", required=True),
    Question("vendor", "Which company sells it?", required=True),
    Question("website", "Its website (e.g. www.canva.com)", "url"),
    Question("category", "What kind of tool is it?", "choice", True, (
        ("analytics", "measures website traffic and campaigns"),
        ("ab-testing", "tests versions of a page against each other"),
        ("ad-platform", "buys or manages ads"),
        ("ad-pixel", "an ad network's tracking script on our website"),
        ("cdp", "collects customer data into profiles"),
        ("crm", "keeps customer and deal records"),
        ("email", "sends newsletters or emails"),
        ("marketing-automation", "nurture emails, landing pages, lead scoring"),
        ("social", "schedules posts and answers comments"),
        ("session-replay", "records what visitors do on our website"),
        ("tag-management", "manages the scripts on our website"),
        ("enrichment", "adds company or contact details to leads"),
        ("survey", "forms and surveys"),
        ("content", "design, video, writing or images"),
        ("webinar", "webinars and online events"),
        ("seo", "search rankings and keywords"),
        ("other", "none of these"))),
    Question("deployment", "How will we use it?", "choice", True, (
        ("saas", "a website or app people log in to"),
        ("tag", "a script or pixel on our website"),
        ("agency-operated", "an agency runs it for us"),
        ("browser-extension", "installed in people's browsers"),
        ("self-hosted", "we run it on our own servers")), default="saas"),
    Question("purpose", "In a sentence or two, what will your team use it for?",
             required=True),
    Question("seats", "How many people will log in?", "int", minimum=0),
    # who asks, who owns
    Question("requester-name", "Your name", required=True),
    Question("requester-email", "Your work email", "email", True),
    Question("team", "Your team (e.g. Demand Generation)", required=True),
    Question("business-owner", "Email of the person accountable for the tool", "email", True),
    Question("technical-owner", "Email of whoever will administer it (e.g. marketing-ops@)",
             "email"),
    # data
    Question("personal-data", "Does it handle information about people?", "choice", True, (
        ("none", "no information about people at all"),
        ("pseudonymous", "cookie or device ids but no names (still personal data under "
                         "the GDPR)"),
        ("personal", "names, emails or anything else that identifies someone"),
        ("special-category", "health, religion, ethnicity, sexual orientation, biometrics "
                             "or political views"))),
    Question("data-categories", "Which kinds of information?", "choices", choices=_DATA),
    Question("subjects", "Whose information?", "choices", choices=(
        ("visitors", "people visiting our website"), ("prospects", "leads"),
        ("customers", "customers"), ("employees", "our staff"), ("children", "children"))),
    Question("subject-regions", "Where are these people?", "choices", choices=_REGIONS),
    Question("storage-regions", "Where does the vendor store the data? (ask the vendor)",
             "choices", choices=_REGIONS),
    Question("large-scale", "Is it a lot of people (tens of thousands or more)?", "bool"),
    Question("model-training", "Does the vendor use our data to train AI models?", "bool"),
    Question("retention-days", "How many days does the vendor keep the data?", "int",
             minimum=0),
    # security and contract
    Question("sso", "Can people log in through our company single sign-on (Okta)?",
             "choice", choices=(("saml", "yes, with SAML"), ("oidc", "yes, with OpenID Connect"),
                                ("none", "no, everyone has a separate password"))),
    Question("mfa", "Does it ask for a second step at login (MFA)?", "choice", choices=(
        ("enforced", "required for everyone"), ("available", "offered but optional"),
        ("none", "not offered"))),
    Question("scim", "Are accounts created and removed automatically from Okta (SCIM)?",
             "bool"),
    Question("soc2-period-end", "End date of the vendor's latest SOC 2 Type II report",
             "date"),
    Question("iso27001-expires", "Expiry date of the vendor's ISO 27001 certificate", "date"),
    Question("pentest-date", "Date of the vendor's latest penetration test", "date"),
    Question("encryption-at-rest", "Is our data encrypted where the vendor stores it?", "bool"),
    Question("dpa-signed", "Is a data processing agreement (DPA) signed?", "bool"),
    Question("sells-data", "Does the vendor sell or share our data with others?", "bool"),
    Question("breach-notice-hours", "Within how many hours must the vendor tell us about a "
             "breach?", "int", minimum=0),
    Question("transfer-mechanism", "How is moving EU or UK data abroad covered?", "choice",
             choices=(("not-needed", "it is not moved: the data stays in the EU or UK"),
                      ("adequacy", "the destination has an EU adequacy decision"),
                      ("dpf", "the vendor is certified under the EU-US Data Privacy "
                              "Framework"),
                      ("scc", "standard contractual clauses are in the contract"))),
    Question("tia-done", "Has legal done a transfer impact assessment (TIA)?", "bool"),
    Question("dpia-done", "Has privacy done a data protection impact assessment (DPIA)?",
             "bool"),
    Question("subprocessors-url", "Web page listing the vendor's subprocessors", "url"),
    # integrations (asked in a loop; the flag is --integration)
    Question("integration-system", "Which system?", "choice", True, flag=False),
    Question("integration-direction", "Which way does data go?", "choice", True, (
        ("inbound", "the tool receives data from that system"),
        ("outbound", "the tool sends data to that system"),
        ("bidirectional", "both ways")), flag=False),
    Question("integration-method", "How are they connected?", "choice", True, (
        ("native", "a built-in connector"), ("api", "a custom API integration"),
        ("csv", "file exports and imports"),
        ("middleware", "an integration platform (e.g. Zapier)")), flag=False),
    Question("integration-data", "Which kinds of information go through it?", "choices",
             choices=_DATA, flag=False),
    # tags
    Question("pages", "Which of our pages will the tag be on (ids, e.g. home, pricing)?",
             "slugs"),
    Question("consent-category", "Which cookie-banner category will it load under?",
             "choice", choices=(
                 ("necessary", "needed for the site to work"),
                 ("functional", "remembers choices"), ("analytics", "measures use"),
                 ("marketing", "advertising and retargeting"))),
    Question("session-replay", "Does it record what visitors do (session replay)?", "bool"),
    Question("masking", "What does the recording hide?", "choice", choices=(
        ("all-inputs", "everything people type"), ("sensitive-only", "only sensitive fields"),
        ("none", "nothing"))),
    # agencies
    Question("agency-name", "Which agency runs it?", required=True),
    Question("agency-accounts", "How do agency people log in?", "choice", True, (
        ("named-sso", "each has their own login through our single sign-on"),
        ("shared", "they share logins"))),
    Question("agency-role", "What can the agency do in it?", "choice", True, (
        ("admin", "everything, including settings and users"),
        ("editor", "create and change content"), ("viewer", "only look"))),
    Question("agency-offboarding", "Emails at the agency to contact when someone leaves",
             "emails"),
    Question("agency-flow-down", "Does the agency contract pass our data terms on to them?",
             "bool"),
    # cost and timing
    Question("annual-cost", "What will it cost per year?", "number"),
    Question("currency", "In which currency (e.g. USD, EUR, GBP)?", "currency",
             default="USD"),
    Question("term-months", "How many months is the contract?", "int", minimum=1,
             maximum=120),
    Question("auto-renew", "Does it renew automatically?", "bool"),
    Question("notice-days", "How many days' notice to cancel?", "int", minimum=0),
    Question("renewal-date", "When does it renew?", "date"),
    Question("needed-by", "By when do you need it?", "date"),
    Question("notes", "Anything else reviewers should know?"),
)
QUESTIONS: dict[str, Question] = {q.key: q for q in QUESTION_LIST}

# When the questions that are not always asked are asked (for flags that do not apply).
_PERSONAL = "when it handles personal data (--personal-data other than none)"
ONLY_WHEN = {
    **dict.fromkeys(("data-categories", "subjects", "subject-regions", "large-scale",
                     "model-training"), _PERSONAL),
    "transfer-mechanism": "for personal data of people in the EU or UK (--subject-regions)",
    "tia-done": "with --transfer-mechanism scc",
    "dpia-done": "for special-category or large-scale personal data",
    **dict.fromkeys(("pages", "consent-category", "session-replay"), "with --deployment tag"),
    "masking": "with --session-replay yes",
    **dict.fromkeys(("agency-name", "agency-accounts", "agency-role", "agency-offboarding",
                     "agency-flow-down"), "with --deployment agency-operated"),
    **dict.fromkeys(("currency", "term-months", "auto-renew", "notice-days", "renewal-date"),
                    "with --annual-cost"),
}


# --- checking answers -------------------------------------------------------------

def parse_answer(question: Question, text: str) -> Any:
    """The value of a typed or flag answer; ValueError (with what to type) when it is bad.

    An empty answer to an optional question is None: the field is left out.
    """
    text = text.strip()
    if not text:
        if question.required:
            raise ValueError("an answer is needed")
        return [] if question.kind in ("choices", "emails", "slugs") else None
    return _PARSERS[question.kind](question, text)


def _text(question: Question, text: str) -> str:
    if len(text) > 2000:
        raise ValueError("keep it under 2,000 characters")
    return text


def _email(_question: Question, text: str) -> str:
    if not re.fullmatch(EMAIL_PATTERN, text):
        raise ValueError(f"{text!r} is not an email address like name@example.com")
    return text


def _url(_question: Question, text: str) -> str:
    url = text if re.match(r"^https?://", text) else f"https://{text}"
    if not re.fullmatch(URL_PATTERN, url) or "." not in url.split("//", 1)[1]:
        raise ValueError(f"{text!r} is not a web address like www.example.com")
    return url


def _date(_question: Question, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. "
                         "2027-01-31") from None


def _int(question: Question, text: str) -> int:
    if not re.fullmatch(r"\d+", text.replace(",", "")):
        raise ValueError(f"{text!r} is not a whole number")
    value = int(text.replace(",", ""))
    if question.minimum is not None and value < question.minimum:
        raise ValueError(f"{value} is less than {question.minimum}")
    if question.maximum is not None and value > question.maximum:
        raise ValueError(f"{value} is more than {question.maximum}")
    return value


def _number(_question: Question, text: str) -> int | float:
    cleaned = text.replace(",", "")
    if not re.fullmatch(r"\d+(\.\d+)?", cleaned):
        raise ValueError(f"{text!r} is not an amount like 12000 or 99.50")
    value = float(cleaned)
    return int(value) if value.is_integer() else value


def _bool(_question: Question, text: str) -> bool:
    answer = text.lower()
    if answer in ("y", "yes", "true"):
        return True
    if answer in ("n", "no", "false"):
        return False
    raise ValueError(f"{text!r}: answer yes or no (or leave it empty if you do not know)")


def _choice(question: Question, text: str) -> str:
    values = question.values
    answer = text.strip().lower()
    if answer.isdigit() and 1 <= int(answer) <= len(values):
        return values[int(answer) - 1]
    if answer in values:
        return answer
    raise ValueError(f"{text!r} is not one of the choices; answer with a number or one of: "
                     + ", ".join(values))


def _choices(question: Question, text: str) -> list[str]:
    picked = [_choice(question, part) for part in re.split(r"[,\s]+", text) if part]
    return list(dict.fromkeys(picked))


def _emails(question: Question, text: str) -> list[str]:
    return [_email(question, part) for part in re.split(r"[,\s]+", text) if part]


def _slugs(_question: Question, text: str) -> list[str]:
    pages = [part.lower() for part in re.split(r"[,\s]+", text) if part]
    for page in pages:
        if not re.fullmatch(SLUG_PATTERN, page):
            raise ValueError(f"{page!r} is not a page id: lowercase letters, digits and "
                             "dashes, e.g. pricing")
    return pages


def _currency(_question: Question, text: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{3}", text):
        raise ValueError(f"{text!r} is not a three-letter currency code such as USD")
    return text.upper()


_PARSERS: dict[str, Callable[[Question, str], Any]] = {
    "text": _text, "email": _email, "url": _url, "date": _date, "int": _int,
    "number": _number, "bool": _bool, "choice": _choice, "choices": _choices,
    "emails": _emails, "slugs": _slugs, "currency": _currency,
}


# --- asking -----------------------------------------------------------------------

class Asker(Protocol):
    """Puts questions to a person (the command line implements it with click)."""

    def ask(self, question: Question, default: str | None,
            parse: Callable[[str], Any]) -> Any: ...

    def confirm(self, text: str, default: bool) -> bool: ...

    def section(self, title: str) -> None: ...


@dataclass
class Interview:
    """Answers from flags first, then defaults or the person, as the options say.

    `asker` None is `--no-input`: nothing is asked, defaults are taken, and required
    answers that are missing are collected so they can all be named at once.
    `accept_defaults` is `--yes`: questions with a default (or optional ones) are not
    asked; required ones without a default still are.
    """

    given: Mapping[str, Any]
    asker: Asker | None = None
    accept_defaults: bool = False
    missing: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # Check every flag before asking anything: a typo in the last flag should not
        # cost the answers to every question before it.
        for key, text in self.flags().items():
            self._flag(QUESTIONS[key], text)

    def flags(self) -> dict[str, str]:
        return {key: value for key, value in self.given.items()
                if key in QUESTIONS and value not in (None, "")}

    def unused_flags(self) -> list[str]:
        return [key for key in self.flags() if key not in self.used]

    def get(self, key: str, default: str | None = None,
            choices: Sequence[tuple[str, str]] | None = None) -> Any:
        question = QUESTIONS[key]
        if choices is not None:
            question = Question(question.key, question.prompt, question.kind,
                                question.required, tuple(choices), question.default,
                                flag=question.flag)
        if default is None:
            default = question.default
        self.used.add(key)
        if self.given.get(key) not in (None, ""):
            return self._flag(question, self.given[key])
        if self.asker is None or (self.accept_defaults and
                                  (default is not None or not question.required)):
            if default is not None:
                return parse_answer(question, default)
            if question.required:
                self.missing.append(key)
            return parse_answer(Question(key, "", question.kind), "")
        return self.asker.ask(question, default, lambda text: parse_answer(question, text))

    def _flag(self, question: Question, text: str) -> Any:
        try:
            return parse_answer(question, text)
        except ValueError as exc:
            raise UsageError(f"--{question.key}: {exc}") from None

    def confirm(self, text: str, default: bool = False) -> bool:
        if self.asker is None or self.accept_defaults:
            return default
        return self.asker.confirm(text, default)

    def section(self, title: str) -> None:
        if self.asker is not None:
            self.asker.section(title)


# --- the interview ----------------------------------------------------------------

def interview(iv: Interview, systems: Mapping[str, str],
              claim_id: Callable[[str], str]) -> dict[str, Any]:
    """Ask everything, in order, and return the request document.

    `claim_id(tool name)` returns the request id right after the name is known (and
    raises when the file exists), so nobody answers fifty questions for nothing.
    """
    iv.section("About the tool")
    name = iv.get("name")
    request_id = claim_id(name) if name else None
    tool = _tool(iv, name)
    iv.section("You and the owner")
    requester = {"name": iv.get("requester-name"), "email": iv.get("requester-email"),
                 "team": iv.get("team")}
    owners = {"business": iv.get("business-owner", default=requester["email"]),
              "technical": iv.get("technical-owner")}
    iv.section(f"The data {name or 'the tool'} touches")
    data = _data(iv)
    iv.section("Security and contract (ask the vendor; press Enter to skip what you do not "
               "know)")
    security, privacy = _security(iv), _privacy(iv, data)
    document: dict[str, Any] = {
        "apiVersion": API_VERSION, "kind": KIND, "id": request_id,
        "needed_by": None, "notes": None,
        "tool": tool, "requester": requester, "owners": owners, "data": data,
        "security": security, "privacy": privacy,
        "integrations": _integrations(iv, name or "the tool", systems),
    }
    if tool["deployment"] == "tag":
        iv.section("The tag on our website")
        document["tracking"] = _tracking(iv)
    if tool["deployment"] == "agency-operated":
        iv.section("The agency")
        document["agency"] = _agency(iv)
    iv.section("Cost and timing")
    document["cost"] = _cost(iv)
    document["needed_by"] = iv.get("needed-by")
    document["notes"] = iv.get("notes")
    unused = iv.unused_flags()
    if unused:
        raise UsageError("options that do not apply to these answers: " + "; ".join(
            f"--{key} (asked only {ONLY_WHEN.get(key, 'in another case')})" for key in unused))
    if iv.missing:
        raise UsageError("missing answers (give them as options or drop --no-input): "
                         + ", ".join(f"--{key} ({QUESTIONS[key].prompt.rstrip('?')})"
                                     for key in iv.missing))
    pruned: dict[str, Any] = prune(document)
    return pruned


def _tool(iv: Interview, name: str | None) -> dict[str, Any]:
    vendor, website = iv.get("vendor"), iv.get("website")
    category, deployment = iv.get("category"), iv.get("deployment")
    return {"name": name, "vendor": vendor, "category": category, "deployment": deployment,
            "website": website, "purpose": iv.get("purpose"), "seats": iv.get("seats")}


def _data(iv: Interview) -> dict[str, Any]:
    data: dict[str, Any] = {"personal_data": iv.get("personal-data")}
    if data["personal_data"] not in (None, "none"):
        data["categories"] = iv.get("data-categories")
        data["subjects"] = iv.get("subjects")
        data["subject_regions"] = iv.get("subject-regions")
    data["storage_regions"] = iv.get("storage-regions")
    if data["personal_data"] not in (None, "none"):
        data["large_scale"] = iv.get("large-scale")
        data["used_for_model_training"] = iv.get("model-training")
    data["retention_days"] = iv.get("retention-days")
    return data


def _security(iv: Interview) -> dict[str, Any]:
    return {"sso": iv.get("sso"), "mfa": iv.get("mfa"), "scim": iv.get("scim"),
            "soc2_type2_period_end": iv.get("soc2-period-end"),
            "iso27001_expires": iv.get("iso27001-expires"),
            "pentest_date": iv.get("pentest-date"),
            "encryption_at_rest": iv.get("encryption-at-rest")}


def _privacy(iv: Interview, data: dict[str, Any]) -> dict[str, Any]:
    privacy: dict[str, Any] = {"dpa_signed": iv.get("dpa-signed"),
                               "sells_or_shares_data": iv.get("sells-data"),
                               "breach_notice_hours": iv.get("breach-notice-hours")}
    personal = data.get("personal_data") not in (None, "none")
    # Transfers, TIAs and DPIAs only mean something for personal data of people in the
    # EU or UK (transfers) or for risky processing (DPIA); do not ask everyone.
    if personal and set(data.get("subject_regions") or ()) & {"eu", "uk"}:
        privacy["transfer_mechanism"] = iv.get("transfer-mechanism")
        if privacy["transfer_mechanism"] == "scc":
            privacy["tia_done"] = iv.get("tia-done")
    if personal and (data.get("personal_data") == "special-category"
                     or data.get("large_scale")):
        privacy["dpia_done"] = iv.get("dpia-done")
    privacy["subprocessors_url"] = iv.get("subprocessors-url")
    return privacy


def parse_integration(spec: str, systems: Mapping[str, str]) -> dict[str, Any]:
    """`salesforce:outbound:native:contact,identifiers` -> an integration."""
    parts = spec.split(":")
    if len(parts) not in (3, 4):
        raise UsageError(f"--integration {spec!r}: write SYSTEM:DIRECTION:METHOD[:DATA,...], "
                         "e.g. salesforce:outbound:native:contact,identifiers")
    system_q = Question("integration-system", "", "choice", True,
                        tuple((s, n) for s, n in systems.items()))
    try:
        return {
            "system": parse_answer(system_q, parts[0]),
            "direction": parse_answer(QUESTIONS["integration-direction"], parts[1]),
            "method": parse_answer(QUESTIONS["integration-method"], parts[2]),
            "data": parse_answer(QUESTIONS["integration-data"], parts[3])
            if len(parts) == 4 else [],
        }
    except ValueError as exc:
        raise UsageError(f"--integration {spec!r}: {exc}") from None


def _integrations(iv: Interview, name: str, systems: Mapping[str, str]) -> list[Any]:
    specs = iv.given.get("integration")
    if specs:
        return [parse_integration(spec, systems) for spec in specs]
    found: list[Any] = []
    question = f"Does {name} connect to any of our systems (CRM, warehouse, website...)?"
    while iv.confirm(question if not found else "Another connection?", default=False):
        found.append({
            "system": iv.get("integration-system", choices=list(systems.items())),
            "direction": iv.get("integration-direction"),
            "method": iv.get("integration-method"),
            "data": iv.get("integration-data"),
        })
    return found


def _tracking(iv: Interview) -> dict[str, Any]:
    tracking = {"pages": iv.get("pages"), "consent_category": iv.get("consent-category"),
                "session_replay": iv.get("session-replay")}
    if tracking["session_replay"]:
        tracking["masking"] = iv.get("masking")
    return tracking


def _agency(iv: Interview) -> dict[str, Any]:
    return {"name": iv.get("agency-name"), "accounts": iv.get("agency-accounts"),
            "role": iv.get("agency-role"), "offboarding_contacts": iv.get("agency-offboarding"),
            "flow_down_terms": iv.get("agency-flow-down")}


def _cost(iv: Interview) -> dict[str, Any] | None:
    annual = iv.get("annual-cost")
    if annual is None:
        return None
    return {"annual": annual, "currency": iv.get("currency"),
            "term_months": iv.get("term-months"), "auto_renew": iv.get("auto-renew"),
            "notice_days": iv.get("notice-days"), "renewal_date": iv.get("renewal-date")}


def prune(value: Any) -> Any:
    """Drop unanswered fields (None), and sections left empty, except required ones."""
    if isinstance(value, dict):
        pruned = {k: prune(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in pruned.items()
                if not (isinstance(v, dict) and not v and k in ("security", "privacy"))
                and not (isinstance(v, list) and not v)}
    if isinstance(value, list):
        return [prune(item) for item in value]
    return value
