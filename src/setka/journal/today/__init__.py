"""The journal's blocks of «Сегодня» (orders 10–40), one per role:

- 10 the teacher's day (a partner teacher's too): :mod:`.teacher`;
- 15 the student's day, 20 the parent's children: :mod:`.family`;
- 30 the institution's journal for its administrators, 40 the municipality's for the
  municipal administrators and methodologists: :mod:`.school`.

Each provider answers None, without a query, to a person without the role; otherwise a
constant number of queries (the home's query-budget tests hold them to it). The API's
``GET /today`` (``core.api_today``) reads the same functions."""

from __future__ import annotations

from setka.accounts.visits import since_for_request
from setka.core import today

from .family import children_day, student_day
from .school import institutions_journal, municipal_journal
from .teacher import teacher_day

__all__ = [
    "children_day",
    "institutions_journal",
    "municipal_journal",
    "student_day",
    "teacher_day",
]


def chosen_child(request, children: list) -> int | None:
    """The child the parent switched to (``?child=<id>``), else the first."""
    raw = request.GET.get("child", "")
    ids = [c.id for c in children]
    if raw.isdigit() and int(raw) in ids:
        return int(raw)
    return ids[0] if ids else None


@today.block(order=10)
def teacher(request, roles) -> today.Block | None:
    if not roles.teacher_of or roles.person_id is None:
        return None
    return today.Block(
        "today-teacher", "journal/today/teacher.html", {"day": teacher_day(roles.person_id)}
    )


@today.block(order=15)
def student(request, roles) -> today.Block | None:
    if not roles.student_of or roles.person_id is None:
        return None
    day = student_day(roles.person_id, since_for_request(request))
    return today.Block("today-student", "journal/today/student.html", {"day": day})


@today.block(order=20)
def children(request, roles) -> today.Block | None:
    if not roles.children:
        return None
    found = children_day(sorted(roles.children), since_for_request(request))
    chosen = chosen_child(request, found)
    return today.Block(
        "today-children",
        "journal/today/children.html",
        {
            "children": found,
            "child": next((c for c in found if c.id == chosen), None),
            "since": since_for_request(request),
        },
    )


@today.block(order=30)
def institutions(request, roles) -> today.Block | None:
    if not roles.admin_of:
        return None
    found = institutions_journal(roles.admin_of)
    return today.Block("today-school", "journal/today/school.html", {"institutions": found})


@today.block(order=40)
def municipality(request, roles) -> today.Block | None:
    if not roles.is_registry_manager:
        return None
    found = municipal_journal(roles.municipal_admin_of | roles.methodologist_of)
    return today.Block("today-municipality", "journal/today/municipality.html", {"journal": found})
