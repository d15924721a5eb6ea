from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingForwardingConfig(AppConfig):
    name = "vhttdl.reporting.forwarding"
    label = "reporting_forwarding"
    verbose_name = _("Gửi báo cáo lên Hệ thống thông tin báo cáo Chính phủ")
    default_auto_field = "django.db.models.BigAutoField"
