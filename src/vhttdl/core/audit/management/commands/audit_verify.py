from django.core.management.base import BaseCommand, CommandError

from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.audit.services import audit_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exit non-zero and list every broken entry."

    def handle(self, *args, **options):
        problems = audit_verify()
        count = AuditEntry.objects.count()
        if problems:
            for problem in problems:
                self.stderr.write(f"entry {problem.seq}: {problem.reason}")
            raise CommandError(f"audit log damaged: {len(problems)} problem(s) in {count} entries")
        head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        self.stdout.write(self.style.SUCCESS(f"audit log intact: {count} entries"))
        if head:
            self.stdout.write(f"head: #{head[0]} {head[1]} (keep this outside the database to detect truncation)")
