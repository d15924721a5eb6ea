import time

from django.core.management.base import BaseCommand

from vhttdl.core.units.reference import load_areas, load_sector_organisations


class Command(BaseCommand):
    help = "Load the 34 provinces, 3,321 communes, the 63 former provinces and the sector's bodies (idempotent)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        areas = load_areas()
        organisations = load_sector_organisations()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"areas {areas}, organisations {organisations} in {elapsed:.2f}s"))
