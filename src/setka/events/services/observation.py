"""Observation protocols of open lessons (карта анализа урока), their criteria, and
participation certificates."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setka.core.audit import audit_log
from setka.core.clock import now
from setka.network.roles import user_roles

from .. import rules
from ..models import (
    MAX_SCORE,
    Certificate,
    Criterion,
    Event,
    Kind,
    Protocol,
    Registration,
    Score,
    Status,
)

DEFAULT_CRITERIA = [
    (
        "Цели урока поставлены и доведены до учащихся",
        "Формулировка целей, мотивация, связь с темой",
    ),
    ("Содержание соответствует программе и возрасту", "Научность, доступность, связь с жизнью"),
    (
        "Методы и приёмы обучения разнообразны и уместны",
        "Смена видов деятельности, активные методы",
    ),
    ("Организована самостоятельная работа учащихся", "Доля самостоятельной работы, дифференциация"),
    ("Используются ИКТ и наглядность", "Уместность, качество, время"),
    ("Организована обратная связь и оценивание", "Критерии оценки, самооценка, взаимооценка"),
    ("Проведена рефлексия", "Подведение итогов, достижение планируемых результатов"),
    ("Соблюдены нормы времени и здоровьесбережения", "Темп, физминутки, дозировка заданий"),
]


def criteria_ensure(municipality_id: int) -> list[Criterion]:
    """The municipality's criteria; the standard set when it has none yet."""
    found = list(Criterion.objects.filter(municipality_id=municipality_id, is_active=True))
    if found or Criterion.objects.filter(municipality_id=municipality_id).exists():
        return found
    Criterion.objects.bulk_create(
        Criterion(municipality_id=municipality_id, title=t, hint=h, order=(i + 1) * 10)
        for i, (t, h) in enumerate(DEFAULT_CRITERIA)
    )
    return list(Criterion.objects.filter(municipality_id=municipality_id, is_active=True))


@transaction.atomic
def criterion_save(*, actor, municipality, criterion: Criterion | None = None,
                   title: str, hint: str = "", order: int = 100,
                   is_active: bool = True) -> Criterion:  # fmt: skip
    if not actor.has_perm("events.manage_criteria", municipality):
        raise PermissionDenied(_("Only the methodologists set the criteria."))
    obj = criterion or Criterion(municipality=municipality)
    if obj.municipality_id != municipality.pk:
        raise PermissionDenied
    obj.title, obj.hint, obj.order, obj.is_active = (
        (title or "").strip(),
        (hint or "").strip(),
        order,
        is_active,
    )
    obj.full_clean(exclude=["municipality"])
    obj.save()
    audit_log("events.criterion.save", actor=actor, obj=obj, municipality_id=municipality.pk,
              changes={"title": obj.title, "is_active": obj.is_active})  # fmt: skip
    return obj


def observer_refusal(roles, event: Event) -> str | None:
    """Why this person cannot fill a protocol of the event (None: they can)."""
    if event.kind != Kind.OPEN_LESSON:
        return _("Protocols are filled for open lessons only.")
    if event.status not in (Status.PUBLISHED, Status.FINISHED):
        return _("This open lesson is not taking place.")
    if now() < event.starts_at:
        return _("The protocol is filled from the start of the lesson.")
    if roles.person_id is None:
        return _("Protocols are filled by people of the network.")
    if event.municipality_id in roles.methodologist_of:
        return None
    registered = Registration.objects.filter(
        event=event, person_id=roles.person_id, status=Registration.Status.REGISTERED
    ).exists()
    if not registered:
        return _("Only the registered observers of the lesson fill in a protocol.")
    return None


@transaction.atomic
def protocol_save(*, actor, event: Event, scores: dict[int, Any], comment: str = "") -> Protocol:
    """The actor's protocol of the open lesson: a score 0–2 (and a comment) for every
    criterion in use. All or nothing: a missing or out-of-range score names its criterion."""
    roles = user_roles(actor)
    problem = observer_refusal(roles, event)
    if problem:
        raise PermissionDenied(problem)
    criteria = criteria_ensure(event.municipality_id)
    errors: dict[str, str] = {}
    clean: list[tuple[Criterion, int, str]] = []
    known = {c.pk for c in criteria}
    for key in scores:
        if key not in known:
            errors[f"scores.{key}"] = _("There is no such criterion.")
    for criterion in criteria:
        raw = scores.get(criterion.pk)
        value, note = (
            (raw if isinstance(raw, tuple | list) else (raw, ""))[:2]
            if raw is not None
            else (None, "")
        )
        try:
            number = int(value) if value is not None and str(value).strip() != "" else None
        except (TypeError, ValueError):
            number = -1
        if number is None:
            errors[f"scores.{criterion.pk}"] = _("Score «%(c)s».") % {"c": criterion.title}
        elif not 0 <= number <= MAX_SCORE:
            errors[f"scores.{criterion.pk}"] = _("A score is 0, 1 or 2.")
        elif len(note or "") > 500:
            errors[f"scores.{criterion.pk}"] = _(
                "The comment is too long (at most 500 characters)."
            )
        else:
            clean.append((criterion, number, (note or "").strip()))
    if len(comment or "") > 5000:
        errors["comment"] = _("The comment is too long.")
    if errors:
        raise ValidationError(errors)
    protocol, created = Protocol.objects.get_or_create(
        event=event, observer_id=roles.person_id, defaults={"comment": comment.strip()}
    )
    if not created:
        protocol.comment = comment.strip()
        protocol.updated_at = now()
        protocol.save(update_fields=["comment", "updated_at"])
        protocol.scores.all().delete()
    Score.objects.bulk_create(
        Score(protocol=protocol, criterion=c, value=v, comment=n) for c, v, n in clean
    )
    audit_log("events.protocol.save", actor=actor, obj=protocol,
              institution_id=event.institution_id, municipality_id=event.municipality_id,
              changes={str(c.pk): v for c, v, _n in clean})  # fmt: skip
    return protocol


def _hours(event: Event) -> Decimal:
    hours = Decimal((event.ends_at - event.starts_at).total_seconds()) / Decimal(3600)
    return (hours * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2 or Decimal("0.5")


def certificate_refusal(event: Event, person_id: int | None, host_ids: set[int]) -> str | None:
    if person_id is None:
        return _("Certificates are for people of the network.")
    if event.status in {Status.CANCELLED, Status.DRAFT}:
        return _("This event did not take place.")
    if event.ends_at > now():
        return _("The certificate is issued after the event.")
    if person_id in host_ids:
        return None
    attended = (
        Registration.objects.filter(
            event=event, person_id=person_id, status=Registration.Status.REGISTERED
        )
        .exclude(checked_in_at__isnull=True, joined_at__isnull=True)
        .exists()
    )
    if not attended:
        return _("Certificates are issued to the hosts and to those who attended.")
    return None


@transaction.atomic
def certificate_issue(*, actor, event: Event, person_id: int | None = None) -> Certificate:
    """The participation certificate of the actor (or, for the organisers, of a host or an
    attendee): issued once, found again afterwards."""
    roles = user_roles(actor)
    if person_id is not None and person_id != roles.person_id and not rules.runs(roles, event):
        raise PermissionDenied(_("Only the organisers issue certificates to other people."))
    person_id = person_id if person_id is not None else roles.person_id
    if person_id is None:
        raise ValidationError({"event": _("Certificates are for people of the network.")})
    existing = Certificate.objects.filter(event=event, person_id=person_id).first()
    if existing is not None:
        return existing
    host_ids = set(event.hosts.values_list("pk", flat=True))
    problem = certificate_refusal(event, person_id, host_ids)
    if problem:
        raise ValidationError({"event": problem})
    certificate = Certificate.objects.create(
        event=event,
        person_id=person_id,
        role=Certificate.Role.HOST if person_id in host_ids else Certificate.Role.PARTICIPANT,
        hours=_hours(event),
    )
    audit_log("events.certificate.issue", actor=actor, obj=certificate,
              institution_id=event.institution_id, municipality_id=event.municipality_id,
              changes={"person": person_id, "role": certificate.role})  # fmt: skip
    return certificate
