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

# Date d (YYYY-MM-DD) plus the given number of months is on or after the evaluation date.
within_months(d, months) if time.add_date(date_ns(d), 0, months, 0) >= as_of_ns

# Date d is on or after the evaluation date (ISO dates compare as strings).
not_past(d) if d >= input.as_of
