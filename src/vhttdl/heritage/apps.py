from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HeritageConfig(AppConfig):
    name = "vhttdl.heritage"
    label = "heritage"
    verbose_name = _("Di sản văn hóa")
