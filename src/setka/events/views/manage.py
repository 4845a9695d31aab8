"""The organisers' pages: create and edit an event, publish or cancel it, the list of
registrations with check-in, and the recording."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setka.core.clock import now
from setka.core.converters import parse_id
from setka.network.roles import user_roles

from .. import rules, services
from ..access import event_to_manage, event_to_run
from ..forms import EventForm
from ..models import Event, Registration
from ..video import recordings


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@login_required
def create(request):
    roles = user_roles(request.user)
    if not rules.creates_any(roles):
        raise PermissionDenied
    form = EventForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("The event is saved as a draft: check it and publish it."))
            return redirect("events:detail", pk=event.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "events/form.html", {"form": form, "creating": True}, status=status)


@login_required
def edit(request, pk: int):
    event = event_to_manage(request.user, pk)
    roles = user_roles(request.user)
    form = EventForm(request.POST or None, instance=event, roles=roles, creating=False)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            services.event_update(actor=request.user, event=Event.objects.get(pk=pk), **fields)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "creating": False, "event": event}
    return render(request, "events/form.html", context, status=status)


@login_required
@require_POST
def publish(request, pk: int):
    event = event_to_manage(request.user, pk)
    try:
        services.event_publish(actor=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("The event is published in the municipal calendar."))
    return redirect("events:detail", pk=pk)


@login_required
@require_POST
def cancel(request, pk: int):
    event = event_to_manage(request.user, pk)
    try:
        services.event_cancel(
            actor=request.user, event=event, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("The event is cancelled; the registered people are told."))
    return redirect("events:detail", pk=pk)


@login_required
def registrations(request, pk: int):
    """Who is registered and waiting; hosts and organisers check people in here."""
    event = event_to_run(request.user, pk)
    if request.method == "POST":
        registration_id = parse_id(request.POST.get("registration"))
        registration = Registration.objects.filter(pk=registration_id, event=event).first()
        if registration is None:
            messages.error(request, _("There is no such registration."))
        else:
            registration.event = event
            try:
                services.checkin_set(
                    actor=request.user,
                    registration=registration,
                    present=request.POST.get("present") != "0",
                )
            except ValidationError as exc:
                messages.error(request, _message(exc))
        return redirect("events:registrations", pk=pk)
    rows = list(
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("person")
        .order_by("status", "mode", "created_at", "id")
    )
    context = {
        "event": event,
        "registered": [r for r in rows if r.status == Registration.Status.REGISTERED],
        "waiting": [r for r in rows if r.status == Registration.Status.WAITING],
    }
    return render(request, "events/registrations.html", context)


@login_required
def recording(request, pk: int):
    """After the event: the provider's recordings (BigBlueButton) to choose from, or any
    link; publishing tells the registered participants."""
    event = event_to_run(request.user, pk)
    if request.method == "POST":
        try:
            services.recording_publish(
                actor=request.user, event=event, url=request.POST.get("url", "")
            )
        except ValidationError as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("The recording is published for the participants."))
            return redirect("events:detail", pk=pk)
    over = event.ends_at <= now()
    context = {"event": event, "over": over, "found": recordings(event) if over else []}
    return render(request, "events/recording.html", context)
