package martech.test.lib

import rego.v1

import data.martech.lib

# days_in_month is computed, not read from a date library: it must be the calendar's.
test_days_in_month_in_a_common_and_a_leap_year if {
	common := [lib.days_in_month(2027, m) | some m in numbers.range(1, 12)]
	common == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
	leap := [lib.days_in_month(2028, m) | some m in numbers.range(1, 12)]
	leap == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
}

# Every fourth year is a leap year, but not the turn of a century unless it divides by 400.
test_february_across_the_supported_dates if {
	lib.days_in_month(1900, 2) == 28
	lib.days_in_month(1904, 2) == 29
	lib.days_in_month(2000, 2) == 29
	lib.days_in_month(2100, 2) == 28
	lib.days_in_month(2196, 2) == 29
	lib.days_in_month(2200, 2) == 28
}

# The last day of each month as a date library gives it, for every month of 1900 to 2210.
test_days_in_month_agrees_with_the_date_library if {
	months := [[y, m] | some y in numbers.range(1900, 2210); some m in numbers.range(1, 11)]
	count(months) == 3421
	every month in months {
		first := time.parse_ns("2006-01-02", concat("-", [format_int(month[0], 10), lib.pad2(month[1] + 1), "01"]))
		lib.days_in_month(month[0], month[1]) == time.date(first - 86400000000000)[2]
	}
}
