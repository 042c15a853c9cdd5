"""Best guesses about tools nobody has requested yet: who sells them, where, what kind.

Discovery finds names like "CANVA* 104839201" or an OAuth app called "Apollo.io". To
list them usefully and draft a request for them it needs a vendor, a website and a
category. For well-known marketing and productivity tools this small catalog knows
them; for anything else a keyword table guesses the category and says `other` when it
cannot tell. These are guesses for a person to confirm, never facts the policies use.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from martechgov.discover.names import NameIndex, registrable
from martechgov.request_model import Category


@dataclass(frozen=True)
class CatalogTool:
    name: str
    vendor: str
    domain: str
    category: Category
    aliases: tuple[str, ...] = ()  # other names it shows up under (old names, products)


CATALOG: tuple[CatalogTool, ...] = (
    CatalogTool("Canva", "Canva Pty Ltd", "canva.com", "content"),
    CatalogTool("Hootsuite", "Hootsuite Inc.", "hootsuite.com", "social"),
    CatalogTool("Buffer", "Buffer, Inc.", "buffer.com", "social"),
    CatalogTool("Later", "Later Media Inc.", "later.com", "social"),
    CatalogTool("Sprout Social", "Sprout Social, Inc.", "sproutsocial.com", "social"),
    CatalogTool("Calendly", "Calendly LLC", "calendly.com", "other"),
    CatalogTool("Loom", "Loom, Inc.", "loom.com", "content"),
    CatalogTool("Vimeo", "Vimeo.com, Inc.", "vimeo.com", "content"),
    CatalogTool("Wistia", "Wistia, Inc.", "wistia.com", "content"),
    CatalogTool("Descript", "Descript, Inc.", "descript.com", "content"),
    CatalogTool("Apollo.io", "Apollo.io", "apollo.io", "enrichment", ("apollo io",)),
    CatalogTool("Clearbit", "Clearbit (HubSpot, Inc.)", "clearbit.com", "enrichment"),
    CatalogTool("Lusha", "Lusha Systems Inc.", "lusha.com", "enrichment"),
    CatalogTool("Hunter", "Hunter Web Services", "hunter.io", "enrichment"),
    CatalogTool("Grammarly", "Grammarly, Inc.", "grammarly.com", "content"),
    CatalogTool("ChatGPT", "OpenAI", "openai.com", "content",
                ("openai", "openai chatgpt", "chatgpt plus", "chatgpt enterprise")),
    CatalogTool("Jasper", "Jasper AI, Inc.", "jasper.ai", "content", ("jasper ai",)),
    CatalogTool("Midjourney", "Midjourney, Inc.", "midjourney.com", "content"),
    CatalogTool("Miro", "Miro", "miro.com", "other", ("realtimeboard",)),
    CatalogTool("Figma", "Figma, Inc.", "figma.com", "content"),
    CatalogTool("Notion", "Notion Labs, Inc.", "notion.so", "other"),
    CatalogTool("Airtable", "Formagrid Inc.", "airtable.com", "other"),
    CatalogTool("Zapier", "Zapier, Inc.", "zapier.com", "other"),
    CatalogTool("Mailchimp", "Intuit Mailchimp", "mailchimp.com", "email"),
    CatalogTool("Klaviyo", "Klaviyo, Inc.", "klaviyo.com", "email"),
    CatalogTool("SendGrid", "Twilio Inc.", "sendgrid.com", "email"),
    CatalogTool("SurveyMonkey", "SurveyMonkey Inc.", "surveymonkey.com", "survey",
                ("momentive",)),
    CatalogTool("Jotform", "Jotform Inc.", "jotform.com", "survey"),
    CatalogTool("Ahrefs", "Ahrefs Pte. Ltd.", "ahrefs.com", "seo"),
    CatalogTool("Moz Pro", "Moz, Inc.", "moz.com", "seo", ("moz",)),
    CatalogTool("Unbounce", "Unbounce Marketing Solutions", "unbounce.com", "content"),
    CatalogTool("Webflow", "Webflow, Inc.", "webflow.com", "content"),
    CatalogTool("Hotjar", "Hotjar Ltd", "hotjar.com", "session-replay"),
    CatalogTool("FullStory", "FullStory, Inc.", "fullstory.com", "session-replay"),
    CatalogTool("Google Ads", "Google LLC", "ads.google.com", "ad-platform",
                ("google ads", "adwords", "google adwords")),
    CatalogTool("LinkedIn Ads", "LinkedIn Corporation", "linkedin.com", "ad-platform",
                ("linkedin ads", "linkedin marketing solutions")),
    CatalogTool("LinkedIn Sales Navigator", "LinkedIn Corporation", "linkedin.com",
                "enrichment", ("sales navigator",)),
    CatalogTool("Meta Ads", "Meta Platforms, Inc.", "facebook.com", "ad-platform",
                ("facebook ads", "facebk ads", "meta ads")),
    CatalogTool("TikTok Ads", "TikTok Inc.", "tiktok.com", "ad-platform", ("tiktok ads",)),
    CatalogTool("Livestorm", "Livestorm SAS", "livestorm.co", "webinar"),
    CatalogTool("ON24", "ON24, Inc.", "on24.com", "webinar"),
    CatalogTool("Intercom", "Intercom, Inc.", "intercom.com", "marketing-automation"),
    CatalogTool("Pipedrive", "Pipedrive Inc.", "pipedrive.com", "crm"),
)

# Whole words in a name -> a category, for tools the catalog does not know. Checked in
# order; the first hit wins. Anything else is `other`: a wrong guess is worse than none.
CATEGORY_KEYWORDS: tuple[tuple[tuple[str, ...], Category], ...] = (
    (("ads", "adwords", "advertising", "dsp"), "ad-platform"),
    (("pixel",), "ad-pixel"),
    (("analytics", "metrics", "insights"), "analytics"),
    (("experiment", "experimentation", "abtest", "optimize"), "ab-testing"),
    (("survey", "surveys", "forms", "form", "poll", "feedback"), "survey"),
    (("webinar", "webinars", "events", "livestream"), "webinar"),
    (("seo", "rank", "keywords", "backlinks"), "seo"),
    (("social", "tweet", "instagram"), "social"),
    (("crm",), "crm"),
    (("mail", "email", "newsletter", "smtp"), "email"),
    (("automation", "nurture", "drip"), "marketing-automation"),
    (("replay", "heatmap", "heatmaps", "recordings"), "session-replay"),
    (("tag", "tags", "tagmanager"), "tag-management"),
    (("enrich", "enrichment", "leads", "prospecting", "contacts", "intent"), "enrichment"),
    (("cdp", "segment"), "cdp"),
    (("design", "video", "content", "writer", "copy", "images", "studio"), "content"),
)


def guess_category(words: list[str]) -> Category:
    """A category for a tool known only by its name's words; `other` when unsure."""
    present = set(words)
    for keywords, category in CATEGORY_KEYWORDS:
        if present.intersection(keywords):
            return category
    return "other"


@functools.cache
def catalog_index() -> NameIndex[CatalogTool]:
    """The index of the built-in catalog (built once: it never changes)."""
    index: NameIndex[CatalogTool] = NameIndex()
    for tool in CATALOG:
        index.add_name(tool.name, tool)
        for alias in tool.aliases:
            index.add_name(alias, tool, brand=False)
        index.add_domain(registrable(tool.domain), tool)
    return index
