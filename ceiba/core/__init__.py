"""Member states, organisations, users, their memberships and roles."""
