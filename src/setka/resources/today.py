"""The resource centres' blocks of «Сегодня»: bookings waiting for my approval (the
administrators of a resource centre) and my next bookings (whoever booked, and the
administrators of the booking institutions). Two queries and one at most; none for a person
who can have nothing there."""

from __future__ import annotations

from setka.core import today

from . import selectors


@today.block(order=60)
def to_approve(request, roles) -> today.Block | None:
    if not roles.admin_of:
        return None
    bookings, total = selectors.to_approve(roles)
    if not bookings:
        return None
    return today.Block(
        "resources-approve",
        "resources/today/to_approve.html",
        {"bookings": bookings, "total": total},
    )


@today.block(order=61)
def next_bookings(request, roles) -> today.Block | None:
    if not (
        roles.admin_of or roles.teacher_of or roles.methodologist_of or roles.municipal_admin_of
    ):
        return None
    bookings = selectors.next_bookings(roles)
    if not bookings:
        return None
    return today.Block("resources-next", "resources/today/next.html", {"bookings": bookings})
