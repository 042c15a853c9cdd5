"""The plain words a marketer reads about the request format, written once.

`MEANINGS` says what each allowed value means (the wizard lists them, the editor shows
them beside each value, an invalid value's message lists them); `HINTS` say how to write
a kind of value (the editor's message and martechgov's own say the same). The request
model decides which values exist (`request_model.Category`, ...): a value it gains has
no words until they are added here, and a test says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# How to write a kind of value: the editor's message (JSON Schema `errorMessage`) and
# the start of martechgov's own message for a value of the wrong kind.
HINTS = {
    "date": "write dates as YYYY-MM-DD, e.g. 2027-01-15",
    "money": "write the amount as a plain number, e.g. 9000",
    "count": "write a whole number, e.g. 25",
    "bool": "write true or false",
    "text": "write it as text (in quotes if it looks like a number or a date)",
    "slug": "write a lowercase id of letters, digits and dashes, e.g. hubspot-marketing-hub",
    "email": "write an email address, e.g. name@example.com",
    "url": "write a web address starting with https://, e.g. https://www.example.com",
    "currency": "write a three-letter currency code in capitals, e.g. USD, EUR or GBP",
    "list": "write a list in brackets, e.g. [first, second]",
    "section": "write a section of keys and values, one per line, indented under it",
}

# What each allowed value means, per `request_model` Literal, in the order the wizard
# numbers them (not always the model's: a typed "2" for the deployment has meant `tag`
# since the wizard began).
MEANINGS: dict[str, dict[str, str]] = {
    "Category": {
        "analytics": "measures website traffic and campaigns",
        "ab-testing": "tests versions of a page against each other",
        "ad-platform": "buys or manages ads",
        "ad-pixel": "an ad network's tracking script on our website",
        "cdp": "collects customer data into profiles",
        "crm": "keeps customer and deal records",
        "email": "sends newsletters or emails",
        "marketing-automation": "nurture emails, landing pages, lead scoring",
        "social": "schedules posts and answers comments",
        "session-replay": "records what visitors do on our website",
        "tag-management": "manages the scripts on our website",
        "enrichment": "adds company or contact details to leads",
        "survey": "forms and surveys",
        "content": "design, video, writing or images",
        "webinar": "webinars and online events",
        "seo": "search rankings and keywords",
        "other": "none of these"},
    "Deployment": {
        "saas": "a website or app people log in to",
        "tag": "a script or pixel on our website",
        "agency-operated": "an agency runs it for us",
        "browser-extension": "installed in people's browsers",
        "self-hosted": "we run it on our own servers"},
    "PersonalData": {
        "none": "no information about people at all",
        "pseudonymous": "cookie or device ids but no names (still personal data under the "
                        "GDPR)",
        "personal": "names, emails or anything else that identifies someone",
        "special-category": "health, religion, ethnicity, sexual orientation, biometrics or "
                            "political views"},
    "DataCategory": {
        "contact": "names, emails, phone numbers", "identifiers": "customer or account ids",
        "behavioral": "clicks, pages visited, purchases",
        "device": "device or browser ids, IP addresses", "location": "where people are",
        "financial": "payment or bank details", "health": "anything about health",
        "biometric": "faces, fingerprints, voices", "children": "data about children",
        "employee": "data about our staff", "content": "messages, files, recordings"},
    "Subject": {
        "visitors": "people visiting our website", "prospects": "leads",
        "customers": "customers", "employees": "our staff", "children": "children"},
    "Region": {
        "eu": "the European Union", "uk": "the United Kingdom", "us": "the United States",
        "ca": "Canada", "br": "Brazil", "apac": "Asia-Pacific", "other": "anywhere else"},
    "Sso": {"saml": "yes, with SAML", "oidc": "yes, with OpenID Connect",
            "none": "no, everyone has a separate password"},
    "Mfa": {"enforced": "required for everyone", "available": "offered but optional",
            "none": "not offered"},
    "TransferMechanism": {
        "not-needed": "it is not moved: the data stays in the EU or UK",
        "adequacy": "the destination has an EU adequacy decision",
        "dpf": "the vendor is certified under the EU-US Data Privacy Framework",
        "scc": "standard contractual clauses are in the contract"},
    "Direction": {
        "inbound": "the tool receives data from that system",
        "outbound": "the tool sends data to that system", "bidirectional": "both ways"},
    "Method": {
        "native": "a built-in connector", "api": "a custom API integration",
        "csv": "file exports and imports",
        "middleware": "an integration platform (e.g. Zapier)"},
    "ConsentCategory": {
        "necessary": "needed for the site to work", "functional": "remembers choices",
        "analytics": "measures use", "marketing": "advertising and retargeting"},
    "Masking": {
        "all-inputs": "everything people type", "sensitive-only": "only sensitive fields",
        "none": "nothing"},
    "AgencyAccounts": {
        "named-sso": "each has their own login through our single sign-on",
        "shared": "they share logins"},
    "AgencyRole": {
        "admin": "everything, including settings and users",
        "editor": "create and change content", "viewer": "only look"},
}


def meanings_of(values: Iterable[object]) -> dict[str, str]:
    """The meanings of the values of one set of allowed values (the words of the table
    entry holding exactly these values), in the order given; {} when none has words."""
    wanted = [str(v) for v in values]
    for words in MEANINGS.values():
        if set(words) == set(wanted):
            return {value: words[value] for value in wanted}
    return {}


def listed(choices: Mapping[str, str], code: bool = True) -> str:
    """`saas (a website or app people log in to), tag (...)`: values with meanings, each
    value in backticks unless `code` is false (the editor shows text as is)."""
    tick = "`" if code else ""
    return ", ".join(f"{tick}{value}{tick} ({meaning})" if meaning else f"{tick}{value}{tick}"
                     for value, meaning in choices.items())
