import pytest
from django.core.exceptions import ValidationError

from setka.core.models import AuditEntry
from setka.journal.models import Lesson
from setka.journal.services import timetable

from ..clock import d

pytestmark = pytest.mark.django_db


def test_generated_lessons_skip_weekends_holidays_and_gaps(jw):
    dates = list(jw.lessons().values_list("date", flat=True))

    assert all(day.isoweekday() in (1, 3, 5) for day in dates)
    assert not [day for day in dates if d(2026, 10, 25) <= day <= d(2026, 11, 4)]
    assert dates[0] == d(2026, 9, 2)
    assert all(jw.year.starts_on <= day <= jw.year.ends_on for day in dates)


def test_generate_lessons_is_idempotent(jw):
    before = Lesson.objects.count()

    created = timetable.generate_lessons(jw.year)

    assert created == 0
    assert Lesson.objects.count() == before


def test_lesson_period_matches_its_date(jw):
    for lesson in jw.lessons().select_related("period"):
        assert lesson.period.starts_on <= lesson.date <= lesson.period.ends_on


def test_move_lesson_outside_the_year_is_refused(jw, world):
    lesson = jw.lessons().first()

    with pytest.raises(ValidationError) as exc:
        timetable.lesson_move(
            actor=world.users["director"], lesson=lesson, date=d(2027, 7, 1), number=2
        )

    assert "date" in exc.value.message_dict
    lesson.refresh_from_db()
    assert lesson.date == d(2026, 9, 2)


def test_move_lesson_records_history_and_moves_marks(jw, world):
    lesson = jw.lessons(period=jw.q2).first()

    timetable.lesson_move(
        actor=world.users["director"], lesson=lesson, date=d(2026, 11, 7), number=5
    )

    lesson.refresh_from_db()
    assert (lesson.date, lesson.number, lesson.moved_from) == (
        d(2026, 11, 7),
        5,
        d(2026, 11, 6),
    )
    assert AuditEntry.objects.filter(action="journal.lesson.move", object_id=lesson.pk).count() == 1


def test_cancel_needs_a_reason(jw, world):
    lesson = jw.lessons().first()

    with pytest.raises(ValidationError):
        timetable.lesson_cancel(actor=world.users["director"], lesson=lesson, reason=" ")

    timetable.lesson_cancel(actor=world.users["director"], lesson=lesson, reason="карантин")
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.CANCELLED


def test_teacher_sets_topic_of_own_lesson(jw, world):
    lesson = jw.lessons().first()

    timetable.lesson_set_topic(
        actor=world.users["teacher"], lesson=lesson, topic="  Дроби  ", kind="control"
    )

    lesson.refresh_from_db()
    assert (lesson.topic, lesson.kind) == ("Дроби", "control")


def test_other_teacher_cannot_set_topic(jw, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        timetable.lesson_set_topic(
            actor=world.users["other_teacher"], lesson=jw.lessons().first(), topic="x"
        )
