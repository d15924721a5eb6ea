from django.urls import path

from vhttdl.core.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entries, name="list"),
    path("export.<str:fmt>", views.export, name="export"),
]
