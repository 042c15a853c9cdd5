# Security: who can log in, how access is removed, and whether the vendor proves it
# protects our data. Thresholds: data.martech.config.thresholds.
package martech.rules.security

import rego.v1

import data.martech.lib

thresholds := data.martech.config.thresholds

sso_ok if input.request.security.sso in {"saml", "oidc"}

seats := object.get(input.request.tool, "seats", 0)

# security.sso_required -------------------------------------------------------------
deny contains finding if {
	lib.personal_data
	not sso_ok
	finding := {
		"rule": "security.sso_required",
		"message": sprintf("%v handles personal data but logins do not go through company single sign-on (SAML or OIDC), so leavers keep access.", [lib.tool_name]),
		"fix": "Ask the vendor to enable SAML or OIDC SSO with our identity provider and set `security.sso` to `saml` or `oidc`.",
		"field": "security.sso",
	}
}

deny contains finding if {
	not lib.personal_data
	seats > thresholds.sso_required_above_seats
	not sso_ok
	finding := {
		"rule": "security.sso_required",
		"message": sprintf("%v is for %v seats, above the %v-seat limit for tools without single sign-on.", [lib.tool_name, seats, thresholds.sso_required_above_seats]),
		"fix": "Ask the vendor to enable SAML or OIDC SSO and set `security.sso`, or reduce `tool.seats`.",
		"field": "security.sso",
	}
}

# security.mfa_required -------------------------------------------------------------
deny contains finding if {
	not sso_ok
	not input.request.security.mfa == "enforced"
	finding := {
		"rule": "security.mfa_required",
		"message": sprintf("%v does not enforce multi-factor authentication and does not use our SSO (which would enforce it), so one stolen password is enough to get in.", [lib.tool_name]),
		"fix": "Turn on mandatory MFA for every user in the tool's admin settings and set `security.mfa: enforced`, or connect it to SSO.",
		"field": "security.mfa",
	}
}

# security.attestation_current ------------------------------------------------------
# A date after the evaluation date is not evidence: a SOC 2 period that has not ended
# yet (or a pen test still to come) counts as missing.
future(d) if d > input.as_of

soc2_ended if not future(input.request.security.soc2_type2_period_end)

soc2_current if {
	soc2_ended
	lib.soc2_valid_until >= input.as_of
}

iso_current if lib.not_past(input.request.security.iso27001_expires)

attestation_current if soc2_current

attestation_current if iso_current

attestation_message := concat("", [
	sprintf("%v has no current security attestation: neither a SOC 2 Type II report whose period ended within the last %v months nor an unexpired ISO 27001 certificate.", [lib.tool_name, thresholds.soc2_valid_months]),
	future_soc2_note,
])

future_soc2_note := sprintf(" The SOC 2 period end given (%v) is after today, so it is not a report the vendor has.", [input.request.security.soc2_type2_period_end]) if {
	future(input.request.security.soc2_type2_period_end)
} else := ""

attestation_fix := "Ask the vendor for its latest SOC 2 Type II report (or a bridge letter) or its ISO 27001 certificate, and fill in `security.soc2_type2_period_end` or `security.iso27001_expires`."

deny contains finding if {
	lib.personal_data
	not attestation_current
	finding := {
		"rule": "security.attestation_current",
		"message": attestation_message,
		"fix": attestation_fix,
		"field": "security.soc2_type2_period_end",
	}
}

warn contains finding if {
	not lib.personal_data
	not attestation_current
	finding := {
		"rule": "security.attestation_current",
		"message": attestation_message,
		"fix": attestation_fix,
		"field": "security.soc2_type2_period_end",
	}
}

# security.attestation_expiring -----------------------------------------------------
# The last day an attestation the request relies on still counts.
attestation_until contains lib.soc2_valid_until if soc2_current

attestation_until contains input.request.security.iso27001_expires if iso_current

renew_by := time.add_date(lib.as_of_ns, 0, 0, thresholds.renewal_warning_days)

warn contains finding if {
	attestation_current
	last := max(attestation_until)
	lib.date_ns(last) <= renew_by
	finding := {
		"rule": "security.attestation_expiring",
		"message": concat("", [
			sprintf("%v's security attestation (SOC 2 Type II report or ISO 27001 certificate) stops counting after ", [lib.tool_name]),
			last,
			sprintf(", within the next %v days.", [thresholds.renewal_warning_days]),
		]),
		"fix": "Ask the vendor now for its next SOC 2 Type II report (or a bridge letter) or its renewed ISO 27001 certificate, and update `security.soc2_type2_period_end` or `security.iso27001_expires`.",
		"field": field_of_last(last),
	}
}

field_of_last(last) := "security.iso27001_expires" if {
	iso_current
	last == input.request.security.iso27001_expires
} else := "security.soc2_type2_period_end"

# security.pentest_recent -----------------------------------------------------------
pentest_recent if {
	not future(input.request.security.pentest_date)
	lib.within_months(input.request.security.pentest_date, thresholds.pentest_valid_months)
}

pentest_future_note := sprintf(" The date given (%v) is after today: a test that has not happened yet is not evidence.", [input.request.security.pentest_date]) if {
	future(input.request.security.pentest_date)
} else := ""

review contains finding if {
	lib.personal_data
	not pentest_recent
	finding := {
		"rule": "security.pentest_recent",
		"message": concat("", [
			sprintf("%v handles personal data and has no penetration test from the last %v months.", [lib.tool_name, thresholds.pentest_valid_months]),
			pentest_future_note,
		]),
		"fix": "Ask the vendor for the executive summary of its latest penetration test and set `security.pentest_date`; security will review it.",
		"field": "security.pentest_date",
		"team": "security",
	}
}

# security.encryption_at_rest -------------------------------------------------------
deny contains finding if {
	lib.personal_data
	not input.request.security.encryption_at_rest == true
	finding := {
		"rule": "security.encryption_at_rest",
		"message": sprintf("%v would store personal data without confirmed encryption at rest.", [lib.tool_name]),
		"fix": "Confirm with the vendor (security questionnaire or SOC 2 report) that stored data is encrypted and set `security.encryption_at_rest: true`.",
		"field": "security.encryption_at_rest",
	}
}

# security.scim_recommended ---------------------------------------------------------
warn contains finding if {
	seats > thresholds.scim_recommended_above_seats
	not input.request.security.scim == true
	finding := {
		"rule": "security.scim_recommended",
		"message": sprintf("%v is for %v seats without SCIM provisioning, so accounts of leavers must be removed by hand.", [lib.tool_name, seats]),
		"fix": "Ask the vendor whether SCIM is available on your plan and set `security.scim: true` once it is connected.",
		"field": "security.scim",
	}
}
