"""Moves and closures are announced once committed, never when refused, and a failing listener is harmless."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from tests.core.factories import current_version
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.errors import InvalidInput
from vhttdl.core.units import services
from vhttdl.core.units.models import Organisation
from vhttdl.core.units.signals import organisation_closed, organisation_moved

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    events: list[tuple[str, dict]] = []

    def on_moved(sender, **kwargs):
        events.append(("moved", {k: v for k, v in kwargs.items() if k != "signal"}))

    def on_closed(sender, **kwargs):
        events.append(("closed", {k: v for k, v in kwargs.items() if k != "signal"}))

    organisation_moved.connect(on_moved, dispatch_uid="test_heard_moved")
    organisation_closed.connect(on_closed, dispatch_uid="test_heard_closed")
    yield events
    organisation_moved.disconnect(dispatch_uid="test_heard_moved")
    organisation_closed.disconnect(dispatch_uid="test_heard_closed")


def test_a_move_is_announced_after_commit_with_both_paths(tree, heard, django_capture_on_commit_callbacks):
    old_path = tree.dept_a.path
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.organisation_move(actor=SYSTEM, organisation=tree.dept_a, new_parent=tree.agency,
                                   version=current_version(tree.dept_a))
        assert heard == []  # nothing before the commit
    assert len([c for c in callbacks if "announce" in c.__qualname__]) == 1  # one announcement
    new_path = Organisation.objects.get(pk=tree.dept_a.pk).path
    assert heard == [("moved", {"organisation_id": tree.dept_a.pk, "old_path": old_path, "new_path": new_path})]
    assert new_path.startswith(tree.agency.path) and new_path != old_path


def test_a_closure_is_announced_with_date_and_successors(tree, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_close(actor=SYSTEM, organisation=tree.museum_b, on=date(2025, 6, 30),
                                    successors=[tree.museum_a], version=current_version(tree.museum_b))
    assert heard == [("closed", {"organisation_id": tree.museum_b.pk, "valid_to": date(2025, 6, 30),
                                 "successor_ids": [tree.museum_a.pk]})]


def test_refused_changes_announce_nothing(tree, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(InvalidInput):
            services.organisation_move(actor=SYSTEM, organisation=tree.dept_a, new_parent=tree.museum_a,
                                       version=current_version(tree.dept_a))
        with pytest.raises(InvalidInput):
            services.organisation_close(actor=SYSTEM, organisation=tree.dept_b,
                                        version=current_version(tree.dept_b))  # its museum is open
    assert callbacks == [] and heard == []


def test_a_failing_listener_is_logged_and_the_move_stands(tree, heard, caplog, django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("listener down")

    organisation_moved.connect(broken, dispatch_uid="test_broken")
    try:
        with caplog.at_level(logging.ERROR, logger="vhttdl.core.units.signals"):
            with django_capture_on_commit_callbacks(execute=True):
                services.organisation_move(actor=SYSTEM, organisation=tree.museum_a, new_parent=tree.dept_b,
                                           version=current_version(tree.museum_a))
    finally:
        organisation_moved.disconnect(dispatch_uid="test_broken")
    assert Organisation.objects.get(pk=tree.museum_a.pk).parent_id == tree.dept_b.pk
    assert [kind for kind, _kw in heard] == ["moved"]  # the other listeners still heard it
    assert "listener down" in caplog.text
