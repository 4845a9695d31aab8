"""The writes of the readiness survey: answers, versions, deadlines, reopening, checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from setka.core.models import AuditEntry
from setka.notifications.models import Notification
from setka.readiness import services
from setka.readiness.models import Response, SelfAssessment, SpeedTest

from ..clock import TODAY
from .conftest import ANSWERS, LEVELS

pytestmark = pytest.mark.django_db


def test_a_campaign_asks_every_active_institution_and_tells_their_admins(world, campaign):
    asked = set(campaign.responses.values_list("institution__slug", flat=True))

    assert asked == {"school-3", "school-5", "ddt", "imc"}
    director = world.people["director"]
    assert (
        Notification.objects.filter(recipient=director, kind="readiness.campaign.opened").count()
        == 1
    )
    teachers = Notification.objects.filter(kind="readiness.self_assessment.opened")
    assert set(teachers.values_list("recipient__user__username", flat=True)) == {
        "teacher", "partner", "other_teacher",
    }  # fmt: skip


def test_a_draft_is_prefilled_from_setka_and_submission_scores_it(world, response):
    draft = services.response_save(
        actor=world.users["director"], response=response, values={"vc_kits": 3}
    )

    assert draft.status == Response.Status.DRAFT
    assert draft.answers == {"students_total": 1, "teachers_total": 1, "vc_kits": 3}
    assert draft.index is None

    done = services.response_save(
        actor=world.users["director"], response=draft, values=ANSWERS, submit=True
    )

    assert done.status == Response.Status.SUBMITTED
    assert done.index > 80
    assert (done.can_join, done.can_host) == (True, True)
    assert AuditEntry.objects.filter(action="readiness.response.submit").count() == 1


def test_submission_needs_every_required_answer_and_writes_nothing_without(world, response):
    partial = {k: v for k, v in ANSWERS.items() if k != "vc_rooms"}

    with pytest.raises(ValidationError) as exc:
        services.response_save(
            actor=world.users["director"], response=response, values=partial, submit=True
        )

    assert list(exc.value.message_dict) == ["vc_rooms"]
    response.refresh_from_db()
    assert response.status == Response.Status.PENDING
    assert response.answers == {}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"vc_kits": -1}, "vc_kits", "The number cannot be negative."),
        ({"vc_kits": 1.5}, "vc_kits", "Enter a whole number."),
        ({"vc_kits": "два"}, "vc_kits", "Enter a number."),
        ({"wifi": "yes"}, "wifi", "Answer yes or no."),
        (
            {"bandwidth_contracted": 200000},
            "bandwidth_contracted",
            "The value must be at most 100000.",
        ),
        ({"vc_kits": 1, "vc_rooms": 2}, "vc_rooms", "Cannot be more than the answer to"),
        ({"connection_type": "pigeon"}, "connection_type", "Choose one of"),
        ({"digital_confidence": 9}, "digital_confidence", "Choose a whole number from 1 to 5."),
        ({"nonsense": 1}, "nonsense", "There is no such question"),
    ],
)
def test_bad_answers_are_refused_with_a_message_per_question(
    world, response, values, field, message
):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.response_save(actor=world.users["director"], response=response, values=values)

    assert exc.value.message_dict[field][0].startswith(message)
    response.refresh_from_db()
    assert response.answers == {}


def test_only_the_institutions_admin_answers(world, response):
    for login in ("teacher", "metodist", "admin", "other_teacher"):
        with pytest.raises(PermissionDenied):
            services.response_save(actor=world.users[login], response=response, values={})


def test_after_the_deadline_answers_are_refused_until_reopened(world, response, frozen_clock):
    frozen_clock.shift(dt.timedelta(days=21))

    director = world.users["director"]
    with translation.override("en"), pytest.raises(services.Conflict) as exc:
        services.response_save(actor=director, response=response, values={"vc_kits": 1})
    assert "deadline" in exc.value.message

    services.reopen_request(actor=world.users["director"], response=response, reason="Забыли")
    assert (
        Notification.objects.filter(kind="readiness.reopen.requested").count() == 2
    )  # metodist, admin
    services.reopen_decide(actor=world.users["metodist"], response=response, grant=True)
    response.refresh_from_db()

    saved = services.response_save(
        actor=world.users["director"], response=response, values={"vc_kits": 1}
    )
    assert saved.answers["vc_kits"] == 1
    assert response.reopened_until == TODAY + dt.timedelta(days=28)


def test_a_submitted_response_is_reopened_on_request_and_keeps_its_scores(world, submitted):
    with pytest.raises(services.Conflict):
        services.response_save(actor=world.users["director"], response=submitted, values={})

    services.reopen_request(actor=world.users["director"], response=submitted, reason="Новый канал")
    with pytest.raises(PermissionDenied):
        services.reopen_decide(actor=world.users["director"], response=submitted, grant=True)
    services.reopen_decide(actor=world.users["metodist"], response=submitted, grant=True)
    submitted.refresh_from_db()

    assert submitted.status == Response.Status.DRAFT
    assert submitted.index is not None  # the last submission's scores stay until the next


def test_a_refusal_needs_a_reason_and_tells_the_institution(world, submitted):
    services.reopen_request(actor=world.users["director"], response=submitted, reason="Ошибка")

    with pytest.raises(ValidationError):
        services.reopen_decide(actor=world.users["metodist"], response=submitted, grant=False)
    services.reopen_decide(
        actor=world.users["metodist"], response=submitted, grant=False, reason="Данные верны"
    )

    note = Notification.objects.get(kind="readiness.reopen.decided")
    assert note.recipient == world.people["director"]


def test_editing_an_answered_questionnaire_makes_a_new_version(world, questionnaire, submitted):
    old = submitted.version

    services.question_save(
        actor=world.users["metodist"], questionnaire=questionnaire, code="vc_kits",
        data={"text": "Сколько комплектов ВКС?", "weight": 5},
    )  # fmt: skip

    new = services.current_version(questionnaire)
    submitted.refresh_from_db()
    assert new.number == old.number + 1
    assert submitted.version == old
    assert old.questions.get(code="vc_kits").text != "Сколько комплектов ВКС?"
    assert new.questions.get(code="vc_kits").weight == 5
    pending = Response.objects.get(campaign=submitted.campaign, institution=world.other_school)
    assert pending.version == new  # not started: takes the new version


def test_editing_an_unanswered_questionnaire_changes_it_in_place(world, questionnaire, campaign):
    services.question_save(
        actor=world.users["metodist"], questionnaire=questionnaire, data={
            "code": "projectors", "dimension": "infrastructure", "kind": "number",
            "text": "Сколько проекторов?", "score_target": 10,
        },
    )  # fmt: skip

    assert questionnaire.versions.count() == 1
    assert services.current_version(questionnaire).questions.filter(code="projectors").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "Bad Code", "dimension": "staff", "kind": "yes_no", "text": "?"}, "code"),
        ({"code": "vc_kits", "dimension": "staff", "kind": "yes_no", "text": "?"}, "code"),
        ({"code": "pick", "dimension": "staff", "kind": "single", "text": "?",
          "choices": [{"value": "a", "label": "A", "score": 10}]}, "choices"),
        ({"code": "pick", "dimension": "staff", "kind": "single", "text": "?",
          "choices": [{"value": "a", "label": "A", "score": 500},
                      {"value": "b", "label": "B", "score": 1}]}, "choices"),
        ({"code": "n", "dimension": "staff", "kind": "number", "text": "?",
          "score_per": "wifi"}, "score_per"),
        ({"code": "s", "dimension": "staff", "kind": "scale", "text": "?", "min_value": 3,
          "max_value": 2}, "max_value"),
        ({"code": "n", "dimension": "nowhere", "kind": "number", "text": "?"}, "dimension"),
    ],
)  # fmt: skip
def test_a_bad_question_is_refused(world, questionnaire, data, field):
    with pytest.raises(ValidationError) as exc:
        services.question_save(
            actor=world.users["metodist"], questionnaire=questionnaire, data=data
        )

    assert field in exc.value.message_dict


def test_the_questions_the_rules_read_cannot_be_removed(world, questionnaire):
    with pytest.raises(ValidationError):
        services.question_remove(
            actor=world.users["metodist"], questionnaire=questionnaire, code="vc_rooms"
        )

    services.question_remove(
        actor=world.users["metodist"], questionnaire=questionnaire, code="wifi"
    )
    assert not services.current_version(questionnaire).questions.filter(code="wifi").exists()


def test_a_teacher_assesses_themself_and_the_staff_score_follows(world, campaign, submitted):
    before = submitted.staff

    services.self_assessment_save(actor=world.users["teacher"], campaign=campaign, levels=LEVELS,
                                  submit=True)  # fmt: skip

    submitted.refresh_from_db()
    assert SelfAssessment.objects.get(person=world.people["teacher"]).status == "submitted"
    assert submitted.teachers_assessed == 1
    assert submitted.staff != before


def test_a_self_assessment_needs_all_skills_and_levels_0_to_3(world, campaign):
    with pytest.raises(ValidationError):
        services.self_assessment_save(actor=world.users["teacher"], campaign=campaign,
                                      levels={"office": 2}, submit=True)  # fmt: skip
    with pytest.raises(ValidationError):
        services.self_assessment_save(actor=world.users["teacher"], campaign=campaign,
                                      levels={"office": 7})  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.self_assessment_save(actor=world.users["student"], campaign=campaign, levels={})


def test_a_bandwidth_check_goes_into_the_open_answers(world, response):
    test = services.speed_test_record(
        actor=world.users["director"], institution=world.school, download_mbps=87.5,
        upload_mbps=40.25, latency_ms=12,
    )  # fmt: skip

    response.refresh_from_db()
    assert test.response == response
    assert response.answers["bandwidth_measured"] == 87.5
    assert response.answers["bandwidth_upload"] == 40.25
    with pytest.raises(PermissionDenied):
        services.speed_test_record(actor=world.users["teacher"], institution=world.school,
                                   download_mbps=1)  # fmt: skip
    with pytest.raises(ValidationError):
        services.speed_test_record(actor=world.users["director"], institution=world.school,
                                   download_mbps=-3)  # fmt: skip
    assert SpeedTest.objects.count() == 1


def test_changing_the_settings_rescores_every_submission(world, submitted):
    before = submitted.index

    services.settings_update(actor=world.users["metodist"], municipality=world.municipality,
                             weight_participation=0, weight_staff=0)  # fmt: skip

    submitted.refresh_from_db()
    assert submitted.index != before


def test_the_daily_run_reminds_before_the_deadline_once(world, campaign, frozen_clock):
    frozen_clock.shift(dt.timedelta(days=17))  # three days before the deadline

    first = services.daily()
    second = services.daily()

    assert first["reminded"] > 0
    assert second["reminded"] == 0
    reminders = Notification.objects.filter(kind="readiness.campaign.reminder")
    assert list(reminders.values_list("recipient__user__username", flat=True)) == ["director"]


def test_the_daily_command_for_cron(campaign, frozen_clock):
    from io import StringIO

    from django.core.management import call_command

    frozen_clock.shift(dt.timedelta(days=20))  # the deadline's day
    out = StringIO()

    call_command("readiness_daily", stdout=out)

    assert "people reminded: " in out.getvalue()
    assert "people reminded: 0" not in out.getvalue()
