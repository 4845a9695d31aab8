"""Pieces every domain's API shares: pagination, the input schema base, the 403 problem.

A new domain imports these from here, never from another domain."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import ConfigDict

from .api_errors import ApiProblem


class PageInput(PageNumberPagination.Input):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int | None = Field(None, ge=1, le=200, description="50 if not given.")


class Pages(PageNumberPagination):
    """``?page=&page_size=`` (at most 200 a page), answering ``{items, count}``."""

    Input = PageInput


PAGES = {"page_size": 50, "max_page_size": 200}


class InputSchema(Schema):
    """The base of every input schema: unknown fields are refused (422), enums as values."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


def forbidden(detail: str = "", errors: list[dict[str, Any]] | None = None) -> ApiProblem:
    return ApiProblem(
        403, _("Forbidden"), detail or _("You do not have the rights for this action."), errors
    )


def blank_nulls(data: dict[str, Any], model: type[models.Model]) -> dict[str, Any]:
    """``null`` for a text field that may be empty means "empty"."""
    for name, value in data.items():
        field = model._meta.get_field(name)
        if (
            value is None
            and isinstance(field, models.CharField | models.TextField)
            and field.blank
            and not field.null
        ):
            data[name] = ""
    return data
