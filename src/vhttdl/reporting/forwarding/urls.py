from django.urls import path

from vhttdl.reporting.forwarding import views

app_name = "forwarding"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("stand-in/national-reporting/", views.stand_in_receive, name="stand_in"),
]
