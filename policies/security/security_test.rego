package martech.test.security

import rego.v1

import data.martech.rules.security
import data.martech.test.fixtures

# The fixture request passes every security rule.
test_fixture_is_quiet if {
	r := fixtures.request
	deny := security.deny with input.request as r with input.as_of as "2026-11-23"
	review := security.review with input.request as r with input.as_of as "2026-11-23"
	warn := security.warn with input.request as r with input.as_of as "2026-11-23"
	count(deny) + count(review) + count(warn) == 0
}

# security.sso_required -------------------------------------------------------------
test_sso_required_fires_for_personal_data_without_sso if {
	r := fixtures.changed([{"op": "add", "path": "/security/sso", "value": "none"}])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "security.sso_required"
	f.field == "security.sso"
	contains(f.message, "Acme Analytics")
}

test_sso_required_fires_when_sso_missing if {
	r := fixtures.changed([{"op": "remove", "path": "/security/sso"}])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "security.sso_required")
}

test_sso_required_fires_for_many_seats_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "replace", "path": "/security/sso", "value": "none"},
		{"op": "replace", "path": "/tool/seats", "value": 11},
	])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "security.sso_required")
}

test_sso_required_quiet_for_few_seats_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "replace", "path": "/security/sso", "value": "none"},
		{"op": "replace", "path": "/tool/seats", "value": 10},
	])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "security.sso_required")
}

test_sso_required_quiet_with_oidc if {
	r := fixtures.changed([{"op": "add", "path": "/security/sso", "value": "oidc"}])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "security.sso_required")
}

test_sso_required_threshold_comes_from_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "replace", "path": "/security/sso", "value": "none"},
		{"op": "replace", "path": "/tool/seats", "value": 11},
	])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.thresholds.sso_required_above_seats as 20
	not fixtures.fired(fs, "security.sso_required")
}

# security.mfa_required -------------------------------------------------------------
test_mfa_required_fires_without_sso_and_mfa if {
	r := fixtures.changed([
		{"op": "replace", "path": "/security/sso", "value": "none"},
		{"op": "replace", "path": "/security/mfa", "value": "available"},
	])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "security.mfa_required"
	f.field == "security.mfa"
}

test_mfa_required_quiet_when_sso_carries_it if {
	r := fixtures.changed([{"op": "add", "path": "/security/mfa", "value": "none"}])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "security.mfa_required")
}

test_mfa_required_quiet_when_enforced if {
	r := fixtures.changed([{"op": "add", "path": "/security/sso", "value": "none"}])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "security.mfa_required")
}

# security.attestation_current ------------------------------------------------------
test_attestation_denies_with_personal_data_when_both_lapsed if {
	r := fixtures.changed([
		{"op": "replace", "path": "/security/soc2_type2_period_end", "value": "2025-11-22"},
		{"op": "replace", "path": "/security/iso27001_expires", "value": "2026-11-22"},
	])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "security.attestation_current"
	f.field == "security.soc2_type2_period_end"
}

test_attestation_warns_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "remove", "path": "/security/soc2_type2_period_end"},
		{"op": "remove", "path": "/security/iso27001_expires"},
	])
	deny := security.deny with input.request as r with input.as_of as "2026-11-23"
	warn := security.warn with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(deny, "security.attestation_current")
	fixtures.fired(warn, "security.attestation_current")
}

test_attestation_quiet_with_soc2_ending_exactly_12_months_ago if {
	r := fixtures.changed([
		{"op": "replace", "path": "/security/soc2_type2_period_end", "value": "2025-11-23"},
		{"op": "remove", "path": "/security/iso27001_expires"},
	])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "security.attestation_current")
}

# Month arithmetic clamps to the end of a shorter month, the same on every engine.
test_attestation_soc2_ending_on_a_leap_day_is_current_until_28_february if {
	r := fixtures.changed([
		{"op": "replace", "path": "/security/soc2_type2_period_end", "value": "2024-02-29"},
		{"op": "remove", "path": "/security/iso27001_expires"},
	])
	last_day := security.deny with input.request as r with input.as_of as "2025-02-28"
	day_after := security.deny with input.request as r with input.as_of as "2025-03-01"
	not fixtures.fired(last_day, "security.attestation_current")
	fixtures.fired(day_after, "security.attestation_current")
}

test_attestation_quiet_with_iso_only if {
	r := fixtures.changed([
		{"op": "remove", "path": "/security/soc2_type2_period_end"},
		{"op": "replace", "path": "/security/iso27001_expires", "value": "2026-11-23"},
	])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "security.attestation_current")
}

# A date after today is not evidence of the past.
test_attestation_denies_a_soc2_period_that_has_not_ended_yet if {
	r := fixtures.changed([
		{"op": "replace", "path": "/security/soc2_type2_period_end", "value": "2099-01-01"},
		{"op": "remove", "path": "/security/iso27001_expires"},
	])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "security.attestation_current"
	contains(f.message, "The SOC 2 period end given (2099-01-01) is after today")
}

# security.attestation_expiring -----------------------------------------------------
test_attestation_expiring_warns_when_the_last_attestation_lapses_within_the_window if {
	r := fixtures.changed([
		{"op": "replace", "path": "/security/soc2_type2_period_end", "value": "2026-01-10"},
		{"op": "remove", "path": "/security/iso27001_expires"},
	])
	fs := security.warn with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "security.attestation_expiring"
	f.field == "security.soc2_type2_period_end"
	contains(f.message, "stops counting after 2027-01-10, within the next 60 days")
}

test_attestation_expiring_names_the_iso_certificate_when_it_lapses_last if {
	r := fixtures.changed([
		{"op": "remove", "path": "/security/soc2_type2_period_end"},
		{"op": "replace", "path": "/security/iso27001_expires", "value": "2026-12-31"},
	])
	fs := security.warn with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "security.attestation_expiring"
	f.field == "security.iso27001_expires"
}

test_attestation_expiring_quiet_when_another_attestation_lasts if {
	r := fixtures.changed([{"op": "replace", "path": "/security/soc2_type2_period_end", "value": "2026-01-10"}])
	fs := security.warn with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "security.attestation_expiring")
}

test_attestation_expiring_quiet_once_lapsed if {
	r := fixtures.changed([
		{"op": "replace", "path": "/security/soc2_type2_period_end", "value": "2025-01-10"},
		{"op": "remove", "path": "/security/iso27001_expires"},
	])
	fs := security.warn with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "security.attestation_expiring")
}

# security.pentest_recent -----------------------------------------------------------
test_pentest_recent_reviews_a_pentest_dated_in_the_future if {
	r := fixtures.changed([{"op": "replace", "path": "/security/pentest_date", "value": "2099-01-01"}])
	fs := security.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "security.pentest_recent"
	contains(f.message, "The date given (2099-01-01) is after today")
}

test_pentest_recent_reviews_old_pentest if {
	r := fixtures.changed([{"op": "add", "path": "/security/pentest_date", "value": "2025-11-01"}])
	fs := security.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "security.pentest_recent"
	f.team == "security"
}

test_pentest_recent_reviews_missing_pentest if {
	r := fixtures.changed([{"op": "remove", "path": "/security/pentest_date"}])
	fs := security.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "security.pentest_recent")
}

test_pentest_recent_quiet_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "remove", "path": "/security/pentest_date"},
	])
	fs := security.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "security.pentest_recent")
}

# security.encryption_at_rest -------------------------------------------------------
test_encryption_at_rest_fires_when_false if {
	r := fixtures.changed([{"op": "add", "path": "/security/encryption_at_rest", "value": false}])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "security.encryption_at_rest")
}

test_encryption_at_rest_fires_when_security_section_missing if {
	r := fixtures.changed([{"op": "remove", "path": "/security"}])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "security.encryption_at_rest")
}

test_encryption_at_rest_quiet_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "replace", "path": "/security/encryption_at_rest", "value": false},
	])
	fs := security.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "security.encryption_at_rest")
}

# security.scim_recommended ---------------------------------------------------------
test_scim_recommended_warns_for_many_seats_without_scim if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/seats", "value": 51},
		{"op": "replace", "path": "/security/scim", "value": false},
	])
	fs := security.warn with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "security.scim_recommended")
}

test_scim_recommended_quiet_with_scim if {
	r := fixtures.changed([{"op": "add", "path": "/tool/seats", "value": 500}])
	fs := security.warn with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "security.scim_recommended")
}
