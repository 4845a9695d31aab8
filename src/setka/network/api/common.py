"""What the network's endpoints share: the person as the answer shows it, and the people
named in a request body."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from setka.core.api import forbidden

from ..access import person_for_user
from ..importing.enrol import PersonIndex, person_find_or_create
from ..models import Municipality, Person
from ..schemas import PersonIn
from ..selectors import person_card


def person_or_404(request: HttpRequest, person_id: int, *, change: bool = False) -> Person:
    person = person_for_user(request.user, person_id)
    if change and not request.user.has_perm("network.change_person", person):
        raise forbidden(_("You cannot change the data of this person."))
    return person


def referenced_person(request: HttpRequest, person_id: int, field: str) -> Person:
    """A person named in the body: only one the actor already manages (else anyone could
    attach, and then manage, any person of the municipality)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not request.user.has_perm("network.change_person", person):
        raise ValidationError({field: _("There is no such person, or you cannot manage them.")})
    return person


def new_person(request: HttpRequest, data: PersonIn, municipality_id: int, field: str) -> Person:
    """The person the details describe: someone the network already knows (the same e-mail
    and name, or the same full name and date of birth — as the page and the import decide),
    else a new person."""
    details = data.model_dump()
    try:
        index = PersonIndex.load(Municipality(pk=municipality_id), [details])
        person, _created = person_find_or_create(actor=request.user, data=details, index=index)
        return person
    except ValidationError as exc:  # name the fields as the client sent them: person.surname
        raise ValidationError(
            {f"{field}.{name}": errors for name, errors in exc.message_dict.items()}
        ) from exc


def one_of(existing: int | None, new: object, existing_field: str, new_field: str) -> None:
    if (existing is None) == (new is None):
        raise ValidationError(
            {
                new_field: _("Give either %(existing)s or %(new)s, exactly one of them.")
                % {"existing": existing_field, "new": new_field}
            }
        )


def person_detail_of(request: HttpRequest, person_id: int) -> Person:
    """The person with what the user may see of them (``selectors.person_card``: the page
    shows the same)."""
    person = Person.objects.get(pk=person_id)
    person.card = person_card(request.user, person)  # type: ignore[attr-defined]
    return person


def existing_or_new(
    request: HttpRequest,
    existing_id: int | None,
    new: PersonIn | None,
    municipality_id: int,
    fields: tuple[str, str],
) -> Person:
    """The person a body names: exactly one of an existing one the user manages
    (``fields[0]``, an id) and a new one to create (``fields[1]``). Call it inside the
    transaction of the write that uses the person."""
    existing_field, new_field = fields
    one_of(existing_id, new, existing_field, new_field)
    if existing_id is not None:
        return referenced_person(request, existing_id, existing_field)
    assert new is not None  # noqa: S101 - checked by one_of
    return new_person(request, new, municipality_id, new_field)
