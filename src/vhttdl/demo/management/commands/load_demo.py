import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from vhttdl.demo.people import DEMO_PASSWORD, load_demo_people, load_demo_units


class Command(BaseCommand):
    help = "Load reference units and the demo data of every module (idempotent), then list demo logins."

    def handle(self, *args, **options):
        started = time.perf_counter()
        call_command("load_units", stdout=self.stdout)
        units = load_demo_units()
        people = load_demo_people()
        # Each module's demo data, named here in dependency order.
        from vhttdl.reporting.demo import load_demo as load_reporting_demo

        self.stdout.write(f"reporting demo: {load_reporting_demo()}")
        from vhttdl.reporting.forwarding.demo import load_demo as load_forwarding_demo

        self.stdout.write(f"forwarding demo (stand-in receiver): {load_forwarding_demo()}")
        from vhttdl.heritage.demo import load_demo as load_heritage_demo

        self.stdout.write(f"heritage demo: {load_heritage_demo()}")
        self.stdout.write(f"demo units created: {units} ({time.perf_counter() - started:.1f}s)")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for person in people:
            self.stdout.write(f"  {person.username:<15} {person.role:<20} {person.unit_code}  {person.full_name}")
