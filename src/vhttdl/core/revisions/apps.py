from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevisionsConfig(AppConfig):
    name = "vhttdl.core.revisions"
    label = "revisions"
    verbose_name = _("Phiên bản bản ghi")
