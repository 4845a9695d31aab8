"""The journal's API, one module per resource (``common`` holds what they share and the rules
of answers). ``config/api.py`` adds ``routers``, in this order, to the one NinjaAPI."""

from __future__ import annotations

from . import cells, diary, grid, lessons, marks, period_marks, reports

routers = [
    grid.router,
    cells.router,
    lessons.router,
    marks.router,
    period_marks.router,
    diary.router,
    reports.router,
]
