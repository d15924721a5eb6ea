"""HTML pages of the reporting system, split by concern: entry and workflow, Excel, completeness, design."""
