"""Uploads and stored files for every app: `check_upload`, `stored_name`, `store_bytes`, `delete_files`.

See `checks` (the one upload path), `images`, `archives`, `workbook`, `storage` (STORAGE_URL) and
docs/core-mechanisms.md ("Files").
"""
