package martech.test.privacy

import rego.v1

import data.martech.rules.privacy
import data.martech.test.fixtures

# The fixture request passes every privacy rule (privacy has no warn rules).
test_fixture_is_quiet if {
	r := fixtures.request
	deny := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	review := privacy.review with input.request as r with input.as_of as "2026-11-23"
	count(deny) + count(review) == 0
}

# privacy.dpa_required --------------------------------------------------------------
test_dpa_required_fires_when_not_signed if {
	r := fixtures.changed([{"op": "replace", "path": "/privacy/dpa_signed", "value": false}])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.dpa_required"
	f.field == "privacy.dpa_signed"
	contains(f.message, "Acme Analytics")
}

test_dpa_required_fires_when_privacy_section_missing if {
	r := fixtures.changed([{"op": "remove", "path": "/privacy"}])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.dpa_required")
}

test_dpa_required_fires_for_pseudonymous_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "pseudonymous"},
		{"op": "remove", "path": "/privacy/dpa_signed"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.dpa_required")
}

test_dpa_required_quiet_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "replace", "path": "/privacy/dpa_signed", "value": false},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.dpa_required")
}

# privacy.transfer_mechanism --------------------------------------------------------
test_transfer_mechanism_denies_eu_data_in_us_without_mechanism if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu", "us"]},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "not-needed"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.transfer_mechanism"
	f.field == "privacy.transfer_mechanism"
	contains(f.message, "us")
	contains(f.message, "not-needed")
}

test_transfer_mechanism_denies_when_mechanism_missing if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["uk"]},
		{"op": "remove", "path": "/privacy/transfer_mechanism"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.transfer_mechanism")
}

test_transfer_mechanism_denies_unknown_storage_with_dpf if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
		{"op": "remove", "path": "/data/storage_regions"},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "dpf"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.transfer_mechanism")
}

test_transfer_mechanism_denies_empty_storage_without_mechanism if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
		{"op": "replace", "path": "/data/storage_regions", "value": []},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.transfer_mechanism")
}

test_transfer_mechanism_denies_adequacy_for_us_storage if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
		{"op": "replace", "path": "/data/storage_regions", "value": ["ca", "us"]},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "adequacy"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.transfer_mechanism"
	contains(f.message, "UK in us, and")
}

test_transfer_mechanism_denies_dpf_for_apac_storage if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
		{"op": "replace", "path": "/data/storage_regions", "value": ["apac"]},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "dpf"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.transfer_mechanism")
}

test_transfer_mechanism_quiet_with_dpf_for_us_storage if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "dpf"},
	])
	deny := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	review := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(deny, "privacy.transfer_mechanism")
	not fixtures.fired(review, "privacy.transfer_mechanism")
}

test_transfer_mechanism_quiet_with_adequacy_for_canada if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
		{"op": "replace", "path": "/data/storage_regions", "value": ["eu", "ca"]},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "adequacy"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.transfer_mechanism")
}

test_transfer_mechanism_quiet_when_stored_in_eu_and_uk if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu", "uk"]},
		{"op": "replace", "path": "/data/storage_regions", "value": ["eu", "uk"]},
		{"op": "remove", "path": "/privacy/transfer_mechanism"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.transfer_mechanism")
}

test_transfer_mechanism_quiet_without_gdpr_subjects if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["us", "ca"]},
		{"op": "replace", "path": "/data/storage_regions", "value": ["apac"]},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.transfer_mechanism")
}

test_transfer_mechanism_quiet_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.transfer_mechanism")
}

test_transfer_mechanism_regions_come_from_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "adequacy"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.regions.adequacy_regions as ["ca", "us"]
	not fixtures.fired(fs, "privacy.transfer_mechanism")
}

test_transfer_mechanism_reviews_scc_without_tia if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "scc"},
		{"op": "remove", "path": "/privacy/tia_done"},
	])
	deny := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	review := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(deny, "privacy.transfer_mechanism")
	some f in review
	f.rule == "privacy.transfer_mechanism"
	f.team == "legal"
	f.field == "privacy.tia_done"
}

test_transfer_mechanism_scc_covers_unknown_storage_but_needs_tia if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
		{"op": "replace", "path": "/data/storage_regions", "value": []},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "scc"},
		{"op": "replace", "path": "/privacy/tia_done", "value": false},
	])
	deny := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	review := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(deny, "privacy.transfer_mechanism")
	fixtures.fired(review, "privacy.transfer_mechanism")
}

test_transfer_mechanism_quiet_with_scc_and_tia if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
		{"op": "replace", "path": "/data/storage_regions", "value": ["apac", "us"]},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "scc"},
	])
	deny := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	review := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(deny, "privacy.transfer_mechanism")
	not fixtures.fired(review, "privacy.transfer_mechanism")
}

test_transfer_mechanism_no_tia_review_when_no_transfer if {
	r := fixtures.changed([
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "scc"},
		{"op": "replace", "path": "/privacy/tia_done", "value": false},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.transfer_mechanism")
}

# privacy.dpia_required -------------------------------------------------------------
test_dpia_required_reviews_special_category_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "special-category"},
		{"op": "replace", "path": "/privacy/dpia_done", "value": false},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.dpia_required"
	f.team == "privacy"
	f.field == "privacy.dpia_done"
}

test_dpia_required_reviews_large_scale_behavioral_data_when_dpia_missing if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/large_scale", "value": true},
		{"op": "replace", "path": "/data/categories", "value": ["contact", "behavioral"]},
		{"op": "remove", "path": "/privacy/dpia_done"},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.dpia_required")
}

test_dpia_required_quiet_for_small_scale_behavioral_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/categories", "value": ["contact", "behavioral"]},
		{"op": "remove", "path": "/privacy/dpia_done"},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.dpia_required")
}

test_dpia_required_reviews_session_replay_tracking if {
	r := fixtures.changed([
		{"op": "add", "path": "/tracking", "value": {"pages": ["pricing"], "consent_category": "analytics", "session_replay": true, "masking": "all-inputs"}},
		{"op": "replace", "path": "/privacy/dpia_done", "value": false},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.dpia_required")
}

test_dpia_required_reviews_session_replay_category if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "session-replay"},
		{"op": "replace", "path": "/privacy/dpia_done", "value": false},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.dpia_required")
}

test_dpia_required_reviews_children_category if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/categories", "value": ["contact", "children"]},
		{"op": "replace", "path": "/privacy/dpia_done", "value": false},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.dpia_required")
}

test_dpia_required_quiet_when_dpia_done if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "special-category"},
		{"op": "replace", "path": "/tool/category", "value": "session-replay"},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.dpia_required")
}

test_dpia_required_quiet_without_high_risk_processing if {
	r := fixtures.changed([{"op": "remove", "path": "/privacy/dpia_done"}])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.dpia_required")
}

# privacy.no_sale_or_share ----------------------------------------------------------
test_no_sale_or_share_denies_when_vendor_sells if {
	r := fixtures.changed([{"op": "replace", "path": "/privacy/sells_or_shares_data", "value": true}])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.no_sale_or_share"
	f.field == "privacy.sells_or_shares_data"
	contains(f.message, "sells or shares")
}

test_no_sale_or_share_denies_when_unknown if {
	r := fixtures.changed([{"op": "remove", "path": "/privacy/sells_or_shares_data"}])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.no_sale_or_share"
	contains(f.message, "not confirmed")
}

test_no_sale_or_share_quiet_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "replace", "path": "/privacy/sells_or_shares_data", "value": true},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.no_sale_or_share")
}

# privacy.retention_limit -----------------------------------------------------------
test_retention_limit_denies_one_day_over if {
	r := fixtures.changed([{"op": "replace", "path": "/data/retention_days", "value": 1096}])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.retention_limit"
	f.field == "data.retention_days"
	contains(f.message, "1096")
}

test_retention_limit_quiet_at_the_limit if {
	r := fixtures.changed([{"op": "replace", "path": "/data/retention_days", "value": 1095}])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.retention_limit")
}

test_retention_limit_denies_when_missing if {
	r := fixtures.changed([{"op": "remove", "path": "/data/retention_days"}])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.retention_limit"
	contains(f.message, "no retention period stated")
}

test_retention_limit_quiet_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "remove", "path": "/data/retention_days"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.retention_limit")
}

test_retention_limit_threshold_comes_from_data if {
	r := fixtures.request
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.thresholds.max_retention_days as 364
	fixtures.fired(fs, "privacy.retention_limit")
}

# privacy.model_training ------------------------------------------------------------
test_model_training_reviews_when_used if {
	r := fixtures.changed([{"op": "replace", "path": "/data/used_for_model_training", "value": true}])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.model_training"
	f.team == "privacy"
	f.field == "data.used_for_model_training"
}

test_model_training_reviews_when_unknown if {
	r := fixtures.changed([{"op": "remove", "path": "/data/used_for_model_training"}])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.model_training")
}

test_model_training_quiet_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "replace", "path": "/data/used_for_model_training", "value": true},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.model_training")
}

# privacy.breach_notice -------------------------------------------------------------
test_breach_notice_reviews_one_hour_over if {
	r := fixtures.changed([{"op": "replace", "path": "/privacy/breach_notice_hours", "value": 73}])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.breach_notice"
	f.team == "legal"
	f.field == "privacy.breach_notice_hours"
}

test_breach_notice_reviews_when_missing if {
	r := fixtures.changed([{"op": "remove", "path": "/privacy/breach_notice_hours"}])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.breach_notice")
}

test_breach_notice_quiet_at_the_limit if {
	r := fixtures.changed([{"op": "replace", "path": "/privacy/breach_notice_hours", "value": 72}])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.breach_notice")
}

test_breach_notice_quiet_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "remove", "path": "/privacy/breach_notice_hours"},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.breach_notice")
}

# privacy.children ------------------------------------------------------------------
test_children_reviews_children_as_subjects if {
	r := fixtures.changed([{"op": "replace", "path": "/data/subjects", "value": ["prospects", "children"]}])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.children"
	f.team == "privacy"
	f.field == "data.subjects"
}

test_children_reviews_children_category_without_personal_data_flag if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "replace", "path": "/data/categories", "value": ["children"]},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.children")
}

test_children_quiet_for_adult_audiences if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subjects", "value": ["visitors", "customers", "employees"]},
		{"op": "replace", "path": "/data/categories", "value": ["contact", "employee"]},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.children")
}

test_children_quiet_when_subjects_missing if {
	r := fixtures.changed([
		{"op": "remove", "path": "/data/subjects"},
		{"op": "remove", "path": "/data/categories"},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.children")
}

test_transfer_mechanism_denies_when_subject_regions_are_not_stated if {
	r := fixtures.changed([
		{"op": "remove", "path": "/data/subject_regions"},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "not-needed"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.transfer_mechanism")
}

test_transfer_mechanism_quiet_when_people_are_outside_the_eu_and_uk if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/subject_regions", "value": ["us", "br"]},
		{"op": "replace", "path": "/privacy/transfer_mechanism", "value": "not-needed"},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.transfer_mechanism")
}

# A missing fact counts as the unsafe value.
test_dpia_required_when_large_scale_is_left_out_with_behavioral_data if {
	r := fixtures.changed([
		{"op": "remove", "path": "/data/large_scale"},
		{"op": "replace", "path": "/data/categories", "value": ["behavioral"]},
		{"op": "replace", "path": "/privacy/dpia_done", "value": false},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.dpia_required"
	contains(f.message, "large-scale behavioral data")
}

test_dpia_required_when_large_scale_data_has_no_categories if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/large_scale", "value": true},
		{"op": "replace", "path": "/data/categories", "value": []},
		{"op": "replace", "path": "/privacy/dpia_done", "value": false},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.dpia_required"
	contains(f.message, "large-scale data of unstated kinds")
}

test_dpia_quiet_for_large_scale_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "remove", "path": "/data/large_scale"},
		{"op": "replace", "path": "/data/categories", "value": []},
		{"op": "replace", "path": "/privacy/dpia_done", "value": false},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.dpia_required")
}

# privacy.risk_assessment -----------------------------------------------------------
test_risk_assessment_reviews_sensitive_data_without_one if {
	r := fixtures.changed([{"op": "replace", "path": "/data/categories", "value": ["contact", "health"]}])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.risk_assessment"
	f.team == "privacy"
	contains(f.message, "it processes sensitive personal information")
}

test_risk_assessment_reviews_an_ad_tool if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "ad-platform"}])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "privacy.risk_assessment")
}

test_risk_assessment_reviews_a_vendor_that_does_not_say_whether_it_sells_data if {
	r := fixtures.changed([{"op": "remove", "path": "/privacy/sells_or_shares_data"}])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.risk_assessment"
	contains(f.message, "the request does not say whether it sells or shares personal data")
}

test_risk_assessment_reviews_personal_data_of_kinds_not_stated if {
	r := fixtures.changed([{"op": "remove", "path": "/data/categories"}])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.risk_assessment"
	contains(f.message, "the request does not list the kinds of personal data it handles")
}

test_risk_assessment_quiet_when_on_record if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/categories", "value": ["contact", "health"]},
		{"op": "add", "path": "/privacy/risk_assessment_done", "value": true},
	])
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.risk_assessment")
}

test_risk_assessment_quiet_for_ordinary_data if {
	r := fixtures.request
	fs := privacy.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.risk_assessment")
}

# privacy.consumer_health_data ------------------------------------------------------
test_consumer_health_data_denies_personal_data_of_kinds_not_stated if {
	r := fixtures.changed([{"op": "replace", "path": "/data/categories", "value": []}])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.consumer_health_data"
	contains(f.message, "does not list the kinds of personal data it handles")
}

test_consumer_health_data_quiet_when_the_request_says_there_is_none if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/categories", "value": []},
		{"op": "add", "path": "/data/consumer_health_data", "value": false},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.consumer_health_data")
}

test_consumer_health_data_denies_without_consent if {
	r := fixtures.changed([{"op": "add", "path": "/data/consumer_health_data", "value": true}])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "privacy.consumer_health_data"
	f.field == "data.health_consent"
}

test_consumer_health_data_quiet_with_consent if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/categories", "value": ["health"]},
		{"op": "add", "path": "/data/health_consent", "value": true},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.consumer_health_data")
}

test_consumer_health_data_quiet_without_us_people if {
	r := fixtures.changed([
		{"op": "add", "path": "/data/consumer_health_data", "value": true},
		{"op": "replace", "path": "/data/subject_regions", "value": ["eu"]},
	])
	fs := privacy.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "privacy.consumer_health_data")
}
