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

findings contains leveled(f, "review") if some f in data.martech.rules.procurement.review

findings contains leveled(f, "warn") if some f in data.martech.rules.procurement.warn

findings contains leveled(f, "deny") if some f in data.martech.rules.vendor.deny

findings contains leveled(f, "review") if some f in data.martech.rules.vendor.review

findings contains leveled(f, "deny") if some f in data.martech.rules.agency.deny

findings contains leveled(f, "review") if some f in data.martech.rules.agency.review

leveled(f, level) := with_exception(object.union(f, {"level": level}))

# An exception names one request and one rule; it applies until (and including) its
# expiry date. An expired exception no longer applies, but stays visible on the finding
# so the requester and IT see why the answer changed.
with_exception(f) := object.union(f, {"exception": {
	"status": exception_status(e),
	"approved_by": e.approved_by,
	"reason": e.reason,
	"expires": e.expires,
}}) if {
	some e in data.martech.exceptions
	e.request == input.request.id
	e.rule == f.rule
} else := f

exception_status(e) := "active" if e.expires >= input.as_of
else := "expired"

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

reviewers := sort([team | some team in {f.team |
	some f in findings
	f.level == "review"
	counts(f)
}])

# Facts the policies compute about a request that reports show beside the decision, so
# no report re-implements them (today: the day the SOC 2 report stops counting).
facts := {"soc2_valid_until": day | day := data.martech.lib.soc2_valid_until}

decision := {
	"decision": outcome,
	"findings": [with_blocking(f) | some f in findings],
	"reviewers": reviewers,
	"facts": facts,
}
