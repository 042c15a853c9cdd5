# AI: tools that generate content or make decisions about people. The facts come from
# fields IT declares in policies/fields.yaml (`ai.*`); limits from data.martech.config.ai
# (data/ai.yaml, with its schema). Effective dates are in data/rules.yaml.
package martech.rules.ai

import rego.v1

import data.martech.lib

limits := data.martech.config.ai

ai := object.get(input.request, "ai", {})

generative if ai.generative == true

subject_regions := object.get(input.request.data, "subject_regions", [])

# EU residents among the people, or not stated (which may include them).
eu_people if "eu" in subject_regions

eu_people if count(subject_regions) == 0

# ai.transparency -------------------------------------------------------------------
deny contains finding if {
	generative
	ai.customer_facing == true
	eu_people
	not ai.disclosure == true
	finding := {
		"rule": "ai.transparency",
		"message": sprintf("%v generates content that customers or visitors see or talk to, but people are not told they are dealing with an AI and its output is not marked as AI-generated (EU AI Act, Art. 50).", [lib.tool_name]),
		"fix": "Turn on the vendor's AI disclosure (a notice in the chat, labels or watermarks on generated content) and set `ai.disclosure: true`.",
		"field": "ai.disclosure",
	}
}

# ai.generative_customer_data -------------------------------------------------------
genai_risks contains "the vendor may train its models on it" if not ai.training_opt_out == "opted-out"

genai_risks contains "prompts and output are kept longer than allowed" if {
	ai.prompt_retention_days > limits.prompt_retention_max_days
}

genai_risks contains "how long prompts and output are kept is not stated" if {
	not is_number(object.get(ai, "prompt_retention_days", null))
}

review contains finding if {
	generative
	lib.personal_data
	count(genai_risks) > 0
	finding := {
		"rule": "ai.generative_customer_data",
		"message": concat("", [
			sprintf("%v would use generative AI on personal data, and ", [lib.tool_name]),
			concat("; ", sort(genai_risks)),
			".",
		]),
		"fix": sprintf("Opt out of model training (`ai.training_opt_out: opted-out`) and keep prompts and output for at most %v days (`ai.prompt_retention_days`); privacy reviews the rest.", [limits.prompt_retention_max_days]),
		"field": "ai.training_opt_out",
		"team": "privacy",
	}
}

# ai.automated_decisions ------------------------------------------------------------
review contains finding if {
	ai.significant_decisions == true
	finding := {
		"rule": "ai.automated_decisions",
		"message": sprintf("%v would make, or substantially replace people making, significant decisions about individuals (credit, housing, jobs, education, insurance or health care), which needs a pre-use notice, an opt-out or appeal and a risk assessment (CCPA regulations on automated decision-making technology).", [lib.tool_name]),
		"fix": "Ask legal to review the use: the notice people get, how they opt out or appeal to a person, and the risk assessment. If people make the decisions, set `ai.significant_decisions: false`.",
		"field": "ai.significant_decisions",
		"team": "legal",
	}
}
