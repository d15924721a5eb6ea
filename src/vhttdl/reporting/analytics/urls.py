from django.urls import path

from vhttdl.reporting.analytics import views

app_name = "analytics"
urlpatterns = [path("", views.pivot, name="pivot")]
