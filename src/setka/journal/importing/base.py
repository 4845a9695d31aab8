"""What every journal import shares beyond ``core.tabular`` (the row-level report, text and
date cells): numbers, weekdays, yes/no, class names and finding the teachers of an institution
by the name written in a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from setka.core.tabular import norm, text
from setka.network.models import Institution, Membership, Person

MAX_SHOWN_ERRORS = 500


def parse_int(value: Any) -> int | None:
    """A whole number; empty → None; raises ValueError for "2.5", "два"."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    raw = text(value)
    if not raw:
        return None
    return int(raw)


YES = {"да", "д", "1", "+", "x", "х", "yes", "y", "true", "кр", "к/р", "контрольная"}
NO = {"нет", "н", "0", "-", "no", "n", "false"}


def parse_yes_no(value: Any) -> bool | None:
    raw = norm(text(value))
    if not raw:
        return None
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise ValueError(raw)


WEEKDAYS = {
    1: ("пн", "пон", "понедельник", "mon", "monday"),
    2: ("вт", "вто", "вторник", "tue", "tuesday"),
    3: ("ср", "сре", "среда", "wed", "wednesday"),
    4: ("чт", "чет", "четверг", "thu", "thursday"),
    5: ("пт", "пят", "пятница", "fri", "friday"),
    6: ("сб", "суб", "суббота", "sat", "saturday"),
}
WEEKDAY_BY_WORD = {w: n for n, words in WEEKDAYS.items() for w in words}


def parse_weekday(value: Any) -> int:
    raw = norm(text(value)).strip(".")
    if raw.isdigit() and 1 <= int(raw) <= 6:
        return int(raw)
    if raw in WEEKDAY_BY_WORD:
        return WEEKDAY_BY_WORD[raw]
    raise ValueError(raw)


def split_class_name(name: str) -> tuple[int | None, str]:
    """ "7Б" → (7, "Б"); "10 А" → (10, "А"); "7Б-англ" → (7, "")."""
    raw = name.replace(" ", "").replace("«", "").replace("»", "").replace('"', "")
    digits = ""
    while raw and raw[0].isdigit():
        digits, raw = digits + raw[0], raw[1:]
    grade = int(digits) if digits and 1 <= int(digits) <= 11 else None
    letter = raw.upper() if grade and raw.isalpha() and len(raw) <= 2 else ""
    return grade, letter


def clamp(day: dt.date, start: dt.date, end: dt.date) -> dt.date:
    return min(max(day, start), end)


# --- people by the name written in a file --------------------------------------------------


def _short_key(surname: str, given: str, patronymic: str) -> str:
    initials = "".join(f"{p[0]}." for p in (given, patronymic) if p)
    return norm(f"{surname} {initials}").replace(". ", ".").replace(" ", "")


class TeacherIndex:
    """The teachers (and administrators, who may teach) of an institution, found by a full
    name, by "Surname I. O." or by the surname alone when only one teacher has it."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.by_key: dict[str, list[Person]] = {}
        for p in people:
            keys = {
                norm(p.full_name),
                norm(f"{p.surname} {p.given_name}"),
                _short_key(p.surname, p.given_name, p.patronymic),
                _short_key(p.surname, p.given_name, ""),
                norm(p.surname),
            }
            for key in keys:
                found = self.by_key.setdefault(key, [])
                if p not in found:
                    found.append(p)

    @classmethod
    def load(cls, institution: Institution, on: dt.date) -> TeacherIndex:
        memberships = (
            Membership.objects.active(on)
            .filter(
                institution=institution,
                role__in=[Membership.Role.TEACHER, Membership.Role.INSTITUTION_ADMIN],
            )
            .select_related("person")
        )
        return cls(m.person for m in memberships)

    def find(self, name: str) -> Person:
        """Raises ValueError with a plain message when nobody or several people match."""
        raw = norm(name)
        found = self.by_key.get(raw) or self.by_key.get(raw.replace(". ", ".").replace(" ", ""))
        if not found:
            raise ValueError(
                _(
                    "No teacher “%(name)s” works at the institution. Write the surname and "
                    "initials as in the list of people, e.g. “Иванова А. П.”."
                )
                % {"name": name}
            )
        if len(found) > 1:
            raise ValueError(
                _("Several teachers match “%(name)s”: %(who)s. Write the full name.")
                % {"name": name, "who": ", ".join(p.full_name for p in found[:4])}
            )
        return found[0]
