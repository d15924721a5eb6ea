"""Back-office URLs, included under /heritage/manage/ (namespace "heritage", names "manage_*")."""

from __future__ import annotations

from django.urls import path, re_path

from vhttdl.heritage.backoffice import views

KIND = r"(?P<kind>sites|intangible|festivals)"

urlpatterns = [
    path("", views.home, name="manage_home"),
    path("sites/", views.record_list, {"kind": "sites"}, name="manage_sites"),
    path("import/", views.import_upload, name="manage_import"),
    path("import/sample.csv", views.sample_file, name="manage_import_sample"),
    path("import/<int:pk>/", views.import_report, name="manage_import_report"),
    path("import/<int:pk>/commit/", views.import_commit, name="manage_import_commit"),
    re_path(r"^sites/export\.(?P<fmt>csv|xlsx|geojson)$", views.sites_export, name="manage_sites_export"),
    path("sites/<int:pk>/translation/", views.site_translation, name="manage_site_translation"),
    path("sites/<int:pk>/decisions/", views.site_decision, name="manage_site_decision"),
    path("sites/<int:pk>/decisions/<int:decision_pk>/remove/", views.site_decision_remove,
         name="manage_site_decision_remove"),
    path("intangible/<int:pk>/inscriptions/", views.intangible_inscription, name="manage_intangible_inscription"),
    path("media/<int:pk>/delete/", views.media_delete, name="manage_media_delete"),
    re_path(rf"^{KIND}/$", views.record_list, name="manage_list"),
    re_path(rf"^{KIND}/new/$", views.record_create, name="manage_create"),
    re_path(rf"^{KIND}/(?P<pk>[0-9]+)/$", views.record_detail, name="manage_detail"),
    re_path(rf"^{KIND}/(?P<pk>[0-9]+)/edit/$", views.record_edit, name="manage_edit"),
    re_path(rf"^{KIND}/(?P<pk>[0-9]+)/publish/$", views.record_publish, name="manage_publish"),
    re_path(rf"^{KIND}/(?P<pk>[0-9]+)/unpublish/$", views.record_unpublish, name="manage_unpublish"),
    re_path(rf"^{KIND}/(?P<pk>[0-9]+)/delete/$", views.record_delete, name="manage_delete"),
    re_path(rf"^{KIND}/(?P<pk>[0-9]+)/media/$", views.media_add, name="manage_media_add"),
    re_path(rf"^{KIND}/(?P<pk>[0-9]+)/revisions/$", views.record_revisions, name="manage_revisions"),
]
