"""Demo data: the Ministry's units, a few units per department, one person per role, and each module's data."""
