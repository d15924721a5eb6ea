"""The report workflow: draft → submitted → approved (parent level) → accepted (Ministry).

At each level a report can be returned, with a reason.

Every step: one transaction, row lock, version check, a SubmissionEvent a person reads, an audit
entry, e-mails after commit, and the analytics/forwarding hooks after commit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.accounts.selectors import users_with
from vhttdl.core.audit.services import audit_record
from vhttdl.core.errors import Conflict, InvalidInput, check_version
from vhttdl.core.notifications.services import notify_by_email
from vhttdl.core.units.models import Organisation
from vhttdl.reporting import hooks, permissions
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.models import DataValue, ReminderSent, Submission, SubmissionEvent
from vhttdl.reporting.periods import period_label
from vhttdl.reporting.rules import RuleResult, evaluate_rules
from vhttdl.reporting.selectors import expected_submitters

S = Submission.Status


def _lock(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related(
            "form",
            "period",
            "organisation",
            "organisation__parent",
            "form_version",
            "submitted_by",
        )
        .get(pk=submission.pk)
    )


def _transition(
    *,
    actor: Any,
    submission: Submission,
    action: str,
    to_status: str,
    reason: str = "",
    fields: dict | None = None,
) -> Submission:
    from_status = submission.status
    for name, value in (fields or {}).items():
        setattr(submission, name, value)
    submission.status = to_status
    submission.version += 1
    submission.save()
    user = actor if getattr(actor, "pk", None) else None
    SubmissionEvent.objects.create(
        submission=submission,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=user,
        reason=reason,
    )
    audit_record(
        actor=actor,
        action=f"reporting.submission_{action}",
        obj=submission,
        before={"status": from_status},
        after={"status": to_status, "reason": reason, "version": submission.version},
    )
    was_counted = from_status in Submission.COUNTED_STATUSES
    is_counted = to_status in Submission.COUNTED_STATUSES
    if was_counted or is_counted:
        hooks.on_aggregates_change(submission.pk)
    if to_status == S.ACCEPTED:
        hooks.on_accepted(submission.pk)
    return submission


def rule_failures(submission: Submission, *, values: dict | None = None, rules: list | None = None) -> list[RuleResult]:
    """The form's rules that the report's values break. The report page passes what it has read
    already: `values` ({(element, combo): a stored value}, `selectors.submission_cells`) and the form's
    `rules` (`layout_cache.cached_validation_rules`)."""
    if values is not None:
        numbers = {key: value.numeric_value for key, value in values.items()}
    else:
        numbers = {
            (e, c): n
            for e, c, n in DataValue.objects.filter(submission=submission).values_list(
                "data_element__code", "category_option_combo__code", "numeric_value"
            )
        }
    return evaluate_rules(list(submission.form.validation_rules.all()) if rules is None else rules, numbers)


def _emails_of_approvers(organisation: Organisation | None, action: str) -> list[str]:
    """Addresses of people holding `action` at `organisation` itself (the level that must act)."""
    if organisation is None:
        return []
    return list(users_with(action, at=organisation, inherited=False).exclude(email="").values_list("email", flat=True))


def _emails_of_unit(submission: Submission) -> list[str]:
    """The people who enter the unit's reports (a grant at the unit itself), and whoever submitted this one."""
    emails = list(
        users_with(ReportingAction.ENTER, at=submission.organisation, inherited=False)
        .exclude(email="").values_list("email", flat=True)
    )
    if submission.organisation.email:
        emails.append(submission.organisation.email)
    if submission.submitted_by and submission.submitted_by.email:
        emails.append(submission.submitted_by.email)
    return emails


def _link(submission: Submission) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return base + reverse("reporting:submission", args=[submission.pk])


def _describe(submission: Submission) -> dict:
    return {
        "form": submission.form.code,
        "title": submission.form.title,
        "unit": submission.organisation.name,
        "period": period_label(submission.period),
    }


def submission_submit(*, actor: Any, submission: Submission, version: int | None = None) -> list[RuleResult]:
    """Send the report up. Rules of importance "error" block; warnings are returned and kept in the event."""
    with transaction.atomic():
        locked = _lock(submission)
        check_version(locked, version)
        if not permissions.can_enter_for(actor, locked.organisation):
            raise PermissionDenied(
                _("Chỉ đơn vị %(unit)s được nộp báo cáo của chính mình.") % {"unit": locked.organisation.name}
            )
        if locked.status not in permissions.ENTRY_STATUSES:
            raise Conflict(
                _("Báo cáo đã nộp (trạng thái «%(status)s»).") % {"status": locked.get_status_display()},
                code="wrong_status",
            )
        if not permissions.is_superuser(actor) and permissions.entry_expired(locked.form, locked, timezone.localdate()):
            raise Conflict(_("Đã quá thời hạn nhập số liệu của kỳ này; đề nghị cấp trên mở lại."), code="expired")
        if not DataValue.objects.filter(submission=locked).exists():
            raise InvalidInput(_("Báo cáo chưa có số liệu nào."), code="empty_report")
        failures = rule_failures(locked)
        errors = [f for f in failures if f.is_error]
        if errors:
            raise InvalidInput(
                _("Báo cáo chưa đạt %(count)s quy tắc kiểm tra bắt buộc; chưa nộp.") % {"count": len(errors)},
                code="validation_failed",
                details={
                    "rules": [{"code": f.rule.code, "message": f.message(), "importance": "error"} for f in failures]
                },
            )
        now = timezone.now()
        warnings = "; ".join(f.message() for f in failures)
        is_late = bool(locked.deadline and timezone.localdate() > locked.deadline)
        _transition(
            actor=actor,
            submission=locked,
            action="submit",
            to_status=S.SUBMITTED,
            reason=warnings,
            fields={
                "submitted_at": now,
                "submitted_by": actor if getattr(actor, "pk", None) else None,
                "is_late": is_late,
                "returned_reason": "",
            },
        )
        info = _describe(locked)
        notify_by_email(
            to=_emails_of_approvers(permissions.approving_unit(locked), ReportingAction.APPROVE),
            subject=_("[VHTTDL] %(unit)s đã nộp báo cáo %(form)s, %(period)s") % info,
            body=_("%(unit)s đã nộp báo cáo %(form)s «%(title)s», %(period)s. Xem và duyệt tại: %(link)s")
            % {**info, "link": _link(locked)},
        )
    submission.refresh_from_db()
    return failures


def children_not_approved(submission: Submission) -> list[Organisation]:
    """Units below the submitting unit that must submit this form and period but are not yet approved."""
    below = expected_submitters(submission.form, submission.period, under=submission.organisation).exclude(
        pk=submission.organisation_id
    )
    done = set(
        Submission.objects.filter(
            form=submission.form,
            period=submission.period,
            organisation__in=below,
            status__in=list(Submission.COUNTED_STATUSES),
        ).values_list("organisation_id", flat=True)
    )
    return [unit for unit in below if unit.pk not in done]


def submission_approve(*, actor: Any, submission: Submission, version: int | None = None) -> Submission:
    with transaction.atomic():
        locked = _lock(submission)
        check_version(locked, version)
        if not permissions.can_approve(actor, locked):
            if permissions.approves_itself(locked.organisation):
                raise PermissionDenied(
                    _("Chỉ lãnh đạo %(unit)s được duyệt báo cáo của đơn vị mình trước khi gửi Bộ.")
                    % {"unit": locked.organisation.name}
                )
            raise PermissionDenied(
                _("Chỉ cấp trên trực tiếp của %(unit)s được duyệt báo cáo này.") % {"unit": locked.organisation.name}
            )
        if locked.status != S.SUBMITTED:
            raise Conflict(
                _("Chỉ duyệt được báo cáo đã nộp (hiện: «%(status)s»).") % {"status": locked.get_status_display()},
                code="wrong_status",
            )
        waiting = children_not_approved(locked)
        if waiting:
            names = ", ".join(u.name for u in waiting[:10]) + ("…" if len(waiting) > 10 else "")
            raise Conflict(
                _("Chưa duyệt được: %(count)s đơn vị trực thuộc chưa có báo cáo được duyệt (%(names)s).")
                % {"count": len(waiting), "names": names},
                code="children_not_approved",
                details={"units": [u.code for u in waiting]},
            )
        _transition(
            actor=actor,
            submission=locked,
            action="approve",
            to_status=S.APPROVED,
            fields={
                "approved_at": timezone.now(),
                "approved_by": actor if getattr(actor, "pk", None) else None,
            },
        )
        info = _describe(locked)
        notify_by_email(
            to=_emails_of_unit(locked),
            subject=_("[VHTTDL] Báo cáo %(form)s, %(period)s đã được duyệt") % info,
            body=_("Báo cáo %(form)s «%(title)s» của %(unit)s, %(period)s đã được cấp trên duyệt: %(link)s")
            % {**info, "link": _link(locked)},
        )
    submission.refresh_from_db()
    return submission


def submission_accept(*, actor: Any, submission: Submission, version: int | None = None) -> Submission:
    with transaction.atomic():
        locked = _lock(submission)
        check_version(locked, version)
        if not permissions.can_accept(actor, locked):
            raise PermissionDenied(_("Chỉ Bộ được tiếp nhận báo cáo."))
        if locked.status != S.APPROVED:
            raise Conflict(
                _("Chỉ tiếp nhận được báo cáo đã được cấp trên duyệt (hiện: «%(status)s»).")
                % {"status": locked.get_status_display()},
                code="wrong_status",
            )
        now = timezone.now()
        user = actor if getattr(actor, "pk", None) else None
        fields = {"accepted_at": now, "accepted_by": user}
        _transition(actor=actor, submission=locked, action="accept", to_status=S.ACCEPTED, fields=fields)
        info = _describe(locked)
        notify_by_email(
            to=_emails_of_unit(locked),
            subject=_("[VHTTDL] Bộ đã tiếp nhận báo cáo %(form)s, %(period)s") % info,
            body=_("Bộ đã tiếp nhận báo cáo %(form)s «%(title)s» của %(unit)s, %(period)s: %(link)s")
            % {**info, "link": _link(locked)},
        )
    submission.refresh_from_db()
    return submission


def submission_return(*, actor: Any, submission: Submission, reason: str, version: int | None = None) -> Submission:
    """Send a report back for correction (also reopens approved or accepted data). Reason required."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Cần ghi lý do trả lại."), code="reason_required")
    with transaction.atomic():
        locked = _lock(submission)
        check_version(locked, version)
        if locked.status not in {S.SUBMITTED, S.APPROVED, S.ACCEPTED}:
            raise Conflict(
                _("Báo cáo chưa nộp thì không thể trả lại (hiện: «%(status)s»).")
                % {"status": locked.get_status_display()},
                code="wrong_status",
            )
        if not permissions.can_return(actor, locked):
            raise PermissionDenied(_("Bạn không có quyền trả lại báo cáo này."))
        action = "return" if locked.status == S.SUBMITTED else "reopen"
        _transition(
            actor=actor,
            submission=locked,
            action=action,
            to_status=S.RETURNED,
            reason=reason,
            fields={
                "returned_reason": reason,
                "approved_at": None,
                "approved_by": None,
                "accepted_at": None,
                "accepted_by": None,
            },
        )
        info = _describe(locked)
        notify_by_email(
            to=_emails_of_unit(locked),
            subject=_("[VHTTDL] Báo cáo %(form)s, %(period)s bị trả lại") % info,
            body=_(
                "Báo cáo %(form)s «%(title)s» của %(unit)s, %(period)s bị trả lại.\nLý do: %(reason)s\n"
                "Sửa và nộp lại tại: %(link)s"
            )
            % {**info, "reason": reason, "link": _link(locked)},
        )
    submission.refresh_from_db()
    return submission


def unsubmitted_before_deadline(*, days_ahead: int = 3, on=None) -> list[tuple[Any, Organisation, Any]]:
    """(form, unit, period) whose deadline falls within `days_ahead` days and that are not yet submitted."""
    from datetime import timedelta

    from vhttdl.reporting.models import ReportForm
    from vhttdl.reporting.periods import (
        deadline_for,
        period_containing,
        period_for_code,
        previous_period_code,
    )

    today = on or timezone.localdate()
    due: list[tuple[Any, Organisation, Any]] = []
    for form in ReportForm.objects.filter(
        is_active=True,
        period_type__in=[
            "monthly",
            "quarterly",
            "half_yearly",
            "nine_months",
            "yearly",
        ],
    ):
        current = period_containing(form.period_type, today)
        for code in {current, previous_period_code(current)}:
            period = period_for_code(code)
            deadline = deadline_for(form, period)
            if not today <= deadline <= today + timedelta(days=days_ahead):
                continue
            done = set(
                Submission.objects.filter(form=form, period=period)
                .filter(Q(status__in=[S.SUBMITTED, S.APPROVED, S.ACCEPTED]))
                .values_list("organisation_id", flat=True)
            )
            for unit in expected_submitters(form, period):
                if unit.pk not in done and unit.valid_to is None:
                    due.append((form, unit, period))
    return due


def reminders_send(*, days_ahead: int = 3, on=None) -> int:
    """E-mail every unit that has a report due within `days_ahead` days and has not submitted it.

    At most one reminder per report and day, however often the job runs: each is kept as a
    `ReminderSent` row (and audited), written in the same transaction as the e-mail is queued.
    """
    from vhttdl.core.accounts.policy import SYSTEM
    from vhttdl.reporting.periods import deadline_for

    today = on or timezone.localdate()
    count = 0
    with transaction.atomic():
        due = unsubmitted_before_deadline(days_ahead=days_ahead, on=on)
        already = set(
            ReminderSent.objects.filter(day=today, form__in={form.pk for form, _u, _p in due})
            .values_list("form_id", "organisation_id", "period_id")
        )
        for form, unit, period in due:
            if (form.pk, unit.pk, period.pk) in already:
                continue
            probe = Submission(form=form, organisation=unit, period=period)
            emails = _emails_of_unit(probe)
            if not emails:
                continue
            info = {
                "form": form.code,
                "title": form.title,
                "unit": unit.name,
                "period": period_label(period),
                "deadline": deadline_for(form, period).strftime("%d/%m/%Y"),
            }
            notify_by_email(
                to=emails,
                subject=_("[VHTTDL] Nhắc hạn nộp báo cáo %(form)s, %(period)s (hạn %(deadline)s)") % info,
                body=_("%(unit)s chưa nộp báo cáo %(form)s «%(title)s», %(period)s. Hạn nộp: %(deadline)s.") % info,
            )
            recipients = sorted(set(emails))
            ReminderSent.objects.create(form=form, organisation=unit, period=period, day=today, recipients=recipients)
            audit_record(
                actor=SYSTEM,
                action="reporting.reminder",
                object_type="reporting.reminder",
                object_id=f"{form.pk}:{unit.pk}:{period.pk}",
                object_repr=f"{form.code} {period.code} {unit.code}",
                after={"day": today.isoformat(), "to": recipients},
            )
            count += 1
    return count
