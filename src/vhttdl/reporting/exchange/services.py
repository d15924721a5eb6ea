"""Importing and exporting data value sets (DHIS2 `dataValueSets`, CSV, ADX).

The import is one bulk path: parse → validate every value in memory against lookups loaded once
(a handful of queries whatever the size) → write in one transaction with bulk inserts/upserts →
one audit entry with the counts. Problems never raise: each becomes a conflict in the summary
(`{object, value}` with the reason in the request's language), and the other values go in.

Rules:

* Identifiers are codes by default: data element, category option combo (or, in ADX, one
  attribute per category named by its code), organisation unit, data set (= report form).
  `idScheme` and the per-kind schemes read UIDs or names instead (`schemes.py`).
* The form is the `dataSet` when given, otherwise the one active form whose published version
  holds the data element (a conflict if none or several).
* The period must parse and be of the form's period type; the unit must be one the caller enters
  data for (`reporting.enter`, at the unit itself), of a kind that submits the form, and existing
  during the period.
* Values land in the unit's report for form × period, created as a **draft** with the form's
  published version when missing. Reports already submitted, approved or accepted are locked:
  their values become conflicts. When the data set gives a `completeDate`, each report touched is
  then **submitted** through the workflow (its validation rules apply; if they fail, the values
  stay saved in the draft and the reason is listed as a conflict).
* An empty value, or `"deleted": true`, deletes the stored value (DHIS2's behaviour); an
  identical value is ignored. `importStrategy` CREATE writes only cells not stored yet, UPDATE
  only cells already stored (no report is created), DELETE removes every cell listed.
* `dryRun=true` runs every check and counts, and writes nothing.
"""

from __future__ import annotations

import struct
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.audit.services import audit_record
from vhttdl.core.errors import DomainError, InvalidInput
from vhttdl.core.units.models import Organisation
from vhttdl.reporting import permissions, selectors
from vhttdl.reporting.exchange.formats import ExportValue, RawValue, collector_paused
from vhttdl.reporting.exchange.schemes import CREATE, CREATE_AND_UPDATE, DELETE, UPDATE, IdSchemes, translate
from vhttdl.reporting.models import (
    CategoryOptionCombo,
    DataElement,
    DataValue,
    FormVersion,
    Period,
    ReportForm,
    Submission,
)
from vhttdl.reporting.periods import ParsedPeriod, deadline_for, parse_period, periods_for_codes
from vhttdl.reporting.values import clean_value

IMPORT_ACTION = "reporting.datavalues_import"
MAX_CONFLICTS = 1000  # listed one by one; beyond that, counted


@dataclass
class ImportSummary:
    dry_run: bool
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[dict] = field(default_factory=list)
    conflict_count: int = 0
    submitted: int = 0

    def conflict(self, obj: str, reason: str, index: int | None = None) -> None:
        self.conflict_count += 1
        if len(self.conflicts) < MAX_CONFLICTS:
            item = {"object": obj, "value": reason}
            if index:
                item["indexes"] = [index]
            self.conflicts.append(item)

    @property
    def status(self) -> str:
        if self.conflict_count and not (self.imported or self.updated or self.deleted):
            return "ERROR"
        return "WARNING" if self.conflict_count else "SUCCESS"

    def as_dict(self) -> dict[str, Any]:
        return {
            "responseType": "ImportSummary",
            "status": self.status,
            "dryRun": self.dry_run,
            "description": _("Nhập thử, chưa ghi gì.") if self.dry_run else _("Đã nhập số liệu."),
            "importCount": {"imported": self.imported, "updated": self.updated, "ignored": self.ignored,
                            "deleted": self.deleted},
            "conflicts": self.conflicts,
            "conflictCount": self.conflict_count,
            "submitted": self.submitted,
        }


@dataclass
class _Lookups:
    elements: dict[str, DataElement]
    combos: dict[str, CategoryOptionCombo]  # option combo by code
    combo_of_element: dict[int, int]  # data element id -> category combo id
    default_combo: dict[int, CategoryOptionCombo]  # category combo id -> its only/default option combo
    by_options: dict[tuple[int, frozenset[str]], CategoryOptionCombo]  # (combo id, {CAT:OPT}) -> option combo
    orgs: dict[str, Organisation]
    forms: dict[str, ReportForm]
    forms_of_element: dict[int, list[int]]
    elements_of_form: dict[int, set[int]]
    versions: dict[int, FormVersion]
    excluded: dict[int, set[int]]  # form id -> units the form excludes

    def submits(self, form: ReportForm, org: Organisation) -> bool:
        """`selectors.submits` with the form's excluded units loaded once: no query per unit."""
        return selectors.submits(form, org, excluded_ids=self.excluded.get(form.pk, ()))

    @property
    def forms_by_pk(self) -> dict[int, ReportForm]:
        cached = getattr(self, "_forms_by_pk", None)
        if cached is None:
            cached = {f.pk: f for f in self.forms.values()}
            self._forms_by_pk = cached
        return cached


def _load(values: list[RawValue]) -> _Lookups:
    de_codes = {v.data_element for v in values}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=de_codes)}
    combo_ids = {e.category_combo_id for e in elements.values()}
    option_combos = list(CategoryOptionCombo.objects.filter(combo_id__in=combo_ids))
    by_code = {c.code: c for c in option_combos}
    requested = {v.option_combo for v in values if v.option_combo} - set(by_code)
    if requested:
        by_code.update({c.code: c for c in CategoryOptionCombo.objects.filter(code__in=requested)})
    default_combo: dict[int, CategoryOptionCombo] = {}
    per_combo: dict[int, list[CategoryOptionCombo]] = defaultdict(list)
    for c in option_combos:
        per_combo[c.combo_id].append(c)
    for combo_id, items in per_combo.items():
        default = next((c for c in items if c.code == CategoryOptionCombo.DEFAULT_CODE), None)
        if default is None and len(items) == 1:
            default = items[0]
        if default is not None:
            default_combo[combo_id] = default
    by_options: dict[tuple[int, frozenset[str]], CategoryOptionCombo] = {}
    if any(v.options for v in values):
        through = CategoryOptionCombo.options.through
        options_of: dict[int, set[str]] = defaultdict(set)
        for coc_id, cat_code, opt_code in through.objects.filter(
            categoryoptioncombo__combo_id__in=combo_ids
        ).values_list("categoryoptioncombo_id", "categoryoption__category__code", "categoryoption__code"):
            options_of[coc_id].add(f"{cat_code}:{opt_code}")
        for c in option_combos:
            by_options[(c.combo_id, frozenset(options_of.get(c.pk, set())))] = c
    orgs = {o.code: o for o in Organisation.objects.filter(code__in={v.org_unit for v in values})}
    forms = {f.code: f for f in ReportForm.objects.all()}
    versions = {v.form_id: v for v in FormVersion.objects.filter(status=FormVersion.Status.PUBLISHED)}
    forms_of_element: dict[int, list[int]] = defaultdict(list)
    elements_of_form: dict[int, set[int]] = defaultdict(set)
    through = FormVersion.data_elements.through
    active = {f.pk for f in forms.values() if f.is_active}
    for form_id, de_id in through.objects.filter(
        formversion__status=FormVersion.Status.PUBLISHED
    ).values_list("formversion__form_id", "dataelement_id"):
        elements_of_form[form_id].add(de_id)
        if form_id in active:
            forms_of_element[de_id].append(form_id)
    excluded: dict[int, set[int]] = defaultdict(set)
    for form_id, org_id in ReportForm.excluded_units.through.objects.values_list("reportform_id", "organisation_id"):
        excluded[form_id].add(org_id)
    return _Lookups(elements, by_code, {e.pk: e.category_combo_id for e in elements.values()}, default_combo,
                    by_options, orgs, forms, forms_of_element, elements_of_form, versions, excluded)


def _resolve_combo(v: RawValue, element: DataElement, lk: _Lookups) -> CategoryOptionCombo | str:
    """The option combo of a value, or the reason it has none."""
    combo_id = element.category_combo_id
    if v.options:
        key = frozenset(f"{cat}:{opt}" for cat, opt in v.options.items())
        found = lk.by_options.get((combo_id, key))
        if found is None:
            return _("Tổ hợp phân tổ %(options)s không thuộc chỉ tiêu %(de)s.") % {
                "options": ", ".join(f"{k}={o}" for k, o in sorted(v.options.items())), "de": element.code}
        return found
    if not v.option_combo:
        found = lk.default_combo.get(combo_id)
        if found is None:
            return _("Chỉ tiêu %(de)s có phân tổ: cần ghi categoryOptionCombo.") % {"de": element.code}
        return found
    found = lk.combos.get(v.option_combo)
    if found is None:
        return _("Không có tổ hợp phân tổ mã «%(code)s».") % {"code": v.option_combo}
    if found.combo_id != combo_id:
        return _("Tổ hợp phân tổ %(coc)s không thuộc chỉ tiêu %(de)s.") % {"coc": found.code, "de": element.code}
    return found


def _form_for(v: RawValue, element: DataElement, lk: _Lookups, period: ParsedPeriod) -> ReportForm | str:
    if v.data_set:
        form = lk.forms.get(v.data_set)
        if form is None:
            return _("Không có biểu mẫu (dataSet) mã «%(code)s».") % {"code": v.data_set}
        if element.pk not in lk.elements_of_form.get(form.pk, set()):
            return _("Chỉ tiêu %(de)s không có trong biểu %(form)s đang áp dụng.") % {"de": element.code,
                                                                                     "form": form.code}
        return form
    candidates = lk.forms_of_element.get(element.pk, [])
    if len(candidates) > 1:  # the period's type usually tells which form (monthly or yearly...)
        candidates = [pk for pk in candidates if lk.forms_by_pk[pk].period_type == period.period_type] or candidates
    if len(candidates) == 1:
        return lk.forms_by_pk[candidates[0]]
    if not candidates:
        return _("Chỉ tiêu %(de)s không thuộc biểu mẫu nào đang áp dụng.") % {"de": element.code}
    return _("Chỉ tiêu %(de)s có trong nhiều biểu; cần ghi dataSet.") % {"de": element.code}


# A validated cell: (element id, option combo id, value, number, comment or None, index in the document,
# element code, whether its data set gave a completeDate). Tuples, not objects: an import holds millions.
_Cell = tuple


def _resolution(v: RawValue, lk: _Lookups, parsed_periods: dict) -> tuple:
    """What a value's codes resolve to, the same for every value with the same codes (cached by the caller).

    ("element", object, reason) when the data element is unknown (checked before the unit); then
    ("bad", object, reason) for a bad period, option combo or form; else ("ok", element, combo, form, period).
    """
    element = lk.elements.get(v.data_element)
    if element is None:
        return ("element", v.data_element or "-",
                _("Không có chỉ tiêu (dataElement) mã «%(code)s».") % {"code": v.data_element})
    period = parsed_periods[v.period]
    if isinstance(period, str):
        return ("bad", v.period or "-", period)
    combo = _resolve_combo(v, element, lk)
    if isinstance(combo, str):
        return ("bad", v.option_combo or element.code, combo)
    form = _form_for(v, element, lk, period)
    if isinstance(form, str):
        return ("bad", v.data_set or element.code, form)
    return ("ok", element, combo, form, period)


def _validate(actor: Any, values: list[RawValue], lk: _Lookups, parsed_periods: dict,
              summary: ImportSummary, delete_all: bool = False) -> dict[tuple[int, int, str], list[_Cell]]:
    """Every value checked in memory; good ones grouped by form × unit × period, bad ones become conflicts.

    The per-value work is three dictionary lookups and two tuples: what a value's codes (data
    element, option combo, data set, period) resolve to is worked out once per distinct set of codes,
    a unit's group and rights once per form × unit × period, and a figure's cleaning once per
    (value type, figure).
    """
    groups: dict[tuple[int, int, str], list[_Cell]] = defaultdict(list)
    # codes but the unit -> (_resolution, {unit code: its group's append, or why the group is refused}),
    # the second shared by every resolution of the same form and period
    resolved: dict[tuple, tuple[tuple, dict[str, Any]]] = {}
    units_of: dict[tuple[int, str], dict[str, Any]] = {}
    clean_cache: dict[str, dict[Any, Any]] = {}  # value type -> {figure as written: CleanValue}
    cached = 0
    orgs = lk.orgs
    conflict = summary.conflict
    for v in values:
        options = v.options
        key = (v.data_element, v.option_combo, v.data_set, v.period,
               tuple(sorted(options.items())) if options else None)
        found = resolved.get(key)
        if found is None:
            res = _resolution(v, lk, parsed_periods)
            units: dict[str, Any] = {}
            if res[0] == "ok":
                # + element id, combo id, the figures already cleaned for the element's value type
                res = (*res, res[1].pk, res[2].pk, clean_cache.setdefault(res[1].value_type, {}))
                units = units_of.setdefault((res[3].pk, res[4].code), {})
            found = resolved[key] = (res, units)
        res, units = found
        entry: Any = units.get(v.org_unit)
        if entry is None:
            if res[0] == "element":
                conflict(res[1], res[2], v.index)
                continue
            org = orgs.get(v.org_unit)
            if org is None:
                conflict(v.org_unit or "-", _("Không có đơn vị (orgUnit) mã «%(code)s».") % {"code": v.org_unit},
                         v.index)
                continue
            if res[0] == "bad":
                conflict(res[1], res[2], v.index)
                continue
            form, period = res[3], res[4]
            refused = _group_problem(actor, form, org, period, lk)
            group = (form.pk, org.pk, period.code)
            entry = units[v.org_unit] = (org.code, refused) if refused else groups[group].append
        if type(entry) is tuple:
            conflict(entry[0], entry[1], v.index)
            continue
        append = entry
        element, de_id, coc_id = res[1], res[5], res[6]
        if delete_all or v.deleted:  # a deletion: whatever the value says, the cell is emptied
            append((de_id, coc_id, "", None, None, v.index, element.code, bool(v.complete_date)))
            continue
        # clean_value depends on the element only through its value type (and names it in errors,
        # which are not cached), so a file's repeated figures are checked once per type.
        raw = v.value
        cacheable = type(raw) is str or type(raw) is int  # not bool, float (True == 1 == 1.0 as keys)
        cleaned = res[7].get(raw) if cacheable else None
        if cleaned is None:
            try:
                cleaned = clean_value(element, raw)
            except DomainError as exc:
                conflict(element.code, exc.message, v.index)
                continue
            if cacheable and cached < 100_000:
                res[7][raw] = cleaned
                cached += 1
        append((de_id, coc_id, cleaned.value, cleaned.numeric, v.comment, v.index, element.code,
                bool(v.complete_date)))
    return groups


def datavalues_import(
    *, actor: Any, values: list[RawValue], dry_run: bool = False, schemes: IdSchemes | None = None,
    strategy: str = CREATE_AND_UPDATE,
) -> ImportSummary:
    """Import parsed values. Never raises for bad data: see the module's rules.

    `schemes`: how the values name their objects (codes by default); `strategy`: DHIS2's
    importStrategy (CREATE_AND_UPDATE, CREATE, UPDATE, DELETE; see `schemes.py`).
    """
    summary = ImportSummary(dry_run=dry_run)
    if not values:
        return summary
    refused = translate(values, schemes or IdSchemes())
    if refused:
        for v, identifier, reason in refused:
            summary.conflict(identifier, reason, v.index)
        left_out = {id(v) for v, _identifier, _reason in refused}
        values = [v for v in values if id(v) not in left_out]
        if not values:
            return summary
    lk = _load(values)
    parsed_periods: dict[str, ParsedPeriod | str] = {}
    for code in {v.period for v in values}:
        try:
            parsed_periods[code] = parse_period(code)
        except InvalidInput as exc:
            parsed_periods[code] = exc.message
    today = timezone.localdate()

    with collector_paused():
        groups = _validate(actor, values, lk, parsed_periods, summary, delete_all=strategy == DELETE)
    if not groups:
        return summary
    org_code = {o.pk: o.code for o in lk.orgs.values()}

    # Existing reports of the touched form × unit × period (one query), periods created as needed.
    period_rows = _period_rows({k[2] for k in groups}, parsed_periods, create=not dry_run)
    wanted = {(f, o, period_rows[p].pk if p in period_rows else None) for f, o, p in groups}
    existing: dict[tuple[int, int, int], Submission] = {}
    form_ids = {k[0] for k in groups}
    period_ids = {k[2] for k in wanted if k[2]}
    if period_ids:
        for sub in Submission.objects.filter(form_id__in=form_ids, period_id__in=period_ids,
                                             organisation_id__in={k[1] for k in groups}):
            if (sub.form_id, sub.organisation_id, sub.period_id) in wanted:
                existing[(sub.form_id, sub.organisation_id, sub.period_id)] = sub

    # Locked reports refuse their values; the rest go ahead.
    writable: dict[tuple[int, int, str], list[_Cell]] = {}
    for key, cells in groups.items():
        form_id, org_id, pcode = key
        sub = existing.get((form_id, org_id, period_rows[pcode].pk)) if pcode in period_rows else None
        if sub is not None and sub.status not in permissions.ENTRY_STATUSES:
            reason = _("Báo cáo %(form)s của %(unit)s kỳ %(period)s đang ở trạng thái «%(status)s» nên đã khóa.") % {
                "form": lk.forms_by_pk[form_id].code,
                "unit": org_code[org_id], "period": pcode, "status": sub.get_status_display()}
            for cell in cells:
                summary.conflict(org_code[org_id], reason, cell[5])
            continue
        if sub is not None and not permissions.is_superuser(actor) and permissions.entry_expired(
            sub.form, sub, today
        ):
            reason = _("Đã quá thời hạn nhập số liệu của kỳ %(period)s.") % {"period": pcode}
            for cell in cells:
                summary.conflict(org_code[org_id], reason, cell[5])
            continue
        if sub is None and strategy in (UPDATE, DELETE):  # nothing stored yet: nothing to update or delete
            summary.ignored += len(cells)
            continue
        writable[key] = cells

    if not writable:
        return summary

    # What is stored now in the existing reports (one query per 500 reports).
    stored: dict[tuple[int, int, int], tuple[int, str, str]] = {}
    existing_ids = [existing[(f, o, period_rows[p].pk)].pk for f, o, p in writable
                    if p in period_rows and (f, o, period_rows[p].pk) in existing]
    for i in range(0, len(existing_ids), 500):
        for pk, sub_id, de_id, coc_id, value, comment in DataValue.objects.filter(
            submission_id__in=existing_ids[i : i + 500]
        ).values_list("pk", "submission_id", "data_element_id", "category_option_combo_id", "value", "comment"):
            stored[(sub_id, de_id, coc_id)] = (pk, value, comment)

    with transaction.atomic():
        new_subs = []
        for form_id, org_id, pcode in writable:
            if pcode in period_rows and (form_id, org_id, period_rows[pcode].pk) in existing:
                continue
            form = lk.forms_by_pk[form_id]
            period = period_rows.get(pcode)
            new_subs.append(Submission(
                form_id=form_id, form_version=lk.versions[form_id], organisation_id=org_id,
                period=period, deadline=deadline_for(form, period or parsed_periods[pcode]),
            ))
        if new_subs and not dry_run:
            # ignore_conflicts: a report opened meanwhile on the web or by a parallel import is reused.
            Submission.objects.bulk_create(new_subs, ignore_conflicts=True)
            for sub in Submission.objects.filter(
                form_id__in={s.form_id for s in new_subs}, period_id__in={s.period_id for s in new_subs},
                organisation_id__in={s.organisation_id for s in new_subs},
            ):
                existing.setdefault((sub.form_id, sub.organisation_id, sub.period_id), sub)

        now = timezone.now()
        user_id = actor.pk if getattr(actor, "pk", None) else None
        # Cells not stored yet, by report: (report, unit, period, [cell]) with a cell's comment None
        # meaning "" (new cells), written by COPY; tuples of `_VALUE_COLUMNS` for the rest.
        to_insert: list[tuple[int | None, int, int | None, list[tuple]]] = []
        to_update: list[tuple] = []  # cells whose value or comment changes
        to_delete: list[int] = []
        touched: set[int] = set()
        complete: set[int] = set()
        imported = updated = ignored = deleted = 0
        duplicate = _("Giá trị lặp lại cho cùng một ô trong tệp; chỉ lấy giá trị đầu.")
        with_stored = {key[0] for key in stored}
        only_new = strategy in (CREATE_AND_UPDATE, CREATE)
        for (_form_id, org_id, pcode), cells in writable.items():
            period = period_rows.get(pcode)
            sub = existing.get((_form_id, org_id, period.pk)) if period else None
            sub_id = sub.pk if sub is not None else None
            period_id = period.pk if period is not None else None
            if sub_id is not None and any(c[7] for c in cells):
                complete.add(sub_id)
            if only_new and sub_id not in with_stored and len({(c[0], c[1]) for c in cells}) == len(cells):
                # The bulk case: nothing stored in this report, no cell twice: every figure is new.
                new_cells = [c for c in cells if c[2] != ""]
                ignored += len(cells) - len(new_cells)
                if new_cells:
                    imported += len(new_cells)
                    to_insert.append((sub_id, org_id, period_id, new_cells))
                    if sub_id is not None:
                        touched.add(sub_id)
                continue
            seen: set[tuple[int, int]] = set()
            wrote = False
            inserts: list[tuple] = []
            for de_id, coc_id, value, numeric, comment, index, de_code, _complete in cells:
                cell_key = (de_id, coc_id)
                if cell_key in seen:
                    summary.conflict(de_code, duplicate, index)
                    continue
                seen.add(cell_key)
                old = stored.get((sub_id, de_id, coc_id)) if stored else None
                if value == "":
                    if old is not None and strategy != CREATE:
                        deleted += 1
                        to_delete.append(old[0])
                        touched.add(sub_id)
                    else:
                        ignored += 1
                    continue
                if comment is None:
                    comment = old[2] if old is not None else ""
                if strategy == DELETE or (old is None and strategy == UPDATE) or (
                    old is not None and strategy == CREATE
                ):
                    ignored += 1
                    continue
                if old is None:
                    imported += 1
                    inserts.append((de_id, coc_id, value, numeric, comment))
                elif old[1] == value and old[2] == comment:
                    ignored += 1
                    continue
                else:
                    updated += 1
                    to_update.append((sub_id, de_id, coc_id, org_id, period_id, value, numeric, comment, now,
                                      user_id))
                wrote = True
            if inserts:
                to_insert.append((sub_id, org_id, period_id, inserts))
            if sub_id is not None and wrote:
                touched.add(sub_id)
        summary.imported += imported
        summary.updated += updated
        summary.ignored += ignored
        summary.deleted += deleted
        if dry_run:
            return summary
        _insert_values(to_insert, now, user_id)
        _upsert_values(to_update)
        if to_delete:
            for i in range(0, len(to_delete), 5000):
                DataValue.objects.filter(pk__in=to_delete[i : i + 5000]).delete()
        if touched:
            ids = sorted(touched)
            for i in range(0, len(ids), 5000):
                Submission.objects.filter(pk__in=ids[i : i + 5000]).update(version=F("version") + 1)
        audit_record(
            actor=actor, action=IMPORT_ACTION, object_type="reporting.datavalueset",
            object_id=now.strftime("%Y%m%d%H%M%S"),
            object_repr=_("Nhập %(count)s giá trị vào %(reports)s báo cáo") % {
                "count": len(values), "reports": len(touched)},
            after={"imported": summary.imported, "updated": summary.updated, "ignored": summary.ignored,
                   "deleted": summary.deleted, "conflicts": summary.conflict_count,
                   "reports": len(touched), "created_reports": len(new_subs)},
        )

    if complete:
        _submit_completed(actor, sorted(complete), summary)
    return summary


_VALUE_COLUMNS = ("submission_id", "data_element_id", "category_option_combo_id", "organisation_id", "period_id",
                  "value", "numeric_value", "comment", "updated_at", "updated_by_id")


def _upsert_values(rows: list[tuple]) -> None:
    """Write cells, updating those already stored (one statement per 5,000)."""
    if not rows:
        return
    DataValue.objects.bulk_create(
        [DataValue(**dict(zip(_VALUE_COLUMNS, row, strict=True))) for row in rows],
        batch_size=5000, update_conflicts=True,
        unique_fields=["submission", "data_element", "category_option_combo"],
        update_fields=["value", "numeric_value", "comment", "updated_at", "updated_by"],
    )


def _rows(groups: list[tuple[int | None, int, int | None, list[tuple]]], at: Any, user_id: int | None) -> list[tuple]:
    """New cells as tuples of `_VALUE_COLUMNS`."""
    return [(sub_id, c[0], c[1], org_id, period_id, c[2], c[3], c[4] or "", at, user_id)
            for sub_id, org_id, period_id, cells in groups for c in cells]


# Binary COPY of new cells. The columns in this order, so that a report's five shared columns are
# packed once per report and a cell is three fragments, each packed once per distinct content.
_COPY_COLUMNS = ("submission_id", "organisation_id", "period_id", "updated_at", "updated_by_id",
                 "data_element_id", "category_option_combo_id", "value", "numeric_value", "comment")
_PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_COPY_TRAILER = struct.pack(">h", -1)
_NULL = struct.pack(">i", -1)
_int_formats: dict[str, tuple[str, int]] = {}  # column -> (struct code, size), read once from the catalogue


def _integer_columns(cursor: Any) -> dict[str, tuple[str, int]]:
    if not _int_formats:
        cursor.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped", [DataValue._meta.db_table])
        for name, kind in cursor.fetchall():
            if kind in ("bigint", "integer", "smallint"):
                _int_formats[name] = {"bigint": ("q", 8), "integer": ("i", 4), "smallint": ("h", 2)}[kind]
    return _int_formats


def _text_field(text: str) -> bytes:
    data = text.encode()
    return struct.pack(">i", len(data)) + data


def _copy_chunks(groups: list[tuple[int | None, int, int | None, list[tuple]]], at: Any, user_id: int | None,
                 ints: dict[str, tuple[str, int]], chunk_rows: int = 5000) -> Iterator[bytes]:
    """The cells in PostgreSQL's binary COPY format, a few thousand rows per piece."""
    def integer(column: str, value: int | None) -> bytes:
        if value is None:
            return _NULL
        code, size = ints[column]
        return struct.pack(f">i{code}", size, value)

    stamp = struct.pack(">iq", 8, (at - _PG_EPOCH) // timedelta(microseconds=1))
    user = integer("updated_by_id", user_id)
    element_part: dict[tuple[int, int], bytes] = {}
    figure_part: dict[tuple[str, float | None], bytes] = {}
    comment_part: dict[str | None, bytes] = {None: _text_field(""), "": _text_field("")}
    parts: list[bytes] = [_COPY_HEADER]
    extend = parts.extend
    rows = 0
    for sub_id, org_id, period_id, cells in groups:
        head = (struct.pack(">h", len(_COPY_COLUMNS)) + integer("submission_id", sub_id)
                + integer("organisation_id", org_id) + integer("period_id", period_id) + stamp + user)
        for de_id, coc_id, value, numeric, comment, *_rest in cells:
            element = element_part.get((de_id, coc_id))
            if element is None:
                element = element_part[(de_id, coc_id)] = (integer("data_element_id", de_id)
                                                           + integer("category_option_combo_id", coc_id))
            figure = figure_part.get((value, numeric))
            if figure is None:
                figure = _text_field(value) + (_NULL if numeric is None else struct.pack(">id", 8, numeric))
                if len(figure_part) < 100_000:
                    figure_part[(value, numeric)] = figure
            note = comment_part.get(comment)
            if note is None:
                note = _text_field(comment)
            extend((head, element, figure, note))
        rows += len(cells)
        if rows >= chunk_rows:
            yield b"".join(parts)
            parts.clear()
            rows = 0
    parts.append(_COPY_TRAILER)
    yield b"".join(parts)


def _insert_values(groups: list[tuple[int | None, int, int | None, list[tuple]]], at: Any,
                   user_id: int | None) -> None:
    """Write new cells: binary COPY on PostgreSQL (the bulk path), upserts elsewhere or if someone raced us."""
    if not groups:
        return
    if connection.vendor != "postgresql":
        _upsert_values(_rows(groups, at, user_id))
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            ints = _integer_columns(cursor)
            statement = (f"COPY {DataValue._meta.db_table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN "
                         f"WITH (FORMAT binary)")
            with cursor.connection.cursor().copy(statement) as copy:
                for piece in _copy_chunks(groups, at, user_id, ints):
                    copy.write(piece)
    except IntegrityError:  # a cell written meanwhile by another import or the web grid
        _upsert_values(_rows(groups, at, user_id))


def _group_problem(actor: Any, form: ReportForm, org: Organisation, period: ParsedPeriod, lk: _Lookups) -> str | None:
    """Why no value of this form × unit × period can be imported, or None."""
    if period.period_type != form.period_type:
        from vhttdl.reporting.models import PeriodType

        return _("Biểu %(form)s báo cáo theo kỳ «%(expected)s», không nhận kỳ %(code)s.") % {
            "form": form.code, "expected": PeriodType(form.period_type).label, "code": period.code}
    if not permissions.can_enter_for(actor, org):
        return _("Bạn không được nhập số liệu cho đơn vị %(unit)s.") % {"unit": org.code}
    if not form.is_active:
        return _("Biểu %(form)s đã ngừng sử dụng.") % {"form": form.code}
    if form.pk not in lk.versions:
        return _("Biểu %(form)s chưa có phiên bản đang áp dụng.") % {"form": form.code}
    if not lk.submits(form, org):
        return _("Đơn vị %(unit)s không thuộc đối tượng nộp biểu %(form)s.") % {"unit": org.code, "form": form.code}
    if not (org.valid_from is None or org.valid_from <= period.end_date) or not (
        org.valid_to is None or org.valid_to >= period.start_date
    ):
        return _("Đơn vị %(unit)s không tồn tại trong kỳ %(period)s.") % {"unit": org.code, "period": period.code}
    return None


def _period_rows(codes: set[str], parsed: dict, *, create: bool) -> dict[str, Period]:
    if create:
        return periods_for_codes(codes)
    return {p.code: p for p in Period.objects.filter(code__in=codes)}


def _submit_completed(actor: Any, submission_ids: list[int], summary: ImportSummary) -> None:
    """completeDate given: submit each report through the workflow (its rules apply)."""
    from vhttdl.reporting.services.workflow import submission_submit

    for sub in Submission.objects.filter(pk__in=submission_ids).select_related("organisation", "form", "period"):
        if sub.status not in permissions.ENTRY_STATUSES:
            continue
        try:
            submission_submit(actor=actor, submission=sub, version=sub.version)  # the version just written
        except DomainError as exc:
            summary.conflict(sub.organisation.code, _("Đã lưu số liệu nhưng chưa nộp được báo cáo %(form)s kỳ "
                                                      "%(period)s: %(reason)s") % {
                "form": sub.form.code, "period": sub.period.code, "reason": exc.message})
        except Exception as exc:  # PermissionDenied and the like: reported, the values stay as draft
            summary.conflict(sub.organisation.code, str(exc))
        else:
            summary.submitted += 1


# --- export -------------------------------------------------------------------------------------


def datavalues_export(
    *, actor: Any, data_sets: list[str] | None = None, periods: list[str] | None = None,
    org_units: list[str] | None = None, children: bool = False, start_date: date | None = None,
    end_date: date | None = None, limit: int = 1_000_000,
) -> list[ExportValue]:
    """The stored values the caller may view, filtered DHIS2-style. Bad filters raise InvalidInput."""
    qs = DataValue.objects.all()
    condition = permissions.view_condition(actor, via="submission__organisation")
    if condition is not None:
        qs = qs.filter(condition)
    if data_sets:
        found = list(ReportForm.objects.filter(Q(code__in=data_sets) | Q(uid__in=data_sets)).values_list(
            "pk", "code", "uid"))
        missing = sorted(set(data_sets) - {c for _pk, c, _u in found} - {u for _pk, _c, u in found})
        if missing:
            raise InvalidInput(_("Không có biểu mẫu (dataSet) mã: %(codes)s.") % {"codes": ", ".join(missing)},
                               code="unknown_data_set")
        qs = qs.filter(submission__form_id__in=[pk for pk, _c, _u in found])
    if periods:
        for code in periods:
            parse_period(code)
        qs = qs.filter(period__code__in=[parse_period(c).code for c in periods])
    if start_date:
        qs = qs.filter(period__start_date__gte=start_date)
    if end_date:
        qs = qs.filter(period__end_date__lte=end_date)
    if org_units:
        orgs = list(Organisation.objects.filter(Q(code__in=org_units) | Q(uid__in=org_units)))
        missing = sorted(set(org_units) - {o.code for o in orgs} - {o.uid for o in orgs})
        if missing:
            raise InvalidInput(_("Không có đơn vị mã: %(codes)s.") % {"codes": ", ".join(missing)},
                               code="unknown_org_unit")
        if children:
            tree = Q()
            for o in orgs:
                tree |= Q(organisation__path__startswith=o.path)
            qs = qs.filter(tree)
        else:
            qs = qs.filter(organisation__in=orgs)
    if not (data_sets or periods or org_units or start_date):
        raise InvalidInput(_("Cần ít nhất một điều kiện lọc: dataSet, period, orgUnit hoặc startDate."),
                           code="filter_required")
    rows = qs.order_by("period__start_date", "organisation__code", "data_element__code",
                       "category_option_combo__code").values_list(
        "data_element__code", "period__code", "period__period_type", "period__start_date", "organisation__code",
        "category_option_combo__code", "category_option_combo_id", "value", "comment", "updated_by__username",
        "updated_at", "submission__form__code",
    )[:limit]
    rows = list(rows)
    options_of: dict[int, list[tuple[str, str]]] = defaultdict(list)
    coc_ids = {r[6] for r in rows}
    if coc_ids:
        through = CategoryOptionCombo.options.through
        for coc_id, cat_code, opt_code in through.objects.filter(categoryoptioncombo_id__in=coc_ids).values_list(
            "categoryoptioncombo_id", "categoryoption__category__code", "categoryoption__code"
        ).order_by("categoryoption__category__code"):
            options_of[coc_id].append((cat_code, opt_code))
    return [
        ExportValue(data_element=de, period=pe, period_type=ptype, period_start=pstart, org_unit=ou,
                    option_combo=coc, options=tuple(options_of.get(coc_id, ())), value=value, comment=comment or "",
                    stored_by=by or "", last_updated=at.isoformat() if at else "", data_set=ds)
        for de, pe, ptype, pstart, ou, coc, coc_id, value, comment, by, at, ds in rows
    ]
