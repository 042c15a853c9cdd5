# Procurement: what finance and IT look at before money is committed: large spend,
# tools that duplicate the approved stack, and contracts that renew on their own.
# Thresholds: data.martech.config.thresholds; the approved stack: data.martech.config.stack.
package martech.rules.procurement

import rego.v1

import data.martech.lib

thresholds := data.martech.config.thresholds

stack := data.martech.config.stack

cost := input.request.cost

# A literal default, not object.get: regopy 1.5 prints object.get's default through
# sprintf's %v with raw quotes.
currency := c if {
	c := cost.currency
} else := "an unstated currency"

# procurement.cost_review -----------------------------------------------------------
review_threshold := thresholds.cost_review_annual[cost.currency]

# Amounts go into messages through lib.money and concat(), never sprintf's %v (a
# fraction prints differently on each engine; regopy quotes a string a builtin made).

currency_known if {
	_ := review_threshold
}

review contains finding if {
	cost.annual >= review_threshold
	finding := {
		"rule": "procurement.cost_review",
		"message": concat("", [
			sprintf("%v costs ", [lib.tool_name]),
			lib.money(cost.annual),
			sprintf(" %v a year, at or above the ", [cost.currency]),
			lib.money(review_threshold),
			sprintf(" %v limit that finance reviews.", [cost.currency]),
		]),
		"fix": "Send finance the quote and the budget line this comes from; a lower `cost.annual` (fewer seats or a smaller plan) below the limit avoids the review.",
		"field": "cost.annual",
		"team": "finance",
	}
}

# Not `not is_number(cost.annual)`: OPA evaluates a builtin's argument first, so with
# the field missing that line is undefined (not true) and the rule would never fire
# on an OPA server. The same holds for `not x in S`, `not count(x) > 0`, `not f(x)`:
# state the fact in a rule of its own and negate the rule.
annual_stated if is_number(cost.annual)

review contains finding if {
	currency_known
	not annual_stated
	finding := {
		"rule": "procurement.cost_review",
		"message": sprintf("%v has a cost section but no annual cost, so finance cannot tell whether it needs their review.", [lib.tool_name]),
		"fix": "Set `cost.annual` to the yearly price from the vendor's quote.",
		"field": "cost.annual",
		"team": "finance",
	}
}

review contains finding if {
	cost
	not currency_known
	finding := {
		"rule": "procurement.cost_review",
		"message": sprintf("%v's cost is in %v, which has no finance review threshold, so finance reviews it.", [lib.tool_name, currency]),
		"fix": "Send finance the quote; if the vendor can also invoice in a currency finance has a threshold for (for example USD), set `cost.currency` and `cost.annual` to that price.",
		"field": "cost.currency",
		"team": "finance",
	}
}

# procurement.duplicate_capability --------------------------------------------------
replaces := object.get(input.request, "replaces", [])

review contains finding if {
	e := stack[input.request.tool.category]
	e.request != input.request.id
	not e.request in replaces
	finding := {
		"rule": "procurement.duplicate_capability",
		"message": sprintf("%v does the same job (%v) as %v, which the company already uses.", [lib.tool_name, input.request.tool.category, e.tool]),
		"fix": sprintf("If this tool replaces %v, add `%v` under `replaces`; otherwise explain in `notes` why both tools are needed.", [e.tool, e.request]),
		"field": "tool.category",
		"team": "it",
	}
}

# procurement.auto_renew_notice -----------------------------------------------------
notice_ok if cost.notice_days >= thresholds.auto_renew_min_notice_days

warn contains finding if {
	cost.auto_renew == true
	not notice_ok
	finding := {
		"rule": "procurement.auto_renew_notice",
		"message": sprintf("%v renews automatically and the contract gives less than %v days (or no stated time) to cancel, so it could renew before anyone decides to keep it.", [lib.tool_name, thresholds.auto_renew_min_notice_days]),
		"fix": sprintf("Negotiate a cancellation notice period of at least %v days (or turn off auto-renewal) and set `cost.notice_days` (or `cost.auto_renew: false`).", [thresholds.auto_renew_min_notice_days]),
		"field": "cost.notice_days",
	}
}
