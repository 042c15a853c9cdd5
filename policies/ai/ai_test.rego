package martech.test.ai

import rego.v1

import data.martech.rules.ai
import data.martech.test.fixtures

# The fixture request states nothing about AI: every AI rule is quiet.
test_fixture_is_quiet if {
	r := fixtures.request
	deny := ai.deny with input.request as r with input.as_of as "2026-11-23"
	review := ai.review with input.request as r with input.as_of as "2026-11-23"
	count(deny) + count(review) == 0
}

# ai.transparency -------------------------------------------------------------------
test_transparency_denies_an_undisclosed_customer_facing_chatbot_for_eu_people if {
	r := fixtures.changed([
		{"op": "add", "path": "/ai", "value": {"generative": true, "customer_facing": true}},
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
	])
	fs := ai.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "ai.transparency"
	f.field == "ai.disclosure"
}

test_transparency_quiet_when_disclosed if {
	r := fixtures.changed([
		{"op": "add", "path": "/ai", "value": {"generative": true, "customer_facing": true, "disclosure": true}},
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
	])
	fs := ai.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "ai.transparency")
}

test_transparency_quiet_for_internal_use_or_no_eu_people if {
	internal := fixtures.changed([
		{"op": "add", "path": "/ai", "value": {"generative": true, "customer_facing": false}},
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
	])
	us_only := fixtures.changed([{"op": "add", "path": "/ai", "value": {"generative": true, "customer_facing": true}}])
	a := ai.deny with input.request as internal with input.as_of as "2026-11-23"
	b := ai.deny with input.request as us_only with input.as_of as "2026-11-23"
	not fixtures.fired(a, "ai.transparency")
	not fixtures.fired(b, "ai.transparency")
}

# ai.generative_customer_data -------------------------------------------------------
test_generative_customer_data_reviews_training_and_unstated_retention if {
	r := fixtures.changed([{"op": "add", "path": "/ai", "value": {"generative": true, "customer_facing": false}}])
	fs := ai.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "ai.generative_customer_data"
	f.team == "privacy"
	contains(f.message, "the vendor may train its models on it")
	contains(f.message, "how long prompts and output are kept is not stated")
}

test_generative_customer_data_reviews_long_retention if {
	r := fixtures.changed([{"op": "add", "path": "/ai", "value": {"generative": true, "customer_facing": false, "training_opt_out": "opted-out", "prompt_retention_days": 90}}])
	fs := ai.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "ai.generative_customer_data"
	contains(f.message, "kept longer than allowed")
}

test_generative_customer_data_quiet_when_opted_out_and_short if {
	r := fixtures.changed([{"op": "add", "path": "/ai", "value": {"generative": true, "customer_facing": false, "training_opt_out": "opted-out", "prompt_retention_days": 30}}])
	fs := ai.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "ai.generative_customer_data")
}

# ai.automated_decisions ------------------------------------------------------------
test_automated_decisions_go_to_legal if {
	r := fixtures.changed([{"op": "add", "path": "/ai", "value": {"significant_decisions": true}}])
	fs := ai.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "ai.automated_decisions"
	f.team == "legal"
}

test_automated_decisions_quiet_when_people_decide if {
	r := fixtures.changed([{"op": "add", "path": "/ai", "value": {"significant_decisions": false}}])
	fs := ai.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "ai.automated_decisions")
}
