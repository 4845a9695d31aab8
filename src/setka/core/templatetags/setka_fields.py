"""``{{ field|widget }}``: a form field's widget as ``{{ field }}`` writes it, without Django's
widget templates where the widget is a plain one (``setka.core.fields``)."""

from __future__ import annotations

from django import template

from setka.core.fields import widget_html

register = template.Library()


@register.filter
def widget(bound):
    return widget_html(bound)
