"""The rules of what may be entered for a lesson, the same for the grid's cells, single marks
and the batch: marks are typed with ASCII digits (no «²», «٥», «５»), a student has at most four
marks for a lesson, and nothing is entered ahead of the lesson's day. Each refusal is a 422
problem naming the field, and nothing is written."""

from __future__ import annotations

import pytest

from setka.journal.models import Lesson, Mark
from setka.journal.services import records

from ..clock import TODAY, d
from .conftest import assert_problem, table_counts
from .test_journal_bad_input import journal_state


@pytest.fixture
def lesson(jw):
    return jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 25)).first()


@pytest.fixture
def future(jw):
    """The first maths lesson after today (the next day's at the earliest)."""
    return jw.lessons().filter(date__gt=TODAY).first()


def _cell(lesson, student, text):
    return {"lesson_id": lesson.pk, "student_id": student.pk, "text": text}


def _errors(response) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


# --- the digits of a mark -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["²", "¹", "²³", "5²", "٥", "５", "5 ４", "Н ٣"])
def test_cell_with_digits_of_other_scripts_is_422(api, world, jw, lesson, text):
    before = journal_state()

    response = api.as_("teacher").put("/journal/cells", _cell(lesson, jw.students[0], text))

    assert_problem(response, 422)
    assert _errors(response) == [("value", "bad_value")]
    assert response.json()["errors"][0]["message"].startswith("Type marks with the digits 1–5")
    assert journal_state() == before


def test_cell_digit_error_is_in_russian(api, world, jw, lesson):
    response = api.as_("teacher").put(
        "/journal/cells", _cell(lesson, jw.students[0], "５"), lang="ru"
    )

    assert assert_problem(response, 422)["errors"][0]["message"] == (
        "Оценки вводятся цифрами 1–5: «５» — не оценка."
    )


def test_cell_with_ascii_digits_still_works(api, world, jw, lesson):
    response = api.as_("teacher").put("/journal/cells", _cell(lesson, jw.students[0], "54"))

    assert response.status_code == 200, response.content
    assert [m["value"] for m in response.json()["marks"]] == [5, 4]


# --- four marks a lesson, one rule for the grid, single marks and the batch ------------------


def _four_marks(world, jw, lesson, student=None):
    for value in (5, 4, 3, 2):
        records.mark_create(
            actor=world.users["teacher"],
            lesson=lesson,
            student=student or jw.students[0],
            value=value,
        )


def test_fifth_mark_through_the_api_is_422(api, world, jw, lesson):
    _four_marks(world, jw, lesson)
    before = journal_state()

    response = api.as_("teacher").post(
        "/journal/marks", {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "value": 5}
    )

    body = assert_problem(response, 422)
    assert _errors(response) == [("value", "too_many")]
    assert body["errors"][0]["message"] == "No more than four marks per lesson."
    assert journal_state() == before


def test_deleted_marks_leave_room_for_new_ones(api, world, jw, lesson):
    _four_marks(world, jw, lesson)
    mark = Mark.objects.filter(lesson=lesson).first()
    records.mark_delete(actor=world.users["teacher"], mark=mark, reason="ошибка")

    response = api.as_("teacher").post(
        "/journal/marks", {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "value": 5}
    )

    assert response.status_code == 201, response.content


def test_fifth_mark_of_a_batch_is_422_and_nothing_is_stored(api, world, jw, lesson):
    before = table_counts()
    body = {
        "marks": [
            {"lesson_id": lesson.pk, "student_id": s.pk, "value": 5}
            for s in [jw.students[1], *[jw.students[0]] * 5]
        ]
    }

    response = api.as_("teacher").post("/journal/marks/batch", body)

    assert_problem(response, 422)
    assert _errors(response) == [("marks.5.value", "too_many")]
    assert table_counts() == before


def test_batch_counts_the_marks_already_stored(api, world, jw, lesson):
    for value in (5, 4, 3):
        records.mark_create(
            actor=world.users["teacher"], lesson=lesson, student=jw.students[0], value=value
        )
    body = {"marks": [{"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "value": 5}] * 2}

    response = api.as_("teacher").post("/journal/marks/batch", body)

    assert_problem(response, 422)
    assert _errors(response) == [("marks.1.value", "too_many")]
    assert Mark.objects.filter(lesson=lesson).count() == 3


def test_batch_of_four_marks_for_one_student_is_stored(api, world, jw, lesson):
    body = {
        "marks": [
            {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "value": v}
            for v in (5, 4, 3, 2)
        ]
    }

    response = api.as_("teacher").post("/journal/marks/batch", body)

    assert response.status_code == 201, response.content
    assert Mark.objects.filter(lesson=lesson, student=jw.students[0]).count() == 4


def test_cell_of_four_marks_then_a_single_mark_is_422(api, world, jw, lesson):
    client = api.as_("teacher")
    assert client.put("/journal/cells", _cell(lesson, jw.students[0], "5 4 3 2")).status_code == 200

    response = client.post(
        "/journal/marks", {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "value": 5}
    )

    assert _errors(response) == [("value", "too_many")]


# --- nothing ahead of the lesson --------------------------------------------------------------


def test_mark_on_a_future_lesson_is_422(api, world, jw, future):
    before = journal_state()

    response = api.as_("teacher").post(
        "/journal/marks", {"lesson_id": future.pk, "student_id": jw.students[0].pk, "value": 5}
    )

    body = assert_problem(response, 422)
    assert _errors(response) == [("lesson_id", "future_lesson")]
    assert body["errors"][0]["message"] == (
        f"The lesson of {future.date:%d.%m.%Y} has not taken place yet: its marks and "
        "attendance are entered on its day or later."
    )
    assert journal_state() == before


def test_future_lesson_error_is_in_russian(api, world, jw, future):
    response = api.as_("teacher").post(
        "/journal/marks",
        {"lesson_id": future.pk, "student_id": jw.students[0].pk, "value": 5},
        lang="ru",
    )

    assert assert_problem(response, 422)["errors"][0]["message"] == (
        f"Урок {future.date:%d.%m.%Y} ещё не прошёл: его оценки и посещаемость вводятся в день "
        "урока или позже."
    )


@pytest.mark.parametrize("text", ["5", "Н", "ОП 4"])
def test_cell_of_a_future_lesson_is_422(api, world, jw, future, text):
    before = journal_state()

    response = api.as_("teacher").put("/journal/cells", _cell(future, jw.students[0], text))

    assert_problem(response, 422)
    assert ("lesson_id", "future_lesson") in _errors(response)
    assert journal_state() == before


def test_attendance_of_a_future_lesson_is_422_but_clearing_works(api, world, jw, future):
    client = api.as_("teacher")
    cell = {"lesson_id": future.pk, "student_id": jw.students[0].pk}

    refused = client.put("/journal/attendance", {**cell, "code": "Н"})
    cleared = client.put("/journal/attendance", {**cell, "code": ""})

    assert _errors(refused) == [("lesson_id", "future_lesson")]
    assert cleared.status_code == 200, cleared.content


def test_batch_with_a_future_lesson_is_422_and_nothing_is_stored(api, world, jw, lesson, future):
    before = table_counts()
    body = {
        "marks": [
            {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "value": 5},
            {"lesson_id": future.pk, "student_id": jw.students[0].pk, "value": 5},
        ]
    }

    response = api.as_("teacher").post("/journal/marks/batch", body)

    assert _errors(response) == [("marks.1.lesson_id", "future_lesson")]
    assert table_counts() == before


def test_a_mark_on_todays_lesson_is_taken(api, world, jw, future):
    Lesson.objects.filter(pk=future.pk).update(date=TODAY)

    response = api.as_("teacher").post(
        "/journal/marks", {"lesson_id": future.pk, "student_id": jw.students[0].pk, "value": 5}
    )

    assert response.status_code == 201, response.content


def test_correcting_a_mark_of_a_future_lesson_is_422(api, world, jw, future):
    """A mark stored ahead of its lesson before the rule (or by a moved lesson) can be deleted,
    not corrected."""
    mark = Mark.objects.create(
        institution=world.school, lesson=future, student=jw.students[0], group=jw.klass,
        subject=jw.maths, date=future.date, value=3, kind=records.default_kind(future),
    )  # fmt: skip
    client = api.as_("teacher")

    corrected = client.patch(f"/journal/marks/{mark.pk}", {"value": 5, "reason": "x"})
    deleted = client.delete(f"/journal/marks/{mark.pk}", {"reason": "ошибка"})

    assert _errors(corrected) == [("lesson_id", "future_lesson")]
    assert deleted.status_code == 200, deleted.content
