from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingAnalyticsConfig(AppConfig):
    name = "vhttdl.reporting.analytics"
    label = "reporting_analytics"
    verbose_name = _("Phân tích số liệu báo cáo")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vhttdl.core.units.signals import organisation_closed, organisation_moved
        from vhttdl.reporting.analytics import receivers

        organisation_moved.connect(receivers.on_organisation_moved, dispatch_uid="analytics_follow_move")
        organisation_closed.connect(receivers.on_organisation_closed, dispatch_uid="analytics_follow_close")
