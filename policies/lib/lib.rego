# Helpers shared by the area packages. Dates arrive as "YYYY-MM-DD" strings and the
# evaluation date is input.as_of: no rule reads the clock, so any past decision can be
# reproduced with `martechgov check --as-of`.
package martech.lib

import rego.v1

request := input.request

tool_name := input.request.tool.name

config := data.martech.config

# Pseudonymous data (cookie and device IDs) is still personal data under GDPR
# (Recital 26), so only an explicit "none" counts as no personal data.
personal_data if not input.request.data.personal_data == "none"

special_category if input.request.data.personal_data == "special-category"

date_ns(d) := time.parse_ns("2006-01-02", d)

as_of_ns := date_ns(input.as_of)

# Date d (YYYY-MM-DD) plus the given number of calendar months is on or after the
# evaluation date. A day the target month does not have is clamped to its last day
# (a report whose period ended on 29 February 2024 is current until 28 February 2025).
# Computed on [year, month, day] because time.add_date differs between engines there:
# OPA and regopy roll 29 February + 12 months over to 1 March, regorus clamps.
within_months(d, months) if {
	[year, month, day] := time.date(date_ns(d))
	[now_year, now_month, now_day] := time.date(as_of_ns)
	elapsed := ((now_year * 12) + now_month) - ((year * 12) + month)
	months_ok(elapsed, months, now_day, day)
}

months_ok(elapsed, months, _, _) if elapsed < months

months_ok(elapsed, months, now_day, day) if {
	elapsed == months
	now_day <= day
}

# Date d is on or after the evaluation date (ISO dates compare as strings).
not_past(d) if d >= input.as_of
