"""Incremental aggregates: what counts, tree and period roll-ups, history views, and rebuild equality."""

from __future__ import annotations

import random

import pytest

from tests.reporting.analytics.builders import build_closed_department, report, set_status
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.reporting.analytics.models import AggregateValue, AppliedSubmission
from vhttdl.reporting.analytics.selectors import analytics_values, resolve_periods
from vhttdl.reporting.analytics.services import aggregates_apply_submission, aggregates_rebuild
from vhttdl.reporting.models import DataValue, Submission

pytestmark = pytest.mark.django_db

S = Submission.Status


def snapshot() -> set[tuple]:
    return {
        (a.view, a.data_element_id, a.category_option_combo_id, a.organisation_id, a.period_id,
         a.period_start, a.period_end, round(a.total, 6), a.count)
        for a in AggregateValue.objects.all()
    }


def values(meta, units, periods, *, elements=("EVENTS",), view="today", by=None):
    cells = analytics_values(actor=SYSTEM, elements=[meta.elements[c] for c in elements],
                             periods=resolve_periods(periods), units=units, view=view, by=by)
    return {(c.dx, c.pe, c.ou, c.co): c.value for c in cells}


def approve(sub):
    set_status(sub, S.APPROVED)
    aggregates_apply_submission(submission_id=sub.pk)


def test_only_approved_or_accepted_reports_count(tree, meta):
    drafts = report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "5"}, status=S.SUBMITTED)
    aggregates_apply_submission(submission_id=drafts.pk)
    assert not AggregateValue.objects.exists()
    approve(drafts)
    assert values(meta, [tree.museum_a], ["202401"]) == {("EVENTS", "202401", "SO-A-BT", ""): 5}
    set_status(drafts, S.ACCEPTED)
    aggregates_apply_submission(submission_id=drafts.pk)
    assert values(meta, [tree.museum_a], ["202401"]) == {("EVENTS", "202401", "SO-A-BT", ""): 5}
    set_status(drafts, S.RETURNED)
    aggregates_apply_submission(submission_id=drafts.pk)
    assert values(meta, [tree.museum_a], ["202401"]) == {}
    assert not AggregateValue.objects.exists() and not AppliedSubmission.objects.exists()


def test_a_unit_includes_its_subtree(tree, meta):
    approve(report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "5"}))
    approve(report(meta, tree.dept_a, "202401", {("EVENTS", "default"): "2"}))
    approve(report(meta, tree.museum_b, "202401", {("EVENTS", "default"): "7"}))
    got = values(meta, [tree.ministry, tree.dept_a, tree.dept_b, tree.museum_a], ["202401"])
    assert got == {
        ("EVENTS", "202401", "BO", ""): 14, ("EVENTS", "202401", "SO-A", ""): 7,
        ("EVENTS", "202401", "SO-B", ""): 7, ("EVENTS", "202401", "SO-A-BT", ""): 5,
    }


def test_period_roll_up_follows_the_aggregation_type(tree, meta):
    for month, (events, rate, stock, note) in {"202401": (1, 80, 100, 3), "202402": (2, 90, 110, 4),
                                               "202403": (3, 100, 105, 5)}.items():
        approve(report(meta, tree.museum_a, month, {("EVENTS", "default"): events, ("RATE", "default"): rate,
                                                     ("STOCK", "default"): stock, ("NOTE", "default"): note}))
    approve(report(meta, tree.museum_b, "202402", {("RATE", "default"): "60", ("STOCK", "default"): "10"}))
    got = values(meta, [tree.museum_a, tree.ministry], ["2024Q1", "202402", "2024"],
                 elements=("EVENTS", "RATE", "STOCK", "NOTE"))
    assert got[("EVENTS", "2024Q1", "SO-A-BT", "")] == 6  # sum
    assert got[("EVENTS", "2024", "BO", "")] == 6
    assert got[("RATE", "2024Q1", "SO-A-BT", "")] == 90  # average of 80, 90, 100
    assert got[("RATE", "2024Q1", "BO", "")] == pytest.approx((80 + 90 + 100 + 60) / 4)
    assert got[("STOCK", "2024Q1", "SO-A-BT", "")] == 105  # the last month's value
    assert got[("STOCK", "2024Q1", "BO", "")] == 105  # March: only museum A reported
    assert got[("STOCK", "202402", "BO", "")] == 120  # a stock sums over units within one period
    assert got[("NOTE", "202402", "SO-A-BT", "")] == 4  # not aggregated: only exact period, own unit
    assert ("NOTE", "2024Q1", "SO-A-BT", "") not in got
    assert ("NOTE", "202402", "BO", "") not in got


def test_disaggregations_per_combo_per_option_and_total(tree, meta):
    approve(report(meta, tree.museum_a, "202401", {("VISITORS", "SEX_M"): "10", ("VISITORS", "SEX_F"): "15"}))
    approve(report(meta, tree.museum_b, "202401", {("VISITORS", "SEX_F"): "5"}))
    units = [tree.ministry]
    assert values(meta, units, ["202401"], elements=("VISITORS",)) == {("VISITORS", "202401", "BO", ""): 30}
    assert values(meta, units, ["202401"], elements=("VISITORS",), by="co") == {
        ("VISITORS", "202401", "BO", "SEX_M"): 10, ("VISITORS", "202401", "BO", "SEX_F"): 20}
    assert values(meta, units, ["202401"], elements=("VISITORS",), by="SEX") == {
        ("VISITORS", "202401", "BO", "M"): 10, ("VISITORS", "202401", "BO", "F"): 20}


def test_history_as_reported_and_by_todays_units(tree, meta):
    old = build_closed_department(tree)
    approve(report(meta, old, "202401", {("EVENTS", "default"): "40"}))
    approve(report(meta, tree.dept_a, "202401", {("EVENTS", "default"): "2"}))
    units = [tree.ministry, tree.dept_a, old]
    as_reported = values(meta, units, ["2024"], view="as_reported")
    today = values(meta, units, ["2024"], view="today")
    assert as_reported == {("EVENTS", "2024", "BO", ""): 42, ("EVENTS", "2024", "SO-A", ""): 2,
                           ("EVENTS", "2024", "SO-C-2025", ""): 40}
    assert today == {("EVENTS", "2024", "BO", ""): 42, ("EVENTS", "2024", "SO-A", ""): 42}


def test_values_change_while_counted_are_replaced(tree, meta):
    sub = report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "5", ("RATE", "default"): "1"})
    approve(sub)
    DataValue.objects.filter(submission=sub, data_element__code="EVENTS").update(value="9", numeric_value=9)
    DataValue.objects.filter(submission=sub, data_element__code="RATE").delete()
    aggregates_apply_submission(submission_id=sub.pk)
    assert values(meta, [tree.ministry], ["202401"], elements=("EVENTS", "RATE")) == {
        ("EVENTS", "202401", "BO", ""): 9}


def test_a_deleted_submission_is_taken_out(tree, meta):
    sub = report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "5"})
    approve(sub)
    pk = sub.pk
    sub.delete()
    aggregates_apply_submission(submission_id=pk)
    assert not AggregateValue.objects.exists()


def test_incremental_updates_equal_a_full_rebuild(tree, meta):
    old = build_closed_department(tree)
    rng = random.Random(7)
    units = [tree.dept_a, tree.museum_a, tree.dept_b, tree.museum_b, old, tree.agency]
    subs = []
    for unit in units:
        for month in ("202311", "202312", "202401", "202402"):
            cells = {("EVENTS", "default"): rng.randint(0, 50), ("RATE", "default"): f"{rng.uniform(0, 100):.2f}",
                     ("STOCK", "default"): rng.randint(0, 9), ("NOTE", "default"): rng.randint(0, 9),
                     ("VISITORS", "SEX_M"): rng.randint(0, 99), ("VISITORS", "SEX_F"): rng.randint(0, 99),
                     ("REMARK", "default"): "ghi chú"}
            subs.append(report(meta, unit, month, cells, status=S.SUBMITTED))
    # A day of workflow: approvals, acceptances, reopenings with edits, re-approvals.
    for sub in subs:
        approve(sub)
    for sub in rng.sample(subs, 8):
        set_status(sub, S.RETURNED)
        aggregates_apply_submission(submission_id=sub.pk)
        DataValue.objects.filter(submission=sub, data_element__code="EVENTS").update(value="3", numeric_value=3)
        if rng.random() < 0.5:
            approve(sub)
    for sub in rng.sample(subs, 5):
        set_status(sub, S.ACCEPTED)
        aggregates_apply_submission(submission_id=sub.pk)
    yearly = report(meta, tree.dept_b, "2023", {("EVENTS", "default"): "100"}, form=meta.yearly)
    approve(yearly)

    incremental = snapshot()
    ledgers = {(a.submission_id, a.organisation_id, a.period_id) for a in AppliedSubmission.objects.all()}
    assert incremental
    aggregates_rebuild()
    assert snapshot() == incremental
    assert {(a.submission_id, a.organisation_id, a.period_id) for a in AppliedSubmission.objects.all()} == ledgers
    # After a rebuild, incremental updates carry on from the rebuilt ledger.
    set_status(yearly, S.RETURNED)
    aggregates_apply_submission(submission_id=yearly.pk)
    after = snapshot()
    aggregates_rebuild()
    assert snapshot() == after


def test_rebuild_command(tree, meta):
    from io import StringIO

    from django.core.management import call_command

    approve(report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "5"}))
    before = snapshot()
    AggregateValue.objects.all().delete()
    out = StringIO()
    call_command("reporting_rebuild_analytics", stdout=out)
    assert snapshot() == before
    assert "analytics rebuilt" in out.getvalue()
