"""Demo reports: every shipped form, every submitting unit, from January 2024 to today.

2024 and the first half of 2025 are reported by the departments of the 63 former provinces
(`SO-xx-2025`, closed 30 June 2025); from July 2025 by the 34 current ones. Each province's size
is a fixed weight, and a merged province weighs what its predecessors weighed together, so the
national series run smoothly across the merger (the analytics "by today's units" view shows it).
Magnitudes follow DOMAIN.md §3: 17.5 M international arrivals in 2024 and about 21.2 M in 2025,
142 special national relics at the end of 2024, some 3 million museum artefacts...

Statuses are a realistic mix: old periods mostly accepted, recent ones still moving through the
workflow, a few returned, late or missing, so that completeness pages look like real life.
Idempotent: a report that exists is never touched. Values are generated deterministically.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.audit.services import audit_record
from vhttdl.core.units.models import Area, Organisation
from vhttdl.reporting.forms_catalogue import load_catalogue
from vhttdl.reporting.models import DataValue, FormVersion, Period, ReportForm, Submission, SubmissionEvent
from vhttdl.reporting.periods import codes_in_range, deadline_for, period_containing, periods_for_codes
from vhttdl.reporting.selectors import form_layout

logger = logging.getLogger(__name__)

S = Submission.Status
FIRST_DAY = date(2024, 1, 1)

# Relative tourism weight of the 63 former provinces, by code (the rest weigh about 1).
TOURISM_HOTSPOTS = {
    "01": 8.0,
    "79": 8.0,
    "48": 4.0,
    "56": 4.0,
    "22": 4.0,
    "91": 3.0,
    "46": 2.5,
    "77": 2.5,
    "49": 2.0,
    "68": 2.0,
    "31": 2.0,
    "37": 2.0,
    "10": 1.8,
    "44": 1.5,
    "38": 1.5,
    "40": 1.3,
    "02": 1.2,
    "60": 1.5,
}
ARRIVALS = {  # national arrivals per year: (international, domestic)
    2024: (17_500_000, 110_000_000),
    2025: (21_200_000, 120_000_000),
    2026: (23_000_000, 128_000_000),
}
SEASON = [1.15, 1.2, 1.0, 0.95, 0.9, 1.05, 1.15, 1.1, 0.85, 0.85, 0.9, 1.1]
RETURN_REASONS = [
    "Số ngày khách lưu trú thấp bất thường so với cùng kỳ; đề nghị kiểm tra lại.",
    "Thiếu số liệu doanh thu dịch vụ lữ hành.",
    "Số hồ sơ giải quyết quá hạn chưa khớp với báo cáo của Văn phòng.",
    "Đề nghị bổ sung giải trình số hiện vật đã số hóa tăng mạnh.",
]

# Reports of the demo people's units get a fixed state, so that each login has something to do.
FORCED = {
    ("01.T/DL", "SO-08", "current"): S.DRAFT,
    ("01.T/DL", "SO-08", "previous"): S.SUBMITTED,
    ("01.N/DSVH", "SO-08-BT", "previous_year"): S.SUBMITTED,
    ("01.N/DSVH", "SO-08", "previous_year"): S.SUBMITTED,
    ("01.N/DSVH", "SO-08-BT", "current"): S.DRAFT,
    ("01.Q/CDS", "SO-08", "previous"): S.RETURNED,
    ("01.Q/CDS", "SO-01", "previous"): S.SUBMITTED,
}


@dataclass
class Unit:
    org: Organisation
    weight: float  # share of the national total (areas sum to 1 at any date)


def _rng(*parts: Any) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))


def _area_weights() -> dict[int, float]:
    """{area id: share of the country}, equal for a merged province and its predecessors together."""
    areas = list(Area.objects.filter(level=Area.Level.PROVINCE))
    through = Area.successors.through
    predecessors: dict[int, list[int]] = {}
    for old_id, new_id in through.objects.values_list("from_area_id", "to_area_id"):
        predecessors.setdefault(new_id, []).append(old_id)
    base: dict[int, float] = {}
    for area in areas:
        if area.valid_to is not None or area.pk not in predecessors:
            base[area.pk] = _rng("area", area.code, area.valid_to).uniform(0.5, 1.5) * TOURISM_HOTSPOTS.get(
                area.code, 1.0
            )
    weights = dict(base)
    for area in areas:
        if area.pk in predecessors:
            weights[area.pk] = sum(base.get(p, 0.0) for p in predecessors[area.pk])
    total = sum(w for a in areas if a.valid_to is None for w in [weights.get(a.pk, 0.0)]) or 1.0
    return {pk: w / total for pk, w in weights.items()}


def _expected(form: ReportForm, period: Period, orgs: list[Organisation], excluded: set[int]) -> list[Organisation]:
    kinds = form.submitter_kinds or [Organisation.Kind.DEPARTMENT]
    return [
        o
        for o in orgs
        if o.kind in kinds
        and o.pk not in excluded
        and (o.valid_from is None or o.valid_from <= period.end_date)
        and (o.valid_to is None or o.valid_to >= period.end_date)
    ]


def _status(rng: random.Random, deadline: date, today: date) -> str | None:
    age = (today - deadline).days
    if age > 45:
        table = [
            (0.88, S.ACCEPTED),
            (0.93, S.APPROVED),
            (0.95, S.SUBMITTED),
            (0.965, S.RETURNED),
            (0.975, S.DRAFT),
            (1.0, None),
        ]
    elif age >= 0:
        table = [
            (0.45, S.ACCEPTED),
            (0.6, S.APPROVED),
            (0.78, S.SUBMITTED),
            (0.83, S.RETURNED),
            (0.93, S.DRAFT),
            (1.0, None),
        ]
    else:
        table = [(0.05, S.APPROVED), (0.25, S.SUBMITTED), (0.65, S.DRAFT), (1.0, None)]
    draw = rng.random()
    return next(status for limit, status in table if draw <= limit)


def _noise(rng: random.Random, spread: float = 0.1) -> float:
    return rng.uniform(1 - spread, 1 + spread)


def _values(form: ReportForm, org: Organisation, period: Period, share: float, rng: random.Random) -> dict:
    """{(element, combo): number} for one report. `share`: the unit's share of the country."""
    year = period.start_date.year
    growth = 1.0 + 0.04 * (year - 2024)
    K = Organisation.Kind
    v: dict[tuple[str, str], float] = {}
    if form.sector == "tourism":
        intl_year, dom_year = ARRIVALS.get(year, ARRIVALS[2026])
        season = SEASON[period.start_date.month - 1]
        intl = intl_year / 12 * season * share * _noise(rng, 0.15)
        dom = dom_year / 12 * season * share * _noise(rng, 0.15)
        v[("DL_LUOT_KHACH", "INTL_ON")] = round(intl * 0.85)
        v[("DL_LUOT_KHACH", "INTL_SD")] = round(intl * 0.15)
        v[("DL_LUOT_KHACH", "DOM_ON")] = round(dom * 0.55)
        v[("DL_LUOT_KHACH", "DOM_SD")] = round(dom * 0.45)
        v[("DL_NGAY_KHACH", "INTL")] = round(intl * 0.85 * 3.1 * _noise(rng))
        v[("DL_NGAY_KHACH", "DOM")] = round(dom * 0.55 * 1.8 * _noise(rng))
        receipts_intl = round(intl * 18 * _noise(rng), 1)
        receipts_dom = round(dom * 3.5 * _noise(rng), 1)
        total = receipts_intl + receipts_dom
        v[("DL_TONG_THU", "INTL")] = receipts_intl
        v[("DL_TONG_THU", "DOM")] = receipts_dom
        v[("DL_DT_LUU_TRU", "default")] = round(total * 0.27, 1)
        v[("DL_DT_AN_UONG", "default")] = round(total * 0.30, 1)
        v[("DL_DT_LU_HANH", "default")] = round(total * 0.12, 1)
        v[("DL_CO_SO_LT", "default")] = max(5, round(40_000 * share * growth))
        v[("DL_BUONG", "default")] = max(80, round(750_000 * share * growth))
        v[("DL_CONG_SUAT", "default")] = round(rng.uniform(45, 72) * (season**0.5), 1)
    elif form.sector == "heritage" and org.kind == K.MUSEUM:
        national = org.parent_id is not None and org.parent.kind == K.MINISTRY
        held = round(rng.uniform(180_000, 250_000) if national else rng.uniform(20_000, 120_000))
        held += round(held * 0.01 * (year - 2024))
        v[("DS_HIEN_VAT", "default")] = held
        v[("DS_HIEN_VAT_SO_HOA", "default")] = round(held * min(0.95, rng.uniform(0.15, 0.35) + 0.06 * (year - 2024)))
        dom = rng.uniform(30_000, 300_000) * (3 if national else 1) * growth
        intl = rng.uniform(2_000, 40_000) * (3 if national else 1) * growth
        v[("DS_LUOT_KHACH", "DOM")] = round(dom)
        v[("DS_LUOT_KHACH", "INTL")] = round(intl)
        v[("DS_THU_VE", "default")] = round((dom + intl) * 0.03, 1)
    elif form.sector == "heritage":
        special = 142 if year <= 2024 else 150
        v[("DS_DT_XEP_HANG", "CT")] = round(11_000 * share * _noise(rng, 0.2))
        v[("DS_DT_XEP_HANG", "QG")] = round((3_600 + 20 * (year - 2024)) * share * _noise(rng, 0.2))
        v[("DS_DT_XEP_HANG", "QGDB")] = round(special * share * _noise(rng, 0.3))
        ranked = sum(n for (e, _c), n in v.items() if e == "DS_DT_XEP_HANG")
        v[("DS_DT_KIEM_KE", "default")] = round(ranked * rng.uniform(2.2, 3.4))
        v[("DS_DT_TU_BO", "default")] = round(ranked * rng.uniform(0.02, 0.05))
        v[("DS_PVT_QG", "default")] = round(600 * share * _noise(rng, 0.3))
        v[("DS_BAO_VAT", "default")] = round((265 if year <= 2024 else 294) * share * _noise(rng, 0.4))
        v[("DS_BAO_TANG", "CONG_LAP")] = max(1, round(130 * share * _noise(rng, 0.3)))
        v[("DS_BAO_TANG", "NGOAI_CL")] = round(60 * share * _noise(rng, 0.5))
        v[("DS_LUOT_KHACH", "DOM")] = round(60_000_000 * share * growth * _noise(rng, 0.2))
        v[("DS_LUOT_KHACH", "INTL")] = round(6_000_000 * share * growth * _noise(rng, 0.3))
        v[("DS_THU_VE", "default")] = round((v[("DS_LUOT_KHACH", "DOM")] + v[("DS_LUOT_KHACH", "INTL")]) * 0.02, 1)
    elif form.sector == "sports":
        v[("TT_TY_LE_TAP", "default")] = round(rng.uniform(28, 38) + 0.8 * (year - 2024), 1)
        v[("TT_CLB", "default")] = round(50_000 * share * growth * _noise(rng, 0.2))
        v[("TT_GIAI", "default")] = max(5, round(2_500 * share * _noise(rng, 0.2)))
        v[("TT_VDV", "NAM")] = max(10, round(6_000 * share * _noise(rng, 0.2)))
        v[("TT_VDV", "NU")] = max(8, round(4_000 * share * _noise(rng, 0.2)))
        v[("TT_HUY_CHUONG", "VANG")] = round(1_500 * share * _noise(rng, 0.4))
        v[("TT_HUY_CHUONG", "BAC")] = round(1_400 * share * _noise(rng, 0.4))
        v[("TT_HUY_CHUONG", "DONG")] = round(1_700 * share * _noise(rng, 0.4))
        v[("TT_CONG_TRINH", "default")] = max(20, round(60_000 * share * growth * _noise(rng, 0.2)))
    elif form.sector == "digital":
        step = (year - 2024) + (period.start_date.month - 1) / 12
        procedures = rng.randint(120, 160)
        full = round(procedures * min(0.9, rng.uniform(0.35, 0.55) + 0.12 * step))
        partial = min(procedures - full, round(procedures * rng.uniform(0.2, 0.35)))
        received = max(30, round(120_000 * share * _noise(rng, 0.25)))
        online = round(received * min(0.95, rng.uniform(0.55, 0.75) + 0.09 * step))
        late = round(received * rng.uniform(0.0, 0.02))
        on_time = round((received - late) * rng.uniform(0.93, 0.99))
        v[("CDS_TTHC", "default")] = procedures
        v[("CDS_TTHC_TOAN_TRINH", "default")] = full
        v[("CDS_TTHC_MOT_PHAN", "default")] = partial
        v[("CDS_HO_SO", "ONLINE")] = online
        v[("CDS_HO_SO", "TRUC_TIEP")] = received - online
        v[("CDS_HS_DUNG_HAN", "default")] = on_time
        v[("CDS_HS_QUA_HAN", "default")] = late
        v[("CDS_HS_TT_TRUC_TUYEN", "default")] = round(online * rng.uniform(0.3, 0.6))
        v[("CDS_KQ_SO_HOA", "default")] = round((on_time + late) * rng.uniform(0.7, 1.0))
        v[("CDS_DONG_BO_DVCQG", "default")] = round(received * rng.uniform(0.85, 1.0))
    elif form.sector == "library":
        national = org.parent_id is not None and org.parent.kind == K.MINISTRY
        books = round(rng.uniform(1_400_000, 1_600_000) if national else rng.uniform(250_000, 900_000)) * growth
        v[("TV_BAN_SACH", "default")] = round(books)
        v[("TV_SO_HOA", "default")] = round(books * min(0.6, rng.uniform(0.03, 0.18) + 0.03 * (year - 2024)))
        v[("TV_THE", "default")] = round(rng.uniform(5_000, 40_000) * (4 if national else 1))
        v[("TV_LUOT_DOC", "ONLINE")] = round(rng.uniform(20_000, 400_000) * growth * (3 if national else 1))
        v[("TV_LUOT_DOC", "TRUC_TIEP")] = round(rng.uniform(60_000, 350_000) * (2 if national else 1))
        v[("TV_LUAN_CHUYEN", "default")] = round(rng.uniform(100_000, 600_000))
        v[("TV_DIEM_CO_SO", "default")] = round(rng.uniform(80, 600))
    return v


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.1f}"


def _period_codes(form: ReportForm, today: date) -> tuple[list[str], str | None]:
    """Complete periods since 2024 plus the current one (not yet due: drafts and early submissions)."""
    codes = codes_in_range(form.period_type, FIRST_DAY, today)
    current = period_containing(form.period_type, today)
    if current not in codes:
        codes.append(current)
    return codes, current


def _forced_status(form: ReportForm, org: Organisation, code: str, codes: list[str], current: str | None):
    slots = {
        "current": current,
        "previous": codes[-2] if len(codes) > 1 else None,
        "previous_year": codes[-2] if form.period_type == "yearly" and len(codes) > 1 else None,
    }
    for slot, period_code in slots.items():
        if period_code == code and (form.code, org.code, slot) in FORCED:
            return True, FORCED[(form.code, org.code, slot)]
    return False, None


def _aware(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


@transaction.atomic
def _load(today: date) -> dict[str, int]:
    load_catalogue()
    now = timezone.now()
    orgs = list(Organisation.objects.select_related("parent", "area").order_by("path"))
    area_share = _area_weights()
    forms = list(ReportForm.objects.filter(is_active=True).prefetch_related("excluded_units").order_by("code"))
    versions = {v.form_id: v for v in FormVersion.objects.filter(status=FormVersion.Status.PUBLISHED)}
    existing = set(Submission.objects.values_list("form_id", "organisation_id", "period_id"))
    plans: list[tuple[Submission, dict, str]] = []
    for form in forms:
        version = versions.get(form.pk)
        if version is None:
            continue
        layout = form_layout(version)
        cells = {(e.code, c.code): (e.pk, c.pk) for e, c in layout.cells()}
        excluded = {o.pk for o in form.excluded_units.all()}
        codes, current = _period_codes(form, today)
        periods = periods_for_codes(codes)
        for code in codes:
            period = periods[code]
            deadline = deadline_for(form, period)
            for org in _expected(form, period, orgs, excluded):
                if (form.pk, org.pk, period.pk) in existing:
                    continue
                rng = _rng(form.code, org.code, code)
                forced, status = _forced_status(form, org, code, codes, current)
                if not forced:
                    status = _status(rng, deadline, today)
                if status is None or period.start_date > today:
                    continue
                share = area_share.get(org.area_id, 1 / 34) if org.kind == Organisation.Kind.DEPARTMENT else 1 / 34
                numbers = _values(form, org, period, share, rng)
                if status == S.DRAFT:
                    numbers = {k: n for k, n in numbers.items() if rng.random() < 0.7}
                values = {cells[k]: _fmt(n) for k, n in numbers.items() if k in cells}
                submission = Submission(
                    form=form,
                    form_version=version,
                    organisation=org,
                    period=period,
                    status=status,
                    deadline=deadline,
                    version=1,
                )
                if status != S.DRAFT:
                    late = (rng.random() < 0.12) or (
                        today > deadline and status == S.SUBMITTED and forced is False and rng.random() < 0.5
                    )
                    offset = rng.randint(1, 20) if late else -rng.randint(0, 10)
                    submitted = _aware(deadline + timedelta(days=offset), rng.randint(8, 16))
                    submitted = min(submitted, now - timedelta(hours=2))
                    submission.submitted_at = submitted
                    submission.is_late = submitted.date() > deadline
                    if status in (S.APPROVED, S.ACCEPTED):
                        submission.approved_at = min(submitted + timedelta(days=rng.randint(1, 6)), now)
                    if status == S.ACCEPTED:
                        submission.accepted_at = min(submission.approved_at + timedelta(days=rng.randint(1, 8)), now)
                    if status == S.RETURNED:
                        submission.returned_reason = rng.choice(RETURN_REASONS)
                plans.append((submission, values, code))
    Submission.objects.bulk_create([p[0] for p in plans], batch_size=1000)
    if any(p[0].pk is None for p in plans):  # databases without RETURNING: read the keys back
        keys = {
            (s.form_id, s.organisation_id, s.period_id): s.pk
            for s in Submission.objects.only("pk", "form_id", "organisation_id", "period_id")
        }
        for submission, *_rest in plans:
            submission.pk = keys[(submission.form_id, submission.organisation_id, submission.period_id)]
    rows: list[DataValue] = []
    events: list[SubmissionEvent] = []
    for submission, values, _code in plans:
        stamp = submission.submitted_at or now
        for (element_id, combo_id), text in values.items():
            rows.append(
                DataValue(
                    submission_id=submission.pk,
                    data_element_id=element_id,
                    category_option_combo_id=combo_id,
                    organisation_id=submission.organisation_id,
                    period_id=submission.period_id,
                    value=text,
                    numeric_value=float(text),
                    updated_at=stamp,
                )
            )
        if submission.submitted_at:
            events.append(
                SubmissionEvent(
                    submission_id=submission.pk,
                    action="submit",
                    from_status=S.DRAFT,
                    to_status=S.SUBMITTED,
                    at=submission.submitted_at,
                )
            )
        if submission.approved_at:
            events.append(
                SubmissionEvent(
                    submission_id=submission.pk,
                    action="approve",
                    from_status=S.SUBMITTED,
                    to_status=S.APPROVED,
                    at=submission.approved_at,
                )
            )
        if submission.accepted_at:
            events.append(
                SubmissionEvent(
                    submission_id=submission.pk,
                    action="accept",
                    from_status=S.APPROVED,
                    to_status=S.ACCEPTED,
                    at=submission.accepted_at,
                )
            )
        if submission.status == S.RETURNED:
            events.append(
                SubmissionEvent(
                    submission_id=submission.pk,
                    action="return",
                    from_status=S.SUBMITTED,
                    to_status=S.RETURNED,
                    reason=submission.returned_reason,
                    at=min(stamp + timedelta(days=3), now),
                )
            )
    DataValue.objects.bulk_create(rows, batch_size=5000)
    SubmissionEvent.objects.bulk_create(events, batch_size=5000)
    counts = {"submissions": len(plans), "values": len(rows), "events": len(events)}
    if plans:
        audit_record(
            actor=SYSTEM,
            action="reporting.demo_load",
            object_type="reporting.demo",
            object_id="demo",
            object_repr="Reporting demo data",
            after=counts,
        )
    return counts


def load_demo(*, today: date | None = None, rebuild_analytics: bool = True) -> dict[str, Any]:
    """Load the catalogue and demo reports (idempotent), then rebuild the analytics aggregates."""
    started = time.perf_counter()
    counts: dict[str, Any] = _load(today or timezone.localdate())
    if rebuild_analytics and counts["submissions"]:
        from vhttdl.reporting.analytics.services import aggregates_rebuild

        counts["analytics"] = aggregates_rebuild()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts
