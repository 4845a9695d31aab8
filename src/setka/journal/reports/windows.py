"""What a report covers: a *window* — a period (by its number) or the whole year, in one or
several academic years (one per institution for a municipal report)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from setka.network.models import InstitutionKind, Municipality

from ..models import AcademicYear, Period, StudyGroup

YEAR = "year"


@dataclass(frozen=True)
class Window:
    year_ids: tuple[int, ...]
    number: int | None  # the period number; None: the whole year
    starts_on: dt.date  # the widest bounds over the years (the rest is exact per year)
    ends_on: dt.date
    label: str
    institution_ids: tuple[int, ...] = ()
    class_id: int | None = None
    period: Period | None = field(default=None, compare=False)

    @property
    def is_year(self) -> bool:
        return self.number is None


def window_for(
    year: AcademicYear, period: Period | None = None, group: StudyGroup | None = None
) -> Window:
    """A school's (or, with ``group``, a class's) period or year. No query."""
    class_id = None
    if group is not None:
        class_id = group.parent_id or group.pk
    if period is None:
        return Window(
            year_ids=(year.pk,),
            number=None,
            starts_on=year.starts_on,
            ends_on=year.ends_on,
            label=_("%(year)s school year") % {"year": year.name},
            institution_ids=(year.institution_id,),
            class_id=class_id,
        )
    return Window(
        year_ids=(year.pk,),
        number=period.number,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        label=f"{period.name}, {year.name}",
        institution_ids=(year.institution_id,),
        class_id=class_id,
        period=period,
    )


def current_year(years: list[AcademicYear], today: dt.date) -> AcademicYear | None:
    for year in years:
        if year.contains(today):
            return year
    begun = [y for y in years if y.starts_on <= today]
    if begun:
        return max(begun, key=lambda y: y.starts_on)
    return min(years, key=lambda y: y.starts_on) if years else None


# --- the municipality: periods matched by year name, period scheme and number -------------


@dataclass(frozen=True)
class MunicipalOption:
    key: str  # "2026/2027:year" or "2026/2027:quarters:2"
    year_name: str
    scheme: str | None
    number: int | None
    label: str
    starts_on: dt.date
    ends_on: dt.date


def municipal_options(municipality: Municipality) -> list[MunicipalOption]:
    """The windows a municipal report may choose: each year name, and each period of each
    period scheme in use in it ("2 четверть" compares the second quarters of the schools that
    count in quarters). One query."""
    rows = (
        Period.objects.filter(
            year__institution__municipality=municipality,
            year__institution__kind__in=_general_kinds(),
        )
        .values_list("year__name", "year__period_scheme", "number", "name", "starts_on", "ends_on")
        .order_by("-year__starts_on", "year__period_scheme", "number")
    )
    options: dict[str, MunicipalOption] = {}
    spans: dict[str, list[dt.date]] = {}
    for year_name, scheme, number, name, starts, ends in rows:
        year_key = f"{year_name}:{YEAR}"
        span = spans.setdefault(year_key, [starts, ends])
        span[0], span[1] = min(span[0], starts), max(span[1], ends)
        key = f"{year_name}:{scheme}:{number}"
        if key not in options:
            options[key] = MunicipalOption(
                key, year_name, scheme, number, f"{name}, {year_name}", starts, ends
            )
        else:
            old = options[key]
            options[key] = MunicipalOption(
                key,
                year_name,
                scheme,
                number,
                old.label,
                min(old.starts_on, starts),
                max(old.ends_on, ends),
            )
    out: list[MunicipalOption] = []
    for year_key, (starts, ends) in spans.items():
        year_name = year_key.rsplit(":", 1)[0]
        out.append(
            MunicipalOption(
                year_key,
                year_name,
                None,
                None,
                _("%(year)s school year") % {"year": year_name},
                starts,
                ends,
            )
        )
        out.extend(o for o in options.values() if o.year_name == year_name)
    return out


def default_municipal_option(
    options: list[MunicipalOption], today: dt.date
) -> MunicipalOption | None:
    periods = [o for o in options if o.number is not None]
    current = [o for o in periods if o.starts_on <= today <= o.ends_on]
    if current:
        return current[0]
    begun = [o for o in periods if o.starts_on <= today]
    if begun:
        return max(begun, key=lambda o: o.starts_on)
    return options[0] if options else None


def municipal_window(municipality: Municipality, option: MunicipalOption) -> Window:
    """The years (one per institution) of the option, with their widest bounds. One query."""
    years = AcademicYear.objects.filter(
        institution__municipality=municipality,
        institution__kind__in=_general_kinds(),
        name=option.year_name,
    )
    if option.scheme is not None:
        years = years.filter(period_scheme=option.scheme)
    rows = list(years.values_list("id", "institution_id"))
    return Window(
        year_ids=tuple(sorted(r[0] for r in rows)),
        number=option.number,
        starts_on=option.starts_on,
        ends_on=option.ends_on,
        label=option.label,
        institution_ids=tuple(sorted({r[1] for r in rows})),
    )


def _general_kinds() -> list[str]:
    """Reports of успеваемость are about general education: schools, lyceums, gymnasiums."""
    return [InstitutionKind.SCHOOL, InstitutionKind.LYCEUM, InstitutionKind.GYMNASIUM]
