"""The page of an event and what a participant does there: register, cancel, join online,
download the certificate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from setka.core.clock import now
from setka.core.pagecache import cached_page
from setka.network.roles import user_roles

from .. import rules, selectors, services
from ..access import event_for_user
from ..models import Certificate, Kind, Mode, Registration, Status
from ..pdf import certificate_pdf
from ..services.observation import certificate_refusal, observer_refusal
from ..services.registrations import _window_error, join_refusal


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@cached_page("events", "network", "journal", "resources", minute=True)
@require_GET
def detail(request, pk: int):
    event = event_for_user(request.user, pk)
    roles = user_roles(request.user)
    hosts = event.host_list  # read with the event (access._event)
    subjects = list(event.audience_subjects.all())
    registration = selectors.registration_of(roles.person_id, event)
    taken = selectors.taken(event)
    runs = rules.runs(roles, event)
    moment = now()
    over = event.ends_at <= moment
    context = {
        "event": event,
        "hosts": hosts,
        "subjects": subjects,
        "audience": selectors.audience_text(event, [s.name for s in subjects]),
        "registration": registration,
        "free_in_person": max(event.capacity_in_person - taken[Mode.IN_PERSON], 0),
        "free_remote": max(event.capacity_remote - taken[Mode.REMOTE], 0) if event.provider else 0,
        "runs": runs,
        "manages": rules.manages(roles, event),
        "over": over,
        "window_problem": _window_error(event),
        "can_join": roles.person_id is not None
        and join_refusal(roles, event, registration) is None,
        "joins_later": event.provider and not over and moment < event.joins_from,
        "refusal": None,
        "ics_url": request.build_absolute_uri(f"/events/{event.pk}.ics"),
        "is_open_lesson": event.kind == Kind.OPEN_LESSON,
        "signed_in": request.user.is_authenticated,
    }
    if request.user.is_authenticated and registration is None and context["window_problem"] is None:
        context["refusal"] = selectors.audience_refusal(roles, event)
    if over and event.status != Status.CANCELLED and roles.person_id is not None:
        host_ids = {h.pk for h in hosts}
        context["certificate_ok"] = (
            Certificate.objects.filter(event=event, person_id=roles.person_id).exists()
            or certificate_refusal(event, roles.person_id, host_ids) is None
        )
    if event.kind == Kind.OPEN_LESSON and request.user.is_authenticated:
        context["observes"] = observer_refusal(roles, event) is None
    context["show_recording"] = bool(event.recording_url) and (
        runs or (registration is not None and registration.status == Registration.Status.REGISTERED)
    )
    return render(request, "events/detail.html", context)


@login_required
@require_POST
def register(request, pk: int):
    event = event_for_user(request.user, pk)
    try:
        registration = services.registration_create(
            actor=request.user, event=event, mode=request.POST.get("mode", "")
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You cannot register for this event."))
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        if registration.status == Registration.Status.WAITING:
            messages.warning(request, _("There are no free places: you are on the waiting list. "
                                        "We will tell you when a place is free."))  # fmt: skip
        else:
            messages.success(request, _("You are registered."))
    return redirect("events:detail", pk=event.pk)


@login_required
@require_POST
def unregister(request, pk: int):
    event = event_for_user(request.user, pk)
    registration = selectors.registration_of(user_roles(request.user).person_id, event)
    if registration is None:
        messages.error(request, _("You are not registered for this event."))
        return redirect("events:detail", pk=event.pk)
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", pk=event.pk)


@login_required
def join(request, pk: int):
    """The join page: the button that leads into the online room, from 15 minutes before the
    start, for registered participants only; the address is made on the server at the POST
    (the secrets never reach the browser) and the browser is redirected to it."""
    event = event_for_user(request.user, pk)
    roles = user_roles(request.user)
    registration = selectors.registration_of(roles.person_id, event)
    problem = join_refusal(roles, event, registration)
    if request.method == "POST" and problem is None:
        try:
            url = services.join(actor=request.user, event=event)
        except ValidationError as exc:
            problem = _message(exc)
        else:
            return redirect(url)
    status = 200 if problem is None else 403
    context = {"event": event, "problem": problem, "registration": registration}
    return render(request, "events/join.html", context, status=status)


@login_required
@require_GET
def certificate(request, pk: int):
    event = event_for_user(request.user, pk)
    try:
        issued = services.certificate_issue(actor=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, _message(exc))
        return redirect("events:detail", pk=event.pk)
    issued.event = event
    response = HttpResponse(certificate_pdf(issued), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{issued.code}.pdf"'
    return response
