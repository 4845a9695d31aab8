"""The builder's pages of a schedule: the list, creating and changing one, the proposal in a
calendar with every item's place or reason, running the builder (its state refreshed every
2 s while it runs), publishing, and the changelog."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from setka.network.models import Municipality
from setka.network.roles import user_roles

from .. import selectors, services
from ..access import builder_municipality, schedule_for_user
from ..forms import ScheduleForm
from ..models import Schedule
from ..solver.reasons import text as reason_text
from ..tasks import queue_run


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@login_required
@require_GET
def schedule_list(request):
    builder_municipality(request.user)
    schedules = selectors.schedules_of(user_roles(request.user))
    return render(request, "schedule/list.html", {"schedules": schedules[:200]})


@login_required
def schedule_create(request):
    municipality = Municipality.objects.get(pk=builder_municipality(request.user))
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            schedule = services.schedule_create(
                actor=request.user, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("The schedule is created: now add the items to place."))
            return redirect("schedule:detail", pk=schedule.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "schedule/form.html", {"form": form, "creating": True}, status=status)


@login_required
def schedule_edit(request, pk: int):
    schedule = schedule_for_user(request.user, pk)
    form = ScheduleForm.of(schedule, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_update(actor=request.user, schedule=schedule, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        except services.Busy as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The schedule is saved."))
            return redirect("schedule:detail", pk=pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "creating": False, "schedule": schedule}
    return render(request, "schedule/form.html", context, status=status)


def _rows(items) -> list[dict]:
    return [
        {
            "item": i,
            "reason": reason_text(i.reason),
            "warnings": [reason_text(w) for w in i.warnings],
        }
        for i in items
    ]


@login_required
@require_GET
def schedule_detail(request, pk: int):
    schedule = schedule_for_user(request.user, pk)
    items = selectors.items(schedule)
    placed = [i for i in items if i.starts_at]
    context = {
        "schedule": schedule,
        "rows": _rows(items),
        "weeks": selectors.calendar(schedule, placed),
        "run": selectors.last_run(schedule),
        "placed": len(placed),
        "to_publish": sum(1 for i in placed if not i.event_id),
        "unplaced": sum(1 for i in items if not i.starts_at),
        "versions": selectors.versions(schedule)[:5],
    }
    return render(request, "schedule/detail.html", context)


@login_required
@require_GET
def schedule_status(request, pk: int):
    """The run's state alone (HTMX polls it every 2 s while the builder runs); when the run is
    over the page reloads itself to show the proposal."""
    schedule = schedule_for_user(request.user, pk)
    run = selectors.last_run(schedule)
    response = render(request, "schedule/_status.html", {"schedule": schedule, "run": run})
    if request.htmx and schedule.state != Schedule.State.RUNNING:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def schedule_run(request, pk: int):
    schedule = schedule_for_user(request.user, pk)
    try:
        run = services.run_request(actor=request.user, schedule=schedule)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    except services.Busy as exc:
        messages.error(request, str(exc))
    else:
        queue_run(run)
        run.refresh_from_db()
        if run.status == run.Status.DONE:
            messages.success(
                request,
                _("The builder placed %(placed)s of %(total)s items.")
                % {"placed": run.placed, "total": run.items_total},
            )
        elif run.status == run.Status.FAILED:
            messages.error(request, _("The builder failed: %(error)s") % {"error": run.error})
    return redirect("schedule:detail", pk=pk)


@login_required
@require_POST
def schedule_publish(request, pk: int):
    schedule = schedule_for_user(request.user, pk)
    try:
        version = services.schedule_publish(actor=request.user, schedule=schedule)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    except services.Busy as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "Version %(n)s is published: %(added)s items are in the municipal calendar, and "
                "their hosts and teachers are told."
            )
            % {"n": version.number, "added": version.added},
        )
    return redirect("schedule:detail", pk=pk)


@login_required
@require_GET
def schedule_changes(request, pk: int) -> HttpResponse:
    schedule = schedule_for_user(request.user, pk)
    context = {
        "schedule": schedule,
        "changes": list(selectors.changes(schedule)[:500]),
        "versions": selectors.versions(schedule),
    }
    return render(request, "schedule/changes.html", context)
