from django.core.management.base import BaseCommand

from vhttdl.core.calendar.selectors import special_days


class Command(BaseCommand):
    help = "List a year's holidays, days off and make-up working days, as the working-day calendar sees them."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, **options):
        for special in special_days(options["year"]):
            kind = "working" if special.is_working_day else "off"
            self.stdout.write(f"{special.day:%Y-%m-%d} {special.day:%a} {kind:7} {special.name}")
