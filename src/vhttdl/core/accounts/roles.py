"""Roles, and the actions each may take, in one table a person can read.

A role is granted at an organisation unit and covers that unit's subtree. The roles are core's;
the actions come from the modules (`module.py` of each app, collected by `core.modules`): each
says which of its actions each role holds, and the system administrator holds every action of
every module. Which objects an action reaches is decided in `policy.py`; apps add object rules
(a locked report, a published record) in their own `permissions.py`, on top of these.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    MINISTRY_LEADER = "ministry_leader", _("Lãnh đạo Bộ")
    MINISTRY_OFFICER = "ministry_officer", _("Chuyên viên Bộ")
    DEPARTMENT_LEADER = "department_leader", _("Lãnh đạo Sở")
    DEPARTMENT_OFFICER = "department_officer", _("Chuyên viên Sở")
    UNIT_STAFF = "unit_staff", _("Cán bộ đơn vị")
    APPLICANT = "applicant", _("Người nộp hồ sơ")


# Every role that works inside the tree (all but applicants, who have their own accounts).
STAFF_ROLES = frozenset(set(Role) - {Role.APPLICANT})


class Action:
    """The actions of core's own apps. Each app keeps its actions in its own `actions.py`."""

    UNITS_VIEW = "units.view"
    UNITS_MANAGE = "units.manage"
    ACCOUNTS_VIEW = "accounts.view"
    ACCOUNTS_MANAGE = "accounts.manage"
    AUDIT_VIEW = "audit.view"


# Roles that may only be granted at the Ministry (the root of the tree) or at a department.
MINISTRY_ROLES = frozenset({Role.MINISTRY_LEADER, Role.MINISTRY_OFFICER})
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_LEADER, Role.DEPARTMENT_OFFICER})


def all_actions() -> frozenset[str]:
    from vhttdl.core.modules import registry

    return frozenset(registry.all_actions())


def actions_of(role: str) -> frozenset[str]:
    """The actions `role` holds, from every installed module."""
    from vhttdl.core.modules import registry

    if role == Role.SYSTEM_ADMIN:
        return all_actions()
    return registry.role_actions().get(str(role), frozenset())


def role_table() -> dict[str, frozenset[str]]:
    """Role → actions, for every role (the table a person reads on the people page and in docs)."""
    return {role: actions_of(role) for role in Role}
