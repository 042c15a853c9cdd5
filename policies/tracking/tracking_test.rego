package martech.test.tracking

import rego.v1

import data.martech.rules.tracking
import data.martech.test.fixtures

# The fixture request (no tracking section) passes every tracking rule (the package
# has only deny rules).
test_fixture_is_quiet if {
	r := fixtures.request
	deny := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	count(deny) == 0
}

# So does the fixture with a well-configured tracking section.
test_fixture_with_tracking_is_quiet if {
	r := fixtures.changed([{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "analytics", "session_replay": false, "masking": "all-inputs"}}])
	deny := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	count(deny) == 0
}

# tracking.consent_category ---------------------------------------------------------
test_consent_category_fires_when_missing if {
	r := fixtures.changed([{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "session_replay": false, "masking": "all-inputs"}}])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "tracking.consent_category"
	f.field == "tracking.consent_category"
	contains(f.message, "must declare")
}

test_consent_category_fires_for_necessary_analytics if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "analytics"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "necessary", "session_replay": false, "masking": "all-inputs"}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "tracking.consent_category"
	contains(f.message, "cannot be \"necessary\"")
}

test_consent_category_quiet_for_necessary_survey if {
	r := fixtures.changed([{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "necessary", "session_replay": false, "masking": "all-inputs"}}])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.consent_category")
}

test_consent_category_quiet_for_analytics_under_analytics if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "analytics"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "analytics", "session_replay": false, "masking": "all-inputs"}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.consent_category")
}

test_consent_category_list_comes_from_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "analytics"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "necessary", "session_replay": false, "masking": "all-inputs"}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.tracking.consent_required_categories as ["ad-pixel"]
	not fixtures.fired(fs, "tracking.consent_category")
}

# tracking.sensitive_pages ----------------------------------------------------------
test_sensitive_pages_fires_once_per_sensitive_page if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "ad-pixel"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home", "checkout", "health"], "consent_category": "marketing", "session_replay": false, "masking": "all-inputs"}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	hits := [h | some h in fs; h.rule == "tracking.sensitive_pages"]
	count(hits) == 2
	some f in hits
	f.field == "tracking.pages[1]"
	contains(f.message, "checkout")
	contains(f.message, "GoodRx")
}

test_sensitive_pages_quiet_for_ad_tag_on_ordinary_pages if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "ad-platform"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home", "blog", "pricing"], "consent_category": "marketing", "session_replay": false, "masking": "all-inputs"}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.sensitive_pages")
}

test_sensitive_pages_quiet_for_non_ad_tag_on_checkout if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "analytics"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["checkout"], "consent_category": "analytics", "session_replay": false, "masking": "all-inputs"}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.sensitive_pages")
}

test_sensitive_pages_list_comes_from_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "ad-pixel"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["blog"], "consent_category": "marketing", "session_replay": false, "masking": "all-inputs"}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.tracking.sensitive_pages as ["blog"]
	fixtures.fired(fs, "tracking.sensitive_pages")
}

# tracking.session_replay_masking ---------------------------------------------------
test_session_replay_masking_fires_for_sensitive_only if {
	r := fixtures.changed([{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "analytics", "session_replay": true, "masking": "sensitive-only"}}])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "tracking.session_replay_masking"
	f.field == "tracking.masking"
}

test_session_replay_masking_fires_when_masking_missing if {
	r := fixtures.changed([{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "analytics", "session_replay": true}}])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "tracking.session_replay_masking")
}

test_session_replay_masking_fires_for_replay_tool_without_flag if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "session-replay"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "analytics", "masking": "none"}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "tracking.session_replay_masking")
}

test_session_replay_masking_fires_for_replay_tool_without_tracking_section if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "session-replay"}])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "tracking.session_replay_masking")
}

test_session_replay_masking_quiet_with_all_inputs_masked if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "session-replay"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "analytics", "session_replay": true, "masking": "all-inputs"}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.session_replay_masking")
}

test_session_replay_masking_quiet_without_replay if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "analytics"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "analytics", "session_replay": false, "masking": "none"}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.session_replay_masking")
}

# Ad pixels and ad platforms need marketing consent, whatever else the request says.
test_consent_category_denies_an_ad_pixel_filed_under_analytics if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "ad-pixel"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "analytics", "session_replay": false}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "tracking.consent_category"
	contains(f.message, "marketing cookies")
}

test_consent_category_denies_an_ad_platform_without_tracking if {
	r := fixtures.changed([{"op": "replace", "path": "/tool/category", "value": "ad-platform"}])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "tracking.consent_category")
	count([f | some f in fs; f.rule == "tracking.consent_category"]) == 1
}

test_consent_category_quiet_for_an_ad_pixel_under_marketing if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "ad-pixel"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "marketing", "session_replay": false}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.consent_category")
}

# A tag that does not say it records no sessions counts as recording them.
test_session_replay_masking_denies_a_tag_that_does_not_say_it_records_nothing if {
	r := fixtures.changed([{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "analytics"}}])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "tracking.session_replay_masking")
}

test_session_replay_masking_quiet_for_a_tag_that_records_nothing if {
	r := fixtures.changed([{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "analytics", "session_replay": false}}])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.session_replay_masking")
}

# tracking.gpc_honoured -------------------------------------------------------------
test_gpc_honoured_denies_an_ad_tag_that_ignores_gpc if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "ad-pixel"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "marketing", "session_replay": false}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "tracking.gpc_honoured"
	f.field == "tracking.honors_gpc"
}

test_gpc_honoured_quiet_when_the_tag_honours_gpc if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "ad-pixel"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "marketing", "session_replay": false, "honors_gpc": true}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.gpc_honoured")
}

test_gpc_honoured_quiet_for_an_analytics_tag_that_does_not_share if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "analytics"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "analytics", "session_replay": false}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.gpc_honoured")
}

# tracking.health_geofencing --------------------------------------------------------
test_health_geofencing_denies_unrestricted_geofencing if {
	r := fixtures.changed([{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "marketing", "session_replay": false, "geofencing": "unrestricted"}}])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "tracking.health_geofencing")
}

test_health_geofencing_denies_an_ad_tool_with_location_data_that_does_not_say if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "ad-platform"},
		{"op": "replace", "path": "/data/categories", "value": ["location"]},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "tracking.health_geofencing")
}

test_health_geofencing_denies_an_ad_tool_that_does_not_say_what_data_it_holds if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "ad-platform"},
		{"op": "remove", "path": "/data/categories"},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "tracking.health_geofencing")
}

test_health_geofencing_quiet_for_an_ad_tool_without_location_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "ad-platform"},
		{"op": "replace", "path": "/data/categories", "value": ["behavioral"]},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.health_geofencing")
}

test_health_geofencing_quiet_when_health_facilities_are_excluded if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "ad-platform"},
		{"op": "replace", "path": "/data/categories", "value": ["location"]},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home"], "consent_category": "marketing", "session_replay": false, "geofencing": "health-facilities-excluded"}},
	])
	fs := tracking.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.health_geofencing")
}

# tracking.health_breach_exposure ---------------------------------------------------
test_health_breach_exposure_reviews_an_analytics_tag_on_health_pages if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "analytics"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home", "symptoms"], "consent_category": "analytics", "session_replay": false}},
	])
	fs := tracking.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "tracking.health_breach_exposure"
	f.field == "tracking.pages[1]"
	f.team == "legal"
}

test_health_breach_exposure_quiet_off_health_pages if {
	r := fixtures.changed([
		{"op": "replace", "path": "/tool/category", "value": "analytics"},
		{"op": "add", "path": "/tracking", "value": {"pages": ["home", "pricing"], "consent_category": "analytics", "session_replay": false}},
	])
	fs := tracking.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "tracking.health_breach_exposure")
}
