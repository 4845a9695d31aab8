"""The accounts API: sign in for a token, list and revoke one's tokens, and ``/me``."""

import math
from typing import Any, cast

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from setka.core.api_errors import ApiProblem, Id, errors_for
from setka.network.models import Membership, MunicipalRole, Person
from setka.network.selectors import active_memberships_of, children_of

from . import services
from .models import ApiToken, User
from .schemas import MeOut, TokenCreatedOut, TokenCreateIn, TokenOut

router = Router(tags=["accounts"])


def _user(request: HttpRequest) -> User:
    """The signed-in user: the endpoints below (but the first) need authentication."""
    return cast(User, request.user)


@router.post(
    "/auth/token",
    auth=None,
    response={201: TokenCreatedOut, **errors_for(401, 422, 429)},
    summary="Sign in and get a personal API token",
    description=(
        "Exchange a login (or e-mail) and password for a personal token to send as "
        "`Authorization: Bearer <token>`. The token is shown only in this answer. Failed "
        "attempts are counted: after five in a row the login is locked for a while and every "
        "attempt answers 429, even with the right password."
    ),
)
def token_obtain(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, Any]]:
    # django-axes counts failures only when it sees the request.
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Answer here as problem JSON: AxesMiddleware would replace it with the HTML page.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        cool_off = get_cool_off(request)
        headers = {"Retry-After": str(math.ceil(cool_off.total_seconds()))} if cool_off else {}
        raise ApiProblem(
            429,
            _("Too many failed sign-ins"),
            _(
                "This login is locked for a while after several wrong passwords. Wait and try "
                "again, or reset the password on the sign-in page."
            ),
            headers=headers,
        )
    if user is None:
        raise ApiProblem(
            401,
            _("Wrong login or password"),
            _("Check the login and the password, and try again."),
        )
    # A token is a sign-in: this resets axes' failure count and records last_login.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token, raw = services.token_create(
        actor=user, name=payload.name, expires_in_days=payload.expires_in_days or None
    )
    body = {"token": raw, "token_id": token.pk, "name": token.name, "expires_at": token.expires_at}
    return Status(201, body)


@router.get(
    "/tokens",
    response={200: list[TokenOut], **errors_for(401)},
    summary="My API tokens",
    description="Your personal tokens, the newest first, with the revoked and expired ones.",
)
def token_list(request: HttpRequest) -> list[ApiToken]:
    user = _user(request)
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))


@router.delete(
    "/tokens/{token_id}",
    response={204: None, **errors_for(401, 404, 422)},
    summary="Revoke an API token",
    description="The token stops working at once. Only your own tokens can be revoked.",
)
def token_delete(request: HttpRequest, token_id: Id) -> Status[None]:
    user = _user(request)
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404
    services.token_revoke(actor=user, token=token)
    return Status(204, None)


@router.get(
    "/me",
    response={200: MeOut, **errors_for(401)},
    summary="Who I am",
    description=(
        "Your account, your person in the network, your memberships and municipal roles in "
        "force today, and the children you are a parent of."
    ),
)
def me(request: HttpRequest) -> dict[str, object]:
    user = _user(request)
    person = (
        Person.objects.filter(user=user)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.active().select_related("institution"),
            ),
            Prefetch(
                "municipal_roles",
                queryset=MunicipalRole.objects.active().select_related("municipality"),
            ),
        )
        .first()
    )
    children: list[Person] = []
    if person is not None:
        children = list(children_of(person.pk))
        memberships = active_memberships_of(c.pk for c in children) if children else {}
        for child in children:
            child.active_memberships = memberships.get(child.pk, [])  # type: ignore[attr-defined]
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "display_name": person.short_name if person else (user.get_full_name() or user.username),
        "person": person,
        "memberships": list(person.memberships.all()) if person else [],
        "municipal_roles": list(person.municipal_roles.all()) if person else [],
        "children": children,
    }
