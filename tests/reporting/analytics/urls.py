"""The project's URLs, with /reporting/ mounted if the project does not mount it (yet)."""

from django.urls import include, path

from vhttdl.config.urls import *  # noqa: F403
from vhttdl.config.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "reporting" for p in urlpatterns):
    urlpatterns.append(path("reporting/", include("vhttdl.reporting.urls")))
