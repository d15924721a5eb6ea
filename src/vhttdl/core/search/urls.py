from django.urls import path

from vhttdl.core.search import views

app_name = "search"
urlpatterns = [path("", views.page, name="page")]
