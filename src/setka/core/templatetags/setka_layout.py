"""``{% layout_header %}`` and ``{% layout_footer %}``: the site's header (menu, bell, the
person, sign-out) and footer (language switch) in every page's ``base.html``, written by
Jinja2 templates (``core/jinja2/setka/``). They are the same on every page and cost more in
Django templates than a light page's own body; here they cost a fraction of a millisecond."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from setka.core.context_processors import layout_links
from setka.core.nav import WIDE_ENTRIES, menu
from setka.network.roles import user_roles

register = template.Library()


def _render(name: str, context, extra: dict) -> SafeString:
    # The page's one CSRF token (Django's context makes it once per page), not a newly
    # masked one for each of the header's and footer's forms.
    token = context.get("csrf_token")
    values = {
        "request": context.get("request"),
        "csrf_input": format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token
        )
        if token
        else "",
        "links": context.get("setka_layout") or layout_links(get_script_prefix()),
        **extra,
    }
    html = get_template(name, using="jinja2").template.render(values)  # type: ignore[attr-defined]
    return mark_safe(html)  # Jinja2 escapes what it writes


@register.simple_tag(takes_context=True)
def layout_header(context) -> SafeString:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    nav = context.get("setka_nav")
    if nav is None and request is not None:
        nav = menu(request, user_roles(user))
    return _render(
        "setka/header.html",
        context,
        {
            "nav": nav or [],
            "wide": WIDE_ENTRIES,
            "signed_in": signed_in,
            "name": user.display_name if signed_in else "",
            "bell": context.get("setka_bell"),
        },
    )


@register.simple_tag(takes_context=True)
def layout_footer(context) -> SafeString:
    return _render(
        "setka/footer.html", context, {"languages": settings.LANGUAGES, "language": get_language()}
    )
