"""Housekeeping of import batches (beat: hourly). Runs inline when no broker is configured."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="core.imports_purge", ignore_result=True)
def purge_imports() -> int:
    from vhttdl.core.imports.services import imports_purge

    result = imports_purge()
    return result.expired + result.files_removed
