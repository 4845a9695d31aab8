"""What a signed-in user is in the network today: the answer every permission predicate
starts from. Computed once per request (two queries: ``sql.ROLES``, then the person when
they hold no role) and kept on the user object."""

from __future__ import annotations

from dataclasses import dataclass, field

from setka.core import sqlrows
from setka.core.clock import today

from . import sql
from .models import Membership, MunicipalRole, Person

CACHE_ATTR = "_setka_roles"


@dataclass(frozen=True)
class UserRoles:
    person_id: int | None = None
    municipality_id: int | None = None
    municipal_admin_of: frozenset[int] = frozenset()  # municipality ids
    methodologist_of: frozenset[int] = frozenset()  # municipality ids
    admin_of: frozenset[int] = frozenset()  # institution ids
    teacher_of: frozenset[int] = frozenset()
    student_of: frozenset[int] = frozenset()
    staff_of: frozenset[int] = frozenset()
    children: frozenset[int] = field(default_factory=frozenset)  # person ids

    @property
    def member_of(self) -> frozenset[int]:
        return self.admin_of | self.teacher_of | self.student_of | self.staff_of

    @property
    def employee_of(self) -> frozenset[int]:
        return self.admin_of | self.teacher_of | self.staff_of

    @property
    def is_municipal_admin(self) -> bool:
        return bool(self.municipal_admin_of)

    @property
    def is_methodologist(self) -> bool:
        return bool(self.methodologist_of)

    @property
    def is_registry_manager(self) -> bool:
        return bool(self.municipal_admin_of or self.methodologist_of)

    @property
    def is_parent(self) -> bool:
        return bool(self.children)

    @property
    def is_anything(self) -> bool:
        return bool(
            self.municipal_admin_of or self.methodologist_of or self.member_of or self.children
        )


ANONYMOUS = UserRoles()


def user_roles(user) -> UserRoles:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles = _load(user)
    setattr(user, CACHE_ATTR, roles)
    return roles


def forget_roles(user) -> None:
    if hasattr(user, CACHE_ATTR):
        delattr(user, CACHE_ATTR)


def _load(user) -> UserRoles:
    rows = sqlrows.rows(sql.ROLES, {"user": user.pk, "on": today()})
    person_id = municipality_id = None
    by_role: dict[str, set[int]] = {r: set() for r in Membership.Role.values}
    muni_admin: set[int] = set()
    methodologist: set[int] = set()
    children: set[int] = set()
    for k, pid, mid, target, role in rows:
        person_id, municipality_id = pid, mid
        if k == "m":
            by_role[role].add(target)
        elif k == "g":
            children.add(target)
        elif role == MunicipalRole.Role.MUNICIPAL_ADMIN:
            muni_admin.add(target)
        else:
            methodologist.add(target)
    if person_id is None:
        row = Person.objects.filter(user=user).values_list("id", "municipality_id").first()
        if row:
            person_id, municipality_id = row
    return UserRoles(
        person_id=person_id,
        municipality_id=municipality_id,
        municipal_admin_of=frozenset(muni_admin),
        methodologist_of=frozenset(methodologist),
        admin_of=frozenset(by_role[Membership.Role.INSTITUTION_ADMIN]),
        teacher_of=frozenset(by_role[Membership.Role.TEACHER]),
        student_of=frozenset(by_role[Membership.Role.STUDENT]),
        staff_of=frozenset(by_role[Membership.Role.STAFF]),
        children=frozenset(children),
    )
