"""The journal's writes tell people through the notification centre: who is told of a mark,
a change, a deletion, an absence, homework, a closed period and a substitution; only once
the write commits; in a constant number of queries whatever the number of recipients."""

from __future__ import annotations

import pytest
from django.db import transaction

from setka.journal.models import Lesson, Mark
from setka.journal.services import homework, records, timetable
from setka.network.models import Membership
from setka.notifications.kinds import title_of
from setka.notifications.models import Notification
from setka.notifications.selectors import unread_count

from .. import factories as f
from ..clock import d

pytestmark = pytest.mark.django_db

MON = d(2026, 11, 23)
WED = d(2026, 11, 25)


def told(kind: str | None = None) -> dict[int, list[str]]:
    """Recipient id -> the titles of their notifications (of one kind, if given)."""
    out: dict[int, list[str]] = {}
    qs = Notification.objects.order_by("pk")
    if kind:
        qs = qs.filter(kind=kind)
    for note in qs:
        out.setdefault(note.recipient_id, []).append(title_of(note.kind, note.data))
    return out


@pytest.fixture
def lesson(jw) -> Lesson:
    return jw.lessons().get(date=MON)


@pytest.fixture
def families(world, jw):
    """Every student of 7Б with a sign-in account and a parent with one (the world's student
    and parent already have theirs)."""

    def make(count: int) -> list:
        parents = [world.people["parent"]]
        for student in jw.students[1:count]:
            user = f.UserFactory()
            student.user = user
            student.save(update_fields=["user"])
            parent = f.PersonFactory(municipality=world.municipality, with_user=True)
            f.GuardianshipFactory(guardian=parent, student=student)
            parents.append(parent)
        return parents

    return make


def _ids(*people) -> set[int]:
    return {p.pk for p in people}


# --- marks ----------------------------------------------------------------------------------


def test_a_new_mark_tells_the_student_and_their_parent_only(
    world, jw, lesson, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        records.mark_create(
            actor=world.users["teacher"], lesson=lesson, student=world.people["student"], value=5
        )

    notes = told("journal.mark.created")
    assert set(notes) == _ids(world.people["student"], world.people["parent"])
    [title] = notes[world.people["parent"].pk]
    assert "5" in title
    assert "Математика" in title
    assert "Дарья Ученикова" in title
    note = Notification.objects.get(recipient=world.people["parent"])
    assert note.about_id == world.people["student"].pk
    assert f"student={world.people['student'].pk}" in note.url
    assert note.actor_id == world.people["teacher"].pk


def test_a_parent_of_another_child_is_never_told(
    world, jw, lesson, families, django_capture_on_commit_callbacks
):
    families(5)
    items = [records.NewMark(lesson, s, value=4) for s in jw.students]

    with django_capture_on_commit_callbacks(execute=True):
        records.marks_create_many(actor=world.users["teacher"], items=items)
        records.attendance_set(
            actor=world.users["teacher"], lesson=lesson, student=jw.students[1], code="Н"
        )

    other_parent = world.people["other_parent"]
    assert Notification.objects.filter(recipient=other_parent).count() == 0
    # Each parent hears of their own child only.
    parent = world.people["parent"]
    assert set(
        Notification.objects.filter(recipient=parent).values_list("about_id", flat=True)
    ) == {world.people["student"].pk}


def test_many_marks_of_one_request_are_one_publish(
    world, jw, lesson, families, django_capture_on_commit_callbacks, monkeypatch
):
    families(5)
    calls = []
    from setka.journal import notify

    original = notify.publish_many
    monkeypatch.setattr(
        notify,
        "publish_many",
        lambda kind, events, **kw: calls.append(kind) or original(kind, events, **kw),
    )
    items = [records.NewMark(lesson, s, value=5) for s in jw.students]

    with django_capture_on_commit_callbacks(execute=True):
        records.marks_create_many(actor=world.users["teacher"], items=items)
        # and a cell typed with two new marks in the same transaction joins them
        records.cell_save(
            actor=world.users["teacher"],
            lesson=jw.lessons().get(date=WED),
            student=world.people["student"],
            text="4 3",
        )

    assert calls == ["journal.mark.created"]
    assert Notification.objects.filter(kind="journal.mark.created").count() == 2 * 5 + 2 * 2


@pytest.mark.parametrize("size", [1, 5])
def test_marks_fan_out_in_constant_queries(
    world,
    jw,
    lesson,
    families,
    size,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    families(size)
    items = [records.NewMark(lesson, s, value=5) for s in jw.students[:size]]
    teacher = world.users["teacher"]
    with django_capture_on_commit_callbacks(execute=True):  # told: its batch is done
        records.mark_create(actor=teacher, lesson=lesson, student=world.people["student"], value=2)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks() as callbacks:
        records.marks_create_many(actor=teacher, items=items)

    # the marks, the guardians, the recipients' accounts and preferences, the insert
    with django_assert_num_queries(4):
        for callback in callbacks:
            callback()

    assert Notification.objects.count() == 2 * size


def test_a_changed_and_a_deleted_mark_are_told_with_the_reason(
    world, jw, lesson, django_capture_on_commit_callbacks
):
    teacher = world.users["teacher"]
    mark = records.mark_create(
        actor=teacher, lesson=lesson, student=world.people["student"], value=3
    )

    with django_capture_on_commit_callbacks(execute=True):
        records.mark_update(actor=teacher, mark=mark, value=4, reason="пересчитали")
    with django_capture_on_commit_callbacks(execute=True):
        records.mark_delete(actor=teacher, mark=mark, reason="не тот ученик")

    parent = world.people["parent"].pk
    [changed] = told("journal.mark.changed")[parent]
    [deleted] = told("journal.mark.deleted")[parent]
    assert "3 → 4" in changed
    assert "пересчитали" in changed
    assert "не тот ученик" in deleted
    assert set(told("journal.mark.deleted")) == _ids(
        world.people["student"], world.people["parent"]
    )


def test_a_comment_only_change_tells_nobody(world, jw, lesson, django_capture_on_commit_callbacks):
    teacher = world.users["teacher"]
    mark = records.mark_create(
        actor=teacher, lesson=lesson, student=world.people["student"], value=3
    )

    with django_capture_on_commit_callbacks(execute=True):
        records.mark_update(actor=teacher, mark=mark, comment="молодец")

    assert told("journal.mark.changed") == {}


def test_a_substitutes_marks_are_told_too(world, jw, django_capture_on_commit_callbacks):
    covered = jw.lessons(period=jw.q2).first()
    substitute = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=substitute, institution=world.school, role=Membership.Role.TEACHER)
    timetable.lesson_substitute(
        actor=world.users["director"], lesson=covered, substitute=substitute
    )

    with django_capture_on_commit_callbacks(execute=True):
        records.mark_create(
            actor=substitute.user, lesson=covered, student=world.people["student"], value=5
        )

    note = Notification.objects.get(kind="journal.mark.created", recipient=world.people["parent"])
    assert note.actor_id == substitute.pk
    assert set(told("journal.mark.created")) == _ids(
        world.people["student"], world.people["parent"]
    )


def test_a_rolled_back_mark_tells_nobody(world, jw, lesson, django_capture_on_commit_callbacks):
    def failing_request():
        with transaction.atomic():
            records.mark_create(
                actor=world.users["teacher"],
                lesson=lesson,
                student=world.people["student"],
                value=5,
            )
            raise RuntimeError("the request failed after the write")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_request()

    assert Notification.objects.count() == 0
    assert Mark.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_telling_waits_for_the_real_commit(world, jw, lesson):
    teacher, student = world.users["teacher"], world.people["student"]

    def failing_request():
        with transaction.atomic():
            records.mark_create(actor=teacher, lesson=lesson, student=student, value=2)
            assert Notification.objects.count() == 0  # not before the commit
            raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_request()

    assert Notification.objects.count() == 0
    with transaction.atomic():
        records.mark_create(actor=teacher, lesson=lesson, student=student, value=5)
        assert Notification.objects.count() == 0

    assert Notification.objects.filter(kind="journal.mark.created").count() == 2
    assert unread_count(world.people["parent"].pk) == 1


def test_a_failure_to_tell_never_fails_the_write(
    world, jw, lesson, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from setka.journal import notify

    def broken(*args, **kwargs):
        raise RuntimeError("the notification centre is down")

    monkeypatch.setattr(notify, "publish_many", broken)

    with django_capture_on_commit_callbacks(execute=True):
        mark = records.mark_create(
            actor=world.users["teacher"], lesson=lesson, student=world.people["student"], value=5
        )

    assert Mark.objects.filter(pk=mark.pk).exists()
    assert "the notification centre is down" in caplog.text


# --- absences, homework, periods, substitutions ---------------------------------------------


def test_an_absence_tells_the_student_and_parent_once(
    world, jw, lesson, django_capture_on_commit_callbacks
):
    teacher, student = world.users["teacher"], world.people["student"]
    with django_capture_on_commit_callbacks(execute=True):
        records.attendance_set(actor=teacher, lesson=lesson, student=student, code="Б")
        records.attendance_set(actor=teacher, lesson=lesson, student=student, code="Б")
        records.attendance_set(actor=teacher, lesson=lesson, student=student, code="")

    notes = told("journal.absence")
    assert set(notes) == _ids(student, world.people["parent"])
    assert len(notes[student.pk]) == 1
    assert "Математика" in notes[student.pk][0]


@pytest.mark.parametrize("size", [1, 5])
def test_homework_tells_the_group_and_parents_in_constant_queries(
    world,
    jw,
    lesson,
    families,
    size,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    jw.klass.members.model.objects.filter(group=jw.klass).exclude(
        student__in=[s.pk for s in jw.students[:size]]
    ).delete()
    families(size)
    lesson = Lesson.objects.select_related("institution", "subject").get(pk=lesson.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        homework.homework_set(actor=world.users["teacher"], lesson=lesson, text="№ 12, 14")

    with django_assert_num_queries(4):  # members, guardians, accounts, the insert
        for callback in callbacks:
            callback()

    assert Notification.objects.filter(kind="journal.homework").count() == 2 * size


def test_homework_changed_is_told_as_changed_and_unchanged_is_not(
    world, jw, lesson, django_capture_on_commit_callbacks
):
    teacher = world.users["teacher"]
    with django_capture_on_commit_callbacks(execute=True):
        homework.homework_set(actor=teacher, lesson=lesson, text="№ 12")
        homework.homework_set(actor=teacher, lesson=lesson, text="№ 12", minutes=30)
        homework.homework_set(actor=teacher, lesson=lesson, text="№ 12 и 13")

    titles = told("journal.homework")[world.people["parent"].pk]
    assert len(titles) == 2
    assert "изменено" in titles[1].lower() or "changed" in titles[1].lower()


@pytest.mark.parametrize("size", [1, 4])
def test_a_closed_and_reopened_period_tells_the_teachers(
    world, jw, size, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from setka.journal.models import TeachingAssignment

    for _ in range(size - 1):
        TeachingAssignment.objects.create(
            institution=world.school,
            group=jw.klass,
            subject=jw.pe,
            teacher=f.PersonFactory(municipality=world.municipality, with_user=True),
            starts_on=jw.year.starts_on,
        )
    director = world.users["director"]
    with django_capture_on_commit_callbacks() as callbacks:
        records.period_close(actor=director, period=jw.q1)
    with django_assert_num_queries(3):  # the teachers, their accounts, the insert
        for callback in callbacks:
            callback()
    with django_capture_on_commit_callbacks(execute=True):
        records.period_reopen(actor=director, period=jw.q1, reason="исправить четвертные")

    notes = told("journal.period")
    assert world.people["teacher"].pk in notes
    assert world.people["director"].pk not in notes  # the actor
    assert world.people["parent"].pk not in notes
    assert "исправить четвертные" in notes[world.people["teacher"].pk][1]


def test_a_substitution_tells_the_substitute_and_the_teacher(
    world, jw, django_capture_on_commit_callbacks
):
    covered = jw.lessons(period=jw.q2).first()
    substitute = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=substitute, institution=world.school, role=Membership.Role.TEACHER)

    with django_capture_on_commit_callbacks(execute=True):
        timetable.lesson_substitute(
            actor=world.users["director"], lesson=covered, substitute=substitute
        )
        timetable.lesson_substitute(
            actor=world.users["director"], lesson=covered, substitute=substitute
        )  # unchanged: told once

    notes = told("journal.substitution")
    assert set(notes) == _ids(substitute, world.people["teacher"])
    assert len(notes[substitute.pk]) == 1
    assert Notification.objects.get(recipient=substitute).url.endswith(f"/{covered.pk}/")
