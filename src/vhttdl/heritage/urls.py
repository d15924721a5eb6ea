"""Heritage URLs, mounted at /heritage/: the back office under manage/ (the public portal adds its pages here)."""

from __future__ import annotations

from django.urls import include, path

app_name = "heritage"

urlpatterns = [
    path("manage/", include("vhttdl.heritage.backoffice.urls")),
    path("", include("vhttdl.heritage.portal.urls")),  # the public portal: map, sites, festivals, QR
]
