"""Spreadsheet import (CSV, Excel; dry run first) and export (CSV, Excel, GeoJSON) of heritage sites.

The column set is one list (`columns.SITE_COLUMNS`) shared by import and export, so an exported
file imports back unchanged. `docs/heritage-import.md` explains every column.
"""
