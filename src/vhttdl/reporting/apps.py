from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "vhttdl.reporting"
    label = "reporting"
    verbose_name = _("Hệ thống thông tin báo cáo")

    def ready(self) -> None:
        from vhttdl.reporting import layout_cache

        layout_cache.connect()
