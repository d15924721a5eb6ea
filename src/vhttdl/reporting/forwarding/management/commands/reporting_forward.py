from django.core.management.base import BaseCommand

from vhttdl.core.outbox.services import outbox_drain
from vhttdl.reporting.forwarding.destination import NATIONAL


class Command(BaseCommand):
    help = ("Send the accepted reports waiting in the outbox to the Government Reporting Information System "
            "(the same as `outbox_drain --destination reporting.national`).")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, **options):
        counts = outbox_drain(limit=options["limit"], destination=NATIONAL)
        self.stdout.write(f"sent {counts['sent']}, retrying later {counts['retrying']}, gave up {counts['failed']}")
