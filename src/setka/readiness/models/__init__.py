"""The readiness of institutions for network interaction (DESIGN.md §2, module 9)."""

from .campaign import (
    Campaign,
    Form,
    IndexSettings,
    Level,
    Response,
    SelfAssessment,
    Skill,
    SkillLevel,
    SpeedTest,
)
from .questionnaire import (
    Dimension,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
)

__all__ = [
    "Campaign",
    "Dimension",
    "Form",
    "IndexSettings",
    "Level",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "SelfAssessment",
    "Skill",
    "SkillLevel",
    "SpeedTest",
]
