"""The dry-run import shared by every app: `services.import_check` then `services.import_commit`.

An app subclasses `importers.Importer`; see docs/core-mechanisms.md ("Dry-run imports").
"""
