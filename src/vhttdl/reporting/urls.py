"""Pages of the reporting system, mounted at /reporting/. Sub-apps (analytics, forwarding) add theirs here."""

from django.urls import path  # noqa: F401  (routes are added below as the pages land)

app_name = "reporting"

urlpatterns: list = []
