"""The readiness index: pure functions from answers to scores, statuses and gaps.

Documented, with examples worked by hand, in docs/readiness-index.md; tested against those
examples in tests/readiness/test_index.py. Nothing here touches the database: the callers
(``scoring.py``) read the questions, the answers, the teachers' self-assessments and Setka's
own participation counts and pass them in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .models import Dimension, Form, IndexSettings, Level, QuestionKind, Skill

# The codes of the questions the rules of readiness read (the default questionnaire has them;
# they cannot be removed from a questionnaire, only reworded and reweighted).
SETTLEMENT = "settlement"
CONTRACTED = "bandwidth_contracted"
MEASURED = "bandwidth_measured"
UPLOAD = "bandwidth_upload"
VC_KITS = "vc_kits"
VC_ROOMS = "vc_rooms"
ELEARNING = "elearning_environment"
DISTANCE = "distance_technologies"
STUDENTS = "students_total"
COMPUTERS = "computers_total"
MODERN = "computers_modern"
TEACHERS = "teachers_total"
KEY_CODES = frozenset(
    {SETTLEMENT, CONTRACTED, MEASURED, UPLOAD, VC_KITS, VC_ROOMS, ELEARNING, DISTANCE}
)
RURAL = "rural"
NO_ELEARNING = "none"

DIMENSIONS = list(Dimension.values)
FORMS = list(Form.values)
# A skill is "at the basic level" at levels 0 and 1 (SkillLevel).
BASIC_LEVEL = 1
MAX_LEVEL = 3


@dataclass(frozen=True)
class Competence:
    """The institution's teachers' self-assessments: how many of how many, the mean score
    (0–100) and, per skill, the share (0–1) at the basic level or below."""

    teachers: int
    assessed: int
    mean: float | None = None
    basic_share: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Participation:
    """Setka's own counts of the institution's network activity, per source; ``sources``
    are the sources Setka has (a module that is not installed counts nothing)."""

    counts: Mapping[str, int]
    sources: Sequence[str]

    @property
    def score(self) -> float | None:
        if not self.sources:
            return None
        active = sum(1 for s in self.sources if self.counts.get(s, 0) > 0)
        return 100.0 * active / len(self.sources)


@dataclass
class Result:
    index: float
    dimensions: dict[str, float | None]
    levels: dict[str, str]
    can_join: bool
    can_host: bool
    bandwidth: float | None
    upload: float | None
    vc_rooms: int | None
    gaps: list[dict[str, Any]]
    items: dict[str, float | None]  # question code -> its score (None: not scored)


def _num(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def bandwidth_target(settings: IndexSettings, answers: Mapping[str, Any]) -> float:
    rural = answers.get(SETTLEMENT) == RURAL
    return float(settings.target_rural_mbps if rural else settings.target_urban_mbps)


def scorable(q) -> bool:
    """Whether a question counts in its dimension at all (text and weight 0 never do)."""
    if float(q.weight or 0) <= 0:
        return False
    if q.kind == QuestionKind.NUMBER:
        return q.score_target is not None or q.target_is_bandwidth_goal
    if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return any(c.get("score") is not None for c in q.choices)
    return q.kind in (QuestionKind.YES_NO, QuestionKind.SCALE)


def ratio_score(quantity: float, target: float, lower_is_better: bool) -> float:
    if lower_is_better:
        if quantity <= target:
            return 100.0
        return 100.0 * target / quantity
    if target <= 0:
        return 100.0
    return min(quantity / target, 1.0) * 100.0


def item_score(q, answers: Mapping[str, Any], settings: IndexSettings) -> float | None:
    """The score (0–100) of one answered question; None when it is not scored or not
    answered."""
    if not scorable(q):
        return None
    value = answers.get(q.code)
    if value is None or value == "":
        return None
    if q.kind == QuestionKind.NUMBER:
        quantity = _num(value)
        if quantity is None:
            return None
        if q.score_per:
            divisor = _num(answers.get(q.score_per))
            if divisor is None:
                return None
            if divisor == 0:
                return 0.0
            quantity = quantity / divisor
        if q.target_is_bandwidth_goal:
            target = bandwidth_target(settings, answers)
        else:
            target = float(q.score_target)
        return ratio_score(quantity, target, q.lower_is_better)
    if q.kind == QuestionKind.YES_NO:
        return 100.0 if value is True else 0.0
    if q.kind == QuestionKind.SCALE:
        low, high = _f(q.min_value) or 1.0, _f(q.max_value) or 5.0
        number = _num(value)
        if number is None or high <= low:
            return None
        return max(0.0, min((number - low) / (high - low), 1.0)) * 100.0
    scores = {c["value"]: c.get("score") for c in q.choices}
    if q.kind == QuestionKind.SINGLE:
        score = scores.get(value)
        return None if score is None else float(score)
    chosen = value if isinstance(value, list) else [value]
    return min(sum(float(scores.get(v) or 0) for v in chosen), 100.0)


def _weighted(items: Iterable[tuple[float, float | None]]) -> float | None:
    total = weights = 0.0
    for weight, score in items:
        if score is not None and weight > 0:
            total += weight * score
            weights += weight
    return total / weights if weights else None


DIMENSION_WEIGHT = {
    Dimension.INFRASTRUCTURE: "weight_infrastructure",
    Dimension.CONNECTIVITY: "weight_connectivity",
    Dimension.VIDEOCONFERENCING: "weight_videoconferencing",
    Dimension.STAFF: "weight_staff",
    Dimension.PARTICIPATION: "weight_participation",
}
SETTINGS_FIELDS = [
    *DIMENSION_WEIGHT.values(), "min_stream_mbps", "host_streams", "target_urban_mbps",
    "target_rural_mbps", "join_ready", "join_partly", "host_lesson_ready", "host_lesson_partly",
    "host_course_ready", "host_course_partly", "self_assessment_weight",
    "setka_participation_weight", "basic_share_alert",
]  # fmt: skip
THRESHOLDS = {
    Form.JOIN_REMOTE: ("join_ready", "join_partly"),
    Form.HOST_LESSON: ("host_lesson_ready", "host_lesson_partly"),
    Form.HOST_COURSE: ("host_course_ready", "host_course_partly"),
}


def compute(
    questions: Sequence[Any],
    answers: Mapping[str, Any],
    settings: IndexSettings,
    *,
    competence: Competence | None = None,
    participation: Participation | None = None,
) -> Result:
    """Scores, statuses and gaps of one institution (docs/readiness-index.md)."""
    items: dict[str, float | None] = {}
    per_dimension: dict[str, list[tuple[float, float | None]]] = {d: [] for d in DIMENSIONS}
    for q in questions:
        score = item_score(q, answers, settings)
        items[q.code] = score
        if scorable(q):
            per_dimension[q.dimension].append((float(q.weight), score))
    if competence is not None and competence.assessed and competence.mean is not None:
        per_dimension[Dimension.STAFF].append(
            (float(settings.self_assessment_weight), competence.mean)
        )
    if participation is not None and participation.score is not None:
        per_dimension[Dimension.PARTICIPATION].append(
            (float(settings.setka_participation_weight), participation.score)
        )
    dimensions: dict[str, float | None] = {}
    weighted = []
    for d in DIMENSIONS:
        entries = [(w, s) for w, s in per_dimension[d] if w > 0]
        score = _weighted(entries)
        dimensions[d] = None if score is None else round(score, 1)
        if entries:  # asked about: what is not known counts as not ready
            weighted.append((float(getattr(settings, DIMENSION_WEIGHT[d])), score or 0.0))
    index = round(_weighted(weighted) or 0.0, 1)
    gate = gates(answers, settings)
    levels = {}
    for form, (ready, partly) in THRESHOLDS.items():
        if not gate[form]:
            levels[form] = Level.NOT_READY
        elif index >= getattr(settings, ready):
            levels[form] = Level.READY
        elif index >= getattr(settings, partly):
            levels[form] = Level.PARTLY
        else:
            levels[form] = Level.NOT_READY
    from .gaps import find_gaps  # the rules of gaps read what is computed here

    bandwidth, upload = effective_bandwidth(answers)
    vc_rooms = _num(answers.get(VC_ROOMS))
    return Result(
        index=index,
        dimensions=dimensions,
        levels={str(k): str(v) for k, v in levels.items()},
        can_join=gate[Form.JOIN_REMOTE],
        can_host=gate[Form.HOST_LESSON],
        bandwidth=bandwidth,
        upload=upload,
        vc_rooms=None if vc_rooms is None else int(vc_rooms),
        gaps=find_gaps(questions, answers, settings, competence, participation, dimensions),
        items=items,
    )


def effective_bandwidth(answers: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """The connection the rules use: the measured speed when there is one, else the contracted
    one; the upload measured by the check, else the same."""
    measured, contracted = _num(answers.get(MEASURED)), _num(answers.get(CONTRACTED))
    bandwidth = measured if measured is not None else contracted
    upload = _num(answers.get(UPLOAD))
    return bandwidth, upload if upload is not None else bandwidth


def gates(answers: Mapping[str, Any], settings: IndexSettings) -> dict[str, bool]:
    """The hard requirements of each network form, whatever the index."""
    bandwidth, upload = effective_bandwidth(answers)
    kits, rooms = _num(answers.get(VC_KITS)) or 0, _num(answers.get(VC_ROOMS)) or 0
    minimum = float(settings.min_stream_mbps)
    join = bandwidth is not None and bandwidth >= minimum and (kits >= 1 or rooms >= 1)
    host = upload is not None and upload >= minimum * settings.host_streams and rooms >= 1
    environment = answers.get(ELEARNING) not in (None, "", NO_ELEARNING)
    distance = bool(answers.get(DISTANCE))
    return {
        Form.JOIN_REMOTE: join,
        Form.HOST_LESSON: host,
        Form.HOST_COURSE: host and environment and distance,
    }


def competence_score(levels: Iterable[Mapping[str, int | None]]) -> Competence:
    """:class:`Competence` of a list of self-assessments (each a skill -> level mapping), the
    way the database aggregate computes it (tests compare the two)."""
    rows = list(levels)
    means, basic = [], dict.fromkeys(Skill.values, 0)
    for row in rows:
        values = [v for v in row.values() if v is not None]
        if values:
            means.append(sum(values) / (len(values) * MAX_LEVEL) * 100)
        for skill in Skill.values:
            value = row.get(skill)
            if value is not None and value <= BASIC_LEVEL:
                basic[skill] += 1
    n = len(rows)
    return Competence(
        teachers=n,
        assessed=n,
        mean=sum(means) / len(means) if means else None,
        basic_share={s: basic[s] / n for s in Skill.values} if n else {},
    )
