"""The grid page's cell save and the API's ``PUT /journal/cells`` are one path (issue 7, §2):
the same read and authorization (``access.lesson_for_write``), the same service, the same
student summary (``selectors.student_summary``) and cell text (``selectors.cell_text``). For
each input the two answer the same, only in their own shapes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats

from setka.journal.models import Mark
from setka.journal.services import timetable
from setka.network.models import Membership

from .. import factories as f
from ..clock import d

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def two_lessons(jw):
    return list(jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 20))[:2])


def _page(client, jw, lesson, student, text):
    url = reverse("journal:cell", args=[jw.klass.pk, jw.maths.pk])
    return client.post(url, {"lesson": lesson.pk, "student": student.pk, "text": text}, **EN)


def _api(client, lesson, student, text):
    body = {"lesson_id": lesson.pk, "student_id": student.pk, "text": text}
    return client.put(
        "/api/v1/journal/cells", json.dumps(body), content_type="application/json", **EN
    )


@pytest.mark.parametrize("texts", [["5 4", "3"], ["Н", "ОП 5"], ["4 4 5", ""]])
def test_page_and_api_cell_saves_answer_the_same(client_for, jw, two_lessons, texts):
    client = client_for("teacher")
    by_page, by_api = jw.students[0], jw.students[1]  # the same history, one student each
    for lesson, text in zip(two_lessons, texts, strict=True):
        page = _page(client, jw, lesson, by_page, text)
        api = _api(client, lesson, by_api, text)
        assert (page.status_code, api.status_code) == (200, 200)
        page_data, api_data = page.json(), api.json()

        assert page_data["text"] == api_data["text"]
        assert page_data["attendance"] == api_data["attendance"]
        assert page_data["count"] == api_data["count"]
        assert page_data["suggested"] == (api_data["suggested"] or "")
        average = api_data["average"]
        shown = formats.number_format(Decimal(str(average)), 2) if average is not None else ""
        assert page_data["average"] == shown
    assert (
        Mark.objects.filter(student=by_page, is_deleted=False).count()
        == Mark.objects.filter(student=by_api, is_deleted=False).count()
    )


def test_page_and_api_refuse_a_substitute_the_same_lessons(world, client, jw, two_lessons):
    covered, other = two_lessons
    substitute = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=substitute, institution=world.school, role=Membership.Role.TEACHER)
    timetable.lesson_substitute(
        actor=world.users["director"], lesson=covered, substitute=substitute
    )
    client.force_login(substitute.user)
    student = jw.students[0]

    answers = [
        (
            _page(client, jw, lesson, student, "5").status_code,
            _api(client, lesson, student, "5").status_code,
        )
        for lesson in (covered, other)
    ]

    # the covered lesson is written by both; the other one is read only: 403 from both
    assert answers == [(200, 200), (403, 403)]
