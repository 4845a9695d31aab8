"""The e-mail address of a person with an account is the account's sign-in address: a password
reset goes there. Changing it is guarded (``network.change_sign_in_email``: only someone who
governs every role of the account), the old address is told of every change, and the person's
card and the API show the history of changes (from the audit log)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from setka.core.audit import audit_entries_for

from .models import Person

logger = logging.getLogger("setka.network")

LOCKED = gettext_lazy(
    "This person signs in with this e-mail address and has roles that you do not manage: "
    "only someone who manages all of them (e.g. the municipal administrator) can change it."
)


def normalise(email: str | None) -> str:
    return (email or "").strip().lower()


def is_change(person: Person, email: str | None) -> bool:
    """Whether ``email`` would change the sign-in address of ``person``."""
    return person.user_id is not None and normalise(email) != normalise(person.email)


def check(actor, person: Person, email: str | None) -> None:
    """Refuse (PermissionDenied with :data:`LOCKED`) a change of the sign-in address by
    someone who does not govern every role of the account."""
    if is_change(person, email) and not actor.has_perm("network.change_sign_in_email", person):
        raise PermissionDenied(str(LOCKED))


def notify_old_address(*, person: Person, old: str, new: str, actor) -> None:
    """After the commit, tell the old address that the sign-in address has changed."""
    if not old:
        return
    by = getattr(actor, "display_name", "") or _("the administration")
    transaction.on_commit(lambda: queue_notice(person.pk, old, new, str(by)))


def queue_notice(person_id: int, old: str, new: str, by: str) -> bool:
    from .tasks import send_email_changed_notice_task

    try:
        send_email_changed_notice_task.delay(person_id, old, new, by)
    except Exception:
        logger.exception("Could not tell %s of the new e-mail of person %s", old, person_id)
        return False
    return True


def send_notice(person_id: int, old: str, new: str, by: str) -> None:
    person = Person.objects.select_related("user").get(pk=person_id)
    context = {
        "person": person,
        "username": person.user.username if person.user else "",
        "old": old,
        "new": new or "—",
        "by": by,
        "site": settings.SITE_URL.rstrip("/"),
    }
    with override(settings.LANGUAGE_CODE):
        subject = _("The e-mail address of your Setka account has been changed")
        body = render_to_string("network/email/email_changed.txt", context)
    send_mail(subject, body, None, [old])


@dataclass(frozen=True)
class EmailChange:
    changed_at: datetime
    old: str
    new: str
    by: str


def history(person: Person) -> list[EmailChange]:
    """The changes of the person's e-mail address, the newest first (one query)."""
    entries = (
        audit_entries_for(person)
        .filter(action="network.person.update", changes__has_key="email")
        .order_by("-created_at", "-pk")
    )
    out = []
    for entry in entries:
        old, new = entry.changes["email"]
        actor = entry.actor
        by = actor.display_name if actor is not None else _("the system")
        out.append(EmailChange(entry.created_at, old or "", new or "", str(by)))
    return out
