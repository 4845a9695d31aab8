"""The questionnaire that ships with Setka (docs/readiness-index.md lists it with its scoring).

A municipality's methodologist gets a copy to edit (``services.questionnaire_create``); the
codes marked in ``index.KEY_CODES`` are read by the rules of readiness and stay in every copy.
Texts are Russian and English through gettext, stored in the language of the methodologist who
created the copy."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .models import Dimension
from .models import QuestionKind as K

D = Dimension


def _choice(value: str, label: str, score: int | None) -> dict[str, Any]:
    return {"value": value, "label": label, "score": score}


def questions() -> list[dict[str, Any]]:
    """The default questions, in order (the fields of ``Question``)."""
    yes_no = {"kind": K.YES_NO}
    count = {"kind": K.NUMBER, "integer": True, "min_value": 0, "max_value": 100000}
    mbps = {"kind": K.NUMBER, "integer": False, "min_value": 0, "max_value": 100000,
            "unit": _("Mbit/s")}  # fmt: skip
    return [
        # infrastructure
        {"code": "students_total", "dimension": D.INFRASTRUCTURE, **count, "weight": 2,
         "text": _("How many students study at the institution?"),
         "help_text": _("Filled in from Setka; correct it if it is out of date. Scored as students "
                        "per computer: 10 or fewer is full marks."),
         "score_target": 10, "score_per": "computers_total", "lower_is_better": True},
        {"code": "computers_total", "dimension": D.INFRASTRUCTURE, **count, "weight": 0,
         "text": _("How many computers (desktops and laptops) are used in teaching?")},
        {"code": "computers_modern", "dimension": D.INFRASTRUCTURE, **count, "weight": 1,
         "text": _("How many of them are younger than five years?"),
         "not_more_than": "computers_total", "score_target": 0.8, "score_per": "computers_total"},
        {"code": "classrooms", "dimension": D.INFRASTRUCTURE, **count, "weight": 0,
         "text": _("How many classrooms are there?")},
        {"code": "interactive_boards", "dimension": D.INFRASTRUCTURE, **count, "weight": 1,
         "text": _("How many interactive boards and panels are there?"),
         "help_text": _("Scored per classroom: one board for every two classrooms is full marks."),
         "score_target": 0.5, "score_per": "classrooms"},
        {"code": "mobile_classes", "dimension": D.INFRASTRUCTURE, **count, "weight": 1,
         "text": _("How many mobile classes (sets of laptops or tablets) are there?"),
         "score_target": 1},
        {"code": "elearning_environment", "dimension": D.INFRASTRUCTURE, "kind": K.SINGLE,
         "weight": 2, "text": _("Which electronic learning environment is in use?"),
         "choices": [
             _choice("none", _("none"), 0),
             _choice("platform", _("a regional or federal platform"), 80),
             _choice("own", _("our own (Moodle or similar)"), 80),
             _choice("both", _("both"), 100),
         ]},
        {"code": "distance_technologies", "dimension": D.INFRASTRUCTURE, "kind": K.MULTIPLE,
         "weight": 1, "required": False,
         "text": _("Which distance technologies are used in teaching?"),
         "choices": [
             _choice("video_lessons", _("lessons by videoconference"), 25),
             _choice("online_courses", _("courses in the learning environment"), 25),
             _choice("tests", _("electronic tests"), 20),
             _choice("libraries", _("digital libraries of content"), 15),
             _choice("assignments", _("assignments by e-mail or messenger"), 15),
         ]},
        # connectivity
        {"code": "settlement", "dimension": D.CONNECTIVITY, "kind": K.SINGLE, "weight": 0,
         "text": _("Where is the institution?"),
         "help_text": _("Towns and villages have different targets for the connection."),
         "choices": [_choice("urban", _("in a town"), None),
                     _choice("rural", _("in a village"), None)]},
        {"code": "bandwidth_contracted", "dimension": D.CONNECTIVITY, **mbps, "weight": 1,
         "text": _("What speed does the contract with the provider give?"),
         "target_is_bandwidth_goal": True},
        {"code": "bandwidth_measured", "dimension": D.CONNECTIVITY, **mbps, "weight": 2,
         "required": False, "target_is_bandwidth_goal": True,
         "text": _("What download speed was measured?"),
         "help_text": _("Run the bandwidth check from the institution's network: it fills "
                        "this in.")},
        {"code": "bandwidth_upload", "dimension": D.CONNECTIVITY, **mbps, "weight": 0,
         "required": False, "text": _("What upload speed was measured?")},
        {"code": "connection_type", "dimension": D.CONNECTIVITY, "kind": K.SINGLE, "weight": 1,
         "text": _("How is the institution connected?"),
         "choices": [
             _choice("fibre", _("optical fibre"), 100),
             _choice("cable", _("cable (Ethernet, DSL)"), 50),
             _choice("mobile", _("mobile network (4G)"), 40),
             _choice("radio", _("radio link"), 40),
             _choice("satellite", _("satellite"), 20),
         ]},
        {"code": "wifi", "dimension": D.CONNECTIVITY, **yes_no, "weight": 1,
         "text": _("Is there Wi-Fi in the classrooms?")},
        # videoconferencing
        {"code": "vc_kits", "dimension": D.VIDEOCONFERENCING, **count, "weight": 2,
         "text": _("How many videoconference kits (camera, microphone, speakers, screen) are "
                   "there?"),
         "score_target": 2},
        {"code": "vc_rooms", "dimension": D.VIDEOCONFERENCING, **count, "weight": 3,
         "text": _("How many rooms are equipped to broadcast a lesson?"),
         "not_more_than": "vc_kits", "score_target": 1},
        {"code": "vc_services", "dimension": D.VIDEOCONFERENCING, "kind": K.MULTIPLE,
         "weight": 1, "required": False,
         "text": _("Which videoconference services does the institution use?"),
         "choices": [
             _choice("sferum", _("Сферум"), 40),
             _choice("jitsi", _("Jitsi Meet"), 40),
             _choice("bbb", _("BigBlueButton"), 40),
             _choice("webinar", _("a webinar service"), 30),
             _choice("other", _("other"), 20),
         ]},
        {"code": "vc_sessions", "dimension": D.VIDEOCONFERENCING, **count, "weight": 1,
         "text": _("How many videoconferences did the institution hold or join last year?"),
         "score_target": 10},
        # staff
        {"code": "teachers_total", "dimension": D.STAFF, **count, "weight": 0,
         "text": _("How many teachers work at the institution?"),
         "help_text": _("Filled in from Setka; correct it if it is out of date.")},
        {"code": "teachers_trained", "dimension": D.STAFF, **count, "weight": 2,
         "text": _("How many of them completed ICT training in the last three years?"),
         "not_more_than": "teachers_total", "score_target": 0.8, "score_per": "teachers_total"},
        {"code": "ict_specialist", "dimension": D.STAFF, **yes_no, "weight": 1,
         "text": _("Is there a specialist who maintains the equipment?")},
        {"code": "digital_confidence", "dimension": D.STAFF, "kind": K.SCALE, "weight": 1,
         "min_value": 1, "max_value": 5, "integer": True,
         "text": _("How confidently do the teachers use digital tools, as the administration "
                   "sees it (1–5)?")},
        # participation
        {"code": "network_forms", "dimension": D.PARTICIPATION, "kind": K.MULTIPLE, "weight": 1,
         "required": False,
         "text": _("In which network forms did the institution take part last year, in Setka "
                   "or elsewhere?"),
         "choices": [
             _choice("programmes", _("network programmes under an agreement"), 25),
             _choice("open_lessons", _("remote open lessons"), 20),
             _choice("webinars", _("webinars"), 15),
             _choice("shared_courses", _("shared courses"), 20),
             _choice("olympiads", _("distance olympiads and contests"), 10),
             _choice("associations", _("online methodological associations"), 10),
         ]},
        {"code": "comment", "dimension": D.PARTICIPATION, "kind": K.TEXT, "weight": 0,
         "required": False, "text": _("Anything to add?")},
    ]  # fmt: skip
