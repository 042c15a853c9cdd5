# The one entrypoint: data.martech.decision.
#
# Every area package under data.martech.rules (security, privacy, ...) contributes
# findings through three sets named for their level:
#
#   deny   contains finding if { ... }   # hard rule broken: the request cannot merge
#   review contains finding if { ... }   # a named IT team must look ("team" is required)
#   warn   contains finding if { ... }   # advisory only
#
# A finding is an object {rule, message, fix, field} (+ team for review). This module
# adds its level, applies IT's exceptions (data.martech.exceptions) and computes the
# whole answer, so the embedded engine and an OPA server give the identical result.
# Python never re-derives any of it.
package martech

import rego.v1

# Each area's sets are listed one by one rather than found by iterating
# data.martech.rules: iterating a package evaluates every helper rule in it, which made
# each decision about 40% slower on the embedded engine. martechgov refuses to load a
# library where an area's deny/review/warn set is missing from this list, so a new
# area can never be silently left out: add its lines here.
findings contains leveled(f, "deny") if some f in data.martech.rules.security.deny

findings contains leveled(f, "review") if some f in data.martech.rules.security.review

findings contains leveled(f, "warn") if some f in data.martech.rules.security.warn

findings contains leveled(f, "deny") if some f in data.martech.rules.privacy.deny

findings contains leveled(f, "review") if some f in data.martech.rules.privacy.review

findings contains leveled(f, "deny") if some f in data.martech.rules.integration.deny

findings contains leveled(f, "review") if some f in data.martech.rules.integration.review

findings contains leveled(f, "deny") if some f in data.martech.rules.tracking.deny

findings contains leveled(f, "review") if some f in data.martech.rules.tracking.review

findings contains leveled(f, "review") if some f in data.martech.rules.procurement.review

findings contains leveled(f, "warn") if some f in data.martech.rules.procurement.warn

findings contains leveled(f, "deny") if some f in data.martech.rules.vendor.deny

findings contains leveled(f, "review") if some f in data.martech.rules.vendor.review

findings contains leveled(f, "deny") if some f in data.martech.rules.agency.deny

findings contains leveled(f, "review") if some f in data.martech.rules.agency.review

findings contains leveled(f, "deny") if some f in data.martech.rules.ai.deny

findings contains leveled(f, "review") if some f in data.martech.rules.ai.review

leveled(f, level) := with_exception(in_force(f, level))

# A rule whose record (data/rules.yaml) has an effective date later than the evaluation
# date reports `warn` until then, saying from when it counts at its real level.
in_force(f, level) := object.union(f, {
	"level": "warn",
	"message": concat("", [announced(f, level), " on ", day, ": ", f.message]),
}) if {
	level in {"deny", "review"}
	day := data.martech.config.rules[f.rule].effective
	is_string(day)
	input.as_of < day
} else := object.union(f, {"level": level})

announced(_, "deny") := "becomes deny"

announced(f, "review") := concat("", ["becomes a ", f.team, " review"])

# An exception waives one finding: its rule on the field it names, for the request it
# names (id and file), while the request still states the facts IT saw when granting
# it. A new integration, a changed value or another file claiming the same id is not
# covered. It applies from `granted` through `expires`; an expired exception no longer
# applies but stays visible on the finding, so the requester and IT see why the answer
# changed.
with_exception(f) := object.union(f, {"exception": {
	"status": exception_status(e),
	"approved_by": e.approved_by,
	"reason": e.reason,
	"expires": e.expires,
}}) if {
	some e in data.martech.exceptions
	e.request == input.request.id
	e.file == input.file
	e.rule == f.rule
	e.field == f.field
	e.granted <= input.as_of
	not changed_since_granted(e)
} else := f

exception_status(e) := "active" if e.expires >= input.as_of
else := "expired"

changed_since_granted(e) if {
	some fact in e.checks
	not still_holds(fact.path, fact.value)
}

# The request's value at `path` (["integrations", 0, "system"]); undefined when absent.
# Written out per depth: every engine agrees on plain references, not on object.get
# with array indexes or on walk.
value_at(path) := input.request[path[0]] if count(path) == 1

value_at(path) := input.request[path[0]][path[1]] if count(path) == 2

value_at(path) := input.request[path[0]][path[1]][path[2]] if count(path) == 3

value_at(path) := input.request[path[0]][path[1]][path[2]][path[3]] if count(path) == 4

still_holds(path, value) if value_at(path) == value

still_holds(path, value) if {
	value == null
	not stated(path)
}

stated(path) if _ = value_at(path)

counts(f) if not f.exception.status == "active"

# Whether a finding holds the request back: a deny or review finding that counts. Every
# output (CI's red or green, re-review, JUnit) reads this, never its own idea of it.
blocking(f) if {
	f.level in {"deny", "review"}
	counts(f)
}

with_blocking(f) := object.union(f, {"blocking": true}) if blocking(f)

else := object.union(f, {"blocking": false})

outcome := "deny" if {
	some f in findings
	f.level == "deny"
	counts(f)
} else := "review" if {
	some f in findings
	f.level == "review"
	counts(f)
} else := "approve"

# Notices the decision itself adds (always `warn`): an exception about to lapse, and a
# request needed sooner than the teams reviewing it can look at it.
day_ns := 86400000000000

window_end := time.add_date(time.parse_ns("2006-01-02", input.as_of), 0, 0, data.martech.config.thresholds.renewal_warning_days)

warn contains expiring(f) if {
	some f in findings
	expires_soon(f)
}

warn contains f if some f in lead_time(reviewers)

# exception.expiring: an active exception of a blocking rule that ends within the window.
expires_soon(f) if {
	f.exception.status == "active"
	f.level in {"deny", "review"}
	time.parse_ns("2006-01-02", f.exception.expires) <= window_end
}

expiring(f) := {
	"rule": "exception.expiring",
	"message": concat("", [
		"IT's exception for ", f.rule, " (approved by ", f.exception.approved_by,
		") ends on ", f.exception.expires, "; from the day after, this blocks the request again: ",
		f.message,
	]),
	"fix": concat("", ["Fix it before then (", f.fix, ") or ask IT to renew the exception."]),
	"field": f.field,
}

# review.lead_time: needed_by is sooner than the lead time of a team that must review.
lead_time(teams) := {finding |
	needed := input.request.needed_by
	some team in teams
	days := data.martech.config.teams[team].review_days
	is_number(days)
	working_days_until(needed) < days
	finding := {
		"rule": "review.lead_time",
		"message": sprintf("%v review takes about %v working days; needed by %v is too soon — talk to %v now.", [team, days, needed, team]),
		"fix": sprintf("Contact the %v team today so its review can start, and move `needed_by` later if the date can wait.", [team]),
		"field": "needed_by",
		"team": team,
	}
}

# Working days (Monday to Friday) after the evaluation date up to and including `day`.
# Day numbers count from 1970-01-01, a Thursday; no `%` (regopy computes it wrongly).
working_days_until(day) := (5 * weeks) + extra_working_days(start, rest) if {
	start := floor(time.parse_ns("2006-01-02", input.as_of) / day_ns)
	days := floor(time.parse_ns("2006-01-02", day) / day_ns) - start
	days > 0
	weeks := floor(days / 7)
	rest := days - (7 * weeks)
} else := 0

extra_working_days(start, rest) := count([k | some k in numbers.range(1, rest); weekday(start + k) < 5]) if rest > 0

else := 0

# Monday = 0 ... Sunday = 6.
weekday(n) := (n + 3) - (floor((n + 3) / 7) * 7)

reviewers := sort([team | some team in {f.team |
	some f in findings
	f.level == "review"
	counts(f)
}])

# Facts the policies compute about a request that reports show beside the decision, so
# no report re-implements them (today: the day the SOC 2 report stops counting).
facts := {"soc2_valid_until": day | day := data.martech.lib.soc2_valid_until}

notices := {object.union(f, {"level": "warn"}) | some f in warn}

reported := findings | notices

decision := {
	"decision": outcome,
	"findings": [with_blocking(f) | some f in reported],
	"reviewers": reviewers,
	"facts": facts,
}
