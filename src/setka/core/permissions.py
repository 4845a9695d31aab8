"""Fetch-and-authorize helpers: a forbidden object and a missing one both answer 404."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def get_for_user_or_404(
    user: Any, perm: str, queryset: models.QuerySet[M] | type[M], **lookup: Any
) -> M:
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        obj = qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not user.has_perm(perm, obj):
        raise Http404
    return obj
