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

# tracking.gpc_honoured -------------------------------------------------------------
# Ad tags and tools whose vendor sells or shares the data must stop for visitors whose
# browser sends an opt-out preference signal (Global Privacy Control).
shares_visitor_data if ad_tool

shares_visitor_data if input.request.privacy.sells_or_shares_data == true

deny contains finding if {
	_ := input.request.tracking
	shares_visitor_data
	not input.request.tracking.honors_gpc == true
	finding := {
		"rule": "tracking.gpc_honoured",
		"message": sprintf("%v shares or sells what visitors do on our website, and it is not confirmed that it stops when a visitor's browser sends an opt-out preference signal (Global Privacy Control), which California law treats as a valid opt-out of sale and sharing.", [lib.tool_name]),
		"fix": "Configure the tag (or the consent banner) to honour Global Privacy Control signals and set `tracking.honors_gpc: true`.",
		"field": "tracking.honors_gpc",
	}
}

# tracking.health_geofencing --------------------------------------------------------
# Washington's My Health My Data Act forbids geofences around in-person health care
# facilities. An ad tool with location data that does not say how it geofences may.
geofencing := g if {
	g := input.request.tracking.geofencing
} else := "unrestricted" if {
	ad_tool
	location_data
} else := "none"

data_categories := object.get(input.request.data, "categories", [])

location_data if "location" in data_categories

# No categories stated: they may be any, location too.
location_data if count(data_categories) == 0

deny contains finding if {
	geofencing == "unrestricted"
	finding := {
		"rule": "tracking.health_geofencing",
		"message": sprintf("%v may target people by location without excluding clinics, hospitals and pharmacies; geofencing around in-person health care facilities is unlawful under Washington's My Health My Data Act.", [lib.tool_name]),
		"fix": "Exclude health care facilities from every geofence (or turn location targeting off) and set `tracking.geofencing` to `health-facilities-excluded` or `none`.",
		"field": "tracking.geofencing",
	}
}

# tracking.health_breach_exposure ---------------------------------------------------
# Any tag on pages about people's health sends what they read to its vendor: without
# their authorization that is a breach of health information under the FTC's Health
# Breach Notification Rule. (Ad tags there are already refused: tracking.sensitive_pages.)
review contains finding if {
	not ad_tool
	some i, page in input.request.tracking.pages
	page in data.martech.config.health.pages
	finding := {
		"rule": "tracking.health_breach_exposure",
		"message": sprintf("%v would run on the \"%v\" pages, which are about people's health; sharing what visitors do there with a vendor without their authorization is a breach we would have to notify under the FTC Health Breach Notification Rule.", [lib.tool_name, page]),
		"fix": sprintf("Remove \"%v\" from `tracking.pages` (exclude those pages in the tag manager), or have legal confirm that visitors authorize the sharing.", [page]),
		"field": sprintf("tracking.pages[%v]", [i]),
		"team": "legal",
	}
}
