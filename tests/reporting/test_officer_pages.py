"""The officer's pages stay cheap: a bounded number of queries whatever the size of the report, the
matrix or the pivot (bench/load.py measures their speed), and the stored grid layout is never stale."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.core.factories import make_org, person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting import layout_cache, permissions
from vhttdl.reporting.models import CategoryOptionCombo, DataElement, FormVersion
from vhttdl.reporting.services import CellInput, metadata

pytestmark = pytest.mark.django_db

# Session, user, the report, grants, predecessors, values, who acts next, forwarding, history.
GRID_QUERIES = 9
# Once per form version and metadata generation: elements, option combos, their options, the combos'
# categories, and the form's validation rules.
LAYOUT_QUERIES = 5


@pytest.fixture
def form(tree):
    return make_form().form


def _publish(version):
    if version.status == FormVersion.Status.DRAFT:  # a version no report uses yet is edited in place
        metadata.form_version_publish(actor=SYSTEM, version=version)


def _grid(client, submission):
    return client.get(reverse("reporting:submission", args=[submission.pk]))


def test_report_grid_reads_its_layout_once(client, tree, form, django_assert_max_num_queries):
    submission = filled_submission(form, tree.museum_a)
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    with django_assert_max_num_queries(GRID_QUERIES + LAYOUT_QUERIES):
        first = _grid(client, submission)
    with django_assert_max_num_queries(GRID_QUERIES):
        again = _grid(client, submission)
    assert first.status_code == again.status_code == 200
    assert first.content.decode().count('class="cell-td"') == 6


def test_report_grid_queries_do_not_grow_with_the_form(client, tree, form, django_assert_max_num_queries):
    """A form twice as long, with a second report and more history, reads no more."""
    metadata.data_element_save(actor=SYSTEM, code="ROOMS", name="Số phòng")
    metadata.data_element_save(actor=SYSTEM, code="BEDS", name="Số giường")
    version = metadata.form_layout_save(actor=SYSTEM, form=form, layout={"sections": [
        {"title": "I", "rows": [{"element": c} for c in ("VISITS", "REVENUE", "RATE", "ROOMS")]},
        {"title": "II", "rows": [{"element": c} for c in ("HELD", "DIGITISED", "BEDS")]},
    ]})
    _publish(version)
    filled_submission(form, tree.museum_a, period_code="202412")
    submission = filled_submission(form, tree.museum_a)
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    _grid(client, submission)
    with django_assert_max_num_queries(GRID_QUERIES):
        page = _grid(client, submission)
    assert page.content.decode().count('class="cell-td"') == 8


def test_the_grid_shows_a_renamed_indicator_or_option_at_once(client, tree, form):
    submission = filled_submission(form, tree.museum_a)
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    assert "Lượt khách – Quốc tế" in _grid(client, submission).content.decode()
    metadata.data_element_save(actor=SYSTEM, element=DataElement.objects.get(code="VISITS"), name="Lượt du khách")
    assert 'aria-label="Lượt du khách – Quốc tế"' in _grid(client, submission).content.decode()
    column = CategoryOptionCombo.objects.get(code="INTL")  # as the admin renames a column
    column.name = "Khách quốc tế"
    column.save()
    html = _grid(client, submission).content.decode()
    assert 'aria-label="Lượt du khách – Khách quốc tế"' in html and "Lượt khách –" not in html


def test_the_grid_checks_a_new_or_changed_rule_at_once(client, tree, form):
    submission = filled_submission(form, tree.museum_a)
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    assert "Doanh thu quá thấp" not in _grid(client, submission).content.decode()
    rule = metadata.validation_rule_save(actor=SYSTEM, form=form, code="DOANH_THU", left="#{REVENUE}", operator=">=",
                                         right="100", importance="warning", message="Doanh thu quá thấp")
    assert "Doanh thu quá thấp" in _grid(client, submission).content.decode()
    metadata.validation_rule_delete(actor=SYSTEM, rule=rule)
    assert "Doanh thu quá thấp" not in _grid(client, submission).content.decode()


def test_metadata_generation_moves_on_save_and_again_on_commit(tree, form, django_capture_on_commit_callbacks):
    before = layout_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        DataElement.objects.filter(code="HELD").get().save()
        during = layout_cache.generation()
    after = layout_cache.generation()
    assert before < during < after  # a read between the save and its commit is not kept past the commit


def test_each_form_version_has_its_own_layout(client, tree, form):
    submission = filled_submission(form, tree.museum_a)
    other = make_form("T.02").form
    version = metadata.form_layout_save(actor=SYSTEM, form=other, layout={"sections": [
        {"title": "Chỉ một mục", "rows": [{"element": "HELD"}]}]})
    _publish(version)
    second = filled_submission(other, tree.museum_a, cells=[CellInput("HELD", "default", "5")])
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    assert "I. Khách" in _grid(client, submission).content.decode()
    html = _grid(client, second).content.decode()
    assert "Chỉ một mục" in html and "I. Khách" not in html and html.count('class="cell-td"') == 1


def test_cells_are_editable_only_for_the_unit_that_enters_them(client, tree, form):
    submission = filled_submission(form, tree.museum_a, cells=None)
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    own = _grid(client, submission).content.decode()
    assert 'id="c-0-VISITS-INTL" name="v:VISITS:INTL" value="120"' in own
    assert 'autocomplete="off">' in own and " readonly" not in own
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    theirs = _grid(client, submission).content.decode()
    assert theirs.count('autocomplete="off" readonly>') == 6 and theirs.count('data-comment-for="c-0-') == 4


def test_completeness_queries_do_not_grow_with_units_or_periods(client, tree, form, django_assert_max_num_queries):
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    query = {"form": "T.01", "from": "202401", "to": "202412"}
    for code in ("202401", "202402"):
        filled_submission(form, tree.museum_a, period_code=code)
    client.get(reverse("reporting:completeness"), query)  # the periods not stored yet are made once
    with django_assert_max_num_queries(9):  # 8, and one for the units the page can look under
        client.get(reverse("reporting:completeness"), query)
    for index in range(6):
        museum = make_org(f"SO-B-BT{index}", parent=tree.dept_b, kind="museum", area=tree.area_b)
        for code in ("202403", "202404", "202405"):
            filled_submission(form, museum, period_code=code)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("reporting:completeness"), query)
    html = page.content.decode()
    assert html.count('<td class="m m-') == 10 * 12 and html.count('<td class="m m-draft">') == 2 + 6 * 3


def test_completeness_counts_units_under_their_department(client, tree, form):
    filled_submission(form, tree.museum_a, period_code="202401")
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    html = client.get(reverse("reporting:completeness"), {"form": "T.01", "from": "202401", "to": "202401"}
                      ).content.decode()
    by_department = html.split("Theo Sở", 1)[1].split("</table>", 1)[0]
    assert '<td class="small">Sở An</td><td class="num">0/2</td>' in by_department  # the department and its museum
    assert '<td class="small">Sở Bình</td><td class="num">0/2</td>' in by_department


# --- who sees what: the predecessors of a granted unit -----------------------------------------


def test_view_reaches_five_predecessors_back_and_no_further(tree):
    later = tree.dept_a
    chain = []
    for step in range(6):
        earlier = make_org(f"SO-OLD{step}", parent=tree.ministry, valid_to=date(2025 - step, 6, 30))
        earlier.successors.add(later)
        chain.append(earlier)
        later = earlier
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    paths = permissions.view_paths(officer)
    assert paths == sorted([tree.dept_a.path, *(u.path for u in chain[:5])])
    assert chain[5].path not in paths


def test_view_follows_a_merger_loop_once(tree):
    """A unit recorded as both predecessor and successor of another (a data entry slip) ends."""
    old = make_org("SO-X-2025", parent=tree.ministry, valid_to=date(2025, 6, 30))
    old.successors.add(tree.dept_a)
    tree.dept_a.successors.add(old)
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    assert sorted(permissions.view_paths(officer)) == sorted([tree.dept_a.path, old.path])
