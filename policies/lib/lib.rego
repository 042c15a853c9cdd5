# Helpers shared by the area packages. Dates arrive as "YYYY-MM-DD" strings and the
# evaluation date is input.as_of: no rule reads the clock, so any past decision can be
# reproduced with `martechgov check --as-of`.
package martech.lib

import rego.v1

request := input.request

tool_name := input.request.tool.name

# The vendor's name as rules compare it: martechgov computes this key once, in Python
# (`keys.vendor` in `martechgov input`): case, accents, punctuation and a trailing
# legal form set aside, so `Kochava`, `Kochava Inc` and `KOCHAVA, INC.` are `kochava`.
# IT's block list carries the same keys (vendors.yaml entries' `keys`). The fallback
# serves inputs built by hand and is exact for lower-case names without a legal form.
vendor_key := key if {
	key := input.keys.vendor
} else := lower(input.request.tool.vendor)

# An amount of money as text: "43200", "82283.10". Built from whole cents because
# sprintf("%v") of a fraction differs between engines (regopy prints 82283.1 as
# 82283.10000000001, OPA prints 1250000.5 as 1.2500005e+06). Requests hold at most
# 2 decimals below 10^9, so the cents are exact.
money(amount) := format_int(amount, 10) if amount == floor(amount)

else := concat(".", [format_int(whole, 10), pad2(cents - (whole * 100))]) if {
	cents := round(amount * 100)
	whole := floor(cents / 100)
}

config := data.martech.config

# Pseudonymous data (cookie and device IDs) is still personal data under GDPR
# (Recital 26), so only an explicit "none" counts as no personal data.
personal_data if not input.request.data.personal_data == "none"

special_category if input.request.data.personal_data == "special-category"

date_ns(d) := time.parse_ns("2006-01-02", d)

as_of_ns := date_ns(input.as_of)

# Date d (YYYY-MM-DD) plus the given number of calendar months, as "YYYY-MM-DD": the
# last day something dated d still counts when it counts for that many months. A day
# the target month does not have is clamped to its last day (a report whose period
# ended on 29 February 2024 is current until 28 February 2025). Computed on
# [year, month, day] because time.add_date differs between engines there: OPA and
# regopy roll 29 February + 12 months over to 1 March, regorus clamps. This is the one
# implementation: the rules and the inventory's lapse dates (the decision's `facts`)
# both read it.
# No `%`: regopy 1.5 computes it wrongly for many integers (26411 % 12 gives 3, and
# 24001..24129 % 12 are all wrong: the months of the years 2000 to 2010).
add_months(d, months) := concat("-", [format_int(year, 10), pad2(month), pad2(day)]) if {
	[y, m, dd] := time.date(date_ns(d))
	index := ((y * 12) + m - 1) + months
	year := floor(index / 12)
	month := (index - (year * 12)) + 1
	day := min([dd, days_in_month(year, month)])
}

# The days of a month of the Gregorian calendar, by arithmetic (no `%`, see above):
# printing, parsing and reading back the next month's first day on every call made
# this a fifth of the time of a whole decision.
days_in_month(year, month) := 29 if {
	month == 2
	leap_year(year)
} else := 28 if {
	month == 2
} else := 30 if {
	some short in [4, 6, 9, 11]
	month == short
} else := 31

leap_year(year) if {
	year == floor(year / 4) * 4
	year != floor(year / 100) * 100
}

leap_year(year) if year == floor(year / 400) * 400

pad2(n) := concat("", ["0", format_int(n, 10)]) if n < 10

else := format_int(n, 10)

# Date d plus the given number of calendar months is on or after the evaluation date.
within_months(d, months) if add_months(d, months) >= input.as_of

# The last day the SOC 2 Type II report counts as current (security.attestation_current).
soc2_valid_until := add_months(input.request.security.soc2_type2_period_end, config.thresholds.soc2_valid_months)

# Date d is on or after the evaluation date (ISO dates compare as strings).
not_past(d) if d >= input.as_of
