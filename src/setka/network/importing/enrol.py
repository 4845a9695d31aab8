"""Giving a person a role in an institution, and a student a parent, without creating
duplicates: the one place that decides whether details describe a new person or someone the
network already knows. Used by the "add a person" form and by the import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setka.core.clock import today
from setka.core.tabular import norm

from .. import services
from ..models import Guardianship, Institution, Membership, Municipality, Person

PERSON_KEYS = ["surname", "given_name", "patronymic", "email", "phone", "birth_date"]


@dataclass
class Enrolment:
    person: dict[str, Any]  # PERSON_KEYS
    role: str
    position: str = ""
    starts_on: dt.date | None = None
    parent: dict[str, Any] | None = None  # PERSON_KEYS without birth_date
    parent_kind: str = Guardianship.Kind.OTHER


@dataclass
class EnrolResult:
    person: Person
    person_created: bool
    membership: Membership | None  # None: the person already had this role (skipped)
    parent: Person | None = None
    parent_created: bool = False
    guardianship: Guardianship | None = None


def _variants(word: str) -> set[str]:
    out = {word, word.capitalize(), word.title(), word.lower(), word.upper()}
    return out | {w.replace("ё", "е").replace("Ё", "Е") for w in out}


def _name_key(data: dict[str, Any]) -> tuple:
    return (norm(data.get("surname")), norm(data.get("given_name")),
            norm(data.get("patronymic")), data.get("birth_date"))  # fmt: skip


class PersonIndex:
    """People of one municipality that some details may describe, by e-mail and by full name
    with the date of birth. Loaded once for a whole file, kept up to date while importing."""

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality
        self.by_email: dict[str, list[Person]] = {}
        self.by_name: dict[tuple, Person] = {}

    @classmethod
    def load(cls, municipality: Municipality, people: Iterable[dict[str, Any]]) -> PersonIndex:
        index = cls(municipality)
        emails: set[str] = set()
        surnames: set[str] = set()
        for data in people:
            if data.get("email"):
                emails.add(str(data["email"]).strip().lower())
            if data.get("surname") and data.get("birth_date"):
                surnames |= _variants(" ".join(str(data["surname"]).split()))
        base = Person.objects.filter(municipality=municipality)
        for values, lookup in ((sorted(emails), "email__in"), (sorted(surnames), "surname__in")):
            for i in range(0, len(values), 500):
                for person in base.filter(**{lookup: values[i : i + 500]}):
                    index.add(person)
        return index

    def add(self, person: Person) -> None:
        if person.email:
            people = self.by_email.setdefault(person.email.lower(), [])
            if person not in people:
                people.append(person)
        if person.birth_date:
            self.by_name[_name_key({k: getattr(person, k) for k in PERSON_KEYS})] = person

    def find(self, data: dict[str, Any]) -> Person | None:
        """The person these details describe: the same e-mail and name, or the same full
        name and date of birth. Somebody else's e-mail is an error, not a match."""
        email = str(data.get("email") or "").strip().lower()
        if email and email in self.by_email:
            name = (norm(data.get("surname")), norm(data.get("given_name")))
            for person in self.by_email[email]:
                if (norm(person.surname), norm(person.given_name)) == name:
                    return person
            other = self.by_email[email][0]
            raise ValidationError(
                {
                    "email": _(
                        "The e-mail %(email)s already belongs to another person (%(name)s). "
                        "Check it, or leave the e-mail empty."
                    )
                    % {"email": email, "name": other.full_name}
                }
            )
        if data.get("birth_date"):
            return self.by_name.get(_name_key(data))
        return None


def _prefixed(exc: ValidationError, prefix: str) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return ValidationError({f"{prefix}surname": exc.messages})
    return ValidationError({f"{prefix}{k}": v for k, v in exc.error_dict.items()})


def person_find_or_create(
    *, actor, data: dict[str, Any], index: PersonIndex
) -> tuple[Person, bool]:
    """The person ``data`` describes if the network knows them (:meth:`PersonIndex.find`),
    else a new one; and whether they were created. The page, the import and the API add people
    through this."""
    person = index.find(data)
    if person is not None:
        return person, False
    return services.person_create(actor=actor, municipality=index.municipality, **data), True


def guardian_link(
    *,
    actor,
    student: Person,
    kind: str,
    index: PersonIndex,
    parent: Person | None = None,
    data: dict[str, Any] | None = None,
    student_is_new: bool = False,
) -> tuple[Person, bool, Guardianship | None]:
    """Link a parent (an existing person, or one described by ``data``) to a student. Returns
    the parent, whether they were created, and the new link (None when it already existed).
    Errors are keyed ``parent_<field>``."""
    with transaction.atomic():
        created = False
        if parent is None:
            try:
                parent, created = person_find_or_create(actor=actor, data=data or {}, index=index)
            except ValidationError as exc:
                raise _prefixed(exc, "parent_") from exc
        if not (created or student_is_new):  # new people have no links yet
            links = Guardianship.objects.filter(guardian=parent, student=student)
            if links.filter(ends_on__isnull=True).exists():
                return parent, created, None
        try:
            link = services.guardianship_create(
                actor=actor, guardian=parent, student=student, kind=kind
            )
        except ValidationError as exc:
            raise ValidationError({"parent_surname": exc.messages}) from exc
    index.add(parent)
    return parent, created, link


def person_enrol(
    *,
    actor,
    institution: Institution,
    enrolment: Enrolment,
    index: PersonIndex,
    skip_existing: bool = False,
) -> EnrolResult:
    """Give a person (new, or found in ``index``) a role in ``institution`` and, for a student,
    link a parent. All or nothing; raises ValidationError keyed by field (``parent_…`` for the
    parent). With ``skip_existing`` a person who already has the role is left as they are."""
    with transaction.atomic():
        person, created = person_find_or_create(actor=actor, data=enrolment.person, index=index)
        starts_on = enrolment.starts_on or today()
        current = None
        if not created:
            current = (
                Membership.objects.filter(person=person, institution=institution)
                .filter(role=enrolment.role)
                .exclude(ends_on__lt=starts_on)
                .order_by("starts_on")
                .first()
            )
        if current is not None and not skip_existing:
            raise ValidationError(
                {
                    "role": _("%(name)s already has this role here (since %(date)s).")
                    % {"name": person.full_name, "date": current.starts_on.strftime("%d.%m.%Y")}
                }
            )
        membership = None
        if current is None:
            membership = services.membership_create(
                actor=actor,
                person=person,
                institution=institution,
                role=enrolment.role,
                position=enrolment.position,
                starts_on=starts_on,
            )
        result = EnrolResult(person=person, person_created=created, membership=membership)
        if enrolment.parent:
            result.parent, result.parent_created, result.guardianship = guardian_link(
                actor=actor,
                student=person,
                kind=enrolment.parent_kind,
                index=index,
                data=enrolment.parent,
                student_is_new=created,
            )
    index.add(person)
    return result
