"""Year marks («итоговые отметки») of a group × subject: the page (period marks, the year's
weighted average and suggested mark), the JSON endpoint that confirms or overrides a year mark
(period NULL), bad input (4xx JSON with a message, nothing written), permissions, the links to
the page and the query budget."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setka.core.models import AuditEntry
from setka.journal.models import GroupMember, PeriodMark
from setka.journal.services import records, timetable
from setka.network.models import Membership

from .. import factories as f
from ..clock import d

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def page_url(jw, subject=None):
    return reverse("journal:final_marks", args=[jw.klass.pk, (subject or jw.maths).pk])


def mark_url(jw, subject=None):
    return reverse("journal:final_mark", args=[jw.klass.pk, (subject or jw.maths).pk])


def post_mark(client, jw, student, value, *, subject=None):
    data = {"value": value}
    if student is not None:
        data["student"] = student.pk
    return client.post(mark_url(jw, subject), data, **EN)


def year_marks():
    return PeriodMark.objects.filter(period__isnull=True)


@pytest.fixture
def marked(world, jw):
    """The first student: 5 5 4 in the 1st quarter (a 5 set for it), 3 3 in the 2nd."""
    teacher = world.users["teacher"]
    student = jw.students[0]
    q1 = list(jw.lessons(period=jw.q1)[:3])
    q2 = list(jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 25))[:2])
    for lesson, text in zip(q1 + q2, ["5", "5", "4", "3", "3"], strict=True):
        records.cell_save(actor=teacher, lesson=lesson, student=student, text=text)
    records.period_mark_set(
        actor=teacher, group=jw.klass, subject=jw.maths, student=student, period=jw.q1, value=5
    )
    return student


# --- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("teacher", 200),
        ("director", 200),
        ("admin", 200),
        ("metodist", 404),
        ("student", 404),
        ("parent", 404),
        ("partner", 404),
        ("other_teacher", 404),
        ("other_parent", 404),
    ],
)
def test_final_marks_permissions(client_for, jw, role, status):
    assert client_for(role).get(page_url(jw)).status_code == status


def test_final_marks_teacher_writes_readers_read(client_for, jw):
    teacher = client_for("teacher").get(page_url(jw))
    director = client_for("director").get(page_url(jw))

    assert (teacher.context["writes"], director.context["writes"]) == (True, False)
    assert b'class="pm"' in teacher.content
    assert b'class="pm"' not in director.content
    assert b"data-period-mark-url" not in director.content


def test_final_marks_shows_period_marks_average_and_suggestion(client_for, jw, marked):
    response = client_for("teacher").get(page_url(jw))

    row = next(r for r in response.context["rows"] if r["id"] == marked.pk)
    assert row["periods"] == ["5", "", "", ""]
    assert (row["average"], row["count"], row["suggested"]) == ("4,00", 5, 4)
    assert row["year_mark"] == ""
    assert [p.number for p in response.context["periods"]] == [1, 2, 3, 4]


def test_final_marks_uses_the_years_rounding_rule(client_for, world, jw):
    teacher = world.users["teacher"]
    student = jw.students[0]
    for lesson, text in zip(jw.lessons(period=jw.q1)[:7], "4444333", strict=True):
        records.cell_save(actor=teacher, lesson=lesson, student=student, text=text)
    jw.year.rounding = "sixty"
    jw.year.save()

    response = client_for("teacher").get(page_url(jw))

    row = next(r for r in response.context["rows"] if r["id"] == student.pk)
    assert row["average"] == "3,57"
    assert row["suggested"] == 3  # below .60 under the "sixty" rule (it would be 4 by half-up)


def test_final_marks_shows_the_saved_year_mark(client_for, world, jw, marked):
    records.period_mark_set(
        actor=world.users["teacher"], group=jw.klass, subject=jw.maths, student=marked,
        period=None, value=5,
    )  # fmt: skip

    teacher = client_for("teacher").get(page_url(jw))
    director = client_for("director").get(page_url(jw))

    row = next(r for r in teacher.context["rows"] if r["id"] == marked.pk)
    assert (row["year_mark"], row["current"], row["override"]) == ("5", "5", True)
    assert b'<option value="5" selected>' in teacher.content
    assert b'<strong class="pm-text">5</strong>' in director.content


def test_final_marks_pass_fail_subject_offers_pass_fail_and_na(client_for, jw):
    response = client_for("teacher").get(page_url(jw, jw.pe))

    assert [v for v, _label in response.context["choices"]] == ["pass", "fail", "na"]
    assert response.context["pass_fail"] is True


def test_final_marks_unknown_group_or_subject_is_404(client_for, jw):
    client = client_for("teacher")

    assert client.get(reverse("journal:final_marks", args=[999999, jw.maths.pk])).status_code == 404
    assert client.get(reverse("journal:final_marks", args=[jw.klass.pk, 999999])).status_code == 404


@pytest.mark.parametrize("extra", [0, 25], ids=["5 students", "30 students"])
def test_final_marks_query_budget(client_for, django_assert_num_queries, world, jw, extra):
    for i in range(extra):
        person = f.PersonFactory(municipality=world.municipality, surname=f"Доп{i:02}")
        GroupMember.objects.create(
            group=jw.klass, student=person, home_institution=world.school,
            starts_on=jw.year.starts_on,
        )  # fmt: skip
    teacher = world.users["teacher"]
    lesson = jw.lessons(period=jw.q1).first()
    for member in GroupMember.objects.filter(group=jw.klass).select_related("student"):
        records.cell_save(actor=teacher, lesson=lesson, student=member.student, text="5 4")
        for period in (jw.q1, None):
            records.period_mark_set(
                actor=teacher, group=jw.klass, subject=jw.maths, student=member.student,
                period=period, value=5,
            )  # fmt: skip
    client = client_for("teacher")

    # session, user, group with access, roles, periods, students, period marks, marks of the
    # year, the signed-in person
    with django_assert_num_queries(9):
        response = client.get(page_url(jw))

    assert len(response.context["rows"]) == 5 + extra


# --- the endpoint --------------------------------------------------------------------------


def test_final_mark_confirm_and_override(client_for, jw, marked):
    client = client_for("teacher")

    confirmed = post_mark(client, jw, marked, "4")
    overridden = post_mark(client, jw, marked, "5")

    assert confirmed.status_code == 200
    assert (confirmed.json()["text"], confirmed.json()["is_override"]) == ("4", False)
    assert (overridden.json()["text"], overridden.json()["is_override"]) == ("5", True)
    assert overridden.json()["suggested"] == 4
    mark = year_marks().get()
    assert (mark.value, mark.period_id, mark.suggested, str(mark.average)) == (5, None, 4, "4.00")
    assert (
        AuditEntry.objects.filter(action="journal.period_mark.set", object_id=mark.pk).count() == 2
    )


def test_final_mark_not_certified(client_for, jw):
    data = post_mark(client_for("teacher"), jw, jw.students[0], "na").json()

    assert data["text"] == "н/а"
    assert year_marks().get().not_certified is True


def test_final_mark_pass_fail_subject(client_for, jw):
    data = post_mark(client_for("teacher"), jw, jw.students[0], "fail", subject=jw.pe).json()

    assert data["text"] == "нз"
    assert year_marks().get().passed is False


def test_final_mark_does_not_touch_period_marks(client_for, jw, marked):
    post_mark(client_for("teacher"), jw, marked, "3")

    assert PeriodMark.objects.get(period=jw.q1).value == 5
    assert year_marks().get().value == 3


@pytest.mark.parametrize("value", ["", "0", "6", "7", "-1", "abc", "4.5"])
def test_final_mark_outside_the_scale_is_400_and_nothing_written(client_for, jw, value):
    response = post_mark(client_for("teacher"), jw, jw.students[0], value)

    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error": "Choose a mark from the list.",
        "code": "bad_value",
    }
    assert PeriodMark.objects.count() == 0


@pytest.mark.parametrize(("subject", "value"), [("maths", "pass"), ("pe", "5")])
def test_final_mark_of_the_wrong_kind_is_400(client_for, jw, subject, value):
    response = post_mark(
        client_for("teacher"), jw, jw.students[0], value, subject=getattr(jw, subject)
    )

    assert response.status_code == 400
    assert response.json()["error"]
    assert PeriodMark.objects.count() == 0


def test_final_mark_for_a_non_member_is_400_and_nothing_written(client_for, world, jw):
    response = post_mark(client_for("teacher"), jw, world.people["other_student"], "5")

    assert response.status_code == 400
    assert response.json()["code"] == "not_in_group"
    assert response.json()["error"] == "This student is not in the group."
    assert PeriodMark.objects.count() == 0


@pytest.mark.parametrize("student", [None, "abc", "999999"])
def test_final_mark_incomplete_request_is_400(client_for, jw, student):
    data = {"value": "5"} | ({"student": student} if student else {})

    response = client_for("teacher").post(mark_url(jw), data, **EN)

    assert response.status_code == 400
    assert "reload the page" in response.json()["error"]
    assert PeriodMark.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("director", 403),
        ("admin", 403),
        ("student", 404),
        ("other_teacher", 404),
        ("metodist", 404),
    ],
)
def test_final_mark_by_others_is_refused(client_for, jw, role, status):
    response = post_mark(client_for(role), jw, jw.students[0], "5")

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]
    assert PeriodMark.objects.count() == 0


def test_final_mark_substitute_cannot_set_year_marks(client, world, jw):
    sub = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=sub, institution=world.school, role=Membership.Role.TEACHER)
    timetable.lesson_substitute(
        actor=world.users["director"], lesson=jw.lessons(period=jw.q2).first(), substitute=sub
    )
    client.force_login(sub.user)

    response = post_mark(client, jw, jw.students[0], "5")

    assert response.status_code == 403
    assert PeriodMark.objects.count() == 0


def test_final_mark_anonymous_is_redirected_and_get_is_405(client, client_for, jw):
    assert (
        client.post(mark_url(jw), {"student": jw.students[0].pk, "value": "5"}).status_code == 302
    )
    assert client_for("teacher").get(mark_url(jw)).status_code == 405
    assert PeriodMark.objects.count() == 0


# --- the links to the page -----------------------------------------------------------------


def test_final_marks_links_from_the_grid_and_my_journals(client_for, jw):
    link = page_url(jw).encode()

    assert (
        link
        in client_for("teacher")
        .get(reverse("journal:grid", args=[jw.klass.pk, jw.maths.pk]))
        .content
    )
    assert link in client_for("teacher").get(reverse("journal:index")).content
