"""Reads of agreements shared by the pages and the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from setka.network.roles import UserRoles

from ..models import Agreement


def visible_agreements(roles: UserRoles) -> QuerySet[Agreement]:
    """The agreements a person may see (``rules.reads_agreement`` as a query): drafts of the
    parties they administer; the others of the parties they work at and of the municipality
    they administer or serve as a methodologist."""
    visible = Q(parties__institution_id__in=roles.admin_of)
    visible |= ~Q(status=Agreement.Status.DRAFT) & Q(parties__institution_id__in=roles.employee_of)
    readers = roles.municipal_admin_of | roles.methodologist_of
    visible |= ~Q(status=Agreement.Status.DRAFT) & Q(municipality_id__in=readers)
    return Agreement.objects.filter(pk__in=Agreement.objects.filter(visible).values("pk"))
