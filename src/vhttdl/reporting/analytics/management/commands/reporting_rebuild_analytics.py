import time

from django.core.management.base import BaseCommand

from vhttdl.reporting.analytics.services import aggregates_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the analytics aggregates from every approved or accepted report. Not needed day to day "
        "(approvals and unit moves or closures update them incrementally); use it for recovery, or after "
        "units were loaded or changed outside the unit services."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = aggregates_rebuild()
        self.stdout.write(
            f"analytics rebuilt: {counts['aggregates']} aggregate rows from {counts['submissions']} reports "
            f"in {time.perf_counter() - started:.1f}s"
        )
