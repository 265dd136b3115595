"""Imports into and exports out of threat documentation (CSV/XLSX, FtM JSON lines, STIX 2.1, MISP).
`base` holds the contract every importer follows; the import runs (jobs, progress, error reports,
the `ceiba import` command) are built on it."""
