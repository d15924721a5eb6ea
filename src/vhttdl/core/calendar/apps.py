from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "vhttdl.core.calendar"
    label = "calendar"
    verbose_name = _("Lịch ngày làm việc")
    default_auto_field = "django.db.models.BigAutoField"
