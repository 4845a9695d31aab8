"""The readiness survey's API: one router per resource (``config/api.py`` adds them)."""

from .assessments import router as assessments_router
from .campaigns import router as campaigns_router
from .institutions import router as institutions_router
from .questionnaires import router as questionnaires_router
from .responses import router as responses_router

routers = [
    campaigns_router,
    questionnaires_router,
    responses_router,
    assessments_router,
    institutions_router,
]
