# The notices the decision adds itself (exception.expiring, review.lead_time), tested
# through their functions: a `with` on the whole decision costs regopy about half a
# second of compilation per test (the decision is tested from Python too).
package martech.test.decision

import rego.v1

import data.martech
import data.martech.test.fixtures

excepted := {
	"rule": "privacy.dpa_required", "level": "deny", "message": "No DPA.", "fix": "Sign it.",
	"field": "privacy.dpa_signed",
	"exception": {"status": "active", "approved_by": "dpo@example.com", "reason": "r", "expires": "2027-01-10"},
}

# exception.expiring -----------------------------------------------------------------
test_exception_expiring_warns_within_the_window if {
	martech.expires_soon(excepted) with input.as_of as "2026-11-23"
	f := martech.expiring(excepted)
	f.rule == "exception.expiring"
	f.field == "privacy.dpa_signed"
	contains(f.message, "ends on 2027-01-10")
	contains(f.fix, "Sign it.")
}

test_exception_expiring_quiet_before_the_window if {
	not martech.expires_soon(excepted) with input.as_of as "2026-11-01"
	fs := {martech.expiring(f) | some f in [excepted]; martech.expires_soon(f)} with input.as_of as "2026-11-01"
	not fixtures.fired(fs, "exception.expiring")
}

test_exception_expiring_quiet_for_an_expired_exception if {
	f := json.patch(excepted, [{"op": "replace", "path": "/exception/status", "value": "expired"}])
	not martech.expires_soon(f) with input.as_of as "2026-12-01"
}

test_exception_expiring_quiet_for_advice if {
	f := json.patch(excepted, [{"op": "replace", "path": "/level", "value": "warn"}])
	not martech.expires_soon(f) with input.as_of as "2026-12-01"
}

# review.lead_time -------------------------------------------------------------------
# 2026-11-23 is a Monday: 2026-12-04 is 9 working days later, 2026-12-07 is 10.
test_lead_time_warns_when_needed_sooner_than_the_review_takes if {
	r := fixtures.changed([{"op": "add", "path": "/needed_by", "value": "2026-12-04"}])
	fs := martech.lead_time({"privacy"}) with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "review.lead_time"
	f.team == "privacy"
	f.field == "needed_by"
	contains(f.message, "privacy review takes about 10 working days; needed by 2026-12-04 is too soon")
}

test_lead_time_quiet_when_there_is_time if {
	r := fixtures.changed([{"op": "add", "path": "/needed_by", "value": "2026-12-07"}])
	fs := martech.lead_time({"privacy"}) with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "review.lead_time")
}

test_lead_time_quiet_without_needed_by if {
	r := fixtures.request
	fs := martech.lead_time({"privacy", "legal"}) with input.request as r with input.as_of as "2026-11-23"
	count(fs) == 0
}

test_lead_time_names_each_team_that_is_short if {
	r := fixtures.changed([{"op": "add", "path": "/needed_by", "value": "2026-12-10"}])
	fs := martech.lead_time({"privacy", "legal", "finance"}) with input.request as r with input.as_of as "2026-11-23"
	{f.team | some f in fs} == {"legal"}
}

test_lead_time_a_date_in_the_past_is_too_soon if {
	r := fixtures.changed([{"op": "add", "path": "/needed_by", "value": "2026-11-01"}])
	fs := martech.lead_time({"finance"}) with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "review.lead_time")
}

test_working_days_skip_weekends if {
	martech.working_days_until("2026-11-28") == 4 with input.as_of as "2026-11-23"
	martech.working_days_until("2026-11-30") == 5 with input.as_of as "2026-11-23"
	martech.working_days_until("2026-11-23") == 0 with input.as_of as "2026-11-23"
	martech.working_days_until("2026-11-30") == 1 with input.as_of as "2026-11-28"
	martech.working_days_until("2026-11-29") == 0 with input.as_of as "2026-11-28"
	martech.working_days_until("2026-12-01") == 2 with input.as_of as "2026-11-28"
}
