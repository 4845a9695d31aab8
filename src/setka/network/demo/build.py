"""Building the demo municipality: ``build_demo(scale=…)``.

Idempotent: an institution of the chosen scale that already exists (by slug) is left alone,
with its people; only missing ones are created, with their employees, students and
parents, in one transaction. A second run therefore writes nothing and takes a few
queries. Deterministic: every random choice comes from ``random.Random`` seeded with the
seed and a name (the institution's slug, …), so an empty database always gets the same
people. No audit entries: this is seed data, not changes made by users.

Later modules extend the demo with :func:`register_step` in a ``demo`` module of their app
(``setka/journal/demo.py``), which :func:`build_demo` imports, in INSTALLED_APPS order. A
step is called with the :class:`DemoContext` after the network is in place, inside the
same transaction, on every run, and must itself be idempotent (find its objects again by
slug or login first). Students' classes are in their membership's ``position`` ("7Б")."""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from tqdm import tqdm

from setka.core import clock
from setka.network.models import (
    Guardianship,
    Institution,
    Membership,
    Municipality,
    MunicipalRole,
    Person,
)

from .institutions import MUNICIPALITY, SCALES, InstitutionSpec
from .population import Generator, Plan, academic_year

DEMO_PASSWORD = "setka-demo"  # noqa: S105 - the documented password of the demo logins
DEMO_LOGINS = ["admin", "metodist", "director", "teacher", "student", "parent", "partner"]
DEFAULT_SEED = 39550  # the telephone code of Shelekhov
BATCH = 2000
# The institution whose creation brings each demo login into being.
LOGIN_HOME = {
    "admin": "imc",
    "metodist": "imc",
    "director": "school-3",
    "teacher": "school-3",
    "student": "school-3",
    "parent": "school-3",
    "partner": "ddt",
}


class DemoError(Exception):
    """The demo cannot be built in this database (the message says why)."""


@dataclass
class DemoContext:
    """What a build step gets: the municipality and its demo institutions, by slug."""

    municipality: Municipality
    scale: str
    seed: int
    year: int  # the academic year the demo is built for (it began on 1 September)
    institutions: dict[str, Institution]
    created: list[str] = field(default_factory=list)  # slugs created by this run
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds
    stdout: TextIO | None = None
    progress: bool = False
    students_per_class: int | None = None
    today: dt.date = field(default_factory=clock.today)  # "today" of the demo's data
    journal_full_year: bool = False  # journal step: marks for the whole year (benchmarks)

    def rng(self, name: str) -> random.Random:
        """A generator of its own for every step and object, so that steps do not shift
        each other's choices."""
        return random.Random(f"{self.seed}:{name}")

    def institution(self, slug: str) -> Institution:
        return self.institutions[slug]

    def user(self, login: str):
        return get_user_model().objects.select_related("person").get(username=login)

    def write(self, message: str = "") -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    def bar(self, total: int, desc: str) -> tqdm:
        return tqdm(
            total=total, desc=desc, unit=" rows", disable=not self.progress, file=sys.stderr
        )


Step = Callable[[DemoContext], None]
STEPS: dict[str, Step] = {}


def register_step(name: str) -> Callable[[Step], Step]:
    """``@register_step("journal")`` adds a step run after the network on every build."""

    def decorator(func: Step) -> Step:
        STEPS[name] = func
        return func

    return decorator


def build_demo(
    *,
    scale: str = "demo",
    seed: int = DEFAULT_SEED,
    stdout: TextIO | None = None,
    progress: bool = False,
    students_per_class: int | None = None,
    today: dt.date | None = None,
    journal_full_year: bool = False,
) -> DemoContext:
    """Create whatever of the demo municipality at ``scale`` ("demo" or "municipal") is
    missing and return the context (institutions by slug, counts, time taken).
    ``students_per_class`` makes every class that small: for fast tests only.
    ``journal_full_year`` fills the journal to the end of the school year, not only up to
    today (the benchmark data)."""
    if scale not in SCALES:
        raise DemoError(f"Unknown scale {scale!r}: choose one of {', '.join(SCALES)}.")
    specs = SCALES[scale]
    autodiscover_modules("demo")  # other apps' steps: <app>/demo.py
    started = time.perf_counter()
    today = today or clock.today()
    with transaction.atomic():
        municipality, _ = Municipality.objects.get_or_create(
            slug=MUNICIPALITY["slug"],
            defaults={k: v for k, v in MUNICIPALITY.items() if k != "slug"},
        )
        existing = {i.slug: i for i in Institution.objects.filter(slug__in=[s.slug for s in specs])}
        foreign = sorted(s for s, i in existing.items() if i.municipality_id != municipality.pk)
        if foreign:
            raise DemoError(
                "These addresses are already used by institutions of another municipality: "
                f"{', '.join(foreign)}. Build the demo in an empty database."
            )
        ctx = DemoContext(
            municipality=municipality,
            scale=scale,
            seed=seed,
            year=academic_year(today),
            institutions=existing,
            stdout=stdout,
            progress=progress,
            students_per_class=students_per_class,
            today=today,
            journal_full_year=journal_full_year,
        )
        missing = [s for s in specs if s.slug not in existing]
        if missing:
            ctx.write(f"Building the demo municipality ({scale}): {len(missing)} institutions…")
            plan = _generate(ctx, specs, missing)
            ctx.timings["generate"] = time.perf_counter() - started
            _insert(ctx, plan)
            ctx.timings["write"] = time.perf_counter() - started - ctx.timings["generate"]
            ctx.created = [s.slug for s in missing]
        for step in STEPS.values():
            step(ctx)
    ctx.seconds = time.perf_counter() - started
    return ctx


def _generate(
    ctx: DemoContext, specs: Sequence[InstitutionSpec], missing: Sequence[InstitutionSpec]
) -> Plan:
    user_model = get_user_model()
    wanted = [login for login, home in LOGIN_HOME.items() if home in {s.slug for s in missing}]
    clash = sorted(
        user_model.objects.filter(username__in=wanted).values_list("username", flat=True)
    )
    if clash:
        raise DemoError(
            f"Accounts named {', '.join(clash)} already exist and are not part of the demo. "
            "Build the demo in an empty database."
        )
    taken = {u.lower() for u in user_model.objects.values_list("username", flat=True)}
    generator = Generator(
        seed=ctx.seed,
        municipality=ctx.municipality,
        year=ctx.year,
        password_hash=make_password(DEMO_PASSWORD),  # hashed once, shared by every account
        taken_handles=taken,
        students_per_class=ctx.students_per_class,
    )
    new = []
    for spec in missing:
        institution = _institution(ctx.municipality, spec)
        ctx.institutions[spec.slug] = institution
        generator.plan.institutions.append(institution)
        new.append((spec, institution))
    generator.attended = {
        s.slug: (s, ctx.institutions[s.slug]) for s in specs if s.attendance is not None
    }
    for spec, institution in tqdm(new, desc="People", disable=not ctx.progress, file=sys.stderr):
        generator.employees(spec, institution)
        if spec.slug == "imc":
            generator.municipal_admin()
    generator.students([(s, i) for s, i in new if s.is_school])
    for institution in generator.plan.institutions:
        # The model's own rules (slug, e-mail, URL, coordinates) hold for every institution.
        institution.full_clean(validate_unique=False, validate_constraints=False)
    return generator.plan


def _institution(municipality: Municipality, spec: InstitutionSpec) -> Institution:
    return Institution(
        municipality=municipality,
        kind=spec.kind,
        full_name=spec.full_name,
        short_name=spec.short_name,
        slug=spec.slug,
        address=spec.address,
        latitude=Decimal(f"{spec.latitude:.6f}"),
        longitude=Decimal(f"{spec.longitude:.6f}"),
        phones=spec.phones,
        email=spec.email,
        website=spec.website,
        head_position=spec.head_position,
        working_hours=spec.working_hours,
        founded_on=spec.founded_on,
        is_resource_centre=spec.is_resource_centre,
        description=spec.description,
    )


def _insert(ctx: DemoContext, plan: Plan) -> None:
    tables: list[tuple[Any, list]] = [
        (Institution, plan.institutions),
        (get_user_model(), plan.users),
        (Person, plan.people),
        (Membership, plan.memberships),
        (MunicipalRole, plan.municipal_roles),
        (Guardianship, plan.guardianships),
    ]
    with ctx.bar(sum(len(rows) for _, rows in tables), "Writing") as bar:
        for model, rows in tables:
            for chunk in _chunks(rows, BATCH):
                model.objects.bulk_create(chunk)
                bar.update(len(chunk))


def _chunks(rows: list, size: int) -> Iterable[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
