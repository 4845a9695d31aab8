"""The programmes' pages: each renders for the people it is for, and its forms write through
the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setka.programs.models import Application
from setka.programs.services import applications

pytestmark = pytest.mark.django_db


def test_catalogue_lists_published_offers_for_anyone(client, pw):
    response = client.get(reverse("programs:catalogue"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Робототехника" in body
    assert "Шахматы" in body


def test_catalogue_filters_by_kind_and_search(client, pw):
    response = client.get(reverse("programs:catalogue"), {"kind": "elective", "q": "шахмат"})

    body = response.content.decode()
    assert "Шахматы" in body
    assert "Робототехника" not in body


def test_catalogue_ignores_unreadable_filters(client, pw):
    response = client.get(
        reverse("programs:catalogue"),
        {"grade": "abc", "weekday": "99", "after": "25:99", "institution": "x", "page": "zz"},
    )

    assert response.status_code == 200
    assert "Робототехника" in response.content.decode()


def test_offer_page_offers_the_student_to_apply(client_for, pw):
    response = client_for("student").get(reverse("programs:offer", args=[pw.offer.pk]))

    assert response.status_code == 200
    assert 'action="/programs/offers/' in response.content.decode()


def test_parent_applies_for_the_child_from_the_page(client_for, world, pw):
    client = client_for("parent")

    response = client.post(
        reverse("programs:apply", args=[pw.elective.pk]),
        {"student": world.people["student"].pk, "message": "Хочет играть"},
    )

    application = Application.objects.get(offer=pw.elective)
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:application", args=[application.pk])
    assert application.status == Application.Status.ACCEPTED
    assert application.applicant == world.people["parent"]


def test_apply_for_a_stranger_is_refused_with_the_form(client_for, world, pw):
    response = client_for("other_parent").post(
        reverse("programs:apply", args=[pw.elective.pk]),
        {"student": world.people["student"].pk},
    )

    assert response.status_code == 400
    assert not Application.objects.exists()


def test_manage_pages_render_for_the_provider(client_for, pw):
    client = client_for("director")

    for url in (
        reverse("programs:manage"),
        reverse("programs:offer_create", args=[pw.elective.institution_id]),
        reverse("programs:offer_edit", args=[pw.elective.pk]),
        reverse("programs:offer_applications", args=[pw.elective.pk]),
        reverse("programs:agreements"),
        reverse("programs:agreement", args=[pw.agreement.pk]),
        reverse("programs:agreement_create"),
        reverse("programs:map"),
        reverse("programs:applications") + "?show=decide",
    ):
        response = client.get(url)
        assert response.status_code == 200, url


def test_agreement_pdf_is_a_pdf(client_for, pw):
    response = client_for("director").get(reverse("programs:agreement_pdf", args=[pw.agreement.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"


def test_application_pages_render(client_for, world, pw):
    application = applications.application_create(
        actor=world.users["student"], offer=pw.offer, student=world.people["student"]
    )

    for role in ("student", "parent", "director"):
        response = client_for(role).get(reverse("programs:application", args=[application.pk]))
        assert response.status_code == 200, role
    response = client_for("student").get(reverse("programs:applications"))
    assert "Робототехника" in response.content.decode()
