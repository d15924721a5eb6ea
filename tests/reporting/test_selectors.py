from datetime import date

import pytest

from tests.core.factories import current_version, make_org, person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.core.units.models import Organisation
from vhttdl.reporting import completeness, selectors
from vhttdl.reporting.periods import period_for_code
from vhttdl.reporting.services import metadata, submission_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(tree):
    """SO-A-2025 (closed 30 Jun 2025) became SO-A; SO-A itself exists from 1 Jul 2025."""
    old = make_org("SO-A-2025", parent=tree.ministry, area=tree.area_a, valid_to=date(2025, 6, 30))
    old.successors.add(tree.dept_a)
    tree.dept_a.valid_from = date(2025, 7, 1)
    tree.dept_a.save()
    return old


def test_expected_submitters_follow_the_merger(tree, merged):
    form = make_form(kinds=(Organisation.Kind.DEPARTMENT,)).form
    june, july = period_for_code("202506"), period_for_code("202507")
    assert set(selectors.expected_submitters(form, june).values_list("code", flat=True)) == {"SO-A-2025", "SO-B"}
    assert set(selectors.expected_submitters(form, july).values_list("code", flat=True)) == {"SO-A", "SO-B"}


def test_excluded_units_do_not_submit(tree):
    form = make_form().form
    metadata.form_save(actor=SYSTEM, form=form, excluded_units=[tree.museum_b])
    assert not selectors.submits(form, tree.museum_b) and selectors.submits(form, tree.museum_a)
    assert "SO-B-BT" not in selectors.expected_submitters(form, period_for_code("202501")).values_list(
        "code", flat=True
    )


def test_form_layout_cells(tree):
    version = make_form().version
    layout = selectors.form_layout(version)
    assert [s.title for s in layout.sections] == ["I. Khách", "II. Hiện vật"]
    assert ("VISITS", "INTL") in layout.cell_keys() and ("HELD", "default") in layout.cell_keys()
    assert len(layout.cells()) == 6


def test_my_reports_lists_own_units_only(tree):
    make_form()
    staff = person(Role.UNIT_STAFF, tree.museum_a)
    rows = selectors.my_reports(actor=staff, today=date(2025, 3, 10))
    assert {(r.organisation.code, r.period.code) for r in rows} == {
        ("SO-A-BT", "202503"),
        ("SO-A-BT", "202502"),
        ("SO-A-BT", "202501"),
    }
    assert all(r.submission is None for r in rows)
    assert rows[0].deadline == date(2025, 4, 21)  # the 20th is a Sunday: the next working day


def test_completeness_rates_by_level(tree):
    form = make_form().form
    on_time = filled_submission(form, tree.museum_a, "202501")
    on_time.deadline = date(2100, 1, 1)  # submitted today, well before its deadline
    on_time.save()
    submission_submit(actor=SYSTEM, submission=on_time, version=current_version(on_time))
    filled_submission(form, tree.dept_a, "202501")  # a draft does not count
    late = filled_submission(form, tree.museum_b, "202501")
    late.deadline = date(2000, 1, 1)
    late.save()
    submission_submit(actor=SYSTEM, submission=late, version=current_version(late))
    periods = [period_for_code("202501"), period_for_code("202502")]
    report = completeness.completeness(actor=SYSTEM, form=form, periods=periods)
    assert (report.national.expected, report.national.submitted, report.national.on_time) == (8, 2, 1)
    assert report.by_period[0].rate == 50.0 and report.by_period[1].rate == 0.0
    by_department = {r.label: (r.expected, r.submitted) for r in report.by_department}
    assert by_department == {"Sở An": (4, 1), "Sở Bình": (4, 1)}
    cells = {row.organisation.code: row.cells[0] for row in report.rows}
    assert cells["SO-B-BT"].is_late and cells["SO-B-BT"].css == "m-submitted m-late"
    assert cells["SO-A"].status == "draft" and cells["SO-B"].status == "missing"
    scoped = completeness.completeness(actor=person(Role.DEPARTMENT_OFFICER, tree.dept_a), form=form, periods=periods)
    assert {r.organisation.code for r in scoped.rows} == {"SO-A", "SO-A-BT"}
