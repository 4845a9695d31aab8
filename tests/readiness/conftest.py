"""Readiness fixtures on the ``world``: a questionnaire (Setka's default) and an open campaign
that asks every institution of the world, with answers that make a complete submission."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.readiness import services
from setka.readiness.models import Response

from ..clock import TODAY

# A complete set of answers to the default questionnaire (school №3 of the examples).
ANSWERS = {
    "students_total": 800, "computers_total": 100, "computers_modern": 80, "classrooms": 40,
    "interactive_boards": 30, "mobile_classes": 2, "elearning_environment": "both",
    "distance_technologies": ["video_lessons", "tests"], "settlement": "urban",
    "bandwidth_contracted": 200, "bandwidth_measured": 150, "connection_type": "fibre",
    "wifi": True, "vc_kits": 4, "vc_rooms": 2, "vc_services": ["sferum"], "vc_sessions": 24,
    "teachers_total": 60, "teachers_trained": 48, "ict_specialist": True,
    "digital_confidence": 5, "network_forms": ["programmes"],
}  # fmt: skip
LEVELS = {"office": 3, "internet": 3, "distance": 2, "video": 2, "journal": 3, "content": 1}


@pytest.fixture
def questionnaire(world):
    return services.questionnaire_create(
        actor=world.users["metodist"], municipality=world.municipality, title="Анкета ИКТ"
    )


@pytest.fixture
def campaign(world, questionnaire):
    return services.campaign_create(
        actor=world.users["metodist"],
        municipality=world.municipality,
        title="Готовность 2026",
        questionnaire=questionnaire,
        starts_on=TODAY - dt.timedelta(days=10),
        deadline=TODAY + dt.timedelta(days=20),
    )


@pytest.fixture
def response(world, campaign):
    """School №3's response in the open campaign (not started)."""
    return Response.objects.get(campaign=campaign, institution=world.school)


@pytest.fixture
def submitted(world, response):
    return services.response_save(
        actor=world.users["director"], response=response, values=ANSWERS, submit=True
    )
