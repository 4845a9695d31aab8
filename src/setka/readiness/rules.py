"""Who may see and do what in the readiness survey.

- Methodologists and municipal administrators of the municipality run it: campaigns,
  questionnaires, index settings; they see every institution's answers and scores.
- An institution administrator sees and answers for their own institution only, records its
  bandwidth checks and asks for a submitted answer to be reopened.
- A teacher sees and fills in only their own ICT self-assessment (the institution sees the
  aggregate, never a teacher's own levels).
- The public sees nothing individual.
"""

from __future__ import annotations

import rules

from setka.network.roles import user_roles


def _municipality_id(obj) -> int | None:
    if obj is None:
        return None
    if obj.__class__.__name__ == "Municipality":
        return obj.pk
    return getattr(obj, "municipality_id", None)


@rules.predicate
def runs_survey(user, obj=None) -> bool:
    """A methodologist or municipal administrator (of ``obj``'s municipality, if given)."""
    roles = user_roles(user)
    municipalities = roles.methodologist_of | roles.municipal_admin_of
    municipality_id = _municipality_id(obj)
    return bool(municipalities) if municipality_id is None else municipality_id in municipalities


@rules.predicate
def administers(user, institution=None) -> bool:
    admin_of = user_roles(user).admin_of
    return bool(admin_of) if institution is None else institution.pk in admin_of


rules.add_perm("readiness.manage", runs_survey)
rules.add_perm("readiness.view_institution", runs_survey | administers)
rules.add_perm("readiness.answer", administers)
