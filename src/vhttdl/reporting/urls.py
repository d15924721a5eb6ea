"""Pages of the reporting system, mounted at /reporting/. Sub-apps (analytics, forwarding) are included here."""

from django.urls import include, path

from vhttdl.reporting.views import completeness, design, entry, excel

app_name = "reporting"

urlpatterns = [
    path("", entry.index, name="index"),
    path("mine/", entry.my_reports, name="my_reports"),
    path("inbox/", entry.inbox, name="inbox"),
    path("submissions/", entry.submission_list, name="submissions"),
    path("submissions/open/", entry.open_report, name="open"),
    path("submissions/<int:pk>/", entry.submission_detail, name="submission"),
    path("submissions/<int:pk>/save/", entry.submission_save, name="save"),
    path("submissions/<int:pk>/submit/", entry.submission_submit_view, name="submit"),
    path("submissions/<int:pk>/approve/", entry.submission_approve_view, name="approve"),
    path("submissions/<int:pk>/accept/", entry.submission_accept_view, name="accept"),
    path("submissions/<int:pk>/return/", entry.submission_return_view, name="return"),
    path("submissions/<int:pk>/excel/", excel.excel_template, name="excel_template"),
    path("submissions/<int:pk>/excel/upload/", excel.excel_upload, name="excel_upload"),
    path("completeness/", completeness.completeness_page, name="completeness"),
    path("completeness/export.<str:fmt>", completeness.completeness_export, name="completeness_export"),
    path("design/", design.design_home, name="design"),
    path("design/elements/new/", design.element_edit, name="design_element_new"),
    path("design/elements/<int:pk>/", design.element_edit, name="design_element"),
    path("design/categories/new/", design.category_edit, name="design_category_new"),
    path("design/categories/<int:pk>/", design.category_edit, name="design_category"),
    path("design/combos/new/", design.combo_edit, name="design_combo_new"),
    path("design/combos/<int:pk>/", design.combo_edit, name="design_combo"),
    path("design/forms/new/", design.form_edit, name="design_form_new"),
    path("design/forms/<int:pk>/", design.form_detail, name="design_form"),
    path("design/forms/<int:pk>/edit/", design.form_edit, name="design_form_edit"),
    path("design/forms/<int:pk>/versions/<int:version_pk>/publish/", design.version_publish, name="design_publish"),
    path("design/forms/<int:pk>/rules/", design.rule_add, name="design_rule_add"),
    path("design/forms/<int:pk>/rules/<int:rule_pk>/delete/", design.rule_delete, name="design_rule_delete"),
    # Sub-apps owned by the analytics/forwarding work (their own url modules and namespaces).
    path("analytics/", include("vhttdl.reporting.analytics.urls")),
    path("forwarding/", include("vhttdl.reporting.forwarding.urls")),
]
