"""The diary of a day with lessons at two institutions is ordered by the clock (the bells),
not by lesson number; a room written «каб. 12» is not shown as «каб. каб. 12»."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from setka.journal.diary import diary_week
from setka.journal.models import AcademicYear, Bell, Lesson
from setka.journal.rooms import room_label

from .test_diary import MON, WEEK, dw  # noqa: F401 (the diary's world)


@pytest.fixture
def ddt_monday(world, dw):
    """The ДДТ's robotics also on Monday as its 1st lesson, which rings at 15:00 there."""
    year = AcademicYear.objects.get(institution=world.ddt)
    Bell.objects.create(year=year, number=1, starts_at=dt.time(15, 0), ends_at=dt.time(15, 40))
    thursday = Lesson.objects.filter(group=dw.network_group).first()
    return Lesson.objects.create(
        institution=world.ddt,
        year=year,
        period=thursday.period,
        group=dw.network_group,
        subject=dw.robotics,
        teacher=thursday.teacher,
        date=MON,
        number=1,
        room="каб. 12 (робототехника)",
    )


def test_diary_day_of_two_institutions_is_ordered_by_the_clock(world, dw, ddt_monday):
    week = diary_week(world.people["student"].pk, WEEK)

    monday = [(ls.number, ls.starts_at, ls.subject) for ls in week.days[0].lessons]
    assert monday == [
        (2, dt.time(8, 50), "Математика"),
        (1, dt.time(15, 0), "Робототехника"),
    ]


def test_diary_page_shows_a_room_with_its_prefix_once(client_for, world, dw, ddt_monday):
    client = client_for("student")
    html = client.get(reverse("journal:diary") + f"?week={WEEK.isoformat()}").content.decode()

    assert "каб. 12 (робототехника)" in html
    assert "каб. каб." not in html
    assert "каб. 21" in html  # a bare number is given the prefix


@pytest.mark.parametrize(
    ("room", "label"),
    [("12", "каб. 12"), ("каб. 12", "каб. 12"), ("Спортзал", "Спортзал"), (" ", "")],
)
def test_room_label(room, label):
    from django.utils import translation

    with translation.override("ru"):
        assert room_label(room) == label
