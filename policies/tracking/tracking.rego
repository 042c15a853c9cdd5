# Tracking: tags on our website, on which pages they fire, under which cookie-consent
# category, and whether session recordings hide what visitors type. Lists:
# data.martech.config.tracking.
package martech.rules.tracking

import rego.v1

import data.martech.lib

config := data.martech.config.tracking

category := input.request.tool.category

# tracking.consent_category ---------------------------------------------------------
# Ad pixels and ad platforms need the visitor's marketing consent, whatever else the
# request says (a missing tracking section or consent category included).
ad_tool if category in config.ad_categories

deny contains finding if {
	ad_tool
	not input.request.tracking.consent_category == "marketing"
	finding := {
		"rule": "tracking.consent_category",
		"message": sprintf("%v is an advertising tool (%v), so its tags may only load after the visitor agrees to marketing cookies (ePrivacy Directive) and must stop for people who opt out of sale or sharing (CCPA); it is not filed under the marketing consent category.", [lib.tool_name, category]),
		"fix": "Set `tracking.consent_category: marketing` and file the tag under marketing in the consent banner.",
		"field": "tracking.consent_category",
	}
}

deny contains finding if {
	not ad_tool
	tracking := input.request.tracking
	not tracking.consent_category
	finding := {
		"rule": "tracking.consent_category",
		"message": sprintf("%v must declare the cookie-consent category its tag loads under; without it the consent banner cannot decide whether the tag may fire.", [lib.tool_name]),
		"fix": "Set `tracking.consent_category` to `necessary`, `functional`, `analytics` or `marketing`, matching the category the tag is filed under in the consent banner.",
		"field": "tracking.consent_category",
	}
}

deny contains finding if {
	not ad_tool
	input.request.tracking.consent_category == "necessary"
	category in config.consent_required_categories
	finding := {
		"rule": "tracking.consent_category",
		"message": sprintf("%v is in the %v category, so its tag cannot be \"necessary\": it needs the visitor's consent (ePrivacy Directive) and must respect opt-outs (CCPA), and may only fire after the visitor agrees.", [lib.tool_name, category]),
		"fix": "Set `tracking.consent_category` to `analytics` or `marketing` and file the tag under that category in the consent banner.",
		"field": "tracking.consent_category",
	}
}

# tracking.sensitive_pages ----------------------------------------------------------
deny contains finding if {
	category in config.ad_categories
	some i, page in input.request.tracking.pages
	page in config.sensitive_pages
	finding := {
		"rule": "tracking.sensitive_pages",
		"message": sprintf("%v is an advertising tag and would fire on the \"%v\" pages. Ad tags on health, checkout or account pages leak what people buy, read or suffer from to ad networks; GoodRx paid a $1.5 million FTC penalty for sharing health data with Facebook and Google this way (FTC v. GoodRx, 2023).", [lib.tool_name, page]),
		"fix": sprintf("Remove \"%v\" from `tracking.pages` and exclude those pages in the tag manager's trigger.", [page]),
		"field": sprintf("tracking.pages[%v]", [i]),
	}
}

# tracking.session_replay_masking ---------------------------------------------------
# A session-replay tool records sessions even if its request leaves out `tracking`.
records_sessions if input.request.tracking.session_replay == true

# A tag that does not say it records no sessions may well record them.
records_sessions if {
	_ := input.request.tracking
	not input.request.tracking.session_replay == false
}

records_sessions if category == "session-replay"

deny contains finding if {
	records_sessions
	not input.request.tracking.masking == "all-inputs"
	finding := {
		"rule": "tracking.session_replay_masking",
		"message": sprintf("%v records visitors' sessions without hiding everything they type, so passwords, card numbers and health details typed into forms would end up in the recordings.", [lib.tool_name]),
		"fix": "Turn on masking of all input fields in the tool's privacy settings and set `tracking.masking: all-inputs`.",
		"field": "tracking.masking",
	}
}
