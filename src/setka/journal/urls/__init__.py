"""The journal's pages, in the "journal" namespace: one module per resource (the journal and
its lessons, the diary, the reports and exports, the structure of the year and the imports)."""

from django.urls import include, path

app_name = "journal"

urlpatterns = [
    path("", include("setka.journal.urls.journal")),
    path("", include("setka.journal.urls.diary")),
    path("", include("setka.journal.urls.reports")),
    path("", include("setka.journal.urls.structure")),
]
