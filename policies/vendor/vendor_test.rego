package martech.test.vendor

import rego.v1

import data.martech.rules.vendor
import data.martech.test.fixtures

# The fixture request passes every vendor rule (vendor has no warn rules).
test_fixture_is_quiet if {
	r := fixtures.request
	deny := vendor.deny with input.request as r with input.as_of as "2026-11-23"
	review := vendor.review with input.request as r with input.as_of as "2026-11-23"
	count(deny) + count(review) == 0
}

# vendor.blocked --------------------------------------------------------------------
# martechgov folds both sides in Python (request_model.name_key): the request's vendor
# into input.keys.vendor, each block-list entry's name and aliases into its `keys`.
# So `Kochava`, `Kochava Inc` and `KOCHAVA, INC.` are all the key `kochava`.
test_blocked_denies_listed_vendor_with_reason if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "Kochava, Inc."}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
		with input.keys as {"vendor": "kochava"}
	some f in fs
	f.rule == "vendor.blocked"
	f.field == "tool.vendor"
	contains(f.message, "Acme Analytics")
	contains(f.message, "FTC v. Kochava")
}

test_blocked_matches_the_name_without_its_legal_form if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "Kochava"}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
		with input.keys as {"vendor": "kochava"}
	fixtures.fired(fs, "vendor.blocked")
}

test_blocked_matches_an_alias if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "Kochava Collective"}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
		with input.keys as {"vendor": "kochava collective"}
	fixtures.fired(fs, "vendor.blocked")
}

test_blocked_keys_come_from_the_name_and_aliases if {
	some b in data.martech.config.vendors.blocked
	b.vendor == "Kochava Inc."
	b.keys == ["kochava", "kochava collective"]
}

test_blocked_quiet_for_a_different_vendor if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "Kochava Analytics"}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
		with input.keys as {"vendor": "kochava analytics"}
	not fixtures.fired(fs, "vendor.blocked")
}

test_blocked_reads_the_key_not_the_name_as_written if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "Kochava Inc."}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
		with input.keys as {"vendor": "acme"}
	not fixtures.fired(fs, "vendor.blocked")
}

test_blocked_list_comes_from_data if {
	r := fixtures.request
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
		with input.keys as {"vendor": "acme"}
		with data.martech.config.vendors.blocked as [{"vendor": "Acme", "reason": "Test reason.", "keys": ["acme"]}]
	some f in fs
	f.rule == "vendor.blocked"
	contains(f.message, "Test reason.")
}

# vendor.high_risk_category ---------------------------------------------------------
test_high_risk_category_reviews_enrichment if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "enrichment"}])
	fs := vendor.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "vendor.high_risk_category"
	f.team == "privacy"
	f.field == "tool.category"
}

test_high_risk_category_reviews_ad_pixel if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "ad-pixel"}])
	fs := vendor.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "vendor.high_risk_category")
}

test_high_risk_category_quiet_for_ad_platform if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "ad-platform"}])
	fs := vendor.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "vendor.high_risk_category")
}

test_high_risk_category_list_comes_from_data if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "enrichment"}])
	fs := vendor.review with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.vendors.high_risk_categories as ["session-replay"]
	not fixtures.fired(fs, "vendor.high_risk_category")
}

# vendor.data_broker_registered -----------------------------------------------------
test_data_broker_registered_denies_an_unregistered_broker if {
	r := fixtures.changed([{"op": "add", "path": "/privacy/vendor_is_data_broker", "value": true}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "vendor.data_broker_registered"
	f.field == "privacy.delete_act_registered"
}

test_data_broker_registered_quiet_for_a_registered_broker if {
	r := fixtures.changed([
		{"op": "add", "path": "/privacy/vendor_is_data_broker", "value": true},
		{"op": "add", "path": "/privacy/delete_act_registered", "value": true},
	])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "vendor.data_broker_registered")
}

test_data_broker_registered_reviews_an_enrichment_tool_that_does_not_say if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "enrichment"}])
	fs := vendor.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "vendor.data_broker_registered"
	f.team == "privacy"
}

test_data_broker_registered_quiet_for_an_enrichment_tool_that_is_no_broker if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "enrichment"},
		{"op": "add", "path": "/privacy/vendor_is_data_broker", "value": false},
	])
	fs := vendor.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "vendor.data_broker_registered")
}
