from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingAnalyticsConfig(AppConfig):
    name = "vhttdl.reporting.analytics"
    label = "reporting_analytics"
    verbose_name = _("Phân tích số liệu báo cáo")
    default_auto_field = "django.db.models.BigAutoField"
