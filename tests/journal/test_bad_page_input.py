"""Bad input to the journal's pages: a clear 400 (or the page's own fallback), never a 500 and
never a stored value — digits of other scripts in a grid cell, marks ahead of the lesson,
dates outside 1900–2100 in ``?date=``, ids beyond the database's integers in a query."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setka.journal.models import Attendance, Mark

from ..clock import TODAY, d

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HUGE = str(2**64)


@pytest.fixture
def lesson(jw):
    return jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 20)).first()


@pytest.fixture
def future(jw):
    return jw.lessons().filter(date__gt=TODAY).first()


def post_cell(client, jw, lesson, text):
    return client.post(
        reverse("journal:cell", args=[jw.klass.pk, jw.maths.pk]),
        {"lesson": lesson.pk, "student": jw.students[0].pk, "text": text},
        **EN,
    )


# --- the grid's cell ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["²", "¹", "²³", "5²", "٥", "５"])
def test_grid_cell_with_digits_of_other_scripts_is_400(client_for, jw, lesson, text):
    response = post_cell(client_for("teacher"), jw, lesson, text)

    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error": f"Type marks with the digits 1–5: “{text}” is not a mark.",
        "code": "bad_value",
    }
    assert (Mark.objects.count(), Attendance.objects.count()) == (0, 0)


def test_grid_cell_of_five_marks_is_400(client_for, jw, lesson):
    response = post_cell(client_for("teacher"), jw, lesson, "5 4 3 2 5")

    assert response.status_code == 400
    assert response.json()["error"] == "No more than four marks per lesson."


@pytest.mark.parametrize("text", ["5", "Н"])
def test_grid_cell_of_a_future_lesson_is_400(client_for, jw, future, text):
    response = post_cell(client_for("teacher"), jw, future, text)

    assert response.status_code == 400
    assert response.json()["code"] == "future_lesson"
    assert response.json()["error"].startswith(f"The lesson of {future.date:%d.%m.%Y} has not")
    assert (Mark.objects.count(), Attendance.objects.count()) == (0, 0)


def test_lesson_page_refuses_a_mark_ahead_of_the_lesson(client_for, jw, future):
    url = reverse("journal:lesson", args=[future.pk])

    response = client_for("teacher").post(
        url, {"action": "sheet", f"new-{jw.students[0].pk}-value": "5"}, **EN
    )

    assert response.status_code == 400
    assert "has not taken place yet" in " ".join(response.context["sheet_errors"])
    assert Mark.objects.count() == 0


# --- dates in the address ------------------------------------------------------------------


def _attendance_urls(jw) -> list[str]:
    return [
        reverse("journal:attendance_day", args=[jw.klass.pk]),
        reverse("journal:attendance_school", args=["school-3"]),
    ]


@pytest.mark.parametrize("raw", ["9999-12-31", "0001-01-01", "31.12.9999", "1899-12-31"])
def test_attendance_pages_with_a_date_outside_the_years_are_a_friendly_400(client_for, jw, raw):
    client = client_for("director")

    for url in _attendance_urls(jw):
        response = client.get(f"{url}?date={raw}", **EN)

        assert response.status_code == 400, url
        assert "Enter a date between the years 1900 and 2100." in response.content.decode()


def test_attendance_pages_take_the_first_and_last_days_of_the_years(client_for, jw):
    client = client_for("director")

    for url in _attendance_urls(jw):
        for raw in ("1900-01-01", "2100-12-31"):
            assert client.get(f"{url}?date={raw}").status_code == 200, (url, raw)


@pytest.mark.parametrize("raw", ["9999-12-31", "0001-01-01"])
def test_diary_and_structure_pages_fall_back_on_a_date_outside_the_years(client_for, jw, raw):
    diary = client_for("student").get(f"{reverse('journal:diary')}?week={raw}")
    director = client_for("director")
    day = director.get(f"{reverse('journal:structure_day', args=[jw.year.pk])}?date={raw}")
    timetable = director.get(
        f"{reverse('journal:structure_timetable', args=[jw.klass.pk])}?on={raw}"
    )

    assert (diary.status_code, day.status_code, timetable.status_code) == (200, 200, 200)
    assert day.context["on"] == TODAY


def test_structure_day_with_ids_beyond_the_database_integers_ignores_them(client_for, jw):
    url = reverse("journal:structure_day", args=[jw.year.pk])

    response = client_for("director").get(f"{url}?group={HUGE}&teacher={HUGE}")

    assert response.status_code == 200
    assert (response.context["group_id"], response.context["teacher_id"]) == (None, None)
