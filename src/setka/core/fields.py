"""A form field's widget as HTML without Django's widget templates, for the filter forms of
the busiest public pages (the catalogue of courses, the municipal calendar).

Django renders every widget through its form renderer (a template per widget and per
option): ~6 ms for a filter form of a dozen fields, more than the rest of such a page. The
filters use three kinds of widget — a select, a check box, a text-like input — and
``widget_html`` writes those the way Django's own templates do (the same attributes, in the
same order, the same selection rule); any other widget, or a select with option groups,
goes through Django. ``tests/core/test_fields.py`` holds the two outputs equal."""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# The stock templates of the widgets written here. A widget is written here only when it
# keeps its stock template and Django's own context (the project's ``DateInput`` and
# ``TimeInput`` only set ``input_type`` and a format): anything else goes through Django.
_STOCK = "django/forms/widgets/%s.html"
_INPUT_TEMPLATES = {
    _STOCK % name
    for name in ("text", "number", "email", "url", "search", "date", "time", "hidden", "tel")
}
_CONTEXTS = {
    Input.get_context,
    forms.CheckboxInput.get_context,
    forms.Select.get_context,
}


def _attrs(attrs: dict) -> str:
    """``flatatt`` as Django's ``attrs.html`` writes it: True alone, False left out."""
    out = []
    for name, value in attrs.items():
        if value is True:
            out.append(f" {name}")
        elif value is not False:
            out.append(f' {name}="{conditional_escape(value)}"')
    return "".join(out)


def _build_attrs(bound: BoundField) -> dict:
    widget = bound.field.widget
    attrs = widget.build_attrs(widget.attrs, bound.build_widget_attrs({}))
    auto_id = bound.auto_id
    if auto_id and "id" not in attrs:
        attrs["id"] = auto_id
    return attrs


def _select(bound: BoundField, attrs: dict) -> SafeString | None:
    widget = bound.field.widget
    value = widget.format_value(bound.value())
    chosen = {str(v) for v in value}
    options = []
    has_selected = False
    for raw, label in bound.field.choices:
        if isinstance(label, (list, tuple)):
            return None  # option groups: Django's template
        option_value = "" if raw is None else str(raw)
        selected = option_value in chosen and not has_selected
        has_selected = has_selected or selected
        options.append(
            format_html(
                '  <option value="{}"{}>{}</option>\n\n',
                option_value,
                mark_safe(" selected") if selected else "",
                label,
            )
        )
    return format_html(
        '<select name="{}"{}>\n{}</select>',
        bound.html_name,
        mark_safe(_attrs(attrs)),
        mark_safe("".join(options)),
    )


def widget_html(bound: BoundField) -> SafeString:
    """The field's widget as Django writes it, without its templates where that is plain."""
    widget = bound.field.widget
    template = widget.template_name
    if bound.field.show_hidden_initial:
        return SafeString(str(bound))  # the widget and its hidden initial value
    if type(widget).get_context not in _CONTEXTS:
        return SafeString(bound.as_widget())
    if bound.field.localize:
        widget.is_localized = True
    if template == _STOCK % "select" and not widget.allow_multiple_selected:
        html = _select(bound, _build_attrs(bound))
        return html if html is not None else SafeString(bound.as_widget())
    checkbox = template == _STOCK % "checkbox"
    if not checkbox and template not in _INPUT_TEMPLATES:
        return SafeString(bound.as_widget())
    attrs = _build_attrs(bound)
    value = bound.value()
    if checkbox and widget.check_test(value):
        attrs["checked"] = True
    value = widget.format_value(value)
    value_attr = format_html(' value="{}"', value) if value is not None else ""
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget.input_type,
        bound.html_name,
        value_attr,
        mark_safe(_attrs(attrs)),
    )
