"""Pages of the reporting system, mounted at /reporting/. Sub-apps (analytics, forwarding) add theirs here."""

from django.urls import path  # noqa: F401  (routes are added below as the pages land)

app_name = "reporting"

urlpatterns: list = []

# Sub-apps: analytics (pivot) and forwarding to the national system (R2).
from django.urls import include  # noqa: E402

urlpatterns += [
    path("analytics/", include("vhttdl.reporting.analytics.urls")),
    path("forwarding/", include("vhttdl.reporting.forwarding.urls")),
]
