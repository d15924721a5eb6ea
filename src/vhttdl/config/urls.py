from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from vhttdl.config.api import api
from vhttdl.core.files import views as files_views
from vhttdl.core.ui import views as ui_views

admin.site.site_header = _("Quản trị VHTTDL")
admin.site.site_title = "VHTTDL"
admin.site.index_title = _("Dữ liệu danh mục")

urlpatterns = [
    path("", include("vhttdl.portal.urls")),  # `/`: the public landing page, or the staff home when signed in
    path("", include("vhttdl.core.ui.urls")),
    path("accounts/", include("vhttdl.core.accounts.urls")),
    path("units/", include("vhttdl.core.units.urls")),
    path("audit/", include("vhttdl.core.audit.urls")),
    path("search/", include("vhttdl.core.search.urls")),
    path("outbox/", include("vhttdl.core.outbox.urls")),
    path("heritage/", include("vhttdl.heritage.urls")),
    path("reporting/", include("vhttdl.reporting.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", ui_views.healthz, name="healthz"),
]

if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", files_views.media, name="media"))

handler403 = "vhttdl.core.ui.views.error_403"
handler404 = "vhttdl.core.ui.views.error_404"
handler500 = "vhttdl.core.ui.views.error_500"
