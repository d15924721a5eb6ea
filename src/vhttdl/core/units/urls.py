from django.urls import path

from vhttdl.core.units import views

app_name = "units"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<str:code>/", views.detail, name="detail"),
]
