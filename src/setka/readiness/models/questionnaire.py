"""Questionnaires of the readiness survey, versioned.

A :class:`Questionnaire` belongs to a municipality and is edited by its methodologists. What
institutions answer is a :class:`QuestionnaireVersion` with its :class:`Question` rows: once
an institution has answered a version, editing the questionnaire makes a new version (the
answered one never changes), so every answer keeps the wording, choices and scoring it was
given under."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from setka.core.clock import now
from setka.network.models import Municipality


class Dimension(models.TextChoices):
    """The five parts of the readiness index (docs/readiness-index.md)."""

    INFRASTRUCTURE = "infrastructure", _("infrastructure")
    CONNECTIVITY = "connectivity", _("connectivity")
    VIDEOCONFERENCING = "videoconferencing", _("videoconferencing")
    STAFF = "staff", _("staff competence")
    PARTICIPATION = "participation", _("participation in network forms")


class QuestionKind(models.TextChoices):
    NUMBER = "number", _("number")
    YES_NO = "yes_no", _("yes or no")
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    SCALE = "scale", _("scale")
    TEXT = "text", _("text")


code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    _("A code is 1–40 small Latin letters, digits and underscores, starting with a letter."),
    code="code",
)


class Questionnaire(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="readiness_questionnaires"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), default=now)

    class Meta:
        verbose_name = _("readiness questionnaire")
        verbose_name_plural = _("readiness questionnaires")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created"), default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="readiness_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"


class Question(models.Model):
    """One question of a version. Scoring (docs/readiness-index.md): a number scores by
    ``score_target`` (of the value, or of ``value / score_per``'s value; ``lower_is_better``
    turns it round; ``target_is_bandwidth_goal`` takes the target from the settings); yes/no
    and scales by their value; choices by the ``score`` of the chosen options; text never."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    position = models.PositiveIntegerField(_("position"), default=0)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=500, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    required = models.BooleanField(_("required"), default=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
    )
    # numbers and scales
    integer = models.BooleanField(_("whole numbers only"), default=True)
    min_value = models.DecimalField(
        _("smallest value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    not_more_than = models.CharField(
        _("not more than the answer to"),
        max_length=40,
        blank=True,
        help_text=_("The code of a number question this answer may not exceed (a part of it)."),
    )
    # scoring
    score_target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    score_per = models.CharField(
        _("divided by the answer to"),
        max_length=40,
        blank=True,
        help_text=_("Score the ratio of this answer to another number question's."),
    )
    lower_is_better = models.BooleanField(_("lower is better"), default=False)
    target_is_bandwidth_goal = models.BooleanField(
        _("target: the national connection goal"), default=False
    )
    # [{"value": "fibre", "label": "Оптоволокно", "score": 100}, …]; a null score: not scored
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="readiness_question_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def choice_labels(self) -> dict[str, str]:
        return {c["value"]: c["label"] for c in self.choices}
