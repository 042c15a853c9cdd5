package martech.test.procurement

import rego.v1

import data.martech.rules.procurement
import data.martech.test.fixtures

# The fixture request passes every procurement rule (procurement has no deny rules).
test_fixture_is_quiet if {
	r := fixtures.request
	review := procurement.review with input.request as r with input.as_of as "2026-11-23"
	warn := procurement.warn with input.request as r with input.as_of as "2026-11-23"
	count(review) + count(warn) == 0
}

# procurement.cost_review -----------------------------------------------------------
test_cost_review_reviews_exactly_at_the_threshold if {
	r := fixtures.changed([{"op": "replace", "path": "/cost/annual", "value": 25000}])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "procurement.cost_review"
	f.team == "finance"
	f.field == "cost.annual"
	contains(f.message, "25000 USD")
}

# A fraction prints differently through sprintf on every engine (regopy: 82283.10000000001,
# OPA: 1.2500005e+06 for 1250000.5); the message prints whole cents.
test_cost_review_message_prints_cents if {
	r := fixtures.changed([
		{"op": "replace", "path": "/cost/annual", "value": 82283.1},
		{"op": "replace", "path": "/cost/currency", "value": "EUR"},
	])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "procurement.cost_review"
	f.message == "Acme Analytics costs 82283.10 EUR a year, at or above the 23000 EUR limit that finance reviews."
}

test_cost_review_message_prints_large_fractions_in_full if {
	r := fixtures.changed([{"op": "replace", "path": "/cost/annual", "value": 1250000.5}])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "procurement.cost_review"
	contains(f.message, "costs 1250000.50 USD a year")
}

test_cost_review_quiet_just_below_the_threshold if {
	r := fixtures.changed([{"op": "replace", "path": "/cost/annual", "value": 24999.99}])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "procurement.cost_review")
}

test_cost_review_uses_the_currency_threshold if {
	r := fixtures.changed([
		{"op": "replace", "path": "/cost/annual", "value": 20000},
		{"op": "replace", "path": "/cost/currency", "value": "GBP"},
	])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "procurement.cost_review")
}

test_cost_review_reviews_unknown_currency if {
	r := fixtures.changed([
		{"op": "replace", "path": "/cost/annual", "value": 1},
		{"op": "replace", "path": "/cost/currency", "value": "JPY"},
	])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "procurement.cost_review"
	f.team == "finance"
	f.field == "cost.currency"
	contains(f.message, "JPY")
}

test_cost_review_reviews_missing_currency if {
	r := fixtures.changed([{"op": "remove", "path": "/cost/currency"}])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "procurement.cost_review"
	f.field == "cost.currency"
}

test_cost_review_reviews_missing_annual_cost if {
	r := fixtures.changed([{"op": "remove", "path": "/cost/annual"}])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "procurement.cost_review"
	f.field == "cost.annual"
}

test_cost_review_quiet_without_cost_section if {
	r := fixtures.changed([{"op": "remove", "path": "/cost"}])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "procurement.cost_review")
}

test_cost_review_threshold_comes_from_data if {
	r := fixtures.request
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.thresholds.cost_review_annual as {"USD": 5000}
	fixtures.fired(fs, "procurement.cost_review")
}

# procurement.duplicate_capability --------------------------------------------------
test_duplicate_capability_reviews_second_crm if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "crm"}])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "procurement.duplicate_capability"
	f.team == "it"
	f.field == "tool.category"
	contains(f.message, "Salesforce Sales Cloud")
	contains(f.fix, "salesforce-sales-cloud")
}

test_duplicate_capability_reviews_when_replaces_missing if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "webinar"},
		{"op": "remove", "path": "/replaces"},
	])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "procurement.duplicate_capability")
}

test_duplicate_capability_reviews_when_replacing_something_else if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "email"},
		{"op": "replace", "path": "/replaces", "value": ["google-analytics-4"]},
	])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "procurement.duplicate_capability")
}

test_duplicate_capability_quiet_when_replacing_incumbent if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "crm"},
		{"op": "replace", "path": "/replaces", "value": ["old-tool", "salesforce-sales-cloud"]},
	])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "procurement.duplicate_capability")
}

test_duplicate_capability_quiet_for_the_incumbent_itself if {
	r := fixtures.changed([
		{"op": "replace", "path": "/id", "value": "google-analytics-4"},
		{"op": "replace", "path": "/tool/category", "value": "analytics"},
	])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "procurement.duplicate_capability")
}

test_duplicate_capability_quiet_for_uncovered_category if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "seo"}])
	fs := procurement.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "procurement.duplicate_capability")
}

# procurement.auto_renew_notice -----------------------------------------------------
test_auto_renew_notice_warns_one_day_short if {
	r := fixtures.changed([{"op": "replace", "path": "/cost/notice_days", "value": 29}])
	fs := procurement.warn with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "procurement.auto_renew_notice"
	f.field == "cost.notice_days"
}

test_auto_renew_notice_warns_when_notice_missing if {
	r := fixtures.changed([{"op": "remove", "path": "/cost/notice_days"}])
	fs := procurement.warn with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "procurement.auto_renew_notice")
}

test_auto_renew_notice_quiet_at_the_minimum if {
	r := fixtures.changed([{"op": "replace", "path": "/cost/notice_days", "value": 30}])
	fs := procurement.warn with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "procurement.auto_renew_notice")
}

test_auto_renew_notice_quiet_without_auto_renewal if {
	r := fixtures.changed([
		{"op": "replace", "path": "/cost/auto_renew", "value": false},
		{"op": "remove", "path": "/cost/notice_days"},
	])
	fs := procurement.warn with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "procurement.auto_renew_notice")
}

test_auto_renew_notice_minimum_comes_from_data if {
	r := fixtures.request
	fs := procurement.warn with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.thresholds.auto_renew_min_notice_days as 61
	fixtures.fired(fs, "procurement.auto_renew_notice")
}
