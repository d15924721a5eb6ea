"""What the reporting information system adds to the platform."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vhttdl.core.accounts.roles import Role
from vhttdl.core.modules import HomeCard, Module, NavEntry
from vhttdl.reporting.actions import ReportingAction as A


def home_cards(*, actor: Any) -> list[HomeCard]:
    from vhttdl.reporting.selectors import home_cards as reporting_home_cards

    return reporting_home_cards(actor=actor)


MODULE = Module(
    label="reporting",
    actions={
        A.VIEW: _("Xem báo cáo"),
        A.ENTER: _("Nhập và nộp báo cáo"),
        A.APPROVE: _("Duyệt báo cáo"),
        A.ACCEPT: _("Tiếp nhận báo cáo"),
        A.DESIGN: _("Thiết kế biểu mẫu báo cáo"),
    },
    role_actions={
        Role.MINISTRY_LEADER: frozenset({A.VIEW, A.APPROVE, A.ACCEPT}),
        Role.MINISTRY_OFFICER: frozenset({A.VIEW, A.ENTER, A.DESIGN, A.ACCEPT}),
        Role.DEPARTMENT_LEADER: frozenset({A.VIEW, A.ENTER, A.APPROVE}),
        Role.DEPARTMENT_OFFICER: frozenset({A.VIEW, A.ENTER}),
        Role.UNIT_STAFF: frozenset({A.VIEW, A.ENTER}),
    },
    navigation=(NavEntry(_("Báo cáo"), "reporting:index", A.VIEW, "reporting", order=30),),
    home_cards=(home_cards,),
    api_routers=(
        ("/reporting", "vhttdl.reporting.api.router"),
        # DHIS2-compatible paths live at the API root: /api/v1/dataValueSets.
        ("/", "vhttdl.reporting.exchange.api.router"),
    ),
    audit_actions={
        "reporting.submission_create": pgettext_lazy("audit action", "Lập báo cáo"),
        "reporting.values_save": pgettext_lazy("audit action", "Nhập số liệu báo cáo"),
        "reporting.submission_submit": pgettext_lazy("audit action", "Nộp báo cáo"),
        "reporting.submission_approve": pgettext_lazy("audit action", "Duyệt báo cáo"),
        "reporting.submission_accept": pgettext_lazy("audit action", "Bộ tiếp nhận báo cáo"),
        "reporting.submission_return": pgettext_lazy("audit action", "Trả lại báo cáo"),
        "reporting.submission_reopen": pgettext_lazy("audit action", "Mở lại báo cáo để sửa"),
        "reporting.reminder": pgettext_lazy("audit action", "Nhắc hạn nộp báo cáo"),
        "reporting.datavalues_import": pgettext_lazy("audit action", "Nhập số liệu từ tệp trao đổi (DHIS2)"),
        "reporting.forward.enqueue": pgettext_lazy("audit action", "Xếp hàng gửi Hệ thống báo cáo Chính phủ"),
        "reporting.forward.retry": pgettext_lazy("audit action", "Gửi lại Hệ thống báo cáo Chính phủ"),
        "reporting.form_save": pgettext_lazy("audit action", "Lưu biểu mẫu"),
        "reporting.form_layout_save": pgettext_lazy("audit action", "Lưu bố cục biểu mẫu"),
        "reporting.form_version_publish": pgettext_lazy("audit action", "Phát hành phiên bản biểu mẫu"),
        "reporting.data_element_save": pgettext_lazy("audit action", "Lưu chỉ tiêu"),
        "reporting.category_save": pgettext_lazy("audit action", "Lưu phân tổ"),
        "reporting.combo_save": pgettext_lazy("audit action", "Lưu tổ hợp phân tổ"),
        "reporting.validation_rule_save": pgettext_lazy("audit action", "Lưu quy tắc kiểm tra"),
        "reporting.validation_rule_delete": pgettext_lazy("audit action", "Xóa quy tắc kiểm tra"),
        "reporting.demo_load": pgettext_lazy("audit action", "Nạp số liệu mẫu"),
    },
)
