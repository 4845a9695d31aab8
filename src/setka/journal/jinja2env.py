"""The Jinja2 environment for the large grids (the journal): ``static``, ``url`` and Django's
gettext (``_``, ``gettext``, ``ngettext`` and ``{% trans %}``), ``today()`` of the clock,
autoescaping on."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, translation
from jinja2 import Environment

from setka.core.clock import today


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date_format(value: Any, fmt: str = "d.m.Y") -> str:
    return formats.date_format(value, fmt) if value else ""


def environment(**options: Any) -> Environment:
    extensions = list(options.pop("extensions", []))
    if "jinja2.ext.i18n" not in extensions:
        extensions.append("jinja2.ext.i18n")
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(extensions=extensions, **options)  # noqa: S701 (Django enables autoescape)
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update({"static": static, "url": url, "today": today})
    env.filters["date"] = date_format
    return env
