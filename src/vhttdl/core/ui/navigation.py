"""The main navigation: each module's entry and the action that shows it. Named here, in order."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from vhttdl.core.accounts.roles import Action


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str | None  # None: every signed-in person; "staff": Django admin users
    section: str  # matched against the first part of the request path to mark the current page


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Trang chủ"), "ui:home", None, ""),
    NavItem(_("Đơn vị"), "units:tree", Action.UNITS_VIEW, "units"),
    NavItem(_("Người dùng"), "accounts:people", Action.ACCOUNTS_VIEW, "accounts"),
    NavItem(_("Báo cáo"), "reporting:index", Action.REPORTING_VIEW, "reporting"),
    NavItem(_("Di sản văn hóa"), "heritage:manage_home", Action.HERITAGE_EDIT, "heritage"),
    NavItem(_("Bản đồ di sản"), "heritage:portal-map", None, "heritage-map"),  # the public portal
    NavItem(_("Nhật ký"), "audit:list", Action.AUDIT_VIEW, "audit"),
    NavItem(_("Danh mục"), "admin:index", "staff", "admin"),
]
