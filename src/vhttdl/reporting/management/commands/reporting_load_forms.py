from django.core.management.base import BaseCommand

from vhttdl.reporting.forms_catalogue import load_catalogue


class Command(BaseCommand):
    help = "Load the shipped report forms, indicators and validation rules (idempotent; never overwrites edits)."

    def handle(self, *args, **options):
        made = load_catalogue()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in made.items()) + " created")
