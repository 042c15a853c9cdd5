"""The questions `martechgov new` asks, the values each allows in plain words, and how an
answer is checked.

The values a choice allows are the request model's (`request_model.Category`, ...), so
the wizard cannot offer what a request may not hold, nor miss what it may; what each
value means, in words a marketer knows, is `plain_words.MEANINGS`: the same words the
editor shows beside each value and martechgov's messages list.

Every question has a flag named after it (`--personal-data personal`). An answer given
as a flag is checked like a typed one, and a bad one is an error naming the flag and
the allowed values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from martechgov import plain_words
from martechgov import request_model as model
from martechgov.request_values import EMAIL_PATTERN, SLUG_PATTERN, URL_PATTERN

AnswerKind = Literal["text", "email", "url", "date", "int", "number", "bool", "choice",
                     "choices", "emails", "slugs", "currency"]
Choices = tuple[tuple[str, str], ...]  # (value, what it means in plain words)


@dataclass(frozen=True)
class Question:
    key: str  # also the flag: --<key>
    prompt: str
    kind: AnswerKind = "text"
    required: bool = False
    choices: Choices = ()
    default: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    flag: bool = True  # False: asked only in a loop (integrations), set by another flag

    @property
    def values(self) -> list[str]:
        return [value for value, _ in self.choices]


# --- what the allowed values mean -------------------------------------------------
# The words are `plain_words.MEANINGS`, the ones the editor and martechgov's messages
# show too; the values are the model's.

MEANINGS: dict[str, tuple[object, dict[str, str]]] = {
    name: (getattr(model, name), words) for name, words in plain_words.MEANINGS.items()
}


def model_choices(allowed: object, meanings: Mapping[str, str]) -> Choices:
    """The values the model's Literal `allowed` holds, each with its meaning.

    The model decides what exists: a meaning for a value it dropped is not offered, and
    a value it gained is offered with no words yet (tests/new/test_questions.py fails
    until it has some).
    """
    values = get_args(allowed)
    ordered = [v for v in meanings if v in values] + [v for v in values if v not in meanings]
    return tuple((value, meanings.get(value, "")) for value in ordered)


def _choices_of(name: str) -> Choices:
    return model_choices(*MEANINGS[name])


# --- the questions ----------------------------------------------------------------

QUESTION_LIST: tuple[Question, ...] = (
    # the tool
    Question("name", "What is the tool called?", required=True),
    Question("vendor", "Which company sells it?", required=True),
    Question("website", "Its website (e.g. www.canva.com)", "url"),
    Question("category", "What kind of tool is it?", "choice", True, _choices_of("Category")),
    Question("deployment", "How will we use it?", "choice", True, _choices_of("Deployment"),
             default="saas"),
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
    Question("personal-data", "Does it handle information about people?", "choice", True,
             _choices_of("PersonalData")),
    Question("data-categories", "Which kinds of information?", "choices",
             choices=_choices_of("DataCategory")),
    Question("subjects", "Whose information?", "choices", choices=_choices_of("Subject")),
    Question("subject-regions", "Where are these people?", "choices",
             choices=_choices_of("Region")),
    Question("storage-regions", "Where does the vendor store the data? (ask the vendor)",
             "choices", choices=_choices_of("Region")),
    Question("large-scale", "Is it a lot of people (tens of thousands or more)?", "bool"),
    Question("model-training", "Does the vendor use our data to train AI models?", "bool"),
    Question("retention-days", "How many days does the vendor keep the data?", "int",
             minimum=0),
    # security and contract
    Question("sso", "Can people log in through our company single sign-on (Okta)?",
             "choice", choices=_choices_of("Sso")),
    Question("mfa", "Does it ask for a second step at login (MFA)?", "choice",
             choices=_choices_of("Mfa")),
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
             choices=_choices_of("TransferMechanism")),
    Question("tia-done", "Has legal done a transfer impact assessment (TIA)?", "bool"),
    Question("dpia-done", "Has privacy done a data protection impact assessment (DPIA)?",
             "bool"),
    Question("subprocessors-url", "Web page listing the vendor's subprocessors", "url"),
    # integrations (asked in a loop; the flag is --integration; the systems are IT's)
    Question("integration-system", "Which system?", "choice", True, flag=False),
    Question("integration-direction", "Which way does data go?", "choice", True,
             _choices_of("Direction"), flag=False),
    Question("integration-method", "How are they connected?", "choice", True,
             _choices_of("Method"), flag=False),
    Question("integration-data", "Which kinds of information go through it?", "choices",
             choices=_choices_of("DataCategory"), flag=False),
    # tags
    Question("pages", "Which of our pages will the tag be on (ids, e.g. home, pricing)?",
             "slugs"),
    Question("consent-category", "Which cookie-banner category will it load under?",
             "choice", choices=_choices_of("ConsentCategory")),
    Question("session-replay", "Does it record what visitors do (session replay)?", "bool"),
    Question("masking", "What does the recording hide?", "choice",
             choices=_choices_of("Masking")),
    # agencies
    Question("agency-name", "Which agency runs it?", required=True),
    Question("agency-accounts", "How do agency people log in?", "choice", True,
             _choices_of("AgencyAccounts")),
    Question("agency-role", "What can the agency do in it?", "choice", True,
             _choices_of("AgencyRole")),
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
