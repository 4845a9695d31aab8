"""Each demo student's ability (per subject) and the days they missed (illness spells of a
few days, a day or two off for a good reason). A student's profile comes from a generator
seeded with who they are, so it is the same in every institution they attend and in every
build."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from setka.network.models import Person

from .curriculum import SubjectSpec

ILL_START = 0.006  # chance a day that an illness begins (about one spell a term)
EXCUSED = 0.0015  # chance a day of a day or two off for a good reason (competitions, family)


@dataclass
class Profile:
    ability: float
    rng: random.Random  # for the subject offsets, drawn when first needed
    offsets: dict[str, float] = field(default_factory=dict)
    absences: dict[dt.date, str] = field(default_factory=dict)

    def level(self, spec: SubjectSpec) -> float:
        key = spec.bundle or spec.key
        offset = self.offsets.get(key)
        if offset is None:
            offset = self.offsets[key] = self.rng.gauss(0, 0.3)
        return self.ability + offset


class Profiles:
    def __init__(self, seed: int, school_days: list[dt.date]) -> None:
        self.seed = seed
        self.days = school_days
        self.cache: dict[int, Profile] = {}

    def load(self, student_ids) -> None:
        wanted = [pk for pk in student_ids if pk not in self.cache]
        rows = Person.objects.filter(pk__in=wanted).values_list(
            "pk", "surname", "given_name", "patronymic", "birth_date"
        )
        for pk, *identity in rows:
            self.cache[pk] = self._make(identity)

    def get(self, student_id: int) -> Profile:
        profile = self.cache.get(student_id)
        if profile is None:
            self.load([student_id])
            profile = self.cache[student_id]
        return profile

    def _make(self, identity: list) -> Profile:
        rng = random.Random(f"{self.seed}:student:{'|'.join(map(str, identity))}")
        ability = min(4.95, max(2.3, rng.gauss(3.95, 0.55)))
        absences: dict[dt.date, str] = {}
        days = self.days
        i = 0
        while i < len(days):
            r = rng.random()
            if r < ILL_START:
                for day in days[i : i + rng.randint(2, 7)]:
                    absences[day] = "Б"
                i += 12  # not ill again at once
            elif r < ILL_START + EXCUSED:
                for day in days[i : i + rng.randint(1, 2)]:
                    absences[day] = "УП"
                i += 3
            else:
                i += 1
        return Profile(ability, random.Random(rng.random()), absences=absences)
