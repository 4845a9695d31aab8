"""The diary of a student (for the student and their parents), in the "journal" namespace."""

from django.urls import path

from ..views import diary, subject_marks

urlpatterns = [
    path("diary/", diary.diary, name="diary"),
    path("diary/summary/", diary.diary_summary, name="diary_summary"),
    path("diary/digest/", diary.diary_digest, name="diary_digest"),
    path(
        "diary/subject/<id:subject_id>/",
        subject_marks.subject_marks,
        name="diary_subject_marks",
    ),
]
