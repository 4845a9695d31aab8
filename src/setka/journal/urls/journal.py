"""The teacher's journal: the grid and its saves, year marks, a lesson and its files, the class
and the administration's views, and the daily attendance."""

from django.urls import path

from ..views import attendance, final_marks, grid, grid_undo, lessons, overview, phone

urlpatterns = [
    # My journals, the grid of a group × subject × period, and its cell and period-mark saves
    path("", overview.index, name="index"),
    path("<id:group_id>/<id:subject_id>/", grid.grid, name="grid"),
    path("<id:group_id>/<id:subject_id>/cell/", grid.cell, name="cell"),
    path("<id:group_id>/<id:subject_id>/period-mark/", grid.period_mark, name="period_mark"),
    path("<id:group_id>/<id:subject_id>/undo/", grid_undo.marks_restore, name="marks_restore"),
    path("<id:group_id>/<id:subject_id>/phone/", phone.phone_entry, name="phone_entry"),
    # Year marks of a group × subject, and the save of one of them
    path("<id:group_id>/<id:subject_id>/year/", final_marks.final_marks, name="final_marks"),
    path("<id:group_id>/<id:subject_id>/year-mark/", final_marks.final_mark, name="final_mark"),
    # A lesson: topic, homework and its files, marks with their history, admin actions
    path("lessons/<id:pk>/", lessons.lesson, name="lesson"),
    path("lessons/<id:pk>/files/<id:file_pk>/", lessons.attachment, name="attachment"),
    # The class teacher's and the administration's views
    path("class/<id:group_id>/", overview.class_view, name="class"),
    path("completeness/", overview.completeness, name="completeness"),
    # The daily attendance summary of a class and of a school
    path("attendance/class/<id:group_id>/", attendance.attendance_day, name="attendance_day"),
    path("attendance/school/<slug:slug>/", attendance.attendance_school, name="attendance_school"),
]
