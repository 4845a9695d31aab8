"""Russian plurals: wherever a number meets a noun the form follows the number (one, few,
many: «1 учреждение», «2 учреждения», «5 учреждений», «11 учреждений», «21 учреждение»),
for every number from 0 to 200."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext

from setka.core.plurals import too_long_text

PO = Path(__file__).resolve().parents[2] / "src/setka/locale/ru/LC_MESSAGES/django.po"
NUMBERS = range(201)
RU_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)


def russian_form(n: int) -> int:
    """0 one (1, 21, 101), 1 few (2–4, 22–24), 2 many (0, 5–20, 25–30, 111–114)."""
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def _catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def _plural_entries() -> list[polib.POEntry]:
    """Translated plural entries (untranslated and fuzzy ones are scripts/check_messages.py's
    business)."""
    return [
        e
        for e in _catalogue()
        if e.msgid_plural
        and not e.obsolete
        and "fuzzy" not in e.flags
        and all(e.msgstr_plural.get(i) for i in range(3))
    ]


def test_russian_rule_of_the_test_itself():
    assert [russian_form(n) for n in (0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112)] == [
        2, 0, 1, 1, 2, 2, 2, 2, 0, 1, 2, 0, 2, 2,
    ]  # fmt: skip


def test_catalogue_has_the_russian_plural_forms():
    assert _catalogue().metadata["Plural-Forms"] == RU_PLURAL_FORMS


def test_every_plural_of_the_catalogue_takes_the_russian_form_for_0_to_200():
    entries = _plural_entries()
    assert len(entries) > 50
    wrong = []
    with translation.override("ru"):
        for e in entries:
            forms = [e.msgstr_plural[i] for i in range(3)]
            for n in NUMBERS:
                said = (
                    npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                    if e.msgctxt
                    else ngettext(e.msgid, e.msgid_plural, n)
                )
                if said != forms[russian_form(n)]:
                    wrong.append((e.msgid, n))
                    break
    assert wrong == []


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_plural_forms_keep_every_placeholder():
    """The form for one is used for 21, 31, 101 too: it must print the number."""
    wrong = []
    for e in _plural_entries():
        wanted = set(PLACEHOLDER.findall(e.msgid_plural))
        for i, form in e.msgstr_plural.items():
            if form and set(PLACEHOLDER.findall(form)) != wanted:
                wrong.append((e.msgid, i))
    assert wrong == []


# A count in the Russian text followed by a word whose form depends on it must be a plural
# entry. Words that do not change with the number are fine (abbreviations, prepositions).
COUNT_NAMES = re.compile(
    r"^(n|count|counter|total|limit|max|min|capacity|hours|minutes|days|rows|left|teachers|"
    r"assessed|placed|added|free|taken|done|places|seats|s|t|d|m|new)$"
)
INVARIABLE = {
    "из", "и", "или", "до", "мин", "мин.", "ч.", "ак.", "МБ", "МБ.", "Мбит", "чел.", "—", "с", "по",
    "класс",  # «5 класс»: an ordinal, the same for every number
    "годами.",  # «между 1900 и 2100 годами»: years are ordinals too
}  # fmt: skip
COUNT_THEN_WORD = re.compile(r"%\((\w+)\)[sd] ([а-яёА-ЯЁ]+\.?)")


def test_no_count_meets_a_noun_outside_ngettext():
    wrong = []
    for e in _catalogue():
        if e.obsolete or e.msgid_plural or "fuzzy" in e.flags or not e.msgstr:
            continue
        for name, word in COUNT_THEN_WORD.findall(e.msgstr):
            if COUNT_NAMES.match(name) and word not in INVARIABLE:
                wrong.append(f"{e.msgid!r}: %({name})s {word}")
    assert wrong == []


CHARACTERS = {0: "символа", 1: "символов", 2: "символов"}


@pytest.mark.parametrize("n", NUMBERS)
def test_too_long_says_the_right_form(n):
    with translation.override("ru"):
        text = too_long_text(n)

    assert text == f"Слишком длинно: не больше {n} {CHARACTERS[russian_form(n)]}."


INSTITUTIONS = {0: "учреждение", 1: "учреждения", 2: "учреждений"}


def test_template_count_says_the_right_form_for_0_to_200():
    template = Template(
        "{% load i18n %}{% blocktranslate trimmed count counter=n %}{{ counter }} institution "
        "found{% plural %}{{ counter }} institutions found{% endblocktranslate %}"
    )
    with translation.override("ru"):
        found = [template.render(Context({"n": n})) for n in NUMBERS]

    assert found == [f"Найдено {n} {INSTITUTIONS[russian_form(n)]}" for n in NUMBERS]


def test_period_mark_label_of_the_grid_is_translated():
    with translation.override("ru"):
        assert gettext("Period mark: %(name)s") == "Отметка за период: %(name)s"
