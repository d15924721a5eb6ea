"""Roles and the actions each may take, in one table a person can read.

A role is granted at an organisation unit and covers that unit's subtree. Which objects an
action reaches is decided in `policy.py`; modules add object rules (a locked report, a
published record) in their own `permissions.py`, on top of these.
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


class Action:
    """Every action the policy knows. Strings, so API errors and audit entries can name them."""

    UNITS_VIEW = "units.view"
    UNITS_MANAGE = "units.manage"
    ACCOUNTS_VIEW = "accounts.view"
    ACCOUNTS_MANAGE = "accounts.manage"
    AUDIT_VIEW = "audit.view"

    REPORTING_VIEW = "reporting.view"
    REPORTING_ENTER = "reporting.enter"
    REPORTING_APPROVE = "reporting.approve"
    REPORTING_ACCEPT = "reporting.accept"
    REPORTING_DESIGN = "reporting.design"

    HERITAGE_VIEW = "heritage.view"
    HERITAGE_EDIT = "heritage.edit"
    HERITAGE_PUBLISH = "heritage.publish"

    SERVICES_APPLY = "services.apply"


_STAFF_VIEW = {Action.UNITS_VIEW, Action.REPORTING_VIEW, Action.HERITAGE_VIEW}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        v for k, v in vars(Action).items() if k.isupper() and isinstance(v, str)
    ),
    Role.MINISTRY_LEADER: frozenset(
        _STAFF_VIEW
        | {Action.ACCOUNTS_VIEW, Action.AUDIT_VIEW, Action.REPORTING_APPROVE, Action.REPORTING_ACCEPT,
           Action.HERITAGE_PUBLISH}
    ),
    Role.MINISTRY_OFFICER: frozenset(
        _STAFF_VIEW
        | {Action.ACCOUNTS_VIEW, Action.REPORTING_ENTER, Action.REPORTING_DESIGN, Action.REPORTING_ACCEPT,
           Action.HERITAGE_EDIT, Action.HERITAGE_PUBLISH}
    ),
    Role.DEPARTMENT_LEADER: frozenset(
        _STAFF_VIEW
        | {Action.ACCOUNTS_VIEW, Action.AUDIT_VIEW, Action.REPORTING_ENTER, Action.REPORTING_APPROVE,
           Action.HERITAGE_EDIT, Action.HERITAGE_PUBLISH}
    ),
    Role.DEPARTMENT_OFFICER: frozenset(
        _STAFF_VIEW | {Action.ACCOUNTS_VIEW, Action.REPORTING_ENTER, Action.HERITAGE_EDIT}
    ),
    Role.UNIT_STAFF: frozenset(_STAFF_VIEW | {Action.REPORTING_ENTER, Action.HERITAGE_EDIT}),
    Role.APPLICANT: frozenset({Action.SERVICES_APPLY}),
}

# Roles that may only be granted at the Ministry (the root of the tree) or at a department.
MINISTRY_ROLES = frozenset({Role.MINISTRY_LEADER, Role.MINISTRY_OFFICER})
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_LEADER, Role.DEPARTMENT_OFFICER})


def actions_of(role: str) -> frozenset[str]:
    return ROLE_ACTIONS.get(role, frozenset())
