"""A substitute writes the lessons they cover and nothing else: no period or year marks, no
other lesson, and the journal answers them "read" (issue 6, §2)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from setka.journal.models import Mark, PeriodMark
from setka.journal.services import records, timetable
from setka.network.models import Membership

from .. import factories as f

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
JA = "/api/v1/journal"


@pytest.fixture
def covered(jw):
    """The first maths lesson of the 2nd quarter: the one the substitute covers."""
    return jw.lessons(period=jw.q2).first()


@pytest.fixture
def substitute(world, jw, covered):
    """A teacher of school №3 who teaches nothing in 7Б and covers one maths lesson."""
    person = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.TEACHER)
    timetable.lesson_substitute(actor=world.users["director"], lesson=covered, substitute=person)
    return person


@pytest.fixture
def sub_client(client, substitute):
    client.force_login(substitute.user)
    return client


def _put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json", **EN)


def _pm_api(jw):
    return f"{JA}/groups/{jw.klass.pk}/subjects/{jw.maths.pk}/period-marks"


def test_substitute_cannot_set_a_period_mark_through_the_api(sub_client, jw):
    body = {"student_id": jw.students[0].pk, "period_id": jw.q2.pk, "value": 5}

    response = _put(sub_client, _pm_api(jw), body)

    assert response.status_code == 403
    assert PeriodMark.objects.count() == 0


def test_substitute_cannot_set_a_year_mark_through_the_api(sub_client, jw):
    response = _put(sub_client, _pm_api(jw), {"student_id": jw.students[0].pk, "value": 5})

    assert response.status_code == 403
    assert PeriodMark.objects.count() == 0


def test_substitute_cannot_set_a_period_mark_through_the_page(sub_client, jw):
    url = reverse("journal:period_mark", args=[jw.klass.pk, jw.maths.pk])

    response = sub_client.post(
        url, {"student": jw.students[0].pk, "period": jw.q2.pk, "value": "5"}, **EN
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert PeriodMark.objects.count() == 0


def test_substitute_cannot_set_a_year_mark_through_the_page(sub_client, jw):
    url = reverse("journal:final_mark", args=[jw.klass.pk, jw.maths.pk])

    response = sub_client.post(url, {"student": jw.students[0].pk, "value": "5"}, **EN)

    assert response.status_code == 403
    assert PeriodMark.objects.count() == 0


def test_substitute_period_mark_service_refuses(world, jw, substitute):
    with pytest.raises(PermissionDenied):
        records.period_mark_set(
            actor=substitute.user,
            group=jw.klass,
            subject=jw.maths,
            student=jw.students[0],
            period=jw.q2,
            value=5,
        )


def test_substitute_grid_api_reads_and_writes_only_the_covered_lesson(sub_client, jw, covered):
    response = sub_client.get(f"{JA}/groups/{jw.klass.pk}/subjects/{jw.maths.pk}/grid", **EN)

    body = response.json()
    assert response.status_code == 200
    assert body["access"] == "read"
    assert [lesson["id"] for lesson in body["lessons"] if lesson["writable"]] == [covered.pk]


def test_substitute_grid_page_reads_and_edits_only_the_covered_lesson(sub_client, jw, covered):
    response = sub_client.get(reverse("journal:grid", args=[jw.klass.pk, jw.maths.pk]))

    assert response.status_code == 200
    assert response.context["access"] == "read"
    assert [c.lesson.pk for c in response.context["columns"] if c.editable] == [covered.pk]
    assert response.context["writes"] is True  # the covered lesson's cells can be typed in
    assert response.context["can_set_period_marks"] is False


def test_substitute_period_marks_list_answers_read(sub_client, jw):
    response = sub_client.get(f"{_pm_api(jw)}?period_id={jw.q2.pk}", **EN)

    assert response.status_code == 200
    assert response.json()["access"] == "read"


def test_substitute_writes_the_covered_lesson_through_the_page_and_the_api(sub_client, jw, covered):
    other = jw.lessons(period=jw.q2).exclude(pk=covered.pk).first()
    cell_url = reverse("journal:cell", args=[jw.klass.pk, jw.maths.pk])
    student = jw.students[0]

    page_ok = sub_client.post(cell_url, {"lesson": covered.pk, "student": student.pk, "text": "5"})
    page_no = sub_client.post(cell_url, {"lesson": other.pk, "student": student.pk, "text": "5"})
    api_ok = _put(
        sub_client, f"{JA}/cells", {"lesson_id": covered.pk, "student_id": student.pk, "text": "4"}
    )
    api_no = _put(
        sub_client, f"{JA}/cells", {"lesson_id": other.pk, "student_id": student.pk, "text": "4"}
    )

    assert [r.status_code for r in (page_ok, page_no, api_ok, api_no)] == [200, 403, 200, 403]
    assert set(Mark.objects.values_list("lesson_id", flat=True)) == {covered.pk}


def test_substitute_cannot_import_a_plan(world, jw, substitute):
    from setka.journal.importing.plan import can_import_plan

    assert can_import_plan(substitute.user, jw.klass, jw.maths) is False
