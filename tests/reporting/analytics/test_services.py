"""Incremental aggregates: what counts, tree and period roll-ups, history views, unit moves and closures,
and equality with a full rebuild."""

from __future__ import annotations

import random
from datetime import date

import pytest

from tests.core.factories import current_version, make_org
from tests.reporting.analytics.builders import build_closed_department, report, set_status
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.units.models import Organisation
from vhttdl.core.units.services import organisation_close, organisation_move
from vhttdl.reporting.analytics import selectors
from vhttdl.reporting.analytics.models import AggregateValue, AggregateYear, AppliedSubmission
from vhttdl.reporting.analytics.selectors import analytics_values, resolve_periods
from vhttdl.reporting.analytics.services import (
    aggregates_apply_submission,
    aggregates_follow_units,
    aggregates_rebuild,
)
from vhttdl.reporting.models import DataElement, DataValue, Submission

pytestmark = pytest.mark.django_db

S = Submission.Status


def snapshot() -> set[tuple]:
    """Both aggregate tables; the year table is also checked against the month table summed by year."""
    months = {
        (a.view, a.data_element_id, a.category_option_combo_id, a.organisation_id, a.period_id,
         a.period_start, a.period_end, round(a.total, 6), a.count)
        for a in AggregateValue.objects.all()
    }
    years = {("year", a.view, a.data_element_id, a.category_option_combo_id, a.organisation_id, a.year,
              round(a.total, 6), a.count) for a in AggregateYear.objects.all()}
    summed: dict[tuple, list] = {}
    for view, de, coc, org, _period, start, end, total, count in months:
        if start.year == end.year:
            cell = summed.setdefault((view, de, coc, org, start.year), [0.0, 0])
            cell[0] += total
            cell[1] += count
    assert years == {("year", *key, round(total, 6), count) for key, (total, count) in summed.items()}
    return months | years


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


def test_yearly_pivots_equal_the_months_rolled_up(tree, meta, monkeypatch):
    """A calendar year of a sum or an average comes from the year table; the same figures as adding up
    its months, for every aggregation type, whatever the element's type was when the values came in."""
    rng = random.Random(3)
    for unit in (tree.museum_a, tree.museum_b, tree.dept_a):
        for month in ("202311", "202312", "202401", "202402", "202406"):
            approve(report(meta, unit, month, {("EVENTS", "default"): rng.randint(0, 50),
                                               ("RATE", "default"): rng.randint(0, 100),
                                               ("STOCK", "default"): rng.randint(0, 9),
                                               ("VISITORS", "SEX_M"): rng.randint(0, 99),
                                               ("VISITORS", "SEX_F"): rng.randint(0, 99)}))
    approve(report(meta, tree.dept_b, "2024", {("EVENTS", "default"): "100"}, form=meta.yearly))
    assert AggregateYear.objects.exists()
    units = [tree.ministry, tree.dept_a, tree.museum_a, tree.dept_b]
    elements = ("EVENTS", "RATE", "STOCK", "VISITORS")
    asked = [(["2023", "2024"], "co"), (["2024", "202401", "2024Q1"], None), (["2023", "2024S1"], "SEX")]
    from_years = [values(meta, units, periods, elements=elements, by=by) for periods, by in asked]
    museum_b_months = values(meta, [tree.museum_b], ["202401", "202402", "202406"])
    assert from_years[0][("EVENTS", "2024", "SO-B", "default")] == 100 + sum(museum_b_months.values())
    assert from_years[1][("EVENTS", "2024", "BO", "")] == from_years[0][("EVENTS", "2024", "BO", "default")]
    stock = meta.elements["STOCK"]
    stock.aggregation = DataElement.Aggregation.SUM  # changed after the values were counted
    stock.save()
    summed = values(meta, [tree.museum_a], ["2024"], elements=("STOCK",))
    months = values(meta, [tree.museum_a], ["202401", "202402", "202406"], elements=("STOCK",))
    assert summed == {("STOCK", "2024", "SO-A-BT", ""): sum(months.values())}
    stock.aggregation = DataElement.Aggregation.LAST
    stock.save()
    # The same questions answered from the months alone.
    monkeypatch.setattr(selectors, "_is_calendar_year", lambda period: False)
    assert [values(meta, units, periods, elements=elements, by=by) for periods, by in asked] == from_years


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
    AggregateYear.objects.all().delete()
    out = StringIO()
    call_command("reporting_rebuild_analytics", stdout=out)
    assert snapshot() == before
    assert "analytics rebuilt" in out.getvalue()


# --- the tree changes: moves and closures are followed incrementally ---------------------------------


def ledgers() -> set[tuple]:
    return {(a.submission_id, a.organisation_id, a.period_id, repr(a.targets)) for a in AppliedSubmission.objects.all()}


def assert_equal_to_a_rebuild() -> None:
    incremental, incremental_ledgers = snapshot(), ledgers()
    aggregates_rebuild()
    assert snapshot() == incremental
    assert ledgers() == incremental_ledgers


def move(unit, new_parent, capture):
    with capture(execute=True):
        organisation_move(actor=SYSTEM, organisation=Organisation.objects.get(pk=unit.pk),
                          new_parent=Organisation.objects.get(pk=new_parent.pk),
                          version=current_version(unit))


def close(unit, successors, capture, on=None):
    with capture(execute=True):
        organisation_close(actor=SYSTEM, organisation=Organisation.objects.get(pk=unit.pk), on=on,
                           successors=[Organisation.objects.get(pk=s.pk) for s in successors],
                           version=current_version(unit))


def test_a_moved_unit_counts_under_its_new_parent_without_a_rebuild(tree, meta, django_capture_on_commit_callbacks):
    approve(report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "5", ("NOTE", "default"): "1",
                                                   ("VISITORS", "SEX_F"): "8"}))
    approve(report(meta, tree.museum_a, "202402", {("EVENTS", "default"): "6"}))
    approve(report(meta, tree.dept_a, "202401", {("EVENTS", "default"): "2"}))
    approve(report(meta, tree.museum_b, "202401", {("EVENTS", "default"): "7"}))
    units = [tree.ministry, tree.dept_a, tree.dept_b, tree.museum_a]

    move(tree.museum_a, tree.dept_b, django_capture_on_commit_callbacks)

    for view in ("today", "as_reported"):
        assert values(meta, units, ["2024Q1"], view=view, elements=("EVENTS", "VISITORS", "NOTE")) == {
            ("EVENTS", "2024Q1", "BO", ""): 20, ("EVENTS", "2024Q1", "SO-A", ""): 2,
            ("EVENTS", "2024Q1", "SO-B", ""): 18, ("EVENTS", "2024Q1", "SO-A-BT", ""): 11,
            ("VISITORS", "2024Q1", "BO", ""): 8, ("VISITORS", "2024Q1", "SO-B", ""): 8,
            ("VISITORS", "2024Q1", "SO-A-BT", ""): 8,
        }
    assert values(meta, [tree.museum_a, tree.dept_b], ["202401"], elements=("NOTE",)) == {
        ("NOTE", "202401", "SO-A-BT", ""): 1}  # "none" stays at the unit that reported it
    assert_equal_to_a_rebuild()


def test_moving_a_subtree_touches_only_the_two_ancestor_chains(tree, meta, django_capture_on_commit_callbacks):
    approve(report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "5"}))
    approve(report(meta, tree.museum_b, "202401", {("EVENTS", "default"): "7"}))
    ministry_row = AggregateValue.objects.get(organisation=tree.ministry)
    museum_row = AggregateValue.objects.get(organisation=tree.museum_a)

    move(tree.dept_a, tree.agency, django_capture_on_commit_callbacks)

    assert AggregateValue.objects.get(pk=ministry_row.pk).total == 12  # shared ancestor: row left alone
    assert AggregateValue.objects.get(pk=museum_row.pk).total == 5
    got = values(meta, [tree.ministry, tree.agency, tree.dept_a, tree.dept_b], ["202401"])
    assert got == {("EVENTS", "202401", "BO", ""): 12, ("EVENTS", "202401", "CUC", ""): 5,
                   ("EVENTS", "202401", "SO-A", ""): 5, ("EVENTS", "202401", "SO-B", ""): 7}
    assert_equal_to_a_rebuild()


def test_a_move_carries_the_figures_of_closed_predecessors(tree, meta, django_capture_on_commit_callbacks):
    old = build_closed_department(tree)  # SO-C-2025, closed in 2025, today counted in SO-A
    approve(report(meta, old, "202401", {("EVENTS", "default"): "40"}))
    approve(report(meta, tree.dept_a, "202401", {("EVENTS", "default"): "2"}))

    move(tree.dept_a, tree.agency, django_capture_on_commit_callbacks)

    units = [tree.ministry, tree.agency, tree.dept_a, old]
    assert values(meta, units, ["2024"], view="today") == {
        ("EVENTS", "2024", "BO", ""): 42, ("EVENTS", "2024", "CUC", ""): 42, ("EVENTS", "2024", "SO-A", ""): 42}
    assert values(meta, units, ["2024"], view="as_reported") == {
        ("EVENTS", "2024", "BO", ""): 42, ("EVENTS", "2024", "CUC", ""): 2, ("EVENTS", "2024", "SO-A", ""): 2,
        ("EVENTS", "2024", "SO-C-2025", ""): 40}
    assert_equal_to_a_rebuild()


def test_a_closed_unit_counts_in_its_successor_today(tree, meta, django_capture_on_commit_callbacks):
    approve(report(meta, tree.museum_b, "202401", {("EVENTS", "default"): "7", ("NOTE", "default"): "3"}))
    approve(report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "5"}))

    close(tree.museum_b, [tree.museum_a], django_capture_on_commit_callbacks)  # closing today

    units = [tree.ministry, tree.dept_a, tree.dept_b, tree.museum_a, tree.museum_b]
    assert values(meta, units, ["202401"], view="today", elements=("EVENTS", "NOTE")) == {
        ("EVENTS", "202401", "BO", ""): 12, ("EVENTS", "202401", "SO-A", ""): 12,
        ("EVENTS", "202401", "SO-A-BT", ""): 12, ("NOTE", "202401", "SO-A-BT", ""): 3}
    assert values(meta, units, ["202401"], view="as_reported", elements=("EVENTS", "NOTE")) == {
        ("EVENTS", "202401", "BO", ""): 12, ("EVENTS", "202401", "SO-A", ""): 5,
        ("EVENTS", "202401", "SO-A-BT", ""): 5, ("EVENTS", "202401", "SO-B", ""): 7,
        ("EVENTS", "202401", "SO-B-BT", ""): 7, ("NOTE", "202401", "SO-B-BT", ""): 3}
    assert_equal_to_a_rebuild()


def test_closing_a_successor_passes_its_predecessors_on(tree, meta, django_capture_on_commit_callbacks):
    old = build_closed_department(tree)  # counted in SO-A today
    approve(report(meta, old, "202401", {("EVENTS", "default"): "40"}))
    approve(report(meta, tree.dept_a, "202401", {("EVENTS", "default"): "2"}))
    approve(report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "5"}))

    move(tree.museum_a, tree.dept_b, django_capture_on_commit_callbacks)
    close(tree.dept_a, [tree.dept_b], django_capture_on_commit_callbacks, on=date(2030, 12, 31))

    # A closure dated ahead counts from when it is recorded, like the unit lists of the "today" view.
    units = [tree.ministry, tree.dept_a, tree.dept_b, old]
    assert values(meta, units, ["2024"], view="today") == {
        ("EVENTS", "2024", "BO", ""): 47, ("EVENTS", "2024", "SO-B", ""): 47}
    assert values(meta, units, ["2024"], view="as_reported") == {
        ("EVENTS", "2024", "BO", ""): 47, ("EVENTS", "2024", "SO-A", ""): 2, ("EVENTS", "2024", "SO-B", ""): 5,
        ("EVENTS", "2024", "SO-C-2025", ""): 40}
    assert_equal_to_a_rebuild()
    assert aggregates_follow_units(organisation_ids=[tree.dept_a.pk, old.pk])["reports"] == 0  # already in place


def test_a_day_of_workflow_and_reorganisation_equals_a_full_rebuild(tree, meta, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    old = build_closed_department(tree)
    museum_c = make_org("SO-B-BT2", parent=tree.dept_b, kind=Organisation.Kind.MUSEUM)
    dept_d = make_org("SO-D", parent=tree.ministry)
    rng = random.Random(11)
    units = [tree.dept_a, tree.museum_a, tree.dept_b, tree.museum_b, museum_c, dept_d, old, tree.agency]
    subs = []
    for unit in units:
        for month in ("202312", "202401", "202402"):
            cells = {("EVENTS", "default"): rng.randint(0, 50), ("RATE", "default"): f"{rng.uniform(0, 100):.2f}",
                     ("STOCK", "default"): rng.randint(0, 9), ("NOTE", "default"): rng.randint(0, 9),
                     ("VISITORS", "SEX_M"): rng.randint(0, 99), ("VISITORS", "SEX_F"): rng.randint(0, 99)}
            subs.append(report(meta, unit, month, cells, status=S.SUBMITTED))
    for sub in subs:
        approve(sub)
    for sub in rng.sample(subs, 6):
        set_status(sub, S.RETURNED)
        aggregates_apply_submission(submission_id=sub.pk)

    move(tree.museum_a, dept_d, capture)
    move(tree.dept_b, tree.agency, capture)
    close(museum_c, [tree.museum_b], capture)
    move(tree.museum_b, dept_d, capture)
    close(tree.dept_a, [dept_d], capture)  # SO-C-2025 (counted in SO-A) now counts in SO-D
    for sub in rng.sample(subs, 6):  # approvals go on in the new tree
        approve(sub)

    assert values(meta, [tree.ministry], ["2024Q1"]) == values(meta, [tree.ministry], ["2024Q1"], view="as_reported")
    assert_equal_to_a_rebuild()
