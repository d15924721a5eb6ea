"""The Government Reporting Information System as a `core.outbox` destination.

Reporting owns these messages: an officer sees those of the reports they may view
(`reporting.view` on the report's unit) and may send one again with `reporting.accept` there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from vhttdl.core.accounts.policy import can, scope
from vhttdl.core.modules.types import OutboxDestination, OutboxRetryPolicy, OutboxSubject
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.forwarding.config import connector_config
from vhttdl.reporting.forwarding.connector import national_connector

NATIONAL = "reporting.national"  # stored on every message: keep it
SUBJECT_TYPE = "reporting.submission"


def _submissions():
    from vhttdl.reporting.models import Submission

    return Submission.objects


def can_view(*, actor: Any) -> bool:
    return can(actor, ReportingAction.VIEW)


def visible(*, actor: Any, messages: QuerySet[Any]) -> QuerySet[Any]:
    reports = scope(actor, ReportingAction.VIEW, _submissions().all())
    return messages.filter(subject_type=SUBJECT_TYPE, subject_id__in=reports.values("pk"))


def can_retry(*, actor: Any, message: Any) -> bool:
    submission = _submissions().select_related("organisation").filter(pk=message.subject_id).first()
    return submission is not None and can(actor, ReportingAction.ACCEPT, submission)


def describe(messages: Sequence[Any]) -> dict[int, OutboxSubject]:
    from vhttdl.reporting.periods import period_label

    ids = {m.subject_id for m in messages if m.subject_type == SUBJECT_TYPE}
    found = {s.pk: s for s in _submissions().filter(pk__in=ids).select_related("form", "organisation", "period")}
    subjects = {}
    for message in messages:
        submission = found.get(message.subject_id)
        if submission is None:
            subjects[message.pk] = OutboxSubject(_("Báo cáo #%(id)s (đã xóa)") % {"id": message.subject_id})
            continue
        unit = submission.organisation.display_name(get_language())
        label = f"{submission.form.code} · {unit} · {period_label(submission.period)}"
        subjects[message.pk] = OutboxSubject(label, reverse("reporting:submission", args=[submission.pk]))
    return subjects


def endpoint() -> str:
    config = connector_config()
    return _("Máy nhận thử nội bộ") if config.is_local else config.url


def retry_policy() -> OutboxRetryPolicy:
    return connector_config().retry_policy


NATIONAL_REPORTING = OutboxDestination(
    name=NATIONAL,
    label=gettext_lazy("Hệ thống thông tin báo cáo Chính phủ"),
    connector=national_connector,
    can_view=can_view,
    visible=visible,
    can_retry=can_retry,
    retry_policy=retry_policy,
    describe=describe,
    endpoint=endpoint,
)
