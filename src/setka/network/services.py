"""Every write to the network registry. Each function takes ``actor`` and keyword
arguments, validates, writes in one transaction and records the change in the audit log.
Invalid input raises ``django.core.exceptions.ValidationError`` with field messages and
writes nothing."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from setka.core.audit import audit_log, diff, snapshot

from . import notify, sign_in_email
from .models import (
    Guardianship,
    Institution,
    Membership,
    Municipality,
    MunicipalRole,
    Person,
    today,
)
from .roles import forget_roles
from .translit import transliterate


def _require(actor, perm: str, obj: Any, message: str) -> None:
    """The service's own check (``docs/architecture.md``, access in services): the caller may
    have asked already, to word its answer; the service never relies on that."""
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


INSTITUTION_FIELDS = [
    "kind",
    "full_name",
    "short_name",
    "slug",
    "address",
    "latitude",
    "longitude",
    "phones",
    "email",
    "website",
    "head_name",
    "head_position",
    "working_hours",
    "founded_on",
    "is_resource_centre",
    "description",
    "is_active",
]
INSTITUTION_CONTACT_FIELDS = [
    "address",
    "latitude",
    "longitude",
    "phones",
    "email",
    "website",
    "head_name",
    "head_position",
    "working_hours",
    "description",
]
logger = logging.getLogger("setka.network")

PERSON_FIELDS = ["surname", "given_name", "patronymic", "email", "phone", "birth_date"]


def _full_clean(obj, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)


# --- institutions -----------------------------------------------------------------------


def unique_slug(base: str, *, model=Institution, exclude_pk: int | None = None) -> str:
    root = slugify(transliterate(base))[:70].strip("-") or "org"
    slug, n = root, 2
    qs = model.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{root}-{n}", n + 1
    return slug


@transaction.atomic
def institution_create(*, actor, municipality: Municipality, **data: Any) -> Institution:
    _require(
        actor,
        "network.add_institution",
        municipality,
        _("Only the registry managers of the municipality add institutions."),
    )
    data = {k: v for k, v in data.items() if k in INSTITUTION_FIELDS}
    if not data.get("slug"):
        data["slug"] = unique_slug(data.get("short_name") or data.get("full_name") or "")
    institution = Institution(municipality=municipality, **data)
    _full_clean(institution)
    institution.save()
    audit_log(
        "network.institution.create",
        actor=actor,
        obj=institution,
        changes=snapshot(institution, INSTITUTION_FIELDS),
        institution_id=institution.pk,
    )
    return institution


@transaction.atomic
def institution_update(
    *, actor, institution: Institution, fields: list[str] | None = None, **data: Any
) -> Institution:
    """Change the fields in ``data`` (at most ``fields``): every field for the registry
    managers, the contacts for the institution's own administrators."""
    if actor.has_perm("network.change_institution", institution):
        allowed = fields or INSTITUTION_FIELDS
    else:
        _require(
            actor,
            "network.change_institution_contacts",
            institution,
            _("You cannot change this institution."),
        )
        allowed = [f for f in fields or INSTITUTION_FIELDS if f in INSTITUTION_CONTACT_FIELDS]
        if set(data) - set(allowed):
            raise PermissionDenied(_("You may change only the contacts of this institution."))
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    before = snapshot(institution, allowed)
    for name, value in data.items():
        setattr(institution, name, value)
    _full_clean(institution)
    changes = diff(before, snapshot(institution, allowed))
    if changes:
        institution.save(update_fields=[*changes, "updated_at"])
        audit_log("network.institution.update", actor=actor, obj=institution, changes=changes)
    return institution


# --- people -----------------------------------------------------------------------------


def _normalise_person_data(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in PERSON_FIELDS}
    for name in ("surname", "given_name", "patronymic", "phone"):
        if isinstance(out.get(name), str):
            out[name] = " ".join(out[name].split())
    if isinstance(out.get("email"), str):
        out["email"] = out["email"].strip().lower()
    return out


@transaction.atomic
def person_create(*, actor, municipality: Municipality, **data: Any) -> Person:
    _require(
        actor,
        "network.add_person",
        municipality,
        _("You cannot add people to this municipality."),
    )
    person = Person(municipality=municipality, **_normalise_person_data(data))
    _check_birth_date(person.birth_date)
    _full_clean(person, exclude=["user"])
    person.save()
    audit_log(
        "network.person.create", actor=actor, obj=person, changes=snapshot(person, PERSON_FIELDS)
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **data: Any) -> Person:
    _require(
        actor, "network.change_person", person, _("You cannot change the data of this person.")
    )
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    if "email" in data:  # the sign-in address of an account: see ``sign_in_email``
        sign_in_email.check(actor, person, data["email"])
    before = snapshot(person, PERSON_FIELDS)
    for name, value in _normalise_person_data(data).items():
        setattr(person, name, value)
    _check_birth_date(person.birth_date)
    _full_clean(person, exclude=["user"])
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if changes:
        person.save(update_fields=[*changes, "updated_at"])
        audit_log("network.person.update", actor=actor, obj=person, changes=changes)
        if "email" in changes and person.user_id:
            get_user_model().objects.filter(pk=person.user_id).update(email=person.email)
            old, new = changes["email"]
            sign_in_email.notify_old_address(person=person, old=old, new=new, actor=actor)
    return person


def _check_birth_date(value: dt.date | None) -> None:
    if value is None:
        return
    if value > today():
        raise ValidationError({"birth_date": _("The date of birth cannot be in the future.")})
    if value.year < 1900:
        raise ValidationError({"birth_date": _("The date of birth is too far in the past.")})


# --- memberships ------------------------------------------------------------------------


def _check_dates(starts_on: dt.date, ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})


@transaction.atomic
def membership_create(
    *,
    actor,
    person: Person,
    institution: Institution,
    role: str,
    position: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Membership:
    _require(
        actor,
        "network.manage_people",
        institution,
        _("You cannot manage the people of this institution."),
    )
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    if person.municipality_id != institution.municipality_id:
        raise ValidationError(
            {"person": _("The person and the institution belong to different municipalities.")}
        )
    starts_on = starts_on or today()
    _check_dates(starts_on, ends_on)
    overlapping = Membership.objects.filter(
        person=person, institution=institution, role=role
    ).exclude(ends_on__lt=starts_on)
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        raise ValidationError(
            {"role": _("This person already has this role in this institution for these dates.")}
        )
    membership = Membership(
        person=person,
        institution=institution,
        role=role,
        position=(position or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _full_clean(membership)
    membership.save()
    audit_log(
        "network.membership.create",
        actor=actor,
        obj=membership,
        changes=snapshot(membership, ["person", "role", "position", "starts_on", "ends_on"]),
    )
    if person.user_id:
        forget_roles(person.user)
        notify.on_role_added(membership, actor=actor)
    return membership


@transaction.atomic
def membership_update(
    *, actor, membership: Membership, position: str | None = None, ends_on: Any = ...
) -> Membership:
    _require(
        actor,
        "network.manage_people",
        membership.institution,
        _("You cannot manage the people of this institution."),
    )
    before = snapshot(membership, ["position", "ends_on"])
    if position is not None:
        membership.position = position.strip()
    if ends_on is not ...:
        _check_dates(membership.starts_on, ends_on)
        membership.ends_on = ends_on
    _full_clean(membership)
    changes = diff(before, snapshot(membership, ["position", "ends_on"]))
    if changes:
        membership.save(update_fields=[*changes, "updated_at"])
        audit_log("network.membership.update", actor=actor, obj=membership, changes=changes)
    return membership


def membership_end(*, actor, membership: Membership, ends_on: dt.date | None = None) -> Membership:
    """Close a membership (nothing is deleted: the history of who worked where stays)."""
    return membership_update(actor=actor, membership=membership, ends_on=ends_on or today())


# --- municipal roles ---------------------------------------------------------------------


@transaction.atomic
def municipal_role_assign(
    *, actor, person: Person, role: str, position: str = "", starts_on: dt.date | None = None
) -> MunicipalRole:
    _require(
        actor,
        "network.manage_municipal_roles",
        person,
        _("Only the municipal administrators assign municipal roles."),
    )
    if role not in MunicipalRole.Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    if (
        MunicipalRole.objects.active()
        .filter(person=person, role=role, municipality_id=person.municipality_id)
        .exists()
    ):
        raise ValidationError({"role": _("This person already has this role.")})
    obj = MunicipalRole.objects.create(
        person=person,
        municipality_id=person.municipality_id,
        role=role,
        position=position.strip(),
        starts_on=starts_on or today(),
    )
    audit_log(
        "network.municipal_role.assign",
        actor=actor,
        obj=obj,
        changes={"person": person.pk, "role": role},
        municipality_id=person.municipality_id,
    )
    return obj


@transaction.atomic
def municipal_role_end(*, actor, role: MunicipalRole, ends_on: dt.date | None = None):
    _require(
        actor,
        "network.manage_municipal_roles",
        role,
        _("Only the municipal administrators assign municipal roles."),
    )
    ends_on = ends_on or today()
    _check_dates(role.starts_on, ends_on)
    before = role.ends_on
    role.ends_on = ends_on
    role.save(update_fields=["ends_on", "updated_at"])
    audit_log(
        "network.municipal_role.end",
        actor=actor,
        obj=role,
        changes={"ends_on": [before, ends_on]},
        municipality_id=role.municipality_id,
    )
    return role


# --- guardianship -----------------------------------------------------------------------


@transaction.atomic
def guardianship_create(
    *, actor, guardian: Person, student: Person, kind: str = Guardianship.Kind.OTHER
) -> Guardianship:
    _require(
        actor, "network.change_person", student, _("You cannot change the parents of this student.")
    )
    if guardian.pk == student.pk:
        raise ValidationError({"guardian": _("A person cannot be their own parent.")})
    if guardian.municipality_id != student.municipality_id:
        raise ValidationError(
            {"guardian": _("The parent and the student belong to different municipalities.")}
        )
    if kind not in Guardianship.Kind.values:
        raise ValidationError({"kind": _("Unknown relation: %(kind)s.") % {"kind": kind}})
    if Guardianship.objects.filter(
        guardian=guardian, student=student, ends_on__isnull=True
    ).exists():
        raise ValidationError({"guardian": _("This parent is already linked to this student.")})
    obj = Guardianship.objects.create(
        municipality_id=student.municipality_id, guardian=guardian, student=student, kind=kind
    )
    audit_log(
        "network.guardianship.create",
        actor=actor,
        obj=obj,
        changes={"guardian": guardian.pk, "student": student.pk, "kind": kind},
    )
    if guardian.user_id:
        forget_roles(guardian.user)
    return obj


@transaction.atomic
def guardianship_end(*, actor, guardianship: Guardianship) -> Guardianship:
    _require(
        actor,
        "network.change_person",
        guardianship.student,
        _("You cannot change the parents of this student."),
    )
    if guardianship.ends_on is None:
        guardianship.ends_on = today()
        guardianship.save(update_fields=["ends_on", "updated_at"])
        audit_log(
            "network.guardianship.end",
            actor=actor,
            obj=guardianship,
            changes={"ends_on": [None, guardianship.ends_on]},
        )
    return guardianship


# --- accounts for people -------------------------------------------------------------------


def username_for(person: Person) -> str:
    """A readable, unique login: ``ivanova.ap`` (surname + initials, transliterated)."""
    user_model = get_user_model()
    initials = "".join(p[:1] for p in (person.given_name, person.patronymic) if p)
    base = re.sub(r"[^a-z0-9]+", "", transliterate(person.surname).lower()) or "user"
    base = f"{base}.{transliterate(initials).lower()}".strip(".")[:140]
    name, n = base, 2
    while user_model.objects.filter(username__iexact=name).exists():
        name, n = f"{base}{n}", n + 1
    return name


@transaction.atomic
def person_account_create(*, actor, person: Person, send_invitation: bool = True):
    """Give a person a sign-in account and, if they have an e-mail address, send them a link
    to set their own password (the same one-time token as a password reset)."""
    _require(
        actor,
        "network.change_person",
        person,
        _("You cannot create an account for this person."),
    )
    if person.user_id:
        raise ValidationError(_("This person already has an account."))
    user_model = get_user_model()
    user = user_model(username=username_for(person), email=person.email)
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # pragma: no cover - a race for the same username
        raise ValidationError(_("Could not create the account, try again.")) from exc
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit_log(
        "network.person.account_create",
        actor=actor,
        obj=person,
        changes={"username": user.username},
    )
    if send_invitation and person.email:
        transaction.on_commit(lambda: queue_invitation_email(person.pk))
    notify.on_invitation(person, actor=actor)
    return user


def queue_invitation_email(person_id: int) -> bool:
    """Send the invitation in the background. Without a broker the task runs here and now: a
    failing mail server is logged and reported (False), never turned into a server error
    after the account has been saved."""
    from .tasks import send_invitation_email_task

    try:
        send_invitation_email_task.delay(person_id)
    except Exception:
        logger.exception("Could not send the invitation e-mail to person %s", person_id)
        return False
    return True


def send_invitation_email(person_id: int) -> None:
    person = Person.objects.select_related("user").get(pk=person_id)
    user = person.user
    if user is None or not person.email:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )
    context = {"person": person, "username": user.username, "link": link}
    with override(settings.LANGUAGE_CODE):
        subject = _("Your Setka account")
        body = render_to_string("network/email/invitation.txt", context)
    send_mail(subject, body, None, [person.email])
