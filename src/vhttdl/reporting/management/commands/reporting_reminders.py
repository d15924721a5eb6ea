from datetime import date

from django.core.management.base import BaseCommand, CommandError

from vhttdl.reporting.services import reminders_send, unsubmitted_before_deadline


class Command(BaseCommand):
    help = "E-mail units that have not yet submitted a report due within --days-ahead days (default 3)."

    def add_arguments(self, parser):
        parser.add_argument("--days-ahead", type=int, default=3)
        parser.add_argument("--on", help="pretend today is this date (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="list who would be reminded; send nothing")

    def handle(self, *args, **options):
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else None
        except ValueError as exc:
            raise CommandError(f"--on: {exc}") from exc
        if options["dry_run"]:
            due = unsubmitted_before_deadline(days_ahead=options["days_ahead"], on=on)
            for form, unit, period in due:
                self.stdout.write(f"{form.code}\t{period.code}\t{unit.code}\t{unit.name}")
            self.stdout.write(f"{len(due)} reports due and not submitted")
            return
        sent = reminders_send(days_ahead=options["days_ahead"], on=on)
        self.stdout.write(f"reminders sent: {sent}")
