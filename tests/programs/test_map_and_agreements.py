"""The map of the network (counts by pair and kind of link, a handful of queries whatever the
size, public) and the agreement's pages: its steps, who sees a draft, the signed copies
(size and type checked, served to the parties only and never cached)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from setka.network.models import Institution
from setka.notifications.models import Notification
from setka.programs.models import Agreement, AgreementParty, AgreementScan, Application
from setka.programs.selectors.network_map import network_map
from setka.programs.services import agreements, applications

from .. import factories as f
from ..clock import TODAY, d

pytestmark = pytest.mark.django_db


def school_year() -> int:
    return TODAY.year if TODAY.month >= 9 else TODAY.year - 1


def pair(world, a: Institution, b: Institution, data) -> dict:
    key = (min(a.pk, b.pk), max(a.pk, b.pk))
    return next(link.counts for link in data.links if (link.a, link.b) == key)


def test_map_counts_agreements_enrolments_and_shared_offers(world, pw):
    application = applications.application_create(
        actor=world.users["student"], offer=pw.elective, student=world.people["student"]
    )
    assert application.status == Application.Status.ACCEPTED  # own school: no link
    robotics = applications.application_create(
        actor=world.users["student"], offer=pw.offer, student=world.people["student"]
    )
    applications.application_confirm(
        actor=world.users["director"], application=robotics, approve=True
    )
    applications.application_decide(actor=pw.ddt_admin, application=robotics, decision="accept")

    data = network_map(world.municipality.pk, school_year())

    assert pair(world, world.school, world.ddt, data) == {
        "agreements": 1,
        "enrolments": 1,
        "bookings": 0,
        "offers": 1,
    }
    assert {n.name for n in data.outside} == {world.other_school.short_name, world.imc.short_name}


def test_map_page_shows_the_pairs_in_the_graph_and_the_table(client, world, pw):
    """The page (written with Jinja2) shows what the selector counted: a line and a row per
    pair, the totals in words, and the institutions outside, each a link to the directory."""
    import re
    from urllib.parse import quote

    response = client.get(reverse("programs:map"), {"year": school_year()})
    html = response.content.decode()
    data = response.context["map"]

    assert len(data.links) == 1
    assert html.count('<line class="edge"') == 1
    rows = re.findall(r'<tr><th scope="row">(.*?)</tr>', html)
    assert len(rows) == 1
    assert "Школа № 3" in rows[0]
    assert "ДДТ" in rows[0]
    assert "1 пара учреждений сотрудничает" in html
    assert "2 учреждения вне сети" in html
    assert "договоры — <strong>1</strong>" in html
    for name in (world.other_school.short_name, world.imc.short_name):
        assert f'href="/institutions/?q={quote(name)}">{name}</a>' in html
    assert html.count('<circle class="node') == len(data.nodes)
    assert html.count('<circle class="node outside"') == 2


def test_map_of_another_year_is_empty(world, pw):
    data = network_map(world.municipality.pk, school_year() - 3)

    assert data.links == []


def test_map_filters_by_kind_of_institution(world, pw):
    data = network_map(world.municipality.pk, school_year(), group="general")

    assert set(data.nodes) == {world.school.pk, world.other_school.pk}
    assert data.links == []


@pytest.mark.parametrize("extra", [0, 12], ids=["4 institutions", "16 institutions"])
def test_map_page_query_budget(client, world, pw, extra, django_assert_num_queries):
    for i in range(extra):
        school = f.InstitutionFactory(municipality=world.municipality, short_name=f"Школа {i}")
        agreement = Agreement.objects.create(
            municipality=world.municipality, institution=school, programme=f"П{i}",
            student_status="-", credit_rules="-", documents="-", changes_rules="-",
            termination_rules="-", starts_on=d(2026, 9, 1), ends_on=d(2027, 5, 31),
            status=Agreement.Status.ACTIVE,
        )  # fmt: skip
        AgreementParty.objects.create(agreement=agreement, institution=school, role="base")
        AgreementParty.objects.create(agreement=agreement, institution=world.ddt)

    # the municipality, the institutions, the parties, enrolments, bookings (the time zone and
    # the pairs: the resource centres' selector), shared offers
    with django_assert_num_queries(7):
        response = client.get(reverse("programs:map"))

    assert response.status_code == 200
    assert len(response.context["edges"]) == 1 + extra


def test_map_page_ignores_unreadable_parameters(client, world, pw):
    response = client.get(
        reverse("programs:map"),
        {"year": "zz", "link": "nonsense", "group": "x", "municipality": "9" * 30},
    )

    assert response.status_code == 200
    assert response.context["map"].kinds == ["agreements", "enrolments", "bookings", "offers"]


# --- agreements -------------------------------------------------------------------------------


def _draft(world):
    return agreements.agreement_create(
        actor=world.users["director"],
        institution=world.school,
        data={"programme": "Школа юного инженера", "student_status": "-", "credit_rules": "-",
              "documents": "-", "changes_rules": "-", "termination_rules": "-",
              "starts_on": d(2026, 12, 1), "ends_on": d(2027, 5, 31)},
        partner_ids=[world.ddt.pk],
    )  # fmt: skip


def test_create_a_draft_from_the_page(client_for, world):
    response = client_for("director").post(
        reverse("programs:agreement_create") + f"?institution={world.school.pk}",
        {
            "institution": world.school.pk,
            "programme": "Инженерный класс",
            "level": "additional",
            "student_status": "Обучающиеся базовой организации",
            "credit_rules": "Засчитываются",
            "documents": "Справка",
            "changes_rules": "Допсоглашением",
            "termination_rules": "По истечении срока",
            "starts_on": d(2026, 12, 1).isoformat(),
            "ends_on": d(2027, 5, 31).isoformat(),
            "partners": [world.ddt.pk],
        },
    )

    agreement = Agreement.objects.get(programme="Инженерный класс")
    assert response.status_code == 302
    assert agreement.status == Agreement.Status.DRAFT
    assert sorted(agreement.parties.values_list("institution_id", flat=True)) == sorted(
        [world.school.pk, world.ddt.pk]
    )


def test_changing_a_draft_asks_every_party_again(world, pw):
    draft = _draft(world)
    agreements.agreement_part_add(
        actor=world.users["director"], agreement=draft, institution_id=world.ddt.pk,
        data={"title": "Модуль"},
    )  # fmt: skip
    agreements.agreement_approve(actor=pw.ddt_admin, agreement=draft)

    agreements.agreement_update(
        actor=world.users["director"], agreement=draft, data={"programme": "Новое название"}
    )

    assert not draft.parties.filter(approved_at__isnull=False).exists()
    assert Notification.objects.filter(
        recipient=pw.ddt_admin.person, kind="programs.agreement", data__step="changed"
    ).exists()


def test_approval_needs_the_parts(world, pw):
    draft = _draft(world)

    with pytest.raises(ValidationError) as caught:
        agreements.agreement_approve(actor=world.users["director"], agreement=draft)

    assert "parts" in caught.value.message_dict


def test_draft_page_for_the_parties_only(client_for, world, pw):
    draft = _draft(world)
    url = reverse("programs:agreement", args=[draft.pk])

    assert client_for("director").get(url).status_code == 200
    for role in ("admin", "metodist", "partner", "teacher", "other_teacher", "student"):
        assert client_for(role).get(url).status_code == 404, role


def _scan(content=b"%PDF-1.4 signed", name="договор.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_signed_copy_through_the_page(client_for, world, pw):
    client = client_for("director")

    client.post(reverse("programs:scan_upload", args=[pw.agreement.pk]), {"file": _scan()})

    scan = AgreementScan.objects.get()
    response = client.get(reverse("programs:scan", args=[scan.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"
    assert client_for("partner").get(reverse("programs:scan", args=[scan.pk])).status_code == 404
    municipal = client_for("admin").get(reverse("programs:scan", args=[scan.pk]))
    assert b"".join(municipal.streaming_content) == b"%PDF-1.4 signed"  # read: closes the file


def test_signed_copy_too_large_or_of_another_type_is_refused(client_for, world, pw, settings):
    client = client_for("director")
    url = reverse("programs:scan_upload", args=[pw.agreement.pk])

    client.post(url, {"file": _scan(b"<html>not a scan</html>", "a.pdf")})
    big = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    response = client.post(url, {"file": _scan(big)}, follow=True)

    assert "больше 10 МБ" in response.content.decode() or "larger than 10 MB" in (
        response.content.decode()
    )
    assert not AgreementScan.objects.exists()


def test_signed_copies_of_an_agreement_in_force_are_kept(client_for, world, pw):
    client = client_for("director")
    client.post(reverse("programs:scan_upload", args=[pw.agreement.pk]), {"file": _scan()})
    scan = AgreementScan.objects.get()

    client.post(reverse("programs:scan_remove", args=[scan.pk]))

    assert AgreementScan.objects.filter(pk=scan.pk).exists()


def test_ending_the_agreement_withdraws_the_waiting_applications(world, pw):
    application = applications.application_create(
        actor=world.users["student"], offer=pw.offer, student=world.people["student"]
    )

    agreements.agreement_end(actor=world.users["director"], agreement=pw.agreement)

    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert Agreement.objects.get(pk=pw.agreement.pk).status == Agreement.Status.ENDED
    assert Notification.objects.filter(
        recipient=pw.ddt_admin.person, kind="programs.agreement", data__step="ended"
    ).exists()
