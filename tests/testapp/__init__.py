"""A test-only app whose models exercise the shared engines (access policy, jobs) in isolation."""
