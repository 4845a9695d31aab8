"""Observation protocols of open lessons: an observer fills theirs; the host sees the
aggregated result; the methodologists see every protocol; they also set the criteria."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from setka.core.converters import parse_id
from setka.network.models import Municipality
from setka.network.roles import user_roles

from .. import rules, services
from ..access import event_for_user, event_to_run
from ..models import Criterion, Kind, Protocol
from ..selectors_observation import summary
from ..services.observation import criteria_ensure, observer_refusal


@login_required
def protocol(request, pk: int):
    event = event_for_user(request.user, pk)
    roles = user_roles(request.user)
    problem = observer_refusal(roles, event)
    if problem:
        return render(request, "events/protocol.html", {"event": event, "problem": problem},
                      status=403)  # fmt: skip
    criteria = criteria_ensure(event.municipality_id)
    mine = Protocol.objects.filter(event=event, observer_id=roles.person_id).first()
    given = {s.criterion_id: s for s in mine.scores.all()} if mine else {}
    errors: dict[str, list[str]] = {}
    values = {c.pk: (str(given[c.pk].value) if c.pk in given else "",
                     given[c.pk].comment if c.pk in given else "") for c in criteria}  # fmt: skip
    comment = mine.comment if mine else ""
    if request.method == "POST":
        post = request.POST
        scores = {c.pk: (post.get(f"score-{c.pk}", ""), post.get(f"comment-{c.pk}", ""))
                  for c in criteria}  # fmt: skip
        comment = request.POST.get("comment", "")
        try:
            services.protocol_save(actor=request.user, event=event, scores=scores, comment=comment)
        except ValidationError as exc:
            errors = exc.message_dict
            values = {k: (v[0], v[1]) for k, v in scores.items()}
        else:
            messages.success(request, _("Your protocol is saved. Thank you!"))
            return redirect("events:detail", pk=pk)
    rows = [
        {"criterion": c, "value": values[c.pk][0], "comment": values[c.pk][1],
         "error": " ".join(errors.get(f"scores.{c.pk}", []))}
        for c in criteria
    ]  # fmt: skip
    context = {"event": event, "rows": rows, "comment": comment, "errors": errors,
               "choices": ["0", "1", "2"], "saved": mine is not None}  # fmt: skip
    return render(request, "events/protocol.html", context, status=422 if errors else 200)


@login_required
def protocols(request, pk: int):
    """The host and the organisers: the aggregated result; the methodologists: each
    observer's protocol too."""
    event = event_to_run(request.user, pk)
    if event.kind != Kind.OPEN_LESSON:
        raise Http404
    roles = user_roles(request.user)
    all_of_them = rules.sees_all_protocols(roles, event)
    context = {"event": event, **summary(event, with_protocols=all_of_them),
               "all_of_them": all_of_them}  # fmt: skip
    return render(request, "events/protocols.html", context)


@login_required
def criteria(request):
    roles = user_roles(request.user)
    municipality_id = next(iter(sorted(roles.methodologist_of | roles.municipal_admin_of)), None)
    if municipality_id is None:
        raise PermissionDenied
    municipality = Municipality.objects.get(pk=municipality_id)
    criteria_ensure(municipality.pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        criterion = None
        pk = parse_id(request.POST.get("criterion"))
        if pk is not None:
            criterion = Criterion.objects.filter(pk=pk, municipality=municipality).first()
            if criterion is None:
                raise Http404
        try:
            order = int(request.POST.get("order") or 100)
        except ValueError:
            order = -1
        try:
            if not 0 <= order <= 1000:
                raise ValidationError({"order": _("The order is a number from 0 to 1000.")})
            services.criterion_save(
                actor=request.user, municipality=municipality, criterion=criterion,
                title=request.POST.get("title", ""), hint=request.POST.get("hint", ""),
                order=order, is_active=request.POST.get("is_active") == "1",
            )  # fmt: skip
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The criteria are saved."))
            return redirect("events:criteria")
    context = {
        "criteria": list(Criterion.objects.filter(municipality=municipality)),
        "errors": errors,
    }
    return render(request, "events/criteria.html", context, status=422 if errors else 200)
