package martech.test.vendor

import rego.v1

import data.martech.rules.vendor
import data.martech.test.fixtures

# The fixture request passes every vendor rule (vendor has no warn rules).
test_fixture_is_quiet if {
	r := fixtures.request
	deny := vendor.deny with input.request as r with input.as_of as "2026-11-23"
	review := vendor.review with input.request as r with input.as_of as "2026-11-23"
	count(deny) + count(review) == 0
}

# vendor.blocked --------------------------------------------------------------------
test_blocked_denies_listed_vendor_with_reason if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "Kochava Inc."}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "vendor.blocked"
	f.field == "tool.vendor"
	contains(f.message, "Acme Analytics")
	contains(f.message, "FTC v. Kochava")
}

test_blocked_ignores_case if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "CLEARVIEW ai"}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "vendor.blocked")
}

test_blocked_quiet_for_similar_but_different_name if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "Kochava"}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "vendor.blocked")
}

# martechgov folds the name once (input.keys.vendor), in Python, because the engines
# lowercase non-ASCII capitals differently: `KOCHAVA İNC.` passed regopy and regorus.
test_blocked_compares_the_canonical_vendor_key if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "KOCHAVA İNC."}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
		with input.keys as {"vendor": "kochava inc."}
	fixtures.fired(fs, "vendor.blocked")
}

test_blocked_reads_the_key_not_the_name_as_written if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/vendor", "value": "Kochava Inc."}])
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
		with input.keys as {"vendor": "acme inc."}
	not fixtures.fired(fs, "vendor.blocked")
}

# The request's side of the comparison is folded by martechgov; IT's side by `lower`,
# which the engines compute alike only for ASCII. So blocked names are written in
# ASCII letters, digits and common punctuation. (Checked by removing those characters,
# not with a regex: regopy's regex matches non-ASCII characters against `[!-~]`.)
plain_characters := {c: "" | some c in split("a b c d e f g h i j k l m n o p q r s t u v w x y z A B C D E F G H I J K L M N O P Q R S T U V W X Y Z 0 1 2 3 4 5 6 7 8 9 . , & ' ( ) - / + ! @ : ;", " ")}

test_blocked_vendor_names_are_plain_ascii if {
	every b in data.martech.config.vendors.blocked {
		strings.replace_n(plain_characters, replace(b.vendor, " ", "")) == ""
	}
}

test_plain_ascii_check_refuses_a_non_ascii_capital if {
	strings.replace_n(plain_characters, replace("Kochava Inc.", " ", "")) == ""
	strings.replace_n(plain_characters, replace("KOCHAVA \u0130NC.", " ", "")) != ""
	strings.replace_n(plain_characters, replace("Soci\u00e9t\u00e9", " ", "")) != ""
}

test_blocked_list_comes_from_data if {
	r := fixtures.request
	fs := vendor.deny with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.vendors.blocked as [{"vendor": "acme inc.", "reason": "Test reason."}]
	some f in fs
	f.rule == "vendor.blocked"
	contains(f.message, "Test reason.")
}

# vendor.high_risk_category ---------------------------------------------------------
test_high_risk_category_reviews_enrichment if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "enrichment"}])
	fs := vendor.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "vendor.high_risk_category"
	f.team == "privacy"
	f.field == "tool.category"
}

test_high_risk_category_reviews_ad_pixel if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "ad-pixel"}])
	fs := vendor.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "vendor.high_risk_category")
}

test_high_risk_category_quiet_for_ad_platform if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "ad-platform"}])
	fs := vendor.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "vendor.high_risk_category")
}

test_high_risk_category_list_comes_from_data if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "enrichment"}])
	fs := vendor.review with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.vendors.high_risk_categories as ["session-replay"]
	not fixtures.fired(fs, "vendor.high_risk_category")
}
