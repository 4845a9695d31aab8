"""``{{ phone|tel_href }}``: the ``tel:`` link of a phone number as people write it.

The HTML standard's ``tel:`` URLs (RFC 3966) hold no spaces, brackets or letters:
``+7 (39550) 9-12-05`` is linked as ``tel:+73955091205``. An extension written after
«доб.» or «ext.» becomes ``;ext=…``. A text with no digits gives an empty string, so a
template links only what can be dialled::

    {% load phones %}
    {% if p|tel_href %}<a href="{{ p|tel_href }}">{{ p }}</a>{% else %}{{ p }}{% endif %}
"""

from __future__ import annotations

import re

from django import template

register = template.Library()

_EXTENSION = re.compile(r"(?:доб|ext|вн|x)\.?\s*(\d+)\s*$", re.IGNORECASE)


@register.filter
def tel_href(phone: object) -> str:
    text = str(phone or "").strip()
    extension = ""
    found = _EXTENSION.search(text)
    if found:
        extension, text = found.group(1), text[: found.start()]
    digits = "".join(c for c in text if c.isascii() and c.isdigit())
    if not digits:
        return ""
    plus = "+" if text.lstrip().startswith("+") else ""
    return f"tel:{plus}{digits}" + (f";ext={extension}" if extension else "")
