"""Every write of the readiness survey: each function takes ``actor``, checks the permission
itself (``PermissionDenied``), validates (``ValidationError``, nothing written), refuses what
does not fit the state (``Conflict``: a passed deadline, a closed campaign), writes in a
transaction with its audit entry and tells the people concerned."""

from .assessments import campaigns_asking, self_assessment_save
from .campaigns import (
    campaign_close,
    campaign_create,
    campaign_recompute,
    campaign_remind,
    campaign_update,
    daily,
    settings_update,
)
from .questionnaires import (
    current_version,
    question_remove,
    question_save,
    questionnaire_create,
)
from .responses import (
    Conflict,
    open_response,
    prefill,
    reopen_decide,
    reopen_request,
    response_save,
    speed_test_record,
)

__all__ = [
    "Conflict",
    "campaign_close",
    "campaign_create",
    "campaign_recompute",
    "campaign_remind",
    "campaign_update",
    "campaigns_asking",
    "current_version",
    "daily",
    "open_response",
    "prefill",
    "question_remove",
    "question_save",
    "questionnaire_create",
    "reopen_decide",
    "reopen_request",
    "response_save",
    "self_assessment_save",
    "settings_update",
    "speed_test_record",
]
