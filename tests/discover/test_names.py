"""Normalising card-statement and app names, and matching them through the index."""

from __future__ import annotations

import pytest

from martechgov.discover.known import KnownTool, build_index
from martechgov.discover.names import normalise, website_domain


@pytest.mark.parametrize("raw, words, domains", [
    ("HUBSPOT *INC", ("hubspot",), ()),
    ("SQ *ZOOM.US 888-799", ("zoom",), ("zoom.us",)),
    ("PAYPAL *MAILCHIMP", ("mailchimp",), ()),
    ("GOOGLE *ADS1234", ("google", "ads"), ()),
    ("HUBSPOT INC CAMBRIDGE MA", ("hubspot",), ()),  # the city is where, not what
    ("CANVA* 104839201", ("canva",), ()),
    ("OPENAI *CHATGPT SUBSCR", ("openai", "chatgpt"), ()),
    ("www.app.hubspot.com", ("hubspot",), ("hubspot.com",)),
    ("Apollo.io", ("apollo",), ("apollo.io",)),
    ("TYPEFORM SL", ("typeform",), ()),
])
def test_normalise_card_statement_noise(raw: str, words: tuple[str, ...],
                                        domains: tuple[str, ...]) -> None:
    name = normalise(raw)
    assert (name.words, name.domains) == (words, domains)


KNOWN = [
    KnownTool("hubspot-marketing-hub", "HubSpot Marketing Hub", "HubSpot, Inc.",
              "https://www.hubspot.com/products/marketing", "review", approved=True),
    KnownTool("zoom-webinars", "Zoom Webinars", "Zoom Communications, Inc.",
              "https://zoom.us/webinar", "approve", approved=True),
    KnownTool("typeform", "Typeform", "TYPEFORM SL", "https://www.typeform.com", "approve",
              approved=True),
    KnownTool("semrush", "Semrush", "Semrush Inc.", "https://www.semrush.com", "approve",
              approved=True),
    KnownTool("google-analytics-4", "Google Analytics 4", "Google LLC",
              "https://marketingplatform.google.com/about/analytics/", "approve", approved=True),
    KnownTool("twilio-segment", "Twilio Segment", "Twilio Inc.", "https://segment.com",
              "review", approved=True),
    KnownTool("mailchimp", "Mailchimp Standard", "Intuit Mailchimp", "https://mailchimp.com",
              "deny", approved=False),
]


@pytest.mark.parametrize("raw, tool, how", [
    ("HUBSPOT *INC", "hubspot-marketing-hub", "name"),
    ("HubSpot Sales", "hubspot-marketing-hub", "name"),
    ("SQ *ZOOM.US 888-799", "zoom-webinars", "domain"),
    ("Zoom for Google Workspace", "zoom-webinars", "name"),
    ("TYPEFROM SL BARCELONA", "typeform", "fuzzy"),
    ("SEMRSH INC", "semrush", "fuzzy"),
    ("HUBSPTO INC", "hubspot-marketing-hub", "fuzzy"),
    ("SEGMENT.COM", "twilio-segment", "domain"),
    ("PAYPAL *MAILCHIMP", "mailchimp", "name"),
    ("Google Analytics", "google-analytics-4", "name"),
])
def test_misspelled_and_noisy_names_match(raw: str, tool: str, how: str) -> None:
    match = build_index(KNOWN).match(normalise(raw))
    assert match is not None
    assert (match.targets[0].id, match.how) == (tool, how)


@pytest.mark.parametrize("raw", [
    "GOOGLE *ADS1234",  # Google sells many products: the vendor alone proves nothing
    "LOOM.COM",  # four letters from "zoom": too short to be a misspelling
    "STARBUCKS STORE 10234", "Canva", "TWILIO SENDGRID",
])
def test_other_tools_do_not_match(raw: str) -> None:
    assert build_index(KNOWN).match(normalise(raw)) is None


@pytest.mark.parametrize("url, domain", [
    ("https://www.hubspot.com/products/marketing", "hubspot.com"),
    ("http://shop.example.co.uk:8080/x", "example.co.uk"), ("https://localhost/", None),
    (None, None), ("", None),
])
def test_website_domain(url: str | None, domain: str | None) -> None:
    assert website_domain(url) == domain
