from django.core.management.base import BaseCommand

from vhttdl.reporting.forwarding.services import outbox_drain


class Command(BaseCommand):
    help = "Send the accepted reports waiting in the outbox to the Government Reporting Information System."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, **options):
        counts = outbox_drain(limit=options["limit"])
        self.stdout.write(f"sent {counts['sent']}, retrying later {counts['retrying']}, gave up {counts['failed']}")
