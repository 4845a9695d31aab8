"""The builder's pages of an item: adding one (an open lesson at a school, or group viewings
at several), changing it, moving it by hand (a published one: with the reason, told to those
affected) and removing it (a published one is cancelled)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from setka.core.converters import parse_id
from setka.network.models import Institution

from .. import services
from ..access import item_for_user, schedule_for_user
from ..forms import AdjustForm, ItemForm
from ..models import Item
from ..solver.kits import load as load_kits
from ..solver.loader import allowed_days


def _institution(request, schedule):
    pk = parse_id(request.POST.get("institution") or request.GET.get("institution"))
    if pk is None:
        return None
    return Institution.objects.filter(pk=pk, municipality_id=schedule.municipality_id).first()


def _schools(schedule):
    from setka.network.models import GENERAL_KINDS

    return Institution.objects.filter(
        municipality_id=schedule.municipality_id, is_active=True, kind__in=GENERAL_KINDS
    ).order_by("short_name")


@login_required
def item_create(request, pk: int):
    schedule = schedule_for_user(request.user, pk)
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in Item.Kind.values:
        raise Http404
    institution = _institution(request, schedule)
    context = {"schedule": schedule, "kind": kind, "institution": institution}
    if kind == Item.Kind.OPEN_LESSON and institution is None:
        context["schools"] = _schools(schedule)
        return render(request, "schedule/item_school.html", context)
    form = ItemForm(request.POST or None, schedule=schedule, kind=kind, institution=institution)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                created = [
                    services.item_create(
                        actor=request.user,
                        schedule=schedule,
                        subject_teachers=form.cleaned_data.get("subject_teachers", False),
                        **data,
                    )
                    for data in form.service_data()
                ]
        except ValidationError as exc:
            form.apply_errors(exc)
        except services.Busy as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Items added: %(n)s. Run the builder to place them.") % {"n": len(created)},
            )
            return redirect("schedule:detail", pk=pk)
    context["form"] = form
    status = 422 if request.method == "POST" else 200
    return render(request, "schedule/item_form.html", context, status=status)


def _initial(item: Item) -> dict:
    initial = {
        "title": item.title,
        "subject_id": item.subject_id,
        "duration": item.duration,
        "audience_ids": [i.pk for i in item.audience.all()],
        "note": item.note,
        "group_id": item.group_id,
        "host_id": item.host_id,
        "online": item.online,
        "venue_ids": [v.pk for v in item.venues.all()],
        "webinar_event_id": item.webinar_event_id,
        "webinar_url": item.webinar_url,
    }
    if item.fixed_start and not item.webinar_event_id:
        local = timezone.localtime(item.fixed_start)
        initial.update(fixed_day=local.date(), fixed_time=local.time())
    return initial


@login_required
def item_edit(request, pk: int):
    item = item_for_user(request.user, pk)
    schedule = item.schedule
    if item.event_id:
        messages.error(request, _("This item is published: move it or cancel it instead."))
        return redirect("schedule:detail", pk=schedule.pk)
    institution = item.group.institution if item.group else None
    form = ItemForm(
        request.POST or None,
        schedule=schedule,
        kind=item.kind,
        institution=institution,
        initial=_initial(item),
    )
    if item.kind == Item.Kind.VIEWING:
        form.fields["venue_ids"].label = _("Where it may be watched")
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        fields = data[0] if data else {"venue_ids": []}
        if item.kind == Item.Kind.VIEWING:
            fields["venue_ids"] = form.cleaned_data.get("venue_ids") or []
            fields.setdefault("fixed_start", None)
        fields.pop("kind", None)
        try:
            services.item_update(actor=request.user, item=item, **fields)
        except ValidationError as exc:
            form.apply_errors(exc)
        except services.Busy as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The item is saved; run the builder to place it again."))
            return redirect("schedule:detail", pk=schedule.pk)
    context = {
        "schedule": schedule,
        "kind": item.kind,
        "institution": institution,
        "form": form,
        "item": item,
    }
    return render(
        request, "schedule/item_form.html", context, status=422 if request.method == "POST" else 200
    )


def _venues(item: Item) -> list[tuple[str, str]]:
    venues = list(item.venues.all())
    options = [(f"i{v.pk}", v.short_name) for v in venues]
    if item.needs_room:
        first = dt.datetime.combine(
            item.schedule.first_day, dt.time.min, timezone.get_default_timezone()
        )
        last = first + dt.timedelta(
            days=(item.schedule.last_day - item.schedule.first_day).days + 1
        )
        own = {item.event_id} if item.event_id else set()
        options += [(f"r{k.resource_id}", k.name) for k in load_kits(venues, first, last, own)]
    return options


@login_required
def item_adjust(request, pk: int):
    item = item_for_user(request.user, pk)
    schedule = item.schedule
    days = allowed_days(schedule)
    initial = {}
    if item.starts_at:
        local = timezone.localtime(item.starts_at)
        initial = {
            "day": local.date().isoformat(),
            "time": local.time(),
            "venue": f"r{item.resource_id}" if item.resource_id else f"i{item.venue_id}",
        }
    form = AdjustForm(request.POST or None, days=days, venues=_venues(item), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        key = d["venue"]
        venue = Institution.objects.filter(pk=int(key[1:])).first() if key[0] == "i" else None
        starts = timezone.make_aware(dt.datetime.combine(d["day"], d["time"]))
        try:
            services.item_adjust(
                actor=request.user,
                item=item,
                starts_at=starts,
                venue=venue,
                resource_id=int(key[1:]) if key[0] == "r" else None,
                note=d.get("note", ""),
            )
        except ValidationError as exc:
            _adjust_errors(form, exc)
        except services.Clash as exc:
            form.add_error("time", str(exc))
        except services.Busy as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("«%(title)s» is moved.") % {"title": item.title})
            return redirect("schedule:detail", pk=schedule.pk)
    context = {"schedule": schedule, "item": item, "form": form}
    return render(
        request, "schedule/adjust.html", context, status=422 if request.method == "POST" else 200
    )


def _adjust_errors(form: AdjustForm, exc: ValidationError) -> None:
    names = {"starts_at": "time", "venue_id": "venue", "resource_id": "venue", "note": "note"}
    for field, errors in exc.message_dict.items():
        for message in errors:
            form.add_error(names.get(field), message)


@login_required
def item_delete(request, pk: int):
    item = item_for_user(request.user, pk)
    schedule = item.schedule
    error = ""
    if request.method == "POST":
        note = request.POST.get("note", "")
        try:
            services.item_delete(actor=request.user, item=item, note=note)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except services.Busy as exc:
            error = str(exc)
        else:
            text = (
                _("«%(title)s» is cancelled; those affected are told.")
                if item.event_id
                else _("«%(title)s» is removed.")
            )
            messages.success(request, text % {"title": item.title})
            return redirect("schedule:detail", pk=schedule.pk)
    context = {"schedule": schedule, "item": item, "error": error}
    return render(request, "schedule/delete.html", context, status=422 if error else 200)
