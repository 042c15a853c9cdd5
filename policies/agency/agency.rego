# Agency: an outside agency operating the tool for us, how its people log in, what
# they may do and how their access ends. Thresholds: data.martech.config.thresholds.
package martech.rules.agency

import rego.v1

import data.martech.lib

thresholds := data.martech.config.thresholds

agency_name := object.get(input.request.agency, "name", "the agency")

# agency.named_accounts -------------------------------------------------------------
deny contains finding if {
	agency := input.request.agency
	not agency.accounts == "named-sso"
	finding := {
		"rule": "agency.named_accounts",
		"message": sprintf("%v would be used by %v through shared logins (or the request does not say), so nobody can tell who did what and the password keeps working after people leave the agency.", [lib.tool_name, agency_name]),
		"fix": "Give every agency user a named account through our single sign-on and set `agency.accounts: named-sso`.",
		"field": "agency.accounts",
	}
}

# agency.least_privilege ------------------------------------------------------------
review contains finding if {
	input.request.agency.role == "admin"
	finding := {
		"rule": "agency.least_privilege",
		"message": sprintf("%v would give %v admin rights, including user management and data exports: more than running campaigns needs, and more damage if an agency login is stolen.", [lib.tool_name, agency_name]),
		"fix": "Give the agency the `editor` or `viewer` role and set `agency.role` accordingly; if it truly needs admin rights, explain why for the security review.",
		"field": "agency.role",
		"team": "security",
	}
}

# agency.offboarding ----------------------------------------------------------------
deny contains finding if {
	agency := input.request.agency
	contacts := count(object.get(agency, "offboarding_contacts", []))
	contacts < thresholds.agency_min_offboarding_contacts
	finding := {
		"rule": "agency.offboarding",
		"message": sprintf("Offboarding contacts named at %v for %v: %v of the %v required. These people make sure agency staff lose access when they leave or the engagement ends, so removing access never depends on a single person.", [agency_name, lib.tool_name, contacts, thresholds.agency_min_offboarding_contacts]),
		"fix": sprintf("List at least %v email addresses of agency staff responsible for removing access under `agency.offboarding_contacts`.", [thresholds.agency_min_offboarding_contacts]),
		"field": "agency.offboarding_contacts",
	}
}

# agency.flow_down_terms ------------------------------------------------------------
review contains finding if {
	agency := input.request.agency
	lib.personal_data
	not agency.flow_down_terms == true
	finding := {
		"rule": "agency.flow_down_terms",
		"message": sprintf("%v would let %v handle personal data, but the agency's contract is not confirmed to pass on our data protection terms, so the agency is not bound by the rules we agreed with the vendor.", [lib.tool_name, agency_name]),
		"fix": "Have legal add our data protection terms (a DPA or flow-down clause) to the agency contract and set `agency.flow_down_terms: true`.",
		"field": "agency.flow_down_terms",
		"team": "legal",
	}
}
