"""Enrolment and the credit of results: an accepted student joins the course's group in the
provider's journal for the agreement's term, so the journal's own rules show them to the
partner teacher only for that time; the partner's results appear, credited, in the home
school's diary summary and class view."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from setka.journal.diary import diary_summary
from setka.journal.models import GroupMember, Lesson, Period
from setka.journal.rules import WRITE, group_journal_access
from setka.journal.selectors import group_students
from setka.journal.services import records, structure, timetable
from setka.programs.models import Application
from setka.programs.services import agreements, applications

from ..clock import TODAY, at, d
from .conftest import TERM

pytestmark = pytest.mark.django_db


def enrol(world, pw, student=None):
    """Apply, confirm as the home school, accept as the provider."""
    student = student or world.people["student"]
    application = applications.application_create(
        actor=world.users["student"] if student == world.people["student"] else pw.ddt_admin,
        offer=pw.offer,
        student=student,
    )
    applications.application_confirm(
        actor=world.users["director"], application=application, approve=True
    )
    return applications.application_decide(
        actor=pw.ddt_admin, application=application, decision="accept"
    )


def test_accepted_student_joins_the_group_until_the_agreement_ends(world, pw):
    application = enrol(world, pw)

    member = GroupMember.objects.get(group=pw.group, student=world.people["student"])
    assert application.status == Application.Status.ACCEPTED
    assert application.member == member
    assert member.home_institution == world.school
    assert (member.starts_on, member.ends_on) == (max(TODAY, TERM[0]), TERM[1])


def test_partner_teacher_writes_the_group_other_teachers_do_not(world, pw):
    enrol(world, pw)

    assert group_journal_access(world.users["partner"], pw.group, pw.robotics.pk) == WRITE
    assert group_journal_access(world.users["other_teacher"], pw.group, pw.robotics.pk) is None
    assert group_journal_access(world.users["teacher"], pw.group, pw.robotics.pk) is None


def test_partner_teacher_sees_the_student_only_for_the_term(world, pw):
    enrol(world, pw)
    student = world.people["student"]
    term_ids = [pid for pid, _name, _left in group_students(pw.group, TODAY, TERM[1])]
    after_ids = [pid for pid, *_ in group_students(pw.group, TERM[1], TERM[1].replace(day=28))]

    assert term_ids == [student.pk]
    # the agreement's last day is still theirs; a range wholly after it is not (below)
    assert after_ids == [student.pk]
    later = [pid for pid, *_ in group_students(pw.group, d(2027, 6, 1), d(2027, 6, 30))]
    assert later == []
    # The partner sees nothing else of the student: not the diary, not the person's card.
    assert not world.users["partner"].has_perm("journal.view_diary", student)
    assert not world.users["partner"].has_perm("network.view_person", student)


def _lessons(world, pw):
    structure.timetable_entry_create(
        actor=pw.ddt_admin,
        group=pw.group,
        subject=pw.robotics,
        teacher=world.people["partner"],
        weekday=2,
        number=1,
    )
    timetable.generate_lessons(pw.ddt_year)
    return Lesson.objects.filter(group=pw.group).order_by("date")


def test_ending_the_agreement_ends_the_enrolment_and_the_marks_after_it(world, pw, frozen_clock):
    enrol(world, pw)
    lessons = _lessons(world, pw)
    later = lessons.filter(date__gt=TODAY).first()

    agreements.agreement_end(actor=world.users["director"], agreement=pw.agreement)

    member = GroupMember.objects.get(group=pw.group, student=world.people["student"])
    assert member.ends_on == TODAY
    frozen_clock.move_to(at(later.date, 18))
    with pytest.raises(ValidationError) as caught:
        records.mark_create(
            actor=world.users["partner"], lesson=later, student=world.people["student"], value=5
        )
    assert list(caught.value.message_dict) == ["student"]  # not in the group that day


def _credited(world, pw):
    """The student enrolled since the start of the term, with a mark and a period mark of the
    first half-year given by the partner."""
    application = enrol(world, pw)
    GroupMember.objects.filter(pk=application.member_id).update(starts_on=TERM[0])
    lessons = _lessons(world, pw)
    first = Period.objects.get(year=pw.ddt_year, number=1)
    lesson = lessons.filter(date__gte=first.starts_on, date__lte=min(first.ends_on, TODAY)).first()
    partner = world.users["partner"]
    student = world.people["student"]
    records.mark_create(actor=partner, lesson=lesson, student=student, value=4)
    records.period_mark_set(
        actor=partner, group=pw.group, subject=pw.robotics, student=student, period=first, value=5
    )
    return lesson


def test_credited_results_show_in_the_home_diary_summary(world, jw, pw):
    _credited(world, pw)

    summary = diary_summary(world.people["student"].pk, TODAY)

    home = next(y for y in summary.years if y.institution_id == world.school.pk)
    ddt = next(y for y in summary.years if y.institution_id == world.ddt.pk)
    assert [(c.subject, c.provider, c.periods) for c in home.credits] == [
        ("Технология", world.ddt.short_name, [("1 полугодие", "5")])
    ]
    assert ddt.credits == []


def test_credited_results_on_the_summary_page_name_the_source(client_for, world, jw, pw):
    _credited(world, pw)

    response = client_for("parent").get(
        reverse("journal:diary_summary") + f"?student={world.people['student'].pk}"
    )

    body = response.content.decode()
    assert "Зачтено из сетевых программ" in body
    assert f"зачтено из {world.ddt.short_name}: «Робототехника»" in body


def test_class_view_shows_the_credited_results(client_for, world, jw, pw):
    _credited(world, pw)
    period = jw.q1 if jw.q1.ends_on >= TODAY else jw.q2

    response = client_for("director").get(
        reverse("journal:class", args=[jw.klass.pk]) + f"?period={period.pk}"
    )

    credits = response.context["credits"]
    assert [(name, c.subject) for name, c in credits] == [
        (f"{world.people['student'].surname} {world.people['student'].given_name}", "Технология")
    ]
