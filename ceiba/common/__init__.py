"""Shared foundations: base models, the access policy engine, the audit log, jobs and API base classes."""
