"""Runs of the builder through the API: start one, follow it, list them."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Status

from setka.core.api_errors import Id, errors_for

from .. import services
from ..access import run_for_user, schedule_for_user
from ..models import Run
from ..tasks import queue_run
from .common import busy, forbid
from .schemas import ScheduleRunOut

router = Router(tags=["schedule"])


@router.post(
    "/schedules/{schedule_id}/runs",
    response={202: ScheduleRunOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Run the builder",
    description=(
        "CP-SAT places the items that are not published (published ones and those placed by "
        "hand keep their place) within the schedule's time limit, and the greedy first fit is "
        "run on the same candidates; both counts, the solver's status, objective, bound and gap "
        "are recorded on the run. With a worker the answer comes at once (`queued`): follow "
        "`GET /schedule-runs/{id}`; without one the request waits and the run is `done`. No "
        "items: 422; a run in progress: 409 naming it."
    ),
)
def run_create(request: HttpRequest, schedule_id: Id) -> Any:
    schedule = schedule_for_user(request.user, schedule_id)
    try:
        run = services.run_request(actor=request.user, schedule=schedule)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    except services.Busy as exc:
        return busy(request, exc)
    queue_run(run)
    run.refresh_from_db()
    return Status(202, run)


@router.get(
    "/schedules/{schedule_id}/runs",
    response={200: list[ScheduleRunOut], **errors_for(401, 404, 422)},
    summary="Runs of the builder",
    description="The last 50 runs of the schedule, newest first.",
)
def run_list(request: HttpRequest, schedule_id: Id) -> list[Run]:
    schedule = schedule_for_user(request.user, schedule_id)
    return list(schedule.runs.order_by("-number")[:50])


@router.get(
    "/schedule-runs/{run_id}",
    response={200: ScheduleRunOut, **errors_for(401, 404, 422)},
    summary="One run",
    description="Its status (poll it while `queued` or `running`) and its results.",
)
def run_get(request: HttpRequest, run_id: Id) -> Run:
    return run_for_user(request.user, run_id)
