"""Reports (class, school, municipality), their XLSX exports, and the export of a class journal
for a period (XLSX, PDF), in the "journal" namespace."""

from django.urls import path

from ..views import reports


def _report(route: str, view, *, name: str, export_name: str) -> list:
    """A report's page at ``route`` and its XLSX export (the same view with fmt="xlsx") at
    ``route`` + "report.xlsx"."""
    return [
        path(route, view, name=name),
        path(f"{route}report.xlsx", view, {"fmt": "xlsx"}, name=export_name),
    ]


urlpatterns = [
    path("reports/", reports.report_index, name="report_index"),
    *_report(
        "reports/class/<id:group_id>/",
        reports.report_class,
        name="report_class",
        export_name="export_class_report",
    ),
    *_report(
        "reports/school/<slug:slug>/",
        reports.report_school,
        name="report_school",
        export_name="export_school_report",
    ),
    *_report(
        "reports/municipality/",
        reports.report_municipality,
        name="report_municipality",
        export_name="export_municipal_report",
    ),
    *[
        path(
            f"export/<id:group_id>/<id:period_id>/journal.{fmt}",
            reports.export_journal,
            {"fmt": fmt},
            name=f"export_journal_{fmt}",
        )
        for fmt in ("xlsx", "pdf")
    ],
]
