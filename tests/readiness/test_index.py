"""The readiness index against the examples worked by hand in docs/readiness-index.md."""

from __future__ import annotations

import pytest

from setka.readiness import defaults
from setka.readiness import index as ix
from setka.readiness.models import IndexSettings, Question

SCHOOL_3 = {
    "students_total": 800, "computers_total": 100, "computers_modern": 80, "classrooms": 40,
    "interactive_boards": 30, "mobile_classes": 2, "elearning_environment": "both",
    "distance_technologies": ["video_lessons", "online_courses", "tests", "libraries"],
    "settlement": "urban", "bandwidth_contracted": 200, "bandwidth_measured": 150,
    "bandwidth_upload": 90, "connection_type": "fibre", "wifi": True,
    "vc_kits": 4, "vc_rooms": 2, "vc_services": ["sferum", "jitsi"], "vc_sessions": 24,
    "teachers_total": 60, "teachers_trained": 48, "ict_specialist": True,
    "digital_confidence": 5, "network_forms": ["programmes", "open_lessons", "webinars"],
}  # fmt: skip
RURAL = {
    "students_total": 120, "computers_total": 10, "computers_modern": 2, "classrooms": 12,
    "interactive_boards": 2, "mobile_classes": 0, "elearning_environment": "platform",
    "distance_technologies": ["tests"], "settlement": "rural", "bandwidth_contracted": 4,
    "bandwidth_measured": 1.5, "connection_type": "radio", "wifi": False,
    "vc_kits": 0, "vc_rooms": 0, "vc_services": [], "vc_sessions": 0,
    "teachers_total": 15, "teachers_trained": 3, "ict_specialist": False,
    "digital_confidence": 2, "network_forms": ["olympiads"],
}  # fmt: skip
JOURNAL_SOURCES = ["network_groups_hosted", "network_groups_joined"]


@pytest.fixture
def questions():
    return [Question(**q) for q in defaults.questions()]


def _competence(mean, assessed, teachers, **basic):
    return ix.Competence(teachers=teachers, assessed=assessed, mean=mean, basic_share=basic)


def test_example_a_a_fully_ready_school(questions):
    result = ix.compute(
        questions, SCHOOL_3, IndexSettings(),
        competence=_competence(75.0, 50, 60, video=0.1),
        participation=ix.Participation({"network_groups_joined": 3}, JOURNAL_SOURCES),
    )  # fmt: skip

    assert result.dimensions == {
        "infrastructure": 98.1,  # 785 / 8
        "connectivity": 100.0,
        "videoconferencing": 97.1,  # 680 / 7
        "staff": 89.3,  # (200 + 100 + 100 + 3 × 75) / 7
        "participation": 53.3,  # (60 + 2 × 50) / 3
    }
    assert result.index == 92.1
    assert result.levels == {"join_remote": "ready", "host_lesson": "ready", "host_course": "ready"}
    assert (result.can_join, result.can_host) == (True, True)
    assert (result.bandwidth, result.upload, result.vc_rooms) == (150.0, 90.0, 2)
    assert result.gaps == []


def test_example_b_a_rural_school_on_a_slow_link(questions):
    result = ix.compute(
        questions, RURAL, IndexSettings(),
        competence=_competence(40.0, 12, 15, video=0.75, office=0.3),
        participation=ix.Participation({}, JOURNAL_SOURCES),
    )  # fmt: skip

    assert result.dimensions == {
        "infrastructure": 50.6,  # 405 / 8
        "connectivity": 10.8,  # (8 + 2 × 3 + 40 + 0) / 5
        "videoconferencing": 0.0,
        "staff": 27.9,  # (2 × 25 + 0 + 25 + 3 × 40) / 7
        "participation": 3.3,  # 10 / 3
    }
    assert result.index == 18.7
    assert set(result.levels.values()) == {"not_ready"}
    assert (result.can_join, result.can_host) == (False, False)
    assert [g["code"] for g in result.gaps] == [
        "bandwidth_below_minimum", "no_vc_equipment",
        "measured_below_contracted", "students_per_computer", "skill_basic",
        "bandwidth_below_target", "old_computers", "no_network_participation",
    ]  # fmt: skip
    assert result.gaps[0]["params"] == {"mbps": 1.5, "min": 2.0}
    assert result.gaps[4]["params"] == {"skill": "video", "share": 0.75}


def test_example_c_thresholds_and_gates_decide_each_form_separately():
    """Three questions, hand-computed: connectivity 100 × 1, videoconferencing (2 × 50 + 3 ×
    100) / 5 = 80; with weights 25 and 25 the index is 90. The upload (3 Mbit/s) is below the
    4 Mbit/s of two streams: ready to take part, not to host."""
    questions = [
        Question(code="bandwidth_contracted", dimension="connectivity", kind="number",
                 target_is_bandwidth_goal=True, weight=1),
        Question(code="vc_kits", dimension="videoconferencing", kind="number", score_target=2,
                 weight=2),
        Question(code="vc_rooms", dimension="videoconferencing", kind="number", score_target=1,
                 weight=3),
    ]  # fmt: skip
    answers = {"bandwidth_contracted": 120, "bandwidth_upload": 3, "vc_kits": 1, "vc_rooms": 1}

    result = ix.compute(questions, answers, IndexSettings())

    assert result.dimensions["videoconferencing"] == 80.0
    assert result.index == 90.0
    assert result.levels == {
        "join_remote": "ready", "host_lesson": "not_ready", "host_course": "not_ready",
    }  # fmt: skip
    assert result.gaps[0]["code"] == "upload_below_hosting"


def test_the_methodologists_weights_and_thresholds_change_the_result(questions):
    settings = IndexSettings(weight_participation=0, join_ready=97, join_partly=90)

    result = ix.compute(
        questions, SCHOOL_3, settings, competence=_competence(75.0, 50, 60),
        participation=ix.Participation({"network_groups_joined": 3}, JOURNAL_SOURCES),
    )  # fmt: skip

    # (20 × 98.125 + 25 × 100 + 25 × 97.142857 + 20 × 89.285714) / 90
    assert result.index == 96.4
    assert result.levels["join_remote"] == "partly"


def test_the_rural_target_is_a_setting(questions):
    answers = {**SCHOOL_3, "settlement": "rural", "bandwidth_contracted": 40,
               "bandwidth_measured": 40}  # fmt: skip

    default = ix.compute(questions, answers, IndexSettings())
    lower = ix.compute(questions, answers, IndexSettings(target_rural_mbps=40))

    assert default.items["bandwidth_measured"] == 80.0  # 40 of 50
    assert lower.items["bandwidth_measured"] == 100.0
    assert "bandwidth_below_target" in [g["code"] for g in default.gaps]


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [("yes_no", True, 100.0), ("yes_no", False, 0.0), ("scale", 4, 75.0),
     ("single", "b", 30.0), ("multiple", ["a", "b"], 100.0), ("multiple", [], 0.0),
     ("text", "да", None)],
)  # fmt: skip
def test_each_kind_of_question_scores_as_documented(kind, value, expected):
    q = Question(code="q", dimension="infrastructure", kind=kind, min_value=1, max_value=5,
                 choices=[{"value": "a", "label": "A", "score": 80},
                          {"value": "b", "label": "B", "score": 30}])  # fmt: skip

    assert ix.item_score(q, {"q": value}, IndexSettings()) == expected


def test_students_per_computer_is_lower_better_and_no_computers_score_nothing(questions):
    per = next(q for q in questions if q.code == "students_total")
    settings = IndexSettings()

    assert ix.item_score(per, {"students_total": 200, "computers_total": 20}, settings) == 100
    assert ix.item_score(per, {"students_total": 400, "computers_total": 20}, settings) == 50
    assert ix.item_score(per, {"students_total": 400, "computers_total": 0}, settings) == 0


def test_the_aggregate_of_self_assessments():
    rows = [
        {"office": 3, "internet": 3, "distance": 2, "video": 1, "journal": 3, "content": 2},
        {"office": 2, "internet": 1, "distance": 1, "video": 0, "journal": 2, "content": 1},
    ]

    competence = ix.competence_score(rows)

    assert competence.mean == pytest.approx((14 / 18 + 7 / 18) / 2 * 100)
    assert competence.basic_share["video"] == 1.0
    assert competence.basic_share["office"] == 0.0
