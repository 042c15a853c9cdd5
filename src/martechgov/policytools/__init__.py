"""Policy author tools: Rego unit tests, validation of IT's side, impact of a change,
re-review of stale approvals, OPA bundles."""
