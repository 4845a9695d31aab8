"""The readiness survey in the permission matrix: the people who run it (methodologist,
municipal admin) see every institution; an institution's admin only theirs; a teacher only
their own self-assessment; students, parents and the public nothing."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from setka.core.clock import today
from setka.readiness import services
from setka.readiness.models import Questionnaire, Response

from ..clock import TODAY
from ..matrix import Row

# anon admin metodist director teacher student parent partner other_teacher other_parent
RUNS = "L 200 200 403 403 403 403 403 403 403"
RUNS_OBJ = "L 200 200 404 404 404 404 404 404 404"
RUNS_POST = "L R R 404 404 404 404 404 404 404"
SCHOOL_3 = "L 200 200 200 404 404 404 404 404 404"
MEASURES = "L 200 200 200 403 403 403 403 403 403"


def _questionnaire(w) -> Questionnaire:
    found = Questionnaire.objects.filter(municipality=w.municipality).first()
    return found or services.questionnaire_create(
        actor=w.users["metodist"], municipality=w.municipality, title="Анкета"
    )


def _campaign(w):
    return services.campaign_create(
        actor=w.users["metodist"], municipality=w.municipality, title="Готовность",
        questionnaire=_questionnaire(w), starts_on=today() - dt.timedelta(days=3),
        deadline=today() + dt.timedelta(days=20),
    )  # fmt: skip


def _response(w) -> int:
    return Response.objects.get(campaign=_campaign(w), institution=w.school).pk


def _c(name: str):
    return lambda w, j: reverse(f"readiness:{name}", args=[_campaign(w).pk])


def _q(name: str, *extra):
    return lambda w, j: reverse(f"readiness:{name}", args=[_questionnaire(w).pk, *extra])


def _r(name: str):
    return lambda w, j: reverse(f"readiness:{name}", args=[_response(w)])


PAGES = [
    Row("readiness:index", lambda w, j: reverse("readiness:index"),
        "L 200 200 200 200 403 403 200 200 403"),
    Row("readiness:campaign_create", lambda w, j: reverse("readiness:campaign_create"), RUNS),
    Row("readiness:campaign", _c("campaign"), RUNS_OBJ),
    Row("readiness:campaign_edit", _c("campaign_edit"), RUNS_OBJ),
    Row("readiness:campaign_close", _c("campaign_close"), RUNS_POST, method="post"),
    Row("readiness:campaign_remind", _c("campaign_remind"), RUNS_POST, method="post"),
    Row("readiness:campaign_recompute", _c("campaign_recompute"), RUNS_POST, method="post"),
    Row("readiness:campaign_xlsx", _c("campaign_xlsx"), RUNS_OBJ),
    Row("readiness:campaign_pdf", _c("campaign_pdf"), RUNS_OBJ),
    Row("readiness:response", _r("response"), SCHOOL_3),
    # the director may ask, but a draft before the deadline needs no reopening (a message)
    Row("readiness:reopen_request", _r("reopen_request"), "L 403 403 R 404 404 404 404 404 404",
        method="post", data={"reason": "Ошибка"}),
    Row("readiness:reopen_decide", _r("reopen_decide"), "L R R 403 404 404 404 404 404 404",
        method="post", data={"action": "grant"}),
    Row("readiness:institution", lambda w, j: reverse("readiness:institution", args=["school-3"]),
        SCHOOL_3),
    Row("readiness:bandwidth", lambda w, j: reverse("readiness:bandwidth", args=["school-3"]),
        SCHOOL_3),
    Row("readiness:bandwidth", lambda w, j: reverse("readiness:bandwidth", args=["school-3"]),
        "L 403 403 R 404 404 404 404 404 404", method="post", data={"download_mbps": "50"}),
    Row("readiness:bandwidth_download",
        lambda w, j: reverse("readiness:bandwidth_download") + "?size=0", MEASURES),
    Row("readiness:bandwidth_upload", lambda w, j: reverse("readiness:bandwidth_upload"),
        MEASURES, method="post"),
    Row("readiness:self_assessment", lambda w, j: reverse("readiness:self_assessment"),
        "L 403 403 403 200 403 403 200 200 403"),
    Row("readiness:settings", lambda w, j: reverse("readiness:settings"), RUNS),
    Row("readiness:questionnaires", lambda w, j: reverse("readiness:questionnaires"), RUNS),
    Row("readiness:questionnaire", _q("questionnaire"), RUNS_OBJ),
    Row("readiness:question_add", _q("question_add"), RUNS_OBJ),
    Row("readiness:question_edit", _q("question_edit", "wifi"), RUNS_OBJ),
    Row("readiness:question_remove", _q("question_remove", "wifi"), RUNS_POST, method="post"),
]  # fmt: skip

A = "/api/v1/readiness"
API_RUNS = "401 200 200 403 403 403 403 403 403 403"
API_RUNS_OBJ = "401 200 200 404 404 404 404 404 404 404"
API_SCHOOL_3 = "401 200 200 200 404 404 404 404 404 404"
API_TEACHERS = "401 403 403 403 200 403 403 200 200 403"
DATES = {"starts_on": TODAY.isoformat(), "deadline": (TODAY + dt.timedelta(days=14)).isoformat()}


def _cid(w) -> int:
    return _campaign(w).pk


def _qid(w) -> int:
    return _questionnaire(w).pk


API_ROWS = [
    Row("GET /readiness/campaigns", lambda w, j: f"{A}/campaigns", API_RUNS),
    Row(
        "POST /readiness/campaigns",
        lambda w, j: f"{A}/campaigns",
        "401 201 201 403 403 403 403 403 403 403",
        method="post",
        data={"title": "Весна", **DATES},
    ),
    Row(
        "GET /readiness/campaigns/{campaign_id}",
        lambda w, j: f"{A}/campaigns/{_cid(w)}",
        API_RUNS_OBJ,
    ),
    Row(
        "PATCH /readiness/campaigns/{campaign_id}",
        lambda w, j: f"{A}/campaigns/{_cid(w)}",
        API_RUNS_OBJ,
        method="patch",
        data={"title": "Осень"},
    ),
    Row(
        "POST /readiness/campaigns/{campaign_id}/remind",
        lambda w, j: f"{A}/campaigns/{_cid(w)}/remind",
        API_RUNS_OBJ,
        method="post",
    ),
    Row(
        "POST /readiness/campaigns/{campaign_id}/recompute",
        lambda w, j: f"{A}/campaigns/{_cid(w)}/recompute",
        API_RUNS_OBJ,
        method="post",
    ),
    Row(
        "GET /readiness/campaigns/{campaign_id}/dashboard",
        lambda w, j: f"{A}/campaigns/{_cid(w)}/dashboard",
        API_RUNS_OBJ,
    ),
    Row(
        "GET /readiness/campaigns/{campaign_id}/results",
        lambda w, j: f"{A}/campaigns/{_cid(w)}/results",
        API_RUNS_OBJ,
    ),
    Row("GET /readiness/questionnaires", lambda w, j: f"{A}/questionnaires", API_RUNS),
    Row(
        "POST /readiness/questionnaires",
        lambda w, j: f"{A}/questionnaires",
        "401 201 201 403 403 403 403 403 403 403",
        method="post",
        data={"title": "Анкета 2"},
    ),
    Row(
        "GET /readiness/questionnaires/{questionnaire_id}",
        lambda w, j: f"{A}/questionnaires/{_qid(w)}",
        API_RUNS_OBJ,
    ),
    Row(
        "POST /readiness/questionnaires/{questionnaire_id}/questions",
        lambda w, j: f"{A}/questionnaires/{_qid(w)}/questions",
        "401 201 201 404 404 404 404 404 404 404",
        method="post",
        data={
            "code": "projectors",
            "dimension": "infrastructure",
            "kind": "number",
            "text": "Сколько проекторов?",
        },
    ),
    Row(
        "PATCH /readiness/questionnaires/{questionnaire_id}/questions/{code}",
        lambda w, j: f"{A}/questionnaires/{_qid(w)}/questions/wifi",
        API_RUNS_OBJ,
        method="patch",
        data={"weight": 2},
    ),
    Row(
        "DELETE /readiness/questionnaires/{questionnaire_id}/questions/{code}",
        lambda w, j: f"{A}/questionnaires/{_qid(w)}/questions/wifi",
        API_RUNS_OBJ,
        method="delete",
    ),
    Row(
        "GET /readiness/responses",
        lambda w, j: f"{A}/responses",
        "401 200 200 200 200 200 200 200 200 200",
    ),
    Row(
        "GET /readiness/responses/{response_id}",
        lambda w, j: f"{A}/responses/{_response(w)}",
        API_SCHOOL_3,
    ),
    Row(
        "PATCH /readiness/responses/{response_id}/answers",
        lambda w, j: f"{A}/responses/{_response(w)}/answers",
        "401 403 403 200 404 404 404 404 404 404",
        method="patch",
        data={"answers": {"vc_kits": 2}},
    ),
    # nothing answered yet: the director's submission is refused, question by question
    Row(
        "POST /readiness/responses/{response_id}/submit",
        lambda w, j: f"{A}/responses/{_response(w)}/submit",
        "401 403 403 422 404 404 404 404 404 404",
        method="post",
        data={},
    ),
    # a draft before the deadline needs no reopening: a 409 for the one who may ask
    Row(
        "POST /readiness/responses/{response_id}/reopen-request",
        lambda w, j: f"{A}/responses/{_response(w)}/reopen-request",
        "401 403 403 409 404 404 404 404 404 404",
        method="post",
        data={"reason": "Ошибка"},
    ),
    Row(
        "POST /readiness/responses/{response_id}/reopen",
        lambda w, j: f"{A}/responses/{_response(w)}/reopen",
        "401 200 200 403 404 404 404 404 404 404",
        method="post",
        data={},
    ),
    # nobody asked: nothing to refuse
    Row(
        "POST /readiness/responses/{response_id}/refuse",
        lambda w, j: f"{A}/responses/{_response(w)}/refuse",
        "401 409 409 403 404 404 404 404 404 404",
        method="post",
        data={"reason": "Нет"},
    ),
    Row("GET /readiness/self-assessments", lambda w, j: f"{A}/self-assessments", API_TEACHERS),
    Row(
        "PUT /readiness/self-assessments/{campaign_id}",
        lambda w, j: f"{A}/self-assessments/{_cid(w)}",
        API_TEACHERS,
        method="put",
        data={"levels": {"office": 2}},
    ),
    Row(
        "GET /readiness/institutions/{institution_id}",
        lambda w, j: f"{A}/institutions/{w.school.pk}",
        API_SCHOOL_3,
    ),
    Row(
        "POST /readiness/institutions/{institution_id}/speed-tests",
        lambda w, j: f"{A}/institutions/{w.school.pk}/speed-tests",
        "401 403 403 201 404 404 404 404 404 404",
        method="post",
        data={"download_mbps": 40},
    ),
    Row("GET /readiness/settings", lambda w, j: f"{A}/settings", API_RUNS),
    Row(
        "PATCH /readiness/settings",
        lambda w, j: f"{A}/settings",
        API_RUNS,
        method="patch",
        data={"weight_staff": 15},
    ),
]
