from django.core.management.base import BaseCommand

from vhttdl.core.imports.services import imports_purge


class Command(BaseCommand):
    help = (
        "Expire checked import batches nobody confirmed (IMPORT_CHECKED_KEEP_HOURS) and remove the files of "
        "rejected (IMPORT_REJECTED_KEEP_HOURS) and expired batches. The beat schedule runs this hourly."
    )

    def handle(self, *args, **options):
        result = imports_purge()
        self.stdout.write(f"{result.expired} batch(es) expired, {result.files_removed} file(s) removed")
