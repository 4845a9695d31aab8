"""The readiness survey's API schemas (``Readiness…`` names: ninja files schemas by class
name across the whole API)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from setka.core.api import InputSchema
from setka.core.api_errors import Day, Id, Text
from setka.network.models import InstitutionKind, KindGroup

from ..models import Response

# Literals, not the models' enums: ninja files enums by class name across the whole API, and
# other domains have their own "Status" or "Level".
StatusValue = Literal["pending", "draft", "submitted"]
LevelValue = Literal["ready", "partly", "not_ready"]
FormValue = Literal["join_remote", "host_lesson", "host_course"]
DimensionValue = Literal[
    "infrastructure", "connectivity", "videoconferencing", "staff", "participation"
]
KindValue = Literal["number", "yes_no", "single", "multiple", "scale", "text"]
SkillValue = Literal["office", "internet", "distance", "video", "journal", "content"]

Score = Annotated[float, Field(ge=0, le=100)]
Code = Annotated[Text, Field(min_length=1, max_length=40)]
Value = int | float | bool | str | list[str] | None


class ReadinessCampaignOut(Schema):
    id: int
    title: str
    questionnaire_id: int
    starts_on: dt.date
    deadline: dt.date
    teachers_asked: bool
    status: Literal["planned", "open", "closed"] = Field(description="By today's date.")
    closed_at: dt.datetime | None


class ReadinessCampaignIn(InputSchema):
    title: Annotated[Text, Field(min_length=1, max_length=200)]
    questionnaire_id: Id | None = Field(
        None, description="Empty: the municipality's only questionnaire, or Setka's default."
    )
    starts_on: Day
    deadline: Day
    kinds: list[InstitutionKind] = Field(
        default_factory=list, description="The kinds of institutions asked; empty: all."
    )
    teachers_asked: bool = True


class ReadinessCampaignPatchIn(InputSchema):
    title: Annotated[Text, Field(min_length=1, max_length=200)] | None = None
    starts_on: Day | None = None
    deadline: Day | None = None
    teachers_asked: bool | None = None
    closed: bool | None = Field(None, description="true closes the campaign, false reopens it.")


class ReadinessCountOut(Schema):
    count: int


class ReadinessProgressOut(Schema):
    pending: int
    draft: int
    submitted: int
    total: int
    reopen_requests: int


class ReadinessScoresOut(Schema):
    index: float | None
    infrastructure: float | None
    connectivity: float | None
    videoconferencing: float | None
    staff: float | None
    participation: float | None


class ReadinessResultOut(ReadinessScoresOut):
    response_id: int
    institution_id: int
    institution: str
    slug: str
    kind: str
    status: StatusValue
    join_remote: LevelValue | Literal[""]
    host_lesson: LevelValue | Literal[""]
    host_course: LevelValue | Literal[""]
    can_join: bool
    can_host: bool
    bandwidth_mbps: float | None
    upload_mbps: float | None
    vc_rooms: int | None
    teachers_total: int
    teachers_assessed: int
    submitted_at: dt.datetime | None
    reopen_requested: bool
    latitude: float | None
    longitude: float | None


class ReadinessLevelsOut(Schema):
    ready: int
    partly: int
    not_ready: int


class ReadinessFormsOut(Schema):
    join_remote: ReadinessLevelsOut
    host_lesson: ReadinessLevelsOut
    host_course: ReadinessLevelsOut


class ReadinessSkillOut(Schema):
    skill: SkillValue
    label: str
    levels: list[int] = Field(description="How many teachers are at level 0, 1, 2 and 3.")


class ReadinessCompetenceOut(Schema):
    total: int = Field(description="Submitted self-assessments counted.")
    skills: list[ReadinessSkillOut]


class ReadinessTrendOut(Schema):
    campaign_id: int
    title: str
    starts_on: dt.date
    count: int = Field(description="Institutions with a result.")
    index: float | None = None
    infrastructure: float | None = None
    connectivity: float | None = None
    videoconferencing: float | None = None
    staff: float | None = None
    participation: float | None = None


class ReadinessDashboardOut(Schema):
    campaign: ReadinessCampaignOut
    progress: ReadinessProgressOut
    averages: ReadinessScoresOut
    previous: ReadinessTrendOut | None = Field(description="The campaign before this one.")
    forms: ReadinessFormsOut
    competence: ReadinessCompetenceOut
    trend: list[ReadinessTrendOut]
    institutions: list[ReadinessResultOut] = Field(description="Filtered and sorted.")


class ReadinessFilter(Schema):
    group: KindGroup | None = Field(None, description="The kind group of the institutions.")
    status: StatusValue | None = None
    form: FormValue | None = Field(None, description="With `level`: institutions at that level.")
    level: LevelValue | None = None
    q: Annotated[str, Field(max_length=100)] | None = Field(None, description="In the name.")
    sort: (
        Literal[
            "name", "index", "infrastructure", "connectivity", "videoconferencing", "staff",
            "participation", "bandwidth", "status",
        ]
        | None
    ) = None  # fmt: skip
    order: Literal["asc", "desc"] | None = None


class ReadinessChoiceOut(Schema):
    value: str
    label: str
    score: float | None


class ReadinessQuestionOut(Schema):
    code: str
    position: int
    dimension: DimensionValue
    kind: KindValue
    text: str
    help_text: str
    unit: str
    required: bool
    weight: float
    integer: bool
    min_value: float | None
    max_value: float | None
    not_more_than: str
    score_target: float | None
    score_per: str
    lower_is_better: bool
    target_is_bandwidth_goal: bool
    choices: list[ReadinessChoiceOut]
    scored: bool = Field(description="Counts in its dimension.")
    key: bool = Field(description="Read by the rules of readiness: cannot be removed.")


class ReadinessVersionOut(Schema):
    id: int
    number: int
    created_at: dt.datetime
    note: str
    responses: int = Field(description="Responses that answered (or will answer) it.")


class ReadinessQuestionnaireOut(Schema):
    id: int
    title: str
    description: str
    versions: list[ReadinessVersionOut] = Field(description="Newest first.")


class ReadinessQuestionnaireDetailOut(ReadinessQuestionnaireOut):
    version: int = Field(description="The version whose questions these are.")
    questions: list[ReadinessQuestionOut]


class ReadinessQuestionnaireIn(InputSchema):
    title: Annotated[Text, Field(min_length=1, max_length=200)]
    description: Annotated[Text, Field(max_length=2000)] = ""


class ReadinessChoiceIn(InputSchema):
    value: Code
    label: Annotated[Text, Field(min_length=1, max_length=200)]
    score: Annotated[float, Field(ge=0, le=100)] | None = None


class ReadinessQuestionPatchIn(InputSchema):
    position: Annotated[int, Field(ge=0, le=100000)] | None = None
    dimension: DimensionValue | None = None
    kind: KindValue | None = None
    text: Annotated[Text, Field(min_length=1, max_length=300)] | None = None
    help_text: Annotated[Text, Field(max_length=500)] | None = None
    unit: Annotated[Text, Field(max_length=20)] | None = None
    required: bool | None = None
    weight: Annotated[float, Field(ge=0, le=999)] | None = None
    integer: bool | None = None
    min_value: Annotated[float, Field(ge=-1e9, le=1e9)] | None = None
    max_value: Annotated[float, Field(ge=-1e9, le=1e9)] | None = None
    not_more_than: Annotated[Text, Field(max_length=40)] | None = None
    score_target: Annotated[float, Field(gt=0, le=1e9)] | None = None
    score_per: Annotated[Text, Field(max_length=40)] | None = None
    lower_is_better: bool | None = None
    target_is_bandwidth_goal: bool | None = None
    choices: Annotated[list[ReadinessChoiceIn], Field(max_length=20)] | None = None


class ReadinessQuestionIn(ReadinessQuestionPatchIn):
    code: Code
    dimension: DimensionValue
    kind: KindValue
    text: Annotated[Text, Field(min_length=1, max_length=300)]


class ReadinessGapOut(Schema):
    code: str
    severity: Literal["blocker", "important", "advice"]
    dimension: str
    forms: list[str] = Field(description="The network forms it holds back.")
    problem: str
    advice: str
    courses: list[dict[str, str]] = Field(description="Suggested courses (title, url).")


class ReadinessResponseOut(Schema):
    id: int
    campaign_id: int
    campaign: str
    institution_id: int
    institution: str
    status: StatusValue
    version: int = Field(description="The questionnaire version the answers belong to.")
    questionnaire_id: int
    answers: dict[str, Any] = Field(description="Question code → answer.")
    editable: bool = Field(description="Whether answers are taken today.")
    deadline: dt.date = Field(description="The deadline, or the reopening's date.")
    submitted_at: dt.datetime | None
    reopened_until: dt.date | None
    reopen_requested_at: dt.datetime | None
    reopen_reason: str
    scores: ReadinessScoresOut | None = Field(description="The last submission's.")
    levels: dict[str, str] = Field(description="Network form → ready / partly / not_ready.")
    gaps: list[ReadinessGapOut]
    prefill: dict[str, int] = Field(description="What Setka knows, for an answer not started.")


class ReadinessResponseBriefOut(Schema):
    id: int
    campaign_id: int
    campaign: str
    institution_id: int
    institution: str
    status: StatusValue
    version: int
    submitted_at: dt.datetime | None
    index: float | None = Field(description="The last submission's readiness index.")
    reopen_requested_at: dt.datetime | None

    @staticmethod
    def resolve_campaign(obj: Response) -> str:
        return obj.campaign.title

    @staticmethod
    def resolve_institution(obj: Response) -> str:
        return obj.institution.short_name

    @staticmethod
    def resolve_version(obj: Response) -> int:
        return obj.version.number


class ReadinessAnswersIn(InputSchema):
    answers: dict[Annotated[str, Field(max_length=40)], Value] = Field(
        description="Question code → answer (number, true/false, an option's value, a list of "
        "values, text); null clears it. Answers not given stay."
    )


class ReadinessSubmitIn(InputSchema):
    answers: dict[Annotated[str, Field(max_length=40)], Value] | None = Field(
        None, description="Answers to save before submitting, as for PATCH …/answers."
    )


class ReadinessReasonIn(InputSchema):
    reason: Annotated[Text, Field(min_length=1, max_length=1000)]


class ReadinessReopenIn(InputSchema):
    until: Day | None = Field(None, description="A week from today (or the deadline) if empty.")
    reason: Annotated[Text, Field(max_length=1000)] = ""


class ReadinessSelfAssessmentOut(Schema):
    campaign_id: int
    campaign: str
    deadline: dt.date
    open: bool = Field(description="Whether it can be changed today.")
    status: Literal["none", "draft", "submitted"]
    levels: dict[str, int | None]
    submitted_at: dt.datetime | None


class ReadinessSelfAssessmentIn(InputSchema):
    levels: dict[SkillValue, Annotated[int, Field(ge=0, le=3)] | None] = Field(
        description="Skill → level 0–3 (0: does not use it … 3: can teach colleagues)."
    )
    submit: bool = Field(False, description="Submit (needs all six skills).")


class ReadinessVenueOut(Schema):
    can_host_remote: bool
    can_join_remote: bool
    vc_rooms: int
    bandwidth_mbps: float | None
    upload_mbps: float | None
    index: float | None
    campaign_id: int | None


class ReadinessHistoryOut(ReadinessScoresOut):
    response_id: int
    campaign_id: int
    campaign: str
    starts_on: dt.date
    status: StatusValue


class ReadinessInstitutionOut(Schema):
    institution_id: int
    institution: str
    capabilities: ReadinessVenueOut
    latest: ReadinessHistoryOut | None
    levels: dict[str, str]
    gaps: list[ReadinessGapOut]
    competence: ReadinessCompetenceOut | None
    history: list[ReadinessHistoryOut]


class ReadinessSpeedTestIn(InputSchema):
    download_mbps: Annotated[float, Field(ge=0, le=100000)]
    upload_mbps: Annotated[float, Field(ge=0, le=100000)] | None = None
    latency_ms: Annotated[float, Field(ge=0, le=60000)] | None = None


class ReadinessSpeedTestOut(Schema):
    id: int
    measured_at: dt.datetime
    download_mbps: float
    upload_mbps: float | None
    latency_ms: float | None
    response_id: int | None = Field(description="The answers it went into, if any were open.")


class ReadinessSettingsIn(InputSchema):
    weight_infrastructure: Annotated[int, Field(ge=0, le=100)] | None = None
    weight_connectivity: Annotated[int, Field(ge=0, le=100)] | None = None
    weight_videoconferencing: Annotated[int, Field(ge=0, le=100)] | None = None
    weight_staff: Annotated[int, Field(ge=0, le=100)] | None = None
    weight_participation: Annotated[int, Field(ge=0, le=100)] | None = None
    min_stream_mbps: Annotated[float, Field(ge=0.1, le=1000)] | None = None
    host_streams: Annotated[int, Field(ge=1, le=50)] | None = None
    target_urban_mbps: Annotated[float, Field(ge=1, le=100000)] | None = None
    target_rural_mbps: Annotated[float, Field(ge=1, le=100000)] | None = None
    join_ready: Annotated[int, Field(ge=0, le=100)] | None = None
    join_partly: Annotated[int, Field(ge=0, le=100)] | None = None
    host_lesson_ready: Annotated[int, Field(ge=0, le=100)] | None = None
    host_lesson_partly: Annotated[int, Field(ge=0, le=100)] | None = None
    host_course_ready: Annotated[int, Field(ge=0, le=100)] | None = None
    host_course_partly: Annotated[int, Field(ge=0, le=100)] | None = None
    self_assessment_weight: Annotated[float, Field(ge=0, le=100)] | None = None
    setka_participation_weight: Annotated[float, Field(ge=0, le=100)] | None = None
    basic_share_alert: Annotated[int, Field(ge=0, le=100)] | None = None


class ReadinessSettingsOut(Schema):
    weight_infrastructure: int
    weight_connectivity: int
    weight_videoconferencing: int
    weight_staff: int
    weight_participation: int
    min_stream_mbps: float
    host_streams: int
    target_urban_mbps: float
    target_rural_mbps: float
    join_ready: int
    join_partly: int
    host_lesson_ready: int
    host_lesson_partly: int
    host_course_ready: int
    host_course_partly: int
    self_assessment_weight: float
    setka_participation_weight: float
    basic_share_alert: int
