# Vendor: who IT will not contract with at all, and which kinds of tools privacy always
# looks at. Lists: data.martech.config.vendors.
package martech.rules.vendor

import rego.v1

import data.martech.lib

vendors := data.martech.config.vendors

# vendor.blocked --------------------------------------------------------------------
# Names compare through lib.vendor_key (computed once by martechgov, so that every
# engine agrees on odd spaces, compatibility characters and non-ASCII capitals).
# Each entry's `keys` are its name and aliases as martechgov compares names (legal
# forms, punctuation, case and accents set aside): computed once, in Python, for both
# sides, so `Kochava`, `Kochava Inc` and `KOCHAVA, INC.` are one vendor on every engine.
deny contains finding if {
	some b in vendors.blocked
	lib.vendor_key in b.keys
	finding := {
		"rule": "vendor.blocked",
		"message": sprintf("%v is made by %v, a vendor the company does not work with. IT's reason: %v", [lib.tool_name, b.vendor, b.reason]),
		"fix": "Choose a tool from another vendor and update `tool.vendor` (and the rest of the request) to match. If you think the vendor was matched by mistake, contact IT before resubmitting.",
		"field": "tool.vendor",
	}
}

# vendor.high_risk_category ---------------------------------------------------------
review contains finding if {
	input.request.tool.category in vendors.high_risk_categories
	finding := {
		"rule": "vendor.high_risk_category",
		"message": sprintf("%v is in the %v category; tools of this kind often collect or resell data about people, so the privacy team reviews every one.", [lib.tool_name, input.request.tool.category]),
		"fix": "Describe in `tool.purpose` exactly what the tool will do and what data it collects, and fill in the `data` and `privacy` sections completely so the privacy team can review it quickly.",
		"field": "tool.category",
		"team": "privacy",
	}
}

# vendor.data_broker_registered -----------------------------------------------------
# California's Delete Act: data brokers must register with the California Privacy
# Protection Agency (and honour deletion requests through its DROP platform).
deny contains finding if {
	input.request.privacy.vendor_is_data_broker == true
	not input.request.privacy.delete_act_registered == true
	finding := {
		"rule": "vendor.data_broker_registered",
		"message": sprintf("%v's vendor is a data broker that is not confirmed to be registered with the California Privacy Protection Agency, as the Delete Act requires.", [lib.tool_name]),
		"fix": "Check the vendor in the CPPA's data broker registry and set `privacy.delete_act_registered: true`; IT does not buy from unregistered brokers.",
		"field": "privacy.delete_act_registered",
	}
}

# An enrichment vendor that does not say whether it is a data broker may well be one.
review contains finding if {
	input.request.tool.category == "enrichment"
	not input.request.privacy.vendor_is_data_broker == false
	not input.request.privacy.vendor_is_data_broker == true
	finding := {
		"rule": "vendor.data_broker_registered",
		"message": sprintf("%v is an enrichment tool and the request does not say whether its vendor is a data broker, which must be registered under California's Delete Act.", [lib.tool_name]),
		"fix": "Ask the vendor and set `privacy.vendor_is_data_broker` (and, for a broker, `privacy.delete_act_registered`).",
		"field": "privacy.vendor_is_data_broker",
		"team": "privacy",
	}
}
