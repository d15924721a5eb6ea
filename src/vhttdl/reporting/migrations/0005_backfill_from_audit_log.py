"""Fill the new cell-change and reminder tables from what the audit log recorded until now.

So a 409 right after the upgrade still lists the cells changed since the caller's version, and a
reminder already sent today is not sent again. The audit log itself is left as it is.
"""

from datetime import date

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    Submission = apps.get_model("reporting", "Submission")
    CellChange = apps.get_model("reporting", "CellChange")
    ReminderSent = apps.get_model("reporting", "ReminderSent")
    ReportForm = apps.get_model("reporting", "ReportForm")
    Period = apps.get_model("reporting", "Period")
    Organisation = apps.get_model("units", "Organisation")

    submissions = set(Submission.objects.values_list("pk", flat=True))
    batch = []
    saves = AuditEntry.objects.filter(action="reporting.values_save", object_type="reporting.submission")
    for entry in saves.order_by("seq").iterator(chunk_size=BATCH):
        if not entry.object_id.isdigit() or int(entry.object_id) not in submissions:
            continue
        after = entry.after or {}
        for cell in after.get("cells", []):
            batch.append(CellChange(
                submission_id=int(entry.object_id), version=int(after.get("version", 0)),
                element=str(cell.get("element", ""))[:50], combo=str(cell.get("combo", ""))[:50],
                old=None if cell.get("old") is None else str(cell["old"])[:1000], new=str(cell.get("new") or "")[:1000],
                actor_id=entry.actor_id, actor_name=entry.actor_name, at=entry.at,
            ))
        if len(batch) >= BATCH:
            CellChange.objects.bulk_create(batch)
            batch = []
    if batch:
        CellChange.objects.bulk_create(batch)

    forms = set(ReportForm.objects.values_list("pk", flat=True))
    units = set(Organisation.objects.values_list("pk", flat=True))
    periods = set(Period.objects.values_list("pk", flat=True))
    sent = []
    reminders = AuditEntry.objects.filter(action="reporting.reminder", object_type="reporting.reminder")
    for entry in reminders.order_by("seq").iterator(chunk_size=BATCH):
        parts = entry.object_id.split(":")
        after = entry.after or {}
        if len(parts) != 3 or not all(p.isdigit() for p in parts) or not after.get("day"):
            continue
        form_id, unit_id, period_id = (int(p) for p in parts)
        if form_id not in forms or unit_id not in units or period_id not in periods:
            continue
        try:
            day = date.fromisoformat(after["day"])
        except ValueError:
            continue
        sent.append(ReminderSent(form_id=form_id, organisation_id=unit_id, period_id=period_id, day=day,
                                 recipients=list(after.get("to") or []), sent_at=entry.at))
    ReminderSent.objects.bulk_create(sent, ignore_conflicts=True, batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0004_cell_changes_and_reminders_sent"),
        ("audit", "0002_append_only_triggers"),
        ("units", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
