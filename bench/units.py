"""Benchmark: loading the administrative units and the sector's bodies (target: under 10 s).

    .venv/bin/python bench/units.py [--database-url URL] [--no-write]

Loads into a fresh database (the URL's database is created by Django's test machinery and dropped
afterwards), twice: the first load creates everything, the second shows the idempotent path.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--no-write", action="store_true", help="print only; do not update docs/benchmarks.md")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vhttdl.config.settings")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import get_runner

    from bench.report import machine_description, write_section
    from vhttdl.core.units.reference import load_areas, load_sector_organisations

    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            load_areas()
            load_sector_organisations()
            timings.append(time.perf_counter() - started)
        version = connection.vendor
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            import sqlite3

            version = f"SQLite {sqlite3.sqlite_version}"
    finally:
        runner.teardown_databases(old_config)

    body = (
        f"## Administrative units on {version.split(' ')[0]} (issue 2, target: a load under 10 s)\n\n"
        f"Machine: {machine_description(version)}.\n\n"
        "| step | seconds |\n| --- | ---: |\n"
        f"| first load: 34 provinces, 3,321 communes, 52 former provinces + links, 106 bodies | {timings[0]:.2f} |\n"
        f"| second load (idempotent, nothing to create) | {timings[1]:.2f} |\n"
    )
    print(body)
    if not args.no_write:
        print("written to", write_section(f"units-{connection.vendor}", body))


if __name__ == "__main__":
    main()
