"""`martechgov new`: the interview that turns answers into a request document.

The questions and how each answer is checked are in `questions`; this module asks them
in order, skipping those that do not apply, and builds the document. It never prints or
reads the terminal itself: an `Asker` does (the command line passes one built on click
prompts), so the same interview runs from flags alone (`--no-input`). Optional questions
can be skipped: the field is then left out, which the rules treat as the unsafe case and
explain in the decision.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from martechgov.errors import UsageError
from martechgov.new.questions import QUESTIONS, Question, parse_answer
from martechgov.request_model import API_VERSION, KIND

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
              claim_id: Callable[[str], str],
              fields: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Ask everything, in order, and return the request document.

    `fields` are the questions IT added in policies/fields.yaml (`PolicySet.fields`):
    asked after the core ones, each answer written at its dotted path.

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
    if fields:
        iv.section("IT's questions (press Enter to skip what you do not know)")
        for path, answer in _it_fields(iv, fields).items():
            section, key = path.split(".")
            document.setdefault(section, {})
            document[section] = {**(document[section] or {}), key: answer}
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


KINDS = {"bool": "bool", "int": "int", "string": "text", "date": "date", "enum": "choice",
         "list": "choices"}


def _it_fields(iv: Interview, fields: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Each IT-declared field as a question (never with --no-input or --yes: left out,
    the rules treat it as the unsafe case)."""
    answers: dict[str, Any] = {}
    if iv.asker is None or iv.accept_defaults:  # optional questions: not asked with --yes
        return answers
    for path, decl in fields.items():
        question = Question(path, str(decl["description"]), KINDS[decl["type"]],  # type: ignore[arg-type]
                            choices=tuple((decl.get("values") or {}).items()),
                            minimum=decl.get("minimum"), maximum=decl.get("maximum"),
                            flag=False)
        value = iv.asker.ask(question, None, functools.partial(parse_answer, question))
        if value not in (None, "", []):
            answers[path] = value
    return answers


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
