"""Reports (class, school, municipality), their XLSX exports, and the export of a class journal
for a period (XLSX, PDF), in the "journal" namespace."""

from django.urls import path

from ..views import reports

urlpatterns = [
    path("reports/", reports.report_index, name="report_index"),
    path("reports/class/<id:group_id>/", reports.report_class, name="report_class"),
    path(
        "reports/class/<id:group_id>/report.xlsx",
        reports.report_class,
        {"fmt": "xlsx"},
        name="export_class_report",
    ),
    path("reports/school/<slug:slug>/", reports.report_school, name="report_school"),
    path(
        "reports/school/<slug:slug>/report.xlsx",
        reports.report_school,
        {"fmt": "xlsx"},
        name="export_school_report",
    ),
    path("reports/municipality/", reports.report_municipality, name="report_municipality"),
    path(
        "reports/municipality/report.xlsx",
        reports.report_municipality,
        {"fmt": "xlsx"},
        name="export_municipal_report",
    ),
    path(
        "export/<id:group_id>/<id:period_id>/journal.xlsx",
        reports.export_journal,
        {"fmt": "xlsx"},
        name="export_journal_xlsx",
    ),
    path(
        "export/<id:group_id>/<id:period_id>/journal.pdf",
        reports.export_journal,
        {"fmt": "pdf"},
        name="export_journal_pdf",
    ),
]
