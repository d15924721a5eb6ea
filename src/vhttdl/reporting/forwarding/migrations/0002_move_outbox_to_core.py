"""Move every forwarding outbox row into core's outbox (destination "reporting.national").

Nothing queued is lost: pending messages keep their attempts and next attempt, dead letters stay
dead letters, sent ones keep their time. Same idempotency keys, so the receiver still records
each report once. Reversible (copies them back).
"""

from django.db import migrations

DESTINATION = "reporting.national"
SUBJECT_TYPE = "reporting.submission"
FIELDS = ["idempotency_key", "status", "payload", "attempts", "next_attempt_at", "last_error", "response_code",
          "created_at", "sent_at"]
BATCH = 1000


def forwards(apps, schema_editor):
    Old = apps.get_model("reporting_forwarding", "OutboxMessage")
    Message = apps.get_model("outbox", "Message")
    rows = Old.objects.order_by("pk").iterator(chunk_size=BATCH)
    batch = []
    for old in rows:
        batch.append(Message(destination=DESTINATION, subject_type=SUBJECT_TYPE, subject_id=old.submission_id,
                             **{name: getattr(old, name) for name in FIELDS}))
        if len(batch) >= BATCH:
            Message.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Message.objects.bulk_create(batch, ignore_conflicts=True)


def backwards(apps, schema_editor):
    Old = apps.get_model("reporting_forwarding", "OutboxMessage")
    Message = apps.get_model("outbox", "Message")
    Submission = apps.get_model("reporting", "Submission")
    messages = Message.objects.filter(destination=DESTINATION, subject_type=SUBJECT_TYPE)
    existing = set(Submission.objects.filter(pk__in=messages.values("subject_id")).values_list("pk", flat=True))
    Old.objects.bulk_create(
        [Old(submission_id=m.subject_id, **{name: getattr(m, name) for name in FIELDS})
         for m in messages.order_by("pk") if m.subject_id in existing],
        ignore_conflicts=True, batch_size=BATCH,
    )
    messages.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reporting_forwarding", "0001_initial"),
        ("outbox", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
