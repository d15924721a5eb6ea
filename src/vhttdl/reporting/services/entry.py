"""Opening a report and saving its cells: web grid, Excel upload and API all end here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.audit.services import audit_record
from vhttdl.core.errors import Conflict, InvalidInput
from vhttdl.core.text.safety import control_character_position
from vhttdl.reporting import hooks, permissions
from vhttdl.reporting.models import CellChange, DataValue, FormVersion, Period, ReportForm, Submission
from vhttdl.reporting.periods import check_period_for_form, deadline_for
from vhttdl.reporting.selectors import form_layout, submits
from vhttdl.reporting.values import clean_value

if TYPE_CHECKING:
    from vhttdl.core.units.models import Organisation

VALUES_SAVED = "reporting.values_save"


@dataclass(frozen=True)
class CellInput:
    element: str
    combo: str
    value: Any
    comment: str | None = None  # None: leave the comment as it is


@dataclass
class CellError:
    element: str
    combo: str
    message: str
    code: str = "invalid"

    def as_dict(self) -> dict:
        return {"element": self.element, "combo": self.combo, "message": self.message, "code": self.code}


@dataclass
class SaveResult:
    submission: Submission
    saved: int = 0
    deleted: int = 0
    errors: list[CellError] = field(default_factory=list)


def submission_open(*, actor: Any, form: ReportForm, organisation: Organisation, period: Period) -> Submission:
    """The report of `organisation` for `form` × `period`, created as a draft on first open."""
    check_period_for_form(form, period)
    existing = Submission.objects.filter(form=form, organisation=organisation, period=period).first()
    if existing is not None:
        return existing
    if not permissions.can_enter_for(actor, organisation):
        raise PermissionDenied(_("Chỉ đơn vị %(unit)s được lập báo cáo của chính mình.") % {"unit": organisation.name})
    if not form.is_active:
        raise InvalidInput(_("Biểu %(form)s đã ngừng sử dụng.") % {"form": form.code}, code="form_inactive")
    if not submits(form, organisation):
        raise InvalidInput(
            _("Đơn vị %(unit)s không thuộc đối tượng nộp biểu %(form)s.")
            % {"unit": organisation.name, "form": form.code},
            code="not_a_submitter",
        )
    if not (organisation.valid_from is None or organisation.valid_from <= period.end_date) or not (
        organisation.valid_to is None or organisation.valid_to >= period.start_date
    ):
        raise InvalidInput(
            _("Đơn vị %(unit)s không tồn tại trong kỳ %(period)s.")
            % {"unit": organisation.name, "period": period.code},
            code="unit_not_valid",
        )
    if period.start_date > timezone.localdate():
        raise InvalidInput(
            _("Kỳ %(period)s chưa bắt đầu; chưa lập được báo cáo.") % {"period": period.code}, code="future_period"
        )
    version = form.versions.filter(status=FormVersion.Status.PUBLISHED).first()
    if version is None:
        raise InvalidInput(
            _("Biểu %(form)s chưa có phiên bản đang áp dụng.") % {"form": form.code},
            code="no_published_version",
        )
    with transaction.atomic():
        submission, created = Submission.objects.get_or_create(
            form=form,
            organisation=organisation,
            period=period,
            defaults={"form_version": version, "deadline": deadline_for(form, period)},
        )
        if created:
            audit_record(
                actor=actor,
                action="reporting.submission_create",
                obj=submission,
                after={
                    "form": form.code,
                    "period": period.code,
                    "organisation": organisation.code,
                    "form_version": version.number,
                },
            )
    return submission


def _require_entry(actor: Any, submission: Submission) -> None:
    if not permissions.can_enter_for(actor, submission.organisation):
        raise PermissionDenied(
            _("Chỉ đơn vị %(unit)s được nhập số liệu của chính mình.") % {"unit": submission.organisation.name}
        )
    if submission.status not in permissions.ENTRY_STATUSES:
        raise Conflict(
            _("Báo cáo đang ở trạng thái «%(status)s» nên đã khóa; cấp trên cần trả lại để sửa.")
            % {"status": submission.get_status_display()},
            code="locked",
        )
    if not permissions.is_superuser(actor) and permissions.entry_expired(
        submission.form, submission, timezone.localdate()
    ):
        raise Conflict(_("Đã quá thời hạn nhập số liệu của kỳ này; đề nghị cấp trên mở lại."), code="expired")


CHANGES_READ = 5000  # cell changes read at most for one 409 answer (newest first)


def changes_since(submission: Submission, version: int) -> list[dict]:
    """Cells other people changed after `version`, newest first, one entry per cell (its latest change).

    Read from `CellChange`, which every save writes in its own transaction.
    """
    rows = (
        CellChange.objects.filter(submission=submission, version__gt=version)
        .order_by("-version", "-pk")
        .values_list("element", "combo", "old", "new", "actor_name", "at")[:CHANGES_READ]
    )
    changed: dict[tuple[str, str], dict] = {}
    for element, combo, old, new, by, at in rows:
        if (element, combo) not in changed:
            changed[(element, combo)] = {"element": element, "combo": combo, "old": old, "new": new,
                                         "by": by, "at": at.isoformat()}
    return list(changed.values())


def _record_cell_changes(submission: Submission, changes: list[dict], *, actor: Any, at: Any) -> None:
    """The save's cells as `CellChange` rows (for `changes_since`), at the submission's new version."""
    user = actor if getattr(actor, "pk", None) else None
    name = (actor.get_username() if actor is not None and hasattr(actor, "get_username") else "system")[:150]
    CellChange.objects.bulk_create([
        CellChange(submission=submission, version=submission.version, element=c["element"], combo=c["combo"],
                   old=None if c["old"] is None else str(c["old"]), new=str(c["new"] or ""), actor=user,
                   actor_name=name, at=at)
        for c in changes
    ])


MAX_COMMENT_CHARS = 2_000


def _comment_error(comment: str | None) -> str:
    """Why a cell's comment is refused ("" if it is fine): too long, or a control character."""
    if not comment:
        return ""
    if len(comment) > MAX_COMMENT_CHARS:
        return _("Ghi chú dài %(n)s ký tự, quá giới hạn %(max)s ký tự.") % {"n": len(comment), "max": MAX_COMMENT_CHARS}
    if control_character_position(comment) is not None:
        return _("Ghi chú chứa ký tự điều khiển không được phép.")
    return ""


def _comment_change(old: str, new: str | None) -> dict[str, str]:
    """The audit log's itemisation of a cell's comment change (nothing when it did not change)."""
    if new is None or new == (old or ""):
        return {}
    return {"old_comment": old or "", "new_comment": new}


def submission_values_save(
    *,
    actor: Any,
    submission: Submission,
    cells: list[CellInput],
    version: int | None,
    strict: bool = True,
) -> SaveResult:
    """Save cells of a report the actor may enter, in one transaction.

    `version` is the submission version the caller read; if someone saved since, Conflict (409)
    with `details.changed` listing each cell changed since, by whom, and its value now.
    `strict`: any bad cell rejects the whole save (Excel, API). Not strict (the web grid's
    autosave): good cells are saved, bad ones come back in `errors` and are not stored.
    """
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("form", "period", "organisation", "organisation__parent", "form_version")
            .get(pk=submission.pk)
        )
        _require_entry(actor, locked)
        if version is not None and int(version) != locked.version:
            changed = changes_since(locked, int(version))
            raise Conflict(
                _(
                    "Báo cáo đã được người khác lưu sau khi bạn mở (phiên bản %(current)s, "
                    "bạn sửa từ phiên bản "
                    "%(yours)s). Không có gì bị ghi đè; hãy xem các ô đã đổi rồi lưu lại."
                )
                % {"current": locked.version, "yours": version},
                code="stale_version",
                details={"current_version": locked.version, "your_version": int(version), "changed": changed},
            )
        layout = form_layout(locked.form_version)
        allowed = layout.cell_keys()
        elements = layout.elements
        combos = {c.code: c for _e, c in layout.cells()}
        existing = {
            (v.data_element.code, v.category_option_combo.code): v
            for v in DataValue.objects.filter(submission=locked).select_related("data_element", "category_option_combo")
        }
        result = SaveResult(submission=locked)
        to_create: list[DataValue] = []
        to_update: list[DataValue] = []
        to_delete: list[int] = []
        changes: list[dict] = []
        now = timezone.now()
        user = actor if getattr(actor, "pk", None) else None
        seen: set[tuple[str, str]] = set()
        for cell in cells:
            key = (cell.element, cell.combo)
            if key not in allowed:
                result.errors.append(
                    CellError(
                        cell.element,
                        cell.combo,
                        _("Ô %(element)s/%(combo)s không có trong biểu %(form)s phiên bản %(version)s.")
                        % {
                            "element": cell.element,
                            "combo": cell.combo,
                            "form": locked.form.code,
                            "version": locked.form_version.number,
                        },
                        "unknown_cell",
                    )
                )
                continue
            if key in seen:
                result.errors.append(CellError(cell.element, cell.combo, _("Ô này xuất hiện hai lần."), "duplicate"))
                continue
            seen.add(key)
            element = elements[cell.element]
            try:
                clean = clean_value(element, cell.value)
            except InvalidInput as exc:
                result.errors.append(CellError(cell.element, cell.combo, exc.message, exc.code))
                continue
            current = existing.get(key)
            comment = (cell.comment or "").strip() if cell.comment is not None else None
            comment_error = _comment_error(comment)
            if comment_error:
                result.errors.append(CellError(cell.element, cell.combo, comment_error, "bad_comment"))
                continue
            if clean.is_empty and not (comment or (current and comment is None and current.comment)):
                if current is not None:
                    to_delete.append(current.pk)
                    changes.append({"element": cell.element, "combo": cell.combo, "old": current.value, "new": ""})
                continue
            if current is None:
                to_create.append(
                    DataValue(
                        submission=locked,
                        data_element=element,
                        category_option_combo=combos[cell.combo],
                        organisation_id=locked.organisation_id,
                        period_id=locked.period_id,
                        value=clean.value,
                        numeric_value=clean.numeric,
                        comment=comment or "",
                        updated_at=now,
                        updated_by=user,
                    )
                )
                changes.append({"element": cell.element, "combo": cell.combo, "old": None, "new": clean.value,
                                **_comment_change("", comment)})
            elif current.value != clean.value or (comment is not None and comment != current.comment):
                changes.append({"element": cell.element, "combo": cell.combo, "old": current.value, "new": clean.value,
                                **_comment_change(current.comment, comment)})
                current.value, current.numeric_value = clean.value, clean.numeric
                if comment is not None:
                    current.comment = comment
                current.updated_at, current.updated_by = now, user
                to_update.append(current)
        if result.errors and strict:
            raise InvalidInput(
                _("Có %(count)s ô không hợp lệ; chưa lưu ô nào.") % {"count": len(result.errors)},
                code="invalid_cells",
                details={"errors": [e.as_dict() for e in result.errors]},
            )
        if not changes:
            return result
        DataValue.objects.bulk_create(to_create)
        DataValue.objects.bulk_update(to_update, ["value", "numeric_value", "comment", "updated_at", "updated_by"])
        DataValue.objects.filter(pk__in=to_delete).delete()
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        result.saved, result.deleted = len(to_create) + len(to_update), len(to_delete)
        audit_record(actor=actor, action=VALUES_SAVED, obj=locked, after={"version": locked.version, "cells": changes})
        _record_cell_changes(locked, changes, actor=actor, at=now)
        if locked.status in Submission.COUNTED_STATUSES:
            hooks.on_aggregates_change(locked.pk)
        submission.version = locked.version
        submission.status = locked.status
    return result
