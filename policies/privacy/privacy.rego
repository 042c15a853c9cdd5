# Privacy: the contract terms and data handling the GDPR and US state privacy laws
# expect before a vendor receives personal data. Thresholds: data.martech.config.thresholds;
# where data may go: data.martech.config.regions.
package martech.rules.privacy

import rego.v1

import data.martech.lib

thresholds := data.martech.config.thresholds

regions := data.martech.config.regions

subjects := object.get(input.request.data, "subjects", [])

categories := object.get(input.request.data, "categories", [])

subject_regions := object.get(input.request.data, "subject_regions", [])

storage_regions := object.get(input.request.data, "storage_regions", [])

children if "children" in subjects

children if "children" in categories

# privacy.dpa_required --------------------------------------------------------------
deny contains finding if {
	lib.personal_data
	not input.request.privacy.dpa_signed == true
	finding := {
		"rule": "privacy.dpa_required",
		"message": sprintf("%v would receive personal data, but there is no signed data processing agreement (DPA) with the vendor.", [lib.tool_name]),
		"fix": "Ask the vendor for its DPA, have legal sign it, and set `privacy.dpa_signed: true`.",
		"field": "privacy.dpa_signed",
	}
}

# privacy.transfer_mechanism --------------------------------------------------------
# A restricted transfer: personal data of people in GDPR regions stored outside those
# regions. An empty or missing storage_regions is unknown storage and counts as outside.
gdpr_subjects if {
	some r in subject_regions
	r in regions.gdpr_subject_regions
}

# Fail closed: when the request does not say where the people are, they may well
# include EU or UK residents.
gdpr_subjects if count(subject_regions) == 0

outside_storage contains r if {
	some r in storage_regions
	not r in regions.gdpr_storage_regions
}

outside_storage contains "an unstated location" if count(storage_regions) == 0

transfer_needed if {
	lib.personal_data
	gdpr_subjects
	count(outside_storage) > 0
}

# Region lists are joined with concat() outside sprintf: regopy 1.5 prints a string that a
# builtin returned (concat, lower, object.get, ...) through sprintf's %v with raw quotes.
mechanism := m if {
	m := input.request.privacy.transfer_mechanism
} else := "none"

# Standard contractual clauses work for any destination; an adequacy decision and the
# Data Privacy Framework only for the regions IT lists for them.
mechanism_valid_for(_) if mechanism == "scc"

mechanism_valid_for(r) if {
	mechanism == "adequacy"
	r in regions.adequacy_regions
}

mechanism_valid_for(r) if {
	mechanism == "dpf"
	r in regions.dpf_regions
}

uncovered_regions := {r | some r in outside_storage; not mechanism_valid_for(r)}

deny contains finding if {
	transfer_needed
	count(uncovered_regions) > 0
	finding := {
		"rule": "privacy.transfer_mechanism",
		"message": concat("", [
			sprintf("%v would store personal data of people in the EU or UK in ", [lib.tool_name]),
			concat(", ", sort(uncovered_regions)),
			sprintf(", and the transfer mechanism given (%v) does not legally cover that.", [mechanism]),
		]),
		"fix": "List where the people are in `data.subject_regions` and where the vendor stores data in `data.storage_regions`, then ask the vendor which transfer mechanism it offers and set `privacy.transfer_mechanism`: `scc` (standard contractual clauses, valid anywhere), `adequacy` (only for regions with an adequacy decision) or `dpf` (only for a US vendor certified under the Data Privacy Framework).",
		"field": "privacy.transfer_mechanism",
	}
}

review contains finding if {
	transfer_needed
	mechanism == "scc"
	not input.request.privacy.tia_done == true
	finding := {
		"rule": "privacy.transfer_mechanism",
		"message": concat("", [
			sprintf("%v relies on standard contractual clauses to store EU or UK personal data in ", [lib.tool_name]),
			concat(", ", sort(outside_storage)),
			", but no transfer impact assessment has been done.",
		]),
		"fix": "Ask legal to complete a transfer impact assessment (TIA) with the vendor's answers, then set `privacy.tia_done: true`.",
		"field": "privacy.tia_done",
		"team": "legal",
	}
}

# privacy.dpia_required -------------------------------------------------------------
dpia_reasons contains "special-category data" if lib.special_category

# A missing fact counts as the unsafe value: `large_scale` left out is large scale, and
# no categories listed may be any category.
large_scale if {
	lib.personal_data
	not input.request.data.large_scale == false
}

dpia_reasons contains "large-scale behavioral data" if {
	large_scale
	"behavioral" in categories
}

dpia_reasons contains "large-scale data of unstated kinds" if {
	large_scale
	count(categories) == 0
}

dpia_reasons contains "session recording" if input.request.tracking.session_replay == true

dpia_reasons contains "session recording" if input.request.tool.category == "session-replay"

# A tag that does not say it records no sessions may well record them.
dpia_reasons contains "session recording" if {
	_ := input.request.tracking
	not input.request.tracking.session_replay == false
}

dpia_reasons contains "children's data" if children

review contains finding if {
	count(dpia_reasons) > 0
	not input.request.privacy.dpia_done == true
	finding := {
		"rule": "privacy.dpia_required",
		"message": concat("", [
			sprintf("%v involves high-risk processing (", [lib.tool_name]),
			concat(", ", sort(dpia_reasons)),
			"), which needs a data protection impact assessment before use.",
		]),
		"fix": "Work with the privacy team to complete a data protection impact assessment (DPIA), then set `privacy.dpia_done: true`.",
		"field": "privacy.dpia_done",
		"team": "privacy",
	}
}

# privacy.no_sale_or_share ----------------------------------------------------------
deny contains finding if {
	lib.personal_data
	input.request.privacy.sells_or_shares_data == true
	finding := {
		"rule": "privacy.no_sale_or_share",
		"message": sprintf("%v's vendor sells or shares the personal data it receives with third parties, which our privacy notice and US state privacy laws (such as the CCPA) do not allow.", [lib.tool_name]),
		"fix": "Choose a vendor that does not sell or share data, or get a contract clause that forbids it and set `privacy.sells_or_shares_data: false`.",
		"field": "privacy.sells_or_shares_data",
	}
}

deny contains finding if {
	lib.personal_data
	not input.request.privacy.sells_or_shares_data == true
	not input.request.privacy.sells_or_shares_data == false
	finding := {
		"rule": "privacy.no_sale_or_share",
		"message": sprintf("%v's vendor has not confirmed that it does not sell or share the personal data it receives.", [lib.tool_name]),
		"fix": "Check the vendor's DPA or privacy terms for a no-sale, no-sharing commitment and set `privacy.sells_or_shares_data: false` (or `true` if it does sell or share).",
		"field": "privacy.sells_or_shares_data",
	}
}

# privacy.retention_limit -----------------------------------------------------------
retention_stated if is_number(input.request.data.retention_days)

deny contains finding if {
	lib.personal_data
	input.request.data.retention_days > thresholds.max_retention_days
	finding := {
		"rule": "privacy.retention_limit",
		"message": sprintf("%v would keep personal data for %v days, longer than the %v-day maximum.", [lib.tool_name, input.request.data.retention_days, thresholds.max_retention_days]),
		"fix": sprintf("Set the tool's data retention to at most %v days (most tools have a retention setting) and update `data.retention_days`.", [thresholds.max_retention_days]),
		"field": "data.retention_days",
	}
}

deny contains finding if {
	lib.personal_data
	not retention_stated
	finding := {
		"rule": "privacy.retention_limit",
		"message": sprintf("%v would keep personal data with no retention period stated, so it could be kept forever.", [lib.tool_name]),
		"fix": sprintf("Find out how long the tool keeps data (set a retention period of at most %v days if you can) and set `data.retention_days`.", [thresholds.max_retention_days]),
		"field": "data.retention_days",
	}
}

# privacy.model_training ------------------------------------------------------------
review contains finding if {
	lib.personal_data
	not input.request.data.used_for_model_training == false
	finding := {
		"rule": "privacy.model_training",
		"message": sprintf("%v's vendor may use our personal data to train its AI models, which needs a legal basis and must be in our privacy notice.", [lib.tool_name]),
		"fix": "Ask the vendor whether it trains models on customer data and whether you can opt out; opt out and set `data.used_for_model_training: false`, or leave it `true` for the privacy team to review.",
		"field": "data.used_for_model_training",
		"team": "privacy",
	}
}

# privacy.breach_notice -------------------------------------------------------------
breach_notice_ok if input.request.privacy.breach_notice_hours <= thresholds.breach_notice_max_hours

review contains finding if {
	lib.personal_data
	not breach_notice_ok
	finding := {
		"rule": "privacy.breach_notice",
		"message": sprintf("%v's contract does not promise to tell us about a data breach within %v hours, so we could miss our own legal deadline to report it.", [lib.tool_name, thresholds.breach_notice_max_hours]),
		"fix": sprintf("Check the DPA for the vendor's breach notification deadline, negotiate %v hours or less, and set `privacy.breach_notice_hours`.", [thresholds.breach_notice_max_hours]),
		"field": "privacy.breach_notice_hours",
		"team": "legal",
	}
}

# privacy.children ------------------------------------------------------------------
review contains finding if {
	children
	finding := {
		"rule": "privacy.children",
		"message": sprintf("%v would process children's data, which needs parental consent and extra safeguards (COPPA, GDPR Art. 8).", [lib.tool_name]),
		"fix": "Explain in `notes` why children's data is needed and how parental consent is collected; the privacy team will review. Remove `children` from `data.subjects` and `data.categories` if it was added by mistake.",
		"field": "data.subjects",
		"team": "privacy",
	}
}

# privacy.risk_assessment -----------------------------------------------------------
# CPRA regulations (in force 2026-01-01): a risk assessment before selling or sharing
# personal data, processing sensitive personal information, or using automated
# decision-making for significant decisions.
sensitive_categories := {"health", "biometric", "children", "financial", "location"}

risk_reasons contains "it sells or shares personal data" if input.request.privacy.sells_or_shares_data == true

# Not stated, it may (privacy.no_sale_or_share asks the vendor too).
risk_reasons contains "the request does not say whether it sells or shares personal data" if {
	not input.request.privacy.sells_or_shares_data == true
	not input.request.privacy.sells_or_shares_data == false
}

risk_reasons contains "it shares data for cross-context advertising" if {
	input.request.tool.category in data.martech.config.tracking.ad_categories
}

risk_reasons contains "it processes sensitive personal information" if lib.special_category

# No categories stated: they may be any, sensitive ones too.
risk_reasons contains "the request does not list the kinds of personal data it handles, which may be sensitive" if {
	count(categories) == 0
}

risk_reasons contains "it processes sensitive personal information" if {
	some c in categories
	c in sensitive_categories
}

risk_reasons contains "it makes significant decisions about people" if {
	input.request.ai.significant_decisions == true
}

review contains finding if {
	lib.personal_data
	count(risk_reasons) > 0
	not input.request.privacy.risk_assessment_done == true
	finding := {
		"rule": "privacy.risk_assessment",
		"message": concat("", [
			sprintf("%v needs a privacy risk assessment on record before use, because ", [lib.tool_name]),
			concat(" and ", sort(risk_reasons)),
			" (CPRA risk-assessment regulations).",
		]),
		"fix": "Complete the risk assessment with the privacy team and set `privacy.risk_assessment_done: true`.",
		"field": "privacy.risk_assessment_done",
		"team": "privacy",
	}
}

# privacy.consumer_health_data ------------------------------------------------------
# Washington's My Health My Data Act: consent before collecting or sharing consumer
# health data, separate from any other consent.
health_stated if input.request.data.consumer_health_data == true

health_stated if "health" in categories

health_data if health_stated

# Personal data of kinds not stated may be any kind, health too, unless the request
# says it holds no health data.
health_data if {
	lib.personal_data
	count(categories) == 0
	not input.request.data.consumer_health_data == false
}

health_words := "would collect or infer consumer health data" if health_stated else := "does not list the kinds of personal data it handles (`data.categories`), so it may collect consumer health data,"

us_people if "us" in subject_regions

us_people if count(subject_regions) == 0

deny contains finding if {
	health_data
	us_people
	not input.request.data.health_consent == true
	finding := {
		"rule": "privacy.consumer_health_data",
		"message": sprintf("%v %v without people's separate, explicit consent, which Washington's My Health My Data Act requires (with a private right of action).", [lib.tool_name, health_words]),
		"fix": "Add a separate health-data consent before the tool collects anything and set `data.health_consent: true`, or keep health data out of the tool, list the kinds of data it handles in `data.categories` and set `data.consumer_health_data: false`.",
		"field": "data.health_consent",
	}
}
