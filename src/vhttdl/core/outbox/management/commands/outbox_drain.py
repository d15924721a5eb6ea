from django.core.management.base import BaseCommand, CommandError

from vhttdl.core.outbox.registry import destinations
from vhttdl.core.outbox.services import outbox_drain


class Command(BaseCommand):
    help = "Send the outbox messages that are due (retries included), for one destination or all."

    def add_arguments(self, parser):
        parser.add_argument("--destination", default="", help="only this destination (e.g. reporting.national)")
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, **options):
        name = options["destination"] or None
        if name and name not in destinations():
            raise CommandError(f"unknown destination {name!r}; installed: {', '.join(destinations()) or 'none'}")
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        counts = outbox_drain(limit=options["limit"], destination=name)
        self.stdout.write(f"sent {counts['sent']}, retrying later {counts['retrying']}, gave up {counts['failed']}")
