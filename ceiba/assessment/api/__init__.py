"""The assessment API (methodologies, indicator tables, runs)."""
