"""Gaps and the recommendations that follow from them.

:func:`find_gaps` (pure, called by ``index.compute``) lists what holds an institution back as
codes with parameters; :func:`describe` turns one into the problem and the advice, in the
reader's language, when it is shown (so a stored gap reads in Russian or English alike)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import index as ix
from . import learning
from .models import Dimension, Form, IndexSettings, Skill

BLOCKER, IMPORTANT, ADVICE = "blocker", "important", "advice"
SEVERITY_ORDER = {BLOCKER: 0, IMPORTANT: 1, ADVICE: 2}
COVERAGE_MIN = 0.5  # a self-assessment by fewer than half of the teachers is noted
MEASURED_SHARE_MIN = 0.5  # a measured speed under half of the contracted one is noted


def _gap(code: str, severity: str, dimension: str, forms=(), **params: Any) -> dict[str, Any]:
    return {
        "code": code,
        "severity": severity,
        "dimension": str(dimension),
        "forms": [str(f) for f in forms],
        "params": params,
    }


def _question(questions: Sequence[Any], code: str):
    return next((q for q in questions if q.code == code), None)


def find_gaps(  # noqa: PLR0917 - the inputs of index.compute, passed on
    questions: Sequence[Any],
    answers: Mapping[str, Any],
    settings: IndexSettings,
    competence: ix.Competence | None,
    participation: ix.Participation | None,
    dimensions: Mapping[str, float | None],
) -> list[dict[str, Any]]:
    gaps = []
    gaps += _connection(answers, settings)
    gaps += _videoconferencing(answers)
    gaps += _infrastructure(questions, answers)
    gaps += _staff(competence, settings)
    if participation is not None and participation.sources and not participation.score:
        gaps.append(_gap("no_network_participation", ADVICE, Dimension.PARTICIPATION))
    gaps.sort(key=lambda g: SEVERITY_ORDER[g["severity"]])
    return gaps


def _connection(answers: Mapping[str, Any], settings: IndexSettings) -> list[dict[str, Any]]:
    bandwidth, upload = ix.effective_bandwidth(answers)
    minimum = float(settings.min_stream_mbps)
    hosting = minimum * settings.host_streams
    c = Dimension.CONNECTIVITY
    if bandwidth is None:
        return [_gap("bandwidth_unknown", BLOCKER, c, Form.values)]
    out = []
    if bandwidth < minimum:
        out.append(
            _gap("bandwidth_below_minimum", BLOCKER, c, Form.values, mbps=bandwidth, min=minimum)
        )
    elif upload is not None and upload < hosting:
        out.append(
            _gap(
                "upload_below_hosting",
                BLOCKER,
                c,
                [Form.HOST_LESSON, Form.HOST_COURSE],
                mbps=upload,
                need=hosting,
            )
        )
    target = ix.bandwidth_target(settings, answers)
    if bandwidth < target:
        rural = answers.get(ix.SETTLEMENT) == ix.RURAL
        out.append(_gap("bandwidth_below_target", ADVICE, c, mbps=bandwidth, target=target,
                        rural=rural))  # fmt: skip
    measured, contracted = ix._num(answers.get(ix.MEASURED)), ix._num(answers.get(ix.CONTRACTED))
    if measured is None:
        out.append(_gap("bandwidth_not_measured", ADVICE, c))
    elif contracted and measured < MEASURED_SHARE_MIN * contracted:
        out.append(_gap("measured_below_contracted", IMPORTANT, c, measured=measured,
                        contracted=contracted))  # fmt: skip
    return out


def _videoconferencing(answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    kits, rooms = ix._num(answers.get(ix.VC_KITS)) or 0, ix._num(answers.get(ix.VC_ROOMS)) or 0
    v = Dimension.VIDEOCONFERENCING
    if kits < 1 and rooms < 1:
        return [_gap("no_vc_equipment", BLOCKER, v, Form.values)]
    if rooms < 1:
        return [_gap("no_vc_room", IMPORTANT, v, [Form.HOST_LESSON, Form.HOST_COURSE])]
    return []


def _infrastructure(questions: Sequence[Any], answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    i = Dimension.INFRASTRUCTURE
    students, computers = ix._num(answers.get(ix.STUDENTS)), ix._num(answers.get(ix.COMPUTERS))
    per = _question(questions, ix.STUDENTS)
    if students and computers is not None and per is not None and per.score_target is not None:
        target = float(per.score_target)
        ratio = students / computers if computers else None
        if ratio is None or ratio > target:
            out.append(_gap("students_per_computer", IMPORTANT, i, ratio=ratio, target=target))
    modern_q = _question(questions, ix.MODERN)
    modern = ix._num(answers.get(ix.MODERN))
    if computers and modern is not None and modern_q is not None and modern_q.score_target:
        share = modern / computers
        if share < float(modern_q.score_target):
            out.append(_gap("old_computers", ADVICE, i, share=share,
                            target=float(modern_q.score_target)))  # fmt: skip
    if answers.get(ix.ELEARNING) in (ix.NO_ELEARNING, None, ""):
        out.append(_gap("no_elearning", IMPORTANT, i, [Form.HOST_COURSE]))
    if not answers.get(ix.DISTANCE):
        out.append(_gap("no_distance_technologies", IMPORTANT, i, [Form.HOST_COURSE]))
    return out


def _staff(competence: ix.Competence | None, settings: IndexSettings) -> list[dict[str, Any]]:
    s = Dimension.STAFF
    if competence is None or not competence.teachers:
        return []
    if not competence.assessed:
        return [_gap("no_self_assessment", IMPORTANT, s, teachers=competence.teachers)]
    out = []
    if competence.assessed < COVERAGE_MIN * competence.teachers:
        out.append(_gap("self_assessment_coverage", ADVICE, s, assessed=competence.assessed,
                        teachers=competence.teachers))  # fmt: skip
    alert = settings.basic_share_alert / 100
    for skill in Skill.values:
        share = competence.basic_share.get(skill, 0.0)
        if share >= alert and share > 0:
            out.append(_gap("skill_basic", IMPORTANT, s, skill=skill, share=share))
    return out


# --- what is shown ---------------------------------------------------------------------------


@dataclass
class Described:
    code: str
    severity: str
    dimension: str
    forms: list[str]
    problem: str
    advice: str
    courses: list[dict[str, str]]


def _mbps(value: float | None) -> str:
    return "—" if value is None else number_format(round(value, 1), 1 if value % 1 else 0)


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


def describe(gap: Mapping[str, Any]) -> Described:
    p = dict(gap.get("params") or {})
    code = gap.get("code", "")
    texts = _TEXTS.get(code)
    if texts is None:
        problem, advice = code, ""
    else:
        problem, advice = texts(p)
    courses = learning.courses_for(p["skill"]) if code == "skill_basic" else []
    return Described(
        code=code,
        severity=gap.get("severity", ADVICE),
        dimension=gap.get("dimension", ""),
        forms=list(gap.get("forms") or []),
        problem=problem,
        advice=advice,
        courses=courses,
    )


def _skill(p) -> str:
    return str(Skill(p["skill"]).label) if p.get("skill") in Skill.values else str(p.get("skill"))


_TEXTS = {
    "bandwidth_unknown": lambda p: (
        _("The speed of the connection is not known: readiness for remote forms cannot be judged."),
        _("Enter the contracted speed and run the bandwidth check from the institution's network."),
    ),
    "bandwidth_below_minimum": lambda p: (
        _("The connection (%(mbps)s Mbit/s) is below the minimum of %(min)s Mbit/s for one video "
          "stream: the institution can neither take part in nor host remote open lessons.")
        % {"mbps": _mbps(p["mbps"]), "min": _mbps(p["min"])},
        _("Ask the provider for a faster connection; until then, take part from another venue."),
    ),
    "upload_below_hosting": lambda p: (
        _("The outgoing connection (%(mbps)s Mbit/s) is below the %(need)s Mbit/s a hosting "
          "institution needs: it cannot host remote open lessons.")
        % {"mbps": _mbps(p["mbps"]), "need": _mbps(p["need"])},
        _("Raise the outgoing speed of the contract, or host from a resource centre."),
    ),
    "bandwidth_below_target": lambda p: (
        (_("The connection (%(mbps)s Mbit/s) is below the national target of %(target)s Mbit/s "
           "for rural schools.") if p.get("rural") else
         _("The connection (%(mbps)s Mbit/s) is below the national target of %(target)s Mbit/s "
           "for urban schools."))
        % {"mbps": _mbps(p["mbps"]), "target": _mbps(p["target"])},
        _("Include the upgrade of the connection in the development programme."),
    ),
    "bandwidth_not_measured": lambda p: (
        _("The speed has not been measured: only the contracted speed is known."),
        _("Open the bandwidth check from a computer in the institution's network."),
    ),
    "measured_below_contracted": lambda p: (
        _("The measured speed (%(measured)s Mbit/s) is less than half of the contracted "
          "%(contracted)s Mbit/s.")
        % {"measured": _mbps(p["measured"]), "contracted": _mbps(p["contracted"])},
        _("Check the internal network and the router, and ask the provider to check the line."),
    ),
    "no_vc_equipment": lambda p: (
        _("There is no videoconference equipment: the institution cannot take part in remote "
          "open lessons."),
        _("A webcam, a microphone and a screen in one classroom are the minimum to take part."),
    ),
    "no_vc_room": lambda p: (
        _("No room is equipped for videoconferencing: the institution cannot host remote open "
          "lessons."),
        _("Equip one classroom with a camera that shows the board, a microphone and a screen."),
    ),
    "students_per_computer": lambda p: (
        (_("%(ratio)s students per computer (the target is %(target)s or fewer).")
         % {"ratio": _mbps(p["ratio"]), "target": _mbps(p["target"])})
        if p.get("ratio") is not None else _("There are no computers for teaching."),
        _("Plan the purchase of computers or a mobile class."),
    ),
    "old_computers": lambda p: (
        _("Only %(share)s of the computers are younger than five years (the target is "
          "%(target)s).") % {"share": _pct(p["share"]), "target": _pct(p["target"])},
        _("Replace the oldest computers first in the rooms used for remote lessons."),
    ),
    "no_elearning": lambda p: (
        _("No electronic learning environment is in use: a shared course cannot be hosted."),
        _("Start with the regional platform or the municipality's Moodle."),
    ),
    "no_distance_technologies": lambda p: (
        _("No distance technologies are in use."),
        _("Begin with electronic tests and assignments in the learning environment."),
    ),
    "no_self_assessment": lambda p: (
        _("None of the %(teachers)s teachers has assessed their ICT competence.")
        % {"teachers": p["teachers"]},
        _("Ask the teachers to fill in the self-assessment: it takes five minutes."),
    ),
    "self_assessment_coverage": lambda p: (
        ngettext(
            "Only %(assessed)s of %(teachers)s teacher has assessed their ICT competence.",
            "Only %(assessed)s of %(teachers)s teachers have assessed their ICT competence.",
            p["teachers"],
        )
        % {"assessed": p["assessed"], "teachers": p["teachers"]},
        _("Remind the teachers: the staff score is reliable when most of them answer."),
    ),
    "skill_basic": lambda p: (
        _("%(share)s of the teachers are at the basic level in %(skill)s.")
        % {"share": _pct(p["share"]), "skill": _skill(p)},
        _("Plan professional development in %(skill)s; teachers at the advanced level can "
          "mentor colleagues.") % {"skill": _skill(p)},
    ),
    "no_network_participation": lambda p: (
        _("Setka shows no network activity of the institution yet."),
        _("Join a network programme or an open lesson of a resource centre."),
    ),
}  # fmt: skip
