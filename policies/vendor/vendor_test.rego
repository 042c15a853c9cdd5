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
test_blocked_denies_listed_vendor_with_reason if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "Kochava Inc."}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "vendor.blocked"
	f.field == "tool.vendor"
	contains(f.message, "Acme Analytics")
	contains(f.message, "FTC v. Kochava")
}

test_blocked_ignores_case if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "CLEARVIEW ai"}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "vendor.blocked")
}

test_blocked_quiet_for_similar_but_different_name if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "Kochava"}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "vendor.blocked")
}

test_blocked_list_comes_from_data if {
	r := fixtures.request
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.vendors.blocked as [{"vendor": "acme inc.", "reason": "Test reason."}]
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
