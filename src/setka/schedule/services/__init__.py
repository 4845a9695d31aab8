"""Every write of the municipal schedule builder (each takes the ``actor`` and checks it)."""

from .placing import Clash
from .publishing import item_adjust, item_delete, schedule_publish
from .runs import run_execute, run_request
from .schedules import Busy, item_create, item_update, schedule_create, schedule_update

__all__ = [
    "Busy",
    "Clash",
    "item_adjust",
    "item_create",
    "item_delete",
    "item_update",
    "run_execute",
    "run_request",
    "schedule_create",
    "schedule_publish",
    "schedule_update",
]
