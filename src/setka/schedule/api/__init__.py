"""The schedule builder through the API (one router per resource): schedules, their items
(the proposal with its reasons, moving, removing), runs, publishing and the changelog."""

from .items import router as items_router
from .runs import router as runs_router
from .schedules import router as schedules_router

routers = [schedules_router, items_router, runs_router]
