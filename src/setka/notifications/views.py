"""Pages of the notification centre: the list, opening one, marking read, the settings, and
the bell fragment that refreshes itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import kinds, selectors, services
from .access import notification_for_user, person_id_or_404
from .context_processors import bell_context
from .models import Channel, DigestSchedule

PER_PAGE = 30


def _safe(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@login_required
@require_GET
def notification_list(request):
    person_id = person_id_or_404(request.user)
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(selectors.notifications_of(person_id, unread_only=unread_only), PER_PAGE)
    current = page.get_page(request.GET.get("page"))
    rows = [(n, kinds.title_of(n.kind, n.data)) for n in current.object_list]
    context = {
        "rows": rows,
        "page": current,
        "unread_only": unread_only,
    }  # the unread count comes from the bell's context processor
    return render(request, "notifications/list.html", context)


@login_required
@require_GET
def notification_open(request, pk: int):
    """Open a notification's object, marking it read on the way."""
    note = notification_for_user(request.user, pk)
    services.mark_read(person_id=note.recipient_id, notification=note)
    return redirect(_safe(request, note.url) or "notifications:list")


@login_required
@require_POST
def notification_read(request, pk: int):
    note = notification_for_user(request.user, pk)
    services.mark_read(person_id=note.recipient_id, notification=note)
    if request.htmx:
        return _bell(request, note.recipient_id)
    return redirect(_safe(request, request.POST.get("next", "")) or "notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    person_id = person_id_or_404(request.user)
    count = services.mark_all_read(person_id=person_id)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


def _bell(request, person_id: int) -> HttpResponse:
    bell = bell_context(person_id)["setka_bell"]
    return render(request, "notifications/bell.html", {"bell": bell}, using="jinja2")


@login_required
@require_GET
def bell(request):
    """The bell alone, for its once-a-minute refresh (a few hundred bytes)."""
    return _bell(request, person_id_or_404(request.user))


@login_required
def notification_settings(request):
    person_id = person_id_or_404(request.user)
    prefs = selectors.preferences_of(person_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        channels = {k.key: request.POST.get(f"kind-{k.key}", k.channel) for k in prefs.kinds}
        try:
            services.preferences_set(
                person_id=person_id,
                channels=channels,
                digest_frequency=request.POST.get("digest_frequency", prefs.digest_frequency),
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The notification settings are saved."))
            return redirect("notifications:settings")
    groups: dict[str, list] = {}
    for choice in prefs.kinds:
        groups.setdefault(choice.group, []).append(choice)
    context = {
        "groups": list(groups.items()),
        "channels": Channel.choices,
        "frequencies": DigestSchedule.Frequency.choices,
        "digest_frequency": prefs.digest_frequency,
        "errors": errors,
    }
    return render(request, "notifications/settings.html", context, status=422 if errors else 200)
