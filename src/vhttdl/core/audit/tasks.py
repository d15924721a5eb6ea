from __future__ import annotations

from celery import shared_task

from vhttdl.core.audit.services import audit_verify


@shared_task
def audit_verify_task() -> dict:
    """Check the whole chain; scheduled nightly in production, callable on demand."""
    problems = audit_verify()
    return {"ok": not problems, "problems": [{"seq": p.seq, "reason": p.reason} for p in problems]}
