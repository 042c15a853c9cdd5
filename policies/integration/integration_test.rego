package martech.test.integration

import rego.v1

import data.martech.rules.integration
import data.martech.test.fixtures

# The fixture request passes every integration rule (the package has no warn rules).
test_fixture_is_quiet if {
	r := fixtures.request
	deny := integration.deny with input.request as r with input.as_of as "2026-11-23"
	review := integration.review with input.request as r with input.as_of as "2026-11-23"
	count(deny) + count(review) == 0
}

# integration.approved_target -------------------------------------------------------
test_approved_target_fires_for_unknown_system if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/-", "value": {"system": "marketo", "direction": "inbound", "method": "api", "data": ["contact"]}}])
	fs := integration.deny with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "integration.approved_target"
	f.field == "integrations[1].system"
	contains(f.message, "marketo")
	contains(f.message, "Acme Analytics")
}

test_approved_target_fires_when_system_missing if {
	r := fixtures.changed([{"op": "remove", "path": "/integrations/0/system"}])
	fs := integration.deny with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "integration.approved_target")
}

test_approved_target_quiet_for_catalog_system if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/-", "value": {"system": "snowflake", "direction": "inbound", "method": "api", "data": ["contact"]}}])
	fs := integration.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "integration.approved_target")
}

test_approved_target_quiet_without_integrations if {
	r := fixtures.changed([{"op": "replace", "path": "/integrations", "value": []}])
	fs := integration.deny with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "integration.approved_target")
}

test_approved_target_catalog_comes_from_data if {
	r := fixtures.request
	fs := integration.deny with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.systems as {"snowflake": {"name": "Snowflake data warehouse", "system_of_record": false}}
	fixtures.fired(fs, "integration.approved_target")
}

# integration.personal_data_by_file -------------------------------------------------
test_personal_data_by_file_fires_for_csv if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/0/method", "value": "csv"}])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "integration.personal_data_by_file"
	f.team == "it"
	f.field == "integrations[0].method"
	contains(f.message, "Salesforce Sales Cloud (CRM)")
}

test_personal_data_by_file_fires_when_data_list_missing if {
	r := fixtures.changed([
		{"op": "add", "path": "/integrations/0/method", "value": "csv"},
		{"op": "remove", "path": "/integrations/0/data"},
	])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "integration.personal_data_by_file")
}

test_personal_data_by_file_fires_when_data_list_empty if {
	r := fixtures.changed([
		{"op": "add", "path": "/integrations/0/method", "value": "csv"},
		{"op": "add", "path": "/integrations/0/data", "value": []},
	])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "integration.personal_data_by_file")
}

test_personal_data_by_file_fires_when_content_mixed_with_contacts if {
	r := fixtures.changed([
		{"op": "add", "path": "/integrations/0/method", "value": "csv"},
		{"op": "add", "path": "/integrations/0/data", "value": ["content", "contact"]},
	])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "integration.personal_data_by_file")
}

test_personal_data_by_file_quiet_for_content_only if {
	r := fixtures.changed([
		{"op": "add", "path": "/integrations/0/method", "value": "csv"},
		{"op": "add", "path": "/integrations/0/data", "value": ["content"]},
	])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "integration.personal_data_by_file")
}

test_personal_data_by_file_quiet_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "add", "path": "/integrations/0/method", "value": "csv"},
	])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "integration.personal_data_by_file")
}

test_personal_data_by_file_quiet_for_api if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/0/method", "value": "api"}])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "integration.personal_data_by_file")
}

# integration.middleware ------------------------------------------------------------
test_middleware_fires_for_second_integration if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/-", "value": {"system": "slack", "direction": "outbound", "method": "middleware", "data": ["contact"]}}])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "integration.middleware"
	f.team == "it"
	f.field == "integrations[1].method"
}

test_middleware_fires_for_pseudonymous_data_without_data_list if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "pseudonymous"},
		{"op": "add", "path": "/integrations/0/method", "value": "middleware"},
		{"op": "remove", "path": "/integrations/0/data"},
	])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "integration.middleware")
}

test_middleware_quiet_for_content_only if {
	r := fixtures.changed([
		{"op": "add", "path": "/integrations/0/method", "value": "middleware"},
		{"op": "add", "path": "/integrations/0/data", "value": ["content"]},
	])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "integration.middleware")
}

test_middleware_quiet_for_native_connector if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/0/method", "value": "native"}])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "integration.middleware")
}

# integration.system_of_record_write ------------------------------------------------
test_system_of_record_write_fires_for_outbound_to_crm if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/0/direction", "value": "outbound"}])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "integration.system_of_record_write"
	f.team == "it"
	f.field == "integrations[0].direction"
	contains(f.message, "Salesforce Sales Cloud (CRM)")
}

test_system_of_record_write_fires_for_bidirectional_second_integration if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/-", "value": {"system": "workday", "direction": "bidirectional", "method": "api", "data": ["employee"]}}])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	some f in fs
	f.rule == "integration.system_of_record_write"
	f.field == "integrations[1].direction"
	contains(f.message, "Workday (HR)")
}

test_system_of_record_write_fires_when_direction_missing if {
	r := fixtures.changed([{"op": "remove", "path": "/integrations/0/direction"}])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "integration.system_of_record_write")
}

test_system_of_record_write_fires_without_personal_data if {
	r := fixtures.changed([
		{"op": "replace", "path": "/data/personal_data", "value": "none"},
		{"op": "add", "path": "/integrations/0/direction", "value": "outbound"},
	])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "integration.system_of_record_write")
}

test_system_of_record_write_quiet_for_inbound if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/0/direction", "value": "inbound"}])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "integration.system_of_record_write")
}

test_system_of_record_write_quiet_for_outbound_to_warehouse if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/-", "value": {"system": "snowflake", "direction": "outbound", "method": "api", "data": ["contact"]}}])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "integration.system_of_record_write")
}

test_system_of_record_write_quiet_for_unknown_system if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/-", "value": {"system": "marketo", "direction": "outbound", "method": "api", "data": ["contact"]}}])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "integration.system_of_record_write")
}

test_system_of_record_write_flag_comes_from_data if {
	r := fixtures.changed([{"op": "add", "path": "/integrations/0/direction", "value": "outbound"}])
	fs := integration.review with input.request as r with input.as_of as "2026-11-23"
		with data.martech.config.systems.salesforce.system_of_record as false
	not fixtures.fired(fs, "integration.system_of_record_write")
}
