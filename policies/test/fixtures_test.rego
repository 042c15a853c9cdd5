# Shared test fixtures. `request` passes every rule; tests change it with JSON patches.
#
# Portable test style (regopy 1.5 and regorus/OPA agree only on this):
# - build the request in a local variable first, then
#   `fs := <area>.deny with input.request as r with input.as_of as "2026-11-23"`;
# - never `with input as {...}` (crashes regopy), never a rule name directly after `as`,
#   never nested `with input.request.x as` (regopy ignores it);
# - change nested values with json.patch (via `changed`), not object.union (regopy's
#   object.union does not merge nested objects);
# - a function argument used as a json.patch path errors in regopy: write paths out.
package martech.test.fixtures

import rego.v1

as_of := "2026-11-23"

request := {
	"apiVersion": "martechgov/v1",
	"kind": "ToolRequest",
	"id": "acme-analytics",
	"replaces": [],
	"tool": {
		"name": "Acme Analytics",
		"vendor": "Acme Inc.",
		"category": "survey",
		"deployment": "saas",
		"website": "https://acme.example",
		"purpose": "Collect survey answers from webinar attendees.",
		"seats": 5,
	},
	"requester": {"name": "Dana Lee", "email": "dana.lee@example.com", "team": "Field Marketing"},
	"owners": {"business": "dana.lee@example.com", "technical": "ops@example.com"},
	"data": {
		"personal_data": "personal",
		"categories": ["contact"],
		"subjects": ["prospects"],
		"subject_regions": ["us"],
		"storage_regions": ["us"],
		"large_scale": false,
		"retention_days": 365,
		"used_for_model_training": false,
	},
	"security": {
		"sso": "saml",
		"scim": true,
		"mfa": "enforced",
		"soc2_type2_period_end": "2026-06-30",
		"iso27001_expires": "2027-03-31",
		"pentest_date": "2026-05-01",
		"encryption_at_rest": true,
	},
	"privacy": {
		"dpa_signed": true,
		"transfer_mechanism": "not-needed",
		"tia_done": true,
		"dpia_done": true,
		"breach_notice_hours": 48,
		"sells_or_shares_data": false,
		"subprocessors_url": "https://acme.example/subprocessors",
	},
	"integrations": [{"system": "salesforce", "direction": "inbound", "method": "native", "data": ["contact"]}],
	"cost": {"annual": 5000, "currency": "USD", "term_months": 12, "auto_renew": true, "notice_days": 60, "renewal_date": "2027-11-30"},
}

# `request` with RFC 6902 JSON patch operations applied, e.g.
# changed([{"op": "replace", "path": "/security/sso", "value": "none"}]).
# Write the operations out at the call site: regopy 1.5 errors when a patch path
# is a function argument.
changed(ops) := json.patch(request, ops)

# A finding set holds a finding of this rule.
fired(findings, rule) if {
	some f in findings
	f.rule == rule
}
