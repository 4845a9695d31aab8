"""The network programmes in the permission matrix. ``_pw`` builds the programmes of the
world (``conftest.build``): an active agreement of school №3 (``director`` is its base
administrator) with the ДДТ, the ДДТ's course under it and school №3's own elective; the
application is the world's ``student``'s to the ДДТ's course, awaiting school №3.

A row whose body needs ids of those objects fills its ``data`` from its ``url`` (the url is
built first)."""

from __future__ import annotations

from django.urls import reverse

from setka.programs.models import AgreementScan
from setka.programs.services import agreements, applications

from ..clock import d, iso
from ..matrix import Row
from .conftest import build

A = "/api/v1/programs"
ALL = "200 200 200 200 200 200 200 200 200 200"
SIGNED_IN = "L 200 200 200 200 200 200 200 200 200"
API_SIGNED_IN = "401 200 200 200 200 200 200 200 200 200"
# anon admin metodist director teacher student parent partner other_teacher other_parent
MANAGER = "L 404 404 200 404 404 404 404 404 404"
MANAGER_POST = "L 404 404 R 404 404 404 404 404 404"
READERS = "L 200 200 200 200 404 404 200 404 404"  # of an agreement in force
API_MANAGER = "401 403 403 200 403 403 403 403 403 403"
API_READERS = "401 200 200 200 200 404 404 200 404 404"
API_READERS_STEP = "401 403 403 {} 403 404 404 403 404 404"


def _pw(w, j):
    j.year  # noqa: B018 - school №3's year: the student's grade
    return build(w)


def _elective(w, j) -> int:
    return _pw(w, j).elective.pk


def _offer(w, j) -> int:
    return _pw(w, j).offer.pk


def _agreement(w, j) -> int:
    return _pw(w, j).agreement.pk


def _application(w, j) -> int:
    pw = _pw(w, j)
    return applications.application_create(
        actor=w.users["student"], offer=pw.offer, student=w.people["student"]
    ).pk


def _draft(w, j, *, with_part: bool = False):
    _pw(w, j)
    draft = agreements.agreement_create(
        actor=w.users["director"],
        institution=w.school,
        data={"programme": "Проект", "student_status": "-", "credit_rules": "-",
              "documents": "-", "changes_rules": "-", "termination_rules": "-",
              "starts_on": d(2026, 12, 1), "ends_on": d(2027, 5, 31)},
        partner_ids=[w.ddt.pk],
    )  # fmt: skip
    if with_part:
        agreements.agreement_part_add(
            actor=w.users["director"], agreement=draft, institution_id=w.ddt.pk,
            data={"title": "Модуль"},
        )  # fmt: skip
    return draft


def _part(w, j) -> int:
    return _draft(w, j, with_part=True).parts.get().pk


def _scan(w, j) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    pw = _pw(w, j)
    scan = agreements.scan_add(
        actor=w.users["director"],
        agreement=pw.agreement,
        file=SimpleUploadedFile("подписан.pdf", b"%PDF-1.4 signed"),
    )
    return AgreementScan.objects.get(pk=scan.pk).pk


def _with(data: dict, **fill):
    """``url`` that also puts ids into ``data`` (see the module's docstring)."""

    def url(builder):
        def make(w, j):
            for key, value in fill.items():
                data[key] = value(w, j)
            return builder(w, j)

        return make

    return url


APPLY = {"student": 0}
_apply = _with(APPLY, student=lambda w, j: w.people["student"].pk)
PART = {"institution": 0, "title": "Модуль 2"}
_part_form = _with(PART, institution=lambda w, j: w.ddt.pk)

PAGES = [
    Row("programs:catalogue", lambda w, j: reverse("programs:catalogue"), ALL),
    Row("programs:map", lambda w, j: reverse("programs:map"), ALL),
    Row("programs:offer", lambda w, j: reverse("programs:offer", args=[_offer(w, j)]), ALL),
    Row("programs:apply",
        _apply(lambda w, j: reverse("programs:apply", args=[_elective(w, j)])),
        "L 400 400 400 400 R R 400 400 400", method="post", data=APPLY),
    Row("programs:offer_edit", lambda w, j: reverse("programs:offer_edit", args=[_elective(w, j)]),
        MANAGER),
    Row("programs:offer_status",
        lambda w, j: reverse("programs:offer_status", args=[_elective(w, j)]), MANAGER_POST,
        method="post", data={"status": "archived"}),
    Row("programs:offer_group",
        lambda w, j: reverse("programs:offer_group", args=[_elective(w, j)]),
        MANAGER_POST, method="post", data={"group": ""}),
    Row("programs:offer_applications",
        lambda w, j: reverse("programs:offer_applications", args=[_elective(w, j)]), MANAGER),
    Row("programs:manage", lambda w, j: reverse("programs:manage"), MANAGER),
    Row("programs:offer_create",
        lambda w, j: reverse("programs:offer_create", args=[w.school.pk]), MANAGER),
    Row("programs:applications", lambda w, j: reverse("programs:applications"), SIGNED_IN),
    Row("programs:application",
        lambda w, j: reverse("programs:application", args=[_application(w, j)]),
        "L 404 404 200 404 200 200 404 404 404"),
    Row("programs:application_confirm",
        lambda w, j: reverse("programs:application_confirm", args=[_application(w, j)]),
        "L 404 404 R 404 403 403 404 404 404", method="post", data={"approve": "1"}),
    Row("programs:application_decide",
        lambda w, j: reverse("programs:application_decide", args=[_application(w, j)]),
        "L 404 404 403 404 403 403 404 404 404", method="post", data={"decision": "accept"}),
    Row("programs:application_withdraw",
        lambda w, j: reverse("programs:application_withdraw", args=[_application(w, j)]),
        "L 404 404 403 404 R R 404 404 404", method="post"),
    Row("programs:agreements", lambda w, j: reverse("programs:agreements"),
        "L 200 200 200 200 404 404 200 200 404"),
    Row("programs:agreement_create", lambda w, j: reverse("programs:agreement_create"), MANAGER),
    Row("programs:agreement", lambda w, j: reverse("programs:agreement", args=[_agreement(w, j)]),
        READERS),
    Row("programs:agreement_pdf",
        lambda w, j: reverse("programs:agreement_pdf", args=[_agreement(w, j)]), READERS),
    Row("programs:agreement_edit",
        lambda w, j: reverse("programs:agreement_edit", args=[_draft(w, j).pk]), MANAGER),
    Row("programs:agreement_approve",
        lambda w, j: reverse("programs:agreement_approve", args=[_draft(w, j, with_part=True).pk]),
        MANAGER_POST, method="post"),
    Row("programs:agreement_activate",
        lambda w, j: reverse("programs:agreement_activate", args=[_agreement(w, j)]),
        "L 403 403 R 403 404 404 403 404 404", method="post"),
    Row("programs:agreement_end",
        lambda w, j: reverse("programs:agreement_end", args=[_agreement(w, j)]),
        "L 403 403 R 403 404 404 403 404 404", method="post"),
    Row("programs:part_add",
        _part_form(lambda w, j: reverse("programs:part_add", args=[_draft(w, j).pk])),
        MANAGER_POST, method="post", data=PART),
    Row("programs:part_remove", lambda w, j: reverse("programs:part_remove", args=[_part(w, j)]),
        MANAGER_POST, method="post"),
    Row("programs:scan_upload",
        lambda w, j: reverse("programs:scan_upload", args=[_agreement(w, j)]),
        "L 403 403 R 403 404 404 403 404 404", method="post"),
    Row("programs:scan", lambda w, j: reverse("programs:scan", args=[_scan(w, j)]),
        "L 200 404 200 404 404 404 404 404 404"),
    Row("programs:scan_remove", lambda w, j: reverse("programs:scan_remove", args=[_scan(w, j)]),
        "L 403 404 R 404 404 404 404 404 404", method="post"),
]  # fmt: skip


def _offer_body():
    return {"institution_id": 0, "title": "Курс", "kind": "elective", "area": "arts",
            "capacity": 5, "applications_open_on": iso(2026, 11, 1),
            "applications_close_on": iso(2026, 12, 1), "starts_on": iso(2026, 12, 1),
            "ends_on": iso(2027, 5, 1), "hours": 10}  # fmt: skip


OFFER_BODY = _offer_body()
_new_offer = _with(OFFER_BODY, institution_id=lambda w, j: w.school.pk)
APPLICATION_BODY = {"offer_id": 0, "student_id": 0}
_new_application = _with(
    APPLICATION_BODY, offer_id=_elective, student_id=lambda w, j: w.people["student"].pk
)
AGREEMENT_BODY = {"institution_id": 0, "partner_ids": [0], "programme": "Проект",
                  "student_status": "-", "credit_rules": "-", "documents": "-",
                  "changes_rules": "-", "termination_rules": "-",
                  "starts_on": iso(2026, 12, 1), "ends_on": iso(2027, 5, 31)}  # fmt: skip
_new_agreement = _with(
    AGREEMENT_BODY, institution_id=lambda w, j: w.school.pk, partner_ids=lambda w, j: [w.ddt.pk]
)
PART_BODY = {"institution_id": 0, "title": "Модуль 2"}
_new_part = _with(PART_BODY, institution_id=lambda w, j: w.ddt.pk)


def _credits(w, j) -> str:
    _pw(w, j)
    return f"{A}/credits?student_id={w.people['student'].pk}"


API_ROWS = [
    Row("GET /programs/offers", lambda w, j: f"{A}/offers", ALL),
    Row("GET /programs/my-offers", lambda w, j: f"{A}/my-offers", API_SIGNED_IN),
    Row("GET /programs/offers/{offer_id}", lambda w, j: f"{A}/offers/{_offer(w, j)}", ALL),
    Row("POST /programs/offers", _new_offer(lambda w, j: f"{A}/offers"),
        "401 403 403 201 403 403 403 403 403 403", method="post", data=OFFER_BODY),
    Row("PATCH /programs/offers/{offer_id}", lambda w, j: f"{A}/offers/{_elective(w, j)}",
        API_MANAGER, method="patch", data={"capacity": 5}),
    Row("POST /programs/offers/{offer_id}/status",
        lambda w, j: f"{A}/offers/{_elective(w, j)}/status", API_MANAGER, method="post",
        data={"status": "archived"}),
    # school №3's elective has no subject: the new group is refused (422) to its provider
    Row("POST /programs/offers/{offer_id}/group",
        lambda w, j: f"{A}/offers/{_elective(w, j)}/group",
        "401 403 403 422 403 403 403 403 403 403", method="post", data={}),
    Row("GET /programs/offers/{offer_id}/applications",
        lambda w, j: f"{A}/offers/{_elective(w, j)}/applications", API_MANAGER),
    Row("GET /programs/applications", lambda w, j: f"{A}/applications", API_SIGNED_IN),
    Row("POST /programs/applications", _new_application(lambda w, j: f"{A}/applications"),
        "401 422 422 422 422 201 201 422 422 422", method="post", data=APPLICATION_BODY),
    Row("GET /programs/applications/{application_id}",
        lambda w, j: f"{A}/applications/{_application(w, j)}",
        "401 404 404 200 404 200 200 404 404 404"),
    Row("POST /programs/applications/{application_id}/confirm",
        lambda w, j: f"{A}/applications/{_application(w, j)}/confirm",
        "401 404 404 200 404 403 403 404 404 404", method="post", data={"approve": True}),
    Row("POST /programs/applications/{application_id}/decide",
        lambda w, j: f"{A}/applications/{_application(w, j)}/decide",
        "401 404 404 403 404 403 403 404 404 404", method="post", data={"decision": "accept"}),
    Row("POST /programs/applications/{application_id}/withdraw",
        lambda w, j: f"{A}/applications/{_application(w, j)}/withdraw",
        "401 404 404 403 404 200 200 404 404 404", method="post", data={}),
    Row("GET /programs/agreements", lambda w, j: f"{A}/agreements", API_SIGNED_IN),
    Row("POST /programs/agreements", _new_agreement(lambda w, j: f"{A}/agreements"),
        "401 403 403 201 403 403 403 403 403 403", method="post", data=AGREEMENT_BODY),
    Row("GET /programs/agreements/{agreement_id}",
        lambda w, j: f"{A}/agreements/{_agreement(w, j)}", API_READERS),
    Row("PATCH /programs/agreements/{agreement_id}",
        lambda w, j: f"{A}/agreements/{_draft(w, j).pk}",
        "401 404 404 200 404 404 404 404 404 404", method="patch", data={"programme": "Новое"}),
    Row("POST /programs/agreements/{agreement_id}/parts",
        _new_part(lambda w, j: f"{A}/agreements/{_draft(w, j).pk}/parts"),
        "401 404 404 201 404 404 404 404 404 404", method="post", data=PART_BODY),
    Row("DELETE /programs/agreements/{agreement_id}/parts/{part_id}",
        lambda w, j: f"{A}/agreements/{_draft(w, j).pk}/parts/{_part(w, j)}",
        "401 404 404 404 404 404 404 404 404 404", method="delete"),
    Row("POST /programs/agreements/{agreement_id}/approve",
        lambda w, j: f"{A}/agreements/{_draft(w, j, with_part=True).pk}/approve",
        "401 404 404 200 404 404 404 404 404 404", method="post"),
    Row("POST /programs/agreements/{agreement_id}/activate",
        lambda w, j: f"{A}/agreements/{_agreement(w, j)}/activate",
        API_READERS_STEP.format(409), method="post"),
    Row("POST /programs/agreements/{agreement_id}/end",
        lambda w, j: f"{A}/agreements/{_agreement(w, j)}/end",
        API_READERS_STEP.format(200), method="post", data={}),
    Row("GET /programs/agreements/{agreement_id}/pdf",
        lambda w, j: f"{A}/agreements/{_agreement(w, j)}/pdf", API_READERS),
    # multipart only: a JSON body lacks the file (422) for everyone signed in
    Row("POST /programs/agreements/{agreement_id}/scans",
        lambda w, j: f"{A}/agreements/{_agreement(w, j)}/scans",
        "401 422 422 422 422 422 422 422 422 422", method="post", data={}),
    Row("GET /programs/scans/{scan_id}", lambda w, j: f"{A}/scans/{_scan(w, j)}",
        "401 200 404 200 404 404 404 404 404 404"),
    Row("DELETE /programs/scans/{scan_id}", lambda w, j: f"{A}/scans/{_scan(w, j)}",
        "401 403 404 409 404 404 404 404 404 404", method="delete"),
    Row("GET /programs/network-map", lambda w, j: f"{A}/network-map", ALL),
    Row("GET /programs/credits", _credits, "401 404 404 200 404 200 200 404 404 404"),
]  # fmt: skip
