"""The diary of a student (for the student and their parents), in the "journal" namespace."""

from django.urls import path

from ..views import diary

urlpatterns = [
    path("diary/", diary.diary, name="diary"),
    path("diary/summary/", diary.diary_summary, name="diary_summary"),
    path("diary/digest/", diary.diary_digest, name="diary_digest"),
]
