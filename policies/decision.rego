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

levels := ["deny", "review", "warn"]

findings contains finding if {
	some rules in data.martech.rules
	some level in levels
	some raw in rules[level]
	finding := with_exception(object.union(raw, {"level": level}))
}

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

decision := {
	"decision": outcome,
	"findings": [f | some f in findings],
	"reviewers": reviewers,
}
