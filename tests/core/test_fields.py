"""core.fields.widget_html writes a widget exactly as Django's templates do (the filter forms
of the busiest pages skip the form renderer), and hands any other widget to Django."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from setka.core.fields import widget_html
from setka.programs.forms.common import DateInput, TimeInput


class Sample(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    name = forms.CharField(label="Name", widget=forms.TextInput(attrs={"placeholder": 'a "b" <c>'}))
    count = forms.IntegerField(label="Count", required=False, min_value=0)
    search = forms.CharField(
        required=False, widget=forms.SearchInput(attrs={"autocomplete": "off"})
    )
    kind = forms.ChoiceField(choices=[("", "Any"), ("a", "A & co"), ("b", "B")], required=False)
    grade = forms.TypedChoiceField(
        choices=[("", "Any"), *((g, str(g)) for g in range(1, 12))], coerce=int, required=False
    )
    needed = forms.ChoiceField(choices=[("", "—"), ("x", "X")])
    free = forms.BooleanField(required=False)
    on = forms.BooleanField(required=False, disabled=True, initial=True)
    day = forms.DateField(required=False, widget=DateInput())
    at = forms.TimeField(required=False, widget=TimeInput())
    hidden = forms.CharField(required=False, widget=forms.HiddenInput())
    email = forms.EmailField(required=False, help_text="Where we write")
    grouped = forms.ChoiceField(
        required=False, choices=[("Group", [("1", "One"), ("2", "Two")]), ("3", "Three")]
    )
    many = forms.MultipleChoiceField(required=False, choices=[("1", "One"), ("2", "Two")])
    text = forms.CharField(required=False, widget=forms.Textarea)
    secret = forms.CharField(required=False, widget=forms.PasswordInput)


CASES = [
    None,
    {},
    {"q": "робот", "name": "x", "count": "7", "kind": "a", "grade": "7", "needed": "x",
     "free": "on", "day": "2026-12-03", "at": "10:30", "hidden": "h<", "email": "a@b.c",
     "grouped": "2", "many": ["1", "2"], "text": "t", "search": "s"},
    {"count": "-1", "kind": "zzz", "grade": "x", "needed": "", "day": "31.02", "at": "25:00",
     "email": "not an e-mail", "name": ""},
]  # fmt: skip


@pytest.mark.parametrize("data", CASES)
def test_every_widget_is_written_as_django_writes_it(data):
    form = Sample(data, initial={"q": "начало", "day": dt.date(2026, 9, 1)})
    if data is not None:
        form.is_valid()
    for bound in form:
        assert str(widget_html(bound)) == str(bound.as_widget()), bound.name


def test_a_prefix_and_a_custom_auto_id_are_kept():
    form = Sample({"p-kind": "b", "p-free": "on"}, prefix="p", auto_id="f_%s")
    assert str(widget_html(form["kind"])) == str(form["kind"].as_widget())
    assert 'id="f_p-free"' in widget_html(form["free"])
    assert 'name="p-kind"' in widget_html(form["kind"])


def test_only_the_first_of_equal_values_is_selected():
    class Twice(forms.Form):
        pick = forms.ChoiceField(choices=[("1", "one"), ("1", "one again")])

    form = Twice({"pick": "1"})
    html = str(widget_html(form["pick"]))
    assert html.count(" selected") == 1
    assert html == str(form["pick"].as_widget())


def test_the_catalogue_filters_are_written_as_django_writes_them(db):
    from setka.programs.forms.offers import CatalogueForm

    form = CatalogueForm(
        {"grade": "7", "free": "on", "after": "10:00", "fits": "on", "student": "2"},
        providers=[(1, "Школа «№ 1»"), (2, "ДДТ")],
        students=[(1, "Аня"), (2, "Петя")],
    )
    form.is_valid()
    for bound in form:
        assert str(widget_html(bound)) == str(bound.as_widget()), bound.name


def test_the_form_include_writes_what_it_wrote_with_django_widgets():
    """includes/form.html writes ``{{ field|widget }}``: the same page as ``{{ field }}``."""
    from django.template import engines

    django_engine = engines["django"]
    fast = django_engine.from_string('{% include "includes/form.html" %}')
    plain_source = django_engine.engine.get_template("includes/form.html").source.replace(
        "{{ field|widget }}", "{{ field }}"
    )
    assert "{{ field|widget }}" not in plain_source
    assert plain_source != django_engine.engine.get_template("includes/form.html").source
    plain = django_engine.from_string(plain_source)
    for data in CASES:
        form = Sample(data)
        if data is not None:
            form.is_valid()
        assert fast.render({"form": form}) == plain.render({"form": form})


def test_a_hidden_initial_value_is_kept():
    class WithInitial(forms.Form):
        name = forms.CharField(show_hidden_initial=True, initial="a")

    form = WithInitial()
    assert str(widget_html(form["name"])) == str(form["name"])
    assert "initial-name" in widget_html(form["name"])
