from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "vhttdl.core.outbox"
    label = "outbox"
    verbose_name = _("Hộp thư đi (gửi sang hệ thống khác)")
    default_auto_field = "django.db.models.BigAutoField"
