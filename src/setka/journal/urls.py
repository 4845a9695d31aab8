from django.urls import include, path

from .views import grid, lessons, overview

app_name = "journal"

urlpatterns = [
    # My journals, the grid of a group × subject × period, and its cell and period-mark saves
    path("", overview.index, name="index"),
    path("<int:group_id>/<int:subject_id>/", grid.grid, name="grid"),
    path("<int:group_id>/<int:subject_id>/cell/", grid.cell, name="cell"),
    path("<int:group_id>/<int:subject_id>/period-mark/", grid.period_mark, name="period_mark"),
    # A lesson: topic, homework and its files, marks with their history, admin actions
    path("lessons/<int:pk>/", lessons.lesson, name="lesson"),
    path("lessons/<int:pk>/files/<int:file_pk>/", lessons.attachment, name="attachment"),
    # The class teacher's and the administration's views
    path("class/<int:group_id>/", overview.class_view, name="class"),
    path("completeness/", overview.completeness, name="completeness"),
    path("", include("setka.journal.urls_diary")),
    path("", include("setka.journal.urls_reports")),
    path("", include("setka.journal.urls_structure")),
]
