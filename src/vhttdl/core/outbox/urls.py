from django.urls import path

from vhttdl.core.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.message_list_page, name="list"),
    path("<int:pk>/", views.message_detail, name="detail"),
    path("<int:pk>/retry/", views.message_retry, name="retry"),
]
