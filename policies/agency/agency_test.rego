package martech.test.agency

import rego.v1

import data.martech.rules.agency
import data.martech.test.fixtures

# The fixture request (no agency section) passes every agency rule (the package has
# no warn rules).
test_fixture_is_quiet if {
	r := fixtures.request
	deny := agency.deny with input.request as r with input.as_of as "2026-11-23"
	review := agency.review with input.request as r with input.as_of as "2026-11-23"
	count(deny) + count(review) == 0
}

# So does the fixture with a well-run agency.
test_fixture_with_agency_is_quiet if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "named-sso", "role": "editor", "offboarding_contacts": ["ana@brightside.example", "ben@brightside.example"], "flow_down_terms": true}}])
	deny := agency.deny with input.request as r with input.as_of as "2026-11-23"
	review := agency.review with input.request as r with input.as_of as "2026-11-23"
	count(deny) + count(review) == 0
}

# agency.named_accounts -------------------------------------------------------------
test_named_accounts_fires_for_shared_logins if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "shared", "role": "editor", "offboarding_contacts": ["ana@brightside.example", "ben@brightside.example"], "flow_down_terms": true}}])
	fs := agency.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "agency.named_accounts"
	f.field == "agency.accounts"
	contains(f.message, "Brightside Digital")
	contains(f.message, "Acme Analytics")
}

test_named_accounts_fires_when_accounts_missing if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "role": "editor", "offboarding_contacts": ["ana@brightside.example", "ben@brightside.example"], "flow_down_terms": true}}])
	fs := agency.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "agency.named_accounts")
}

test_named_accounts_quiet_for_named_sso if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "named-sso", "role": "admin", "offboarding_contacts": [], "flow_down_terms": false}}])
	fs := agency.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "agency.named_accounts")
}

# agency.least_privilege ------------------------------------------------------------
test_least_privilege_reviews_admin_role if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "named-sso", "role": "admin", "offboarding_contacts": ["ana@brightside.example", "ben@brightside.example"], "flow_down_terms": true}}])
	fs := agency.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "agency.least_privilege"
	f.team == "security"
	f.field == "agency.role"
}

test_least_privilege_quiet_for_editor if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "shared", "role": "editor", "offboarding_contacts": [], "flow_down_terms": false}}])
	fs := agency.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "agency.least_privilege")
}

# agency.offboarding ----------------------------------------------------------------
test_offboarding_fires_with_one_contact if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "named-sso", "role": "editor", "offboarding_contacts": ["ana@brightside.example"], "flow_down_terms": true}}])
	fs := agency.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "agency.offboarding"
	f.field == "agency.offboarding_contacts"
}

test_offboarding_fires_when_contacts_missing if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "named-sso", "role": "editor", "flow_down_terms": true}}])
	fs := agency.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "agency.offboarding")
}

test_offboarding_quiet_with_two_contacts if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "shared", "role": "admin", "offboarding_contacts": ["ana@brightside.example", "ben@brightside.example"], "flow_down_terms": false}}])
	fs := agency.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "agency.offboarding")
}

test_offboarding_minimum_comes_from_data if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "named-sso", "role": "editor", "offboarding_contacts": ["ana@brightside.example", "ben@brightside.example"], "flow_down_terms": true}}])
	fs := agency.deny with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.thresholds.agency_min_offboarding_contacts as 3
	fixtures.fired(fs, "agency.offboarding")
}

# agency.flow_down_terms ------------------------------------------------------------
test_flow_down_terms_reviews_when_false if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "named-sso", "role": "editor", "offboarding_contacts": ["ana@brightside.example", "ben@brightside.example"], "flow_down_terms": false}}])
	fs := agency.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "agency.flow_down_terms"
	f.team == "legal"
	f.field == "agency.flow_down_terms"
}

test_flow_down_terms_reviews_when_missing if {
	r := fixtures.changed([{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "named-sso", "role": "editor", "offboarding_contacts": ["ana@brightside.example", "ben@brightside.example"]}}])
	fs := agency.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "agency.flow_down_terms")
}

test_flow_down_terms_quiet_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "add", "path": "/agency", "value": {"name": "Brightside Digital", "accounts": "named-sso", "role": "editor", "offboarding_contacts": ["ana@brightside.example", "ben@brightside.example"], "flow_down_terms": false}},
	])
	fs := agency.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "agency.flow_down_terms")
}
