"""The front door: mounted at the root, before the shell's own home page (config/urls.py)."""

from __future__ import annotations

from django.urls import path

from vhttdl.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.front_door, name="front-door"),
    path("portal/", views.landing, name="landing"),  # the same page for signed-in people who want it
]
