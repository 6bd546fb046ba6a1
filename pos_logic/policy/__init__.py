"""Rule folders: found (resources), guarded against running code (policy_guard), parsed and
instrumented once per content hash (policy, ground, policy_cache)."""
