from django.urls import path

from vhttdl.core.ui import views

app_name = "ui"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
]
