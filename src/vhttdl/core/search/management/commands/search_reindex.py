"""Rebuild the search index from every module's providers (their `module.py`, see core.search.providers)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from vhttdl.core.search.models import SearchDocument
from vhttdl.core.search.providers import providers
from vhttdl.core.search.services import index_documents_bulk, optimize_index, rebuild_vocabulary


class Command(BaseCommand):
    help = "Rebuild the search index from every module (or only documents of one kind)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", help="only this kind, e.g. heritage.site")

    def handle(self, *args, kind: str | None = None, **options):
        started = timezone.now()
        seen_kinds: set[str] = set()
        total = 0
        with transaction.atomic():
            for name, provider in providers():
                def documents(provider=provider):
                    for doc in provider():
                        if kind and doc.get("kind") != kind:
                            continue
                        seen_kinds.add(doc["kind"])
                        yield doc

                count = index_documents_bulk(documents())
                total += count
                self.stdout.write(f"{name}: {count} documents")
            # Documents of the rebuilt kinds that no provider gave any more are stale.
            stale_kinds = {kind} if kind else seen_kinds
            removed, _ = SearchDocument.objects.filter(
                kind__in=stale_kinds, indexed_at__lt=started
            ).delete()
            vocabulary = rebuild_vocabulary() if not kind else None
        optimize_index()
        summary = f"indexed {total} documents, removed {removed} stale"
        if vocabulary is not None:
            summary += f", vocabulary {vocabulary} words"
        self.stdout.write(self.style.SUCCESS(summary))
