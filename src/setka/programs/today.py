"""The programmes' blocks of «Сегодня»: applications to decide (the provider's and the home
school's administrators), and the next class of a network course with the applications in
progress (the student, the parent for each child). Two or three queries at most; none for a
person who can have nothing there."""

from __future__ import annotations

from setka.core import today
from setka.core.clock import now

from .models import Application
from .selectors import applications

SHOWN = 8


@today.block(order=50)
def to_decide(request, roles) -> today.Block | None:
    if not roles.admin_of:
        return None
    rows = list(applications.to_decide(roles)[: SHOWN + 1])
    if not rows:
        return None
    total = len(rows) if len(rows) <= SHOWN else applications.to_decide(roles).count()
    return today.Block(
        "programs-decide",
        "programs/today/decide.html",
        {"applications": rows[:SHOWN], "total": total},
    )


@today.block(order=51)
def network_courses(request, roles) -> today.Block | None:
    students = set(roles.children)
    if roles.student_of and roles.person_id is not None:
        students.add(roles.person_id)
    if not students:
        return None
    upcoming = applications.next_classes(students, now())
    waiting = list(
        applications.family_applications(roles).filter(
            status__in=[
                Application.Status.HOME_REVIEW,
                Application.Status.PENDING,
                Application.Status.WAITLISTED,
            ]
        )[:SHOWN]
    )
    if not upcoming and not waiting:
        return None
    return today.Block(
        "programs-courses",
        "programs/today/courses.html",
        {
            "upcoming": sorted(upcoming.values(), key=lambda c: c.starts),
            "waiting": waiting,
            "for_children": bool(roles.children),
        },
    )
