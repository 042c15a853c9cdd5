# Integration: which company systems the tool connects to, how, and in which direction.
# `direction` is seen from the requested tool: inbound = the tool receives data from the
# system, outbound = the tool sends data to it. Catalog: data.martech.config.systems.
package martech.rules.integration

import rego.v1

import data.martech.lib

systems := data.martech.config.systems

# An integration that moves only content (copy, images, documents) and no data about
# people. An empty or missing data list is not proof of that.
content_only(integration) if {
	categories := object.get(integration, "data", [])
	count(categories) > 0
	every category in categories {
		category == "content"
	}
}

# A personal-data tool's integration carries personal data unless it is content only.
carries_personal_data(integration) if {
	lib.personal_data
	not content_only(integration)
}

# How a message names the other system: its catalog name, else the id as written.
system_label(integration) := systems[integration.system].name if {
	systems[integration.system].name
} else := object.get(integration, "system", "an unnamed system")

# integration.approved_target -------------------------------------------------------
deny contains finding if {
	some i, integration in input.request.integrations
	system := object.get(integration, "system", "")
	not system in object.keys(systems)
	finding := {
		"rule": "integration.approved_target",
		"message": sprintf("%v would connect to \"%v\", which is not a system in IT's approved catalog, so nobody at IT owns or watches that connection.", [lib.tool_name, system]),
		"fix": sprintf("Set `integrations[%v].system` to the id of a system in IT's catalog (policies/data/systems.yaml), or ask IT to add the system to the catalog first.", [i]),
		"field": sprintf("integrations[%v].system", [i]),
	}
}

# integration.personal_data_by_file -------------------------------------------------
review contains finding if {
	some i, integration in input.request.integrations
	carries_personal_data(integration)
	integration.method == "csv"
	finding := {
		"rule": "integration.personal_data_by_file",
		"message": sprintf("%v would exchange personal data with %v by CSV file. Exported files get emailed, copied to laptops and forgotten, and nobody can tell later who had them.", [lib.tool_name, system_label(integration)]),
		"fix": sprintf("Use the vendor's native connector or an API integration and set `integrations[%v].method` to `native` or `api`; if a file export is unavoidable, IT will agree where the files live and when they are deleted.", [i]),
		"field": sprintf("integrations[%v].method", [i]),
		"team": "it",
	}
}

# integration.middleware ------------------------------------------------------------
review contains finding if {
	some i, integration in input.request.integrations
	carries_personal_data(integration)
	integration.method == "middleware"
	finding := {
		"rule": "integration.middleware",
		"message": sprintf("%v would pass personal data to %v through a middleware service (such as Zapier or Make), which adds another company that sees the data and a connection IT does not run.", [lib.tool_name, system_label(integration)]),
		"fix": sprintf("Prefer the vendor's native connector or an API integration (set `integrations[%v].method` to `native` or `api`); otherwise IT will check the middleware account, its owner and its data processing terms.", [i]),
		"field": sprintf("integrations[%v].method", [i]),
		"team": "it",
	}
}

# integration.system_of_record_write ------------------------------------------------
# Anything other than an explicit inbound direction may write to the system.
review contains finding if {
	some i, integration in input.request.integrations
	not integration.direction == "inbound"
	system := systems[integration.system]
	system.system_of_record == true
	finding := {
		"rule": "integration.system_of_record_write",
		"message": sprintf("%v would send data into %v, a system of record that other teams and systems trust; a bad sync can overwrite or duplicate records there.", [lib.tool_name, system.name]),
		"fix": sprintf("If %v only needs to read from %v, set `integrations[%v].direction: inbound`; otherwise IT will agree which fields it may write and how sync errors are caught.", [lib.tool_name, system.name, i]),
		"field": sprintf("integrations[%v].direction", [i]),
		"team": "it",
	}
}
