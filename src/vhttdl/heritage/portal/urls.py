"""The public portal's pages, included at the root of `heritage/urls.py` (namespace "heritage")."""

from __future__ import annotations

from django.urls import path

from vhttdl.heritage.portal import views

urlpatterns = [
    path("", views.map_page, name="portal-map"),
    path("festivals/", views.festival_calendar, name="portal-festivals"),
    path("sites/<str:code>/", views.site_page, name="portal-site"),
    path("sites/<str:code>/qr.svg", views.site_qr_svg, name="portal-qr-svg"),
    path("sites/<str:code>/qr.pdf", views.site_qr_pdf, name="portal-qr-pdf"),
]
