import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from setka.journal.models import Homework, Lesson
from setka.journal.services import homework

from ..clock import d

pytestmark = pytest.mark.django_db


def _at(day, hour):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_homework_is_due_at_the_next_lesson(jw, world):
    lesson = jw.lessons(period=jw.q2).first()
    nxt = jw.lessons(period=jw.q2)[1]

    hw, _warnings = homework.homework_set(
        actor=world.users["teacher"], lesson=lesson, text="№ 12, 14", minutes=25
    )

    assert hw.due_on == nxt.date
    assert hw.minutes == 25


def test_daily_limit_warning_for_grade_seven(jw, world):
    lesson = jw.lessons(period=jw.q2).first()

    _hw, warnings = homework.homework_set(
        actor=world.users["teacher"], lesson=lesson, text="много", minutes=160
    )

    assert [w.code for w in warnings][:1] == ["daily_load"]
    assert Homework.objects.count() == 1


def test_control_works_over_ten_percent_warn(jw, world):
    lessons = list(jw.lessons(period=jw.q2))
    Lesson.objects.filter(pk__in=[x.pk for x in lessons[:4]]).update(kind=Lesson.Kind.CONTROL)

    _hw, warnings = homework.homework_set(
        actor=world.users["teacher"], lesson=lessons[0], text="повторить"
    )

    assert "control_share" in [w.code for w in warnings]


def test_late_entry_is_flagged(jw, world, monkeypatch):
    lesson = jw.lessons(period=jw.q2).first()
    monkeypatch.setattr(homework.timezone, "now", lambda: _at(lesson.date, 21))

    hw, warnings = homework.homework_set(
        actor=world.users["teacher"], lesson=lesson, text="параграф 5"
    )

    assert hw.is_late
    assert "late" in [w.code for w in warnings]


def test_entry_during_the_day_is_not_late(jw, world, monkeypatch):
    lesson = jw.lessons(period=jw.q2).first()
    monkeypatch.setattr(homework.timezone, "now", lambda: _at(lesson.date, 12))

    hw, _warnings = homework.homework_set(
        actor=world.users["teacher"], lesson=lesson, text="параграф 5"
    )

    assert not hw.is_late


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 500}, "minutes"),
        ({"links": "javascript:alert(1)"}, "links"),
        ({"due_on": d(2027, 8, 1)}, "due_on"),
        ({"due_on": d(2026, 9, 1)}, "due_on"),
    ],
)
def test_bad_homework_is_refused(jw, world, kwargs, field):
    lesson = jw.lessons(period=jw.q2).first()

    with pytest.raises(ValidationError) as exc:
        homework.homework_set(actor=world.users["teacher"], lesson=lesson, text="задание", **kwargs)

    assert field in exc.value.message_dict
    assert Homework.objects.count() == 0


def test_empty_text_removes_homework(jw, world):
    lesson = jw.lessons(period=jw.q2).first()
    homework.homework_set(actor=world.users["teacher"], lesson=lesson, text="задание")

    hw, _ = homework.homework_set(actor=world.users["teacher"], lesson=lesson, text="")

    assert hw is None
    assert Homework.objects.count() == 0
