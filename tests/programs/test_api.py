"""The programmes' API: the catalogue and offers, applications with their steps (409 naming
the conflicting application, 422 naming the field, in Russian where asked), agreements with
their PDF and signed copies, the map and credited results; bad input never writes."""

from __future__ import annotations

import pytest

from setka.programs.models import Agreement, AgreementScan, Application, Offer

from ..api.conftest import assert_problem, error_fields
from ..clock import d, iso

pytestmark = pytest.mark.django_db
A = "/programs"


# --- offers -----------------------------------------------------------------------------------


def test_catalogue_is_public_with_filters(api, pw):
    everything = api.as_("anonymous").get(f"{A}/offers")
    electives = api.get(f"{A}/offers?kind=elective")
    seventh = api.get(f"{A}/offers?grade=7&weekday=3")

    assert everything.status_code == 200
    assert {o["title"] for o in everything.json()["items"]} == {"Робототехника", "Шахматы"}
    assert [o["title"] for o in electives.json()["items"]] == ["Шахматы"]
    assert [o["title"] for o in seventh.json()["items"]] == ["Шахматы"]
    offer = everything.json()["items"][0]
    assert offer["slots"]
    assert offer["institution"]["name"]


def test_fits_my_timetable_is_for_the_family_only(api, world, pw):
    response = api.as_("other_parent").get(
        f"{A}/offers?fits_student_id={world.people['student'].pk}"
    )

    assert error_fields(response) == {"fits_student_id"}


def test_offer_create_patch_publish_as_the_provider(api, world, pw):
    body = {
        "institution_id": world.school.pk,
        "title": "Химия вокруг нас",
        "kind": "elective",
        "area": "science",
        "capacity": 15,
        "applications_open_on": iso(2026, 11, 1),
        "applications_close_on": iso(2026, 12, 1),
        "starts_on": iso(2026, 12, 1),
        "ends_on": iso(2027, 5, 20),
        "hours": 34,
        "grade_min": 8,
        "grade_max": 9,
        "slots": [{"weekday": 4, "starts_at": "15:00", "ends_at": "16:00"}],
        "teacher_ids": [world.people["teacher"].pk],
    }

    created = api.as_("director").post(f"{A}/offers", body)
    assert created.status_code == 201, created.content
    offer = created.json()
    assert offer["status"] == "draft"
    patched = api.patch(f"{A}/offers/{offer['id']}", {"capacity": 20, "room": None})
    published = api.post(f"{A}/offers/{offer['id']}/status", {"status": "published"})

    assert patched.json()["capacity"] == 20
    assert published.json()["status"] == "published"
    assert api.as_("anonymous").get(f"{A}/offers/{offer['id']}").status_code == 200


def test_only_the_provider_manages_its_offers(api, world, pw):
    assert_problem(api.as_("director").patch(f"{A}/offers/{pw.offer.pk}", {"capacity": 3}), 403)
    assert_problem(api.as_("partner").patch(f"{A}/offers/{pw.offer.pk}", {"capacity": 3}), 403)
    body = {"institution_id": world.ddt.pk, "title": "x", "kind": "club", "area": "arts",
            "capacity": 5, "applications_open_on": iso(2026, 11, 1),
            "applications_close_on": iso(2026, 12, 1), "starts_on": iso(2026, 12, 1),
            "ends_on": iso(2027, 5, 1), "hours": 10}  # fmt: skip
    assert_problem(api.as_("director").post(f"{A}/offers", body), 403)
    assert Offer.objects.get(pk=pw.offer.pk).capacity == 10


def test_offer_with_bad_dates_names_the_field_in_russian(api, world, pw):
    response = api.as_("director").patch(
        f"{A}/offers/{pw.elective.pk}",
        {"starts_on": iso(2027, 5, 1), "ends_on": iso(2027, 1, 1)},
        lang="ru",
    )

    body = assert_problem(response, 422)
    assert body["errors"] == [
        {
            "field": "ends_on",
            "message": "Занятия заканчиваются раньше, чем начинаются.",
            "code": "invalid",
        }
    ]
    assert Offer.objects.get(pk=pw.elective.pk).ends_on == d(2027, 5, 31)


def test_draft_offer_is_hidden_from_others(api, world, pw):
    Offer.objects.filter(pk=pw.offer.pk).update(status="draft")

    assert_problem(api.as_("student").get(f"{A}/offers/{pw.offer.pk}"), 404)
    assert api.as_("anonymous").get(f"{A}/offers").json()["count"] == 1


@pytest.mark.parametrize("extra", [0, 20], ids=["2 offers", "22 offers"])
def test_catalogue_query_budget(api, world, pw, extra, django_assert_num_queries):
    for i in range(extra):
        copy = Offer.objects.get(pk=pw.elective.pk)
        copy.pk = None
        copy.title = f"Курс {i}"
        copy.save()
    client = api.as_("anonymous")

    with django_assert_num_queries(4):  # count, page, slots, teachers
        response = client.get(f"{A}/offers?page_size=50")

    assert response.json()["count"] == 2 + extra


# --- applications -----------------------------------------------------------------------------


def test_apply_and_the_steps_through_the_api(api, world, pw):
    student = world.people["student"]

    created = api.as_("parent").post(
        f"{A}/applications", {"offer_id": pw.offer.pk, "student_id": student.pk}
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["status"] == "home_review"
    confirmed = api.as_("director").post(f"{A}/applications/{pk}/confirm", {"approve": True})
    assert confirmed.json()["status"] == "pending"
    api.client.force_login(pw.ddt_admin)
    decided = api.post(f"{A}/applications/{pk}/decide", {"decision": "accept"})
    assert decided.json()["status"] == "accepted"
    assert decided.json()["group_member_id"] is not None
    withdrawn = api.as_("student").post(f"{A}/applications/{pk}/withdraw", {"reason": ""})
    assert withdrawn.json()["status"] == "withdrawn"


def test_duplicate_application_is_a_409_naming_the_first(api, world, pw):
    body = {"offer_id": pw.elective.pk, "student_id": world.people["student"].pk}
    first = api.as_("student").post(f"{A}/applications", body)

    again = api.as_("parent").post(f"{A}/applications", body, lang="ru")

    problem = assert_problem(again, 409)
    assert problem["conflict"] == {
        "type": "application",
        "id": first.json()["id"],
        "status": "accepted",
    }
    assert problem["detail"].startswith("Ученикова Д.С. уже подал(а) заявку")
    assert Application.objects.count() == 1


def test_application_outside_the_window_names_the_field(api, world, pw):
    Offer.objects.filter(pk=pw.elective.pk).update(
        applications_open_on=d(2026, 11, 1), applications_close_on=d(2026, 11, 20)
    )

    response = api.as_("student").post(
        f"{A}/applications",
        {"offer_id": pw.elective.pk, "student_id": world.people["student"].pk},
        lang="ru",
    )

    body = assert_problem(response, 422)
    assert error_fields(response) == {"offer"}
    assert body["errors"][0]["message"].startswith("Приём заявок закончился")
    assert not Application.objects.exists()


def test_application_for_someone_elses_child_is_refused(api, world, pw):
    response = api.as_("other_parent").post(
        f"{A}/applications", {"offer_id": pw.elective.pk, "student_id": world.people["student"].pk}
    )

    assert error_fields(response) == {"student_id"}
    assert not Application.objects.exists()


def test_application_bad_input(api, world, pw):
    client = api.as_("student")

    assert error_fields(client.post(f"{A}/applications", {"offer_id": "x"})) == {
        "offer_id",
        "student_id",
    }
    assert error_fields(
        client.post(
            f"{A}/applications",
            {
                "offer_id": pw.offer.pk,
                "student_id": world.people["student"].pk,
                "message": "x" * 2001,
            },
        )
    ) == {"message"}
    assert_problem(client.post(f"{A}/applications", {"offer_id": 2**40, "student_id": 1}), 404)
    assert not Application.objects.exists()


def test_decide_twice_is_a_409(api, world, pw):
    created = api.as_("student").post(
        f"{A}/applications", {"offer_id": pw.elective.pk, "student_id": world.people["student"].pk}
    )

    again = api.as_("director").post(
        f"{A}/applications/{created.json()['id']}/decide", {"decision": "accept"}
    )

    assert assert_problem(again, 409)["conflict"]["status"] == "accepted"


def test_decisions_of_others_are_refused(api, world, pw):
    created = api.as_("student").post(
        f"{A}/applications", {"offer_id": pw.offer.pk, "student_id": world.people["student"].pk}
    )
    pk = created.json()["id"]

    assert_problem(
        api.as_("teacher").post(f"{A}/applications/{pk}/confirm", {"approve": True}), 404
    )
    assert_problem(
        api.as_("student").post(f"{A}/applications/{pk}/confirm", {"approve": True}), 403
    )
    assert_problem(
        api.as_("director").post(f"{A}/applications/{pk}/decide", {"decision": "accept"}), 403
    )
    assert Application.objects.get(pk=pk).status == "home_review"


@pytest.mark.parametrize("extra", [0, 10], ids=["1 application", "11 applications"])
def test_applications_query_budget(api, world, jw, pw, extra, django_assert_num_queries):
    from setka.programs.services import applications

    from .conftest import seventh_grader

    Offer.objects.filter(pk=pw.elective.pk).update(capacity=50)
    applications.application_create(
        actor=world.users["student"], offer=pw.elective, student=world.people["student"]
    )
    for i in range(extra):
        other = seventh_grader(world, jw, f"Бюджет{i}")
        Application.objects.create(
            offer=pw.elective, institution=world.school, student=other,
            applicant=other, home_institution=world.school, status="pending",
        )  # fmt: skip
    client = api.as_("director")

    with django_assert_num_queries(5):  # session, user, roles, count, page
        response = client.get(f"{A}/applications?show=all")

    assert response.json()["count"] == 1 + extra


# --- agreements -------------------------------------------------------------------------------


AGREEMENT = {
    "programme": "Инженерная школа",
    "level": "additional",
    "student_status": "Обучающиеся базовой организации.",
    "credit_rules": "Засчитываются как «Технология».",
    "documents": "Справка.",
    "changes_rules": "Допсоглашением.",
    "termination_rules": "По истечении срока.",
}


def test_agreement_lifecycle_through_the_api(api, world, pw):
    body = {**AGREEMENT, "institution_id": world.school.pk, "partner_ids": [world.ddt.pk],
            "starts_on": iso(2026, 12, 1), "ends_on": iso(2027, 5, 31)}  # fmt: skip
    created = api.as_("director").post(f"{A}/agreements", body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    part = api.post(
        f"{A}/agreements/{pk}/parts",
        {"institution_id": world.ddt.pk, "title": "Модуль 1", "hours": 20},
    )
    assert part.status_code == 201
    api.post(f"{A}/agreements/{pk}/approve")
    api.client.force_login(pw.ddt_admin)
    agreed = api.post(f"{A}/agreements/{pk}/approve")
    assert agreed.json()["status"] == "agreed"
    assert_problem(api.post(f"{A}/agreements/{pk}/activate"), 403)
    active = api.as_("director").post(f"{A}/agreements/{pk}/activate")
    assert active.json()["status"] == "active"
    conflict = api.patch(f"{A}/agreements/{pk}", {"programme": "Другое"})
    assert assert_problem(conflict, 409)["conflict"]["type"] == "agreement"
    ended = api.post(f"{A}/agreements/{pk}/end", {})
    assert ended.json()["status"] == "ended"


def test_a_draft_is_seen_by_the_parties_only(api, world, pw):
    body = {**AGREEMENT, "institution_id": world.school.pk, "partner_ids": [world.ddt.pk],
            "starts_on": iso(2026, 12, 1), "ends_on": iso(2027, 5, 31)}  # fmt: skip
    pk = api.as_("director").post(f"{A}/agreements", body).json()["id"]

    assert api.as_("admin").get(f"{A}/agreements/{pk}").status_code == 404
    assert api.as_("partner").get(f"{A}/agreements/{pk}").status_code == 404
    api.client.force_login(pw.ddt_admin)
    assert api.get(f"{A}/agreements/{pk}").status_code == 200
    # the active one is seen by the parties' employees and the municipality
    assert api.as_("admin").get(f"{A}/agreements/{pw.agreement.pk}").status_code == 200
    assert api.as_("partner").get(f"{A}/agreements/{pw.agreement.pk}").status_code == 200
    assert api.as_("other_teacher").get(f"{A}/agreements/{pw.agreement.pk}").status_code == 404


def test_agreement_ending_before_it_begins_is_refused(api, world, pw):
    body = {**AGREEMENT, "institution_id": world.school.pk, "partner_ids": [world.ddt.pk],
            "starts_on": iso(2027, 5, 31), "ends_on": iso(2026, 12, 1)}  # fmt: skip

    response = api.as_("director").post(f"{A}/agreements", body)

    assert error_fields(response) == {"ends_on"}
    assert Agreement.objects.count() == 1


def test_agreement_pdf_through_the_api(api, pw):
    response = api.as_("director").get(f"{A}/agreements/{pw.agreement.pk}/pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def _upload(client, pk, content: bytes, name: str):
    return client.post(
        f"/api/v1{A}/agreements/{pk}/scans",
        {"file": _file(content, name)},
    )


def _file(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_signed_copy_upload_and_download(api, world, pw):
    client = api.as_("director").client

    uploaded = _upload(client, pw.agreement.pk, b"%PDF-1.4 signed", "подписан.pdf")

    assert uploaded.status_code == 201, uploaded.content
    url = uploaded.json()["url"]
    download = client.get(url)
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 signed"
    assert download["Cache-Control"] == "private, no-store"
    assert api.as_("partner").get(url).status_code == 404
    assert api.as_("other_teacher").get(url).status_code == 404


def test_signed_copy_of_another_kind_is_refused(api, world, pw):
    client = api.as_("director").client

    response = _upload(client, pw.agreement.pk, b"MZ\x90\x00 not a scan", "scan.pdf")

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"file"}
    assert not AgreementScan.objects.exists()


def test_signed_copy_by_a_stranger_is_refused(api, world, pw):
    response = _upload(api.as_("teacher").client, pw.agreement.pk, b"%PDF-1.4", "a.pdf")

    assert response.status_code == 403
    assert not AgreementScan.objects.exists()


# --- the map and credits ----------------------------------------------------------------------


def test_map_is_public_in_aggregate(api, world, pw):
    response = api.as_("anonymous").get(f"{A}/network-map?link=agreements&link=offers")

    assert response.status_code == 200
    data = response.json()
    assert data["kinds"] == ["agreements", "offers"]
    pair = {(link["a"], link["b"]): link for link in data["links"]}
    key = (min(world.school.pk, world.ddt.pk), max(world.school.pk, world.ddt.pk))
    assert pair[key]["counts"] == {"agreements": 1, "offers": 1}
    assert world.other_school.pk in data["outside"]


def test_credits_for_the_family_and_the_home_school_only(api, world, pw):
    student = world.people["student"].pk

    assert api.as_("parent").get(f"{A}/credits?student_id={student}").json() == []
    assert api.as_("director").get(f"{A}/credits?student_id={student}").status_code == 200
    assert api.as_("partner").get(f"{A}/credits?student_id={student}").status_code == 404
    assert api.as_("other_parent").get(f"{A}/credits?student_id={student}").status_code == 404
