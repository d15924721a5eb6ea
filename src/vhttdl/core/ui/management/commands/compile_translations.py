"""Compile every committed .po catalogue to .mo with polib, so no GNU gettext is needed to run."""

from pathlib import Path

import polib
from django.core.management.base import BaseCommand

import vhttdl


def compile_all() -> int:
    root = Path(vhttdl.__file__).parent
    count = 0
    for po_path in root.rglob("locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    return count


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo)."

    def handle(self, *args, **options):
        self.stdout.write(f"compiled {compile_all()} catalogue(s)")
