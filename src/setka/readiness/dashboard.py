"""The municipal dashboard of a campaign, shared by its page, the API and the exports: the
institutions with their index and dimension scores (filtered, sorted), the campaign's
progress, the means and the previous campaign's, the readiness for each network form, the
teachers' competence levels and the trend across campaigns. Four queries whatever the size,
and none while the campaign's revision stays the same (``memo``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy

from setka.network.models import KIND_GROUP, InstitutionKind, KindGroup

from . import selectors
from .models import Campaign, Form, Level, Response

HIGH, MID = 70, 40
CACHE_SECONDS = 60 * 60
SORTS = ["name", "index", *selectors.DIMENSION_FIELDS, "bandwidth", "status"]
NUMERIC = {"index", *selectors.DIMENSION_FIELDS, "bandwidth"}
CAN_HOST = gettext_lazy("can host remote lessons")
CAN_JOIN = gettext_lazy("can take part remotely")
CANNOT = gettext_lazy("not ready for remote forms")
NO_DATA = gettext_lazy("no answers yet")


@dataclass
class Filters:
    group: str = ""
    status: str = ""
    form: str = ""
    level: str = ""
    q: str = ""
    sort: str = "name"
    desc: bool = False

    @classmethod
    def parse(cls, data: Any) -> Filters:
        """From a query string (or the API's filter schema); anything unknown is ignored."""
        get = data.get
        sort = get("sort") or "name"
        return cls(
            group=get("group") if get("group") in KindGroup.values else "",
            status=get("status") if get("status") in Response.Status.values else "",
            form=get("form") if get("form") in Form.values else "",
            level=get("level") if get("level") in Level.values else "",
            q=str(get("q") or "").strip()[:100],
            sort=sort if sort in SORTS else "name",
            desc=str(get("order") or "") == "desc",
        )

    @property
    def active(self) -> bool:
        return bool(self.group or self.status or (self.form and self.level) or self.q)


def readiness_of(row: dict[str, Any], labels: Labels | None = None) -> tuple[str, str]:
    """The map's colour of an institution: (key, label)."""
    labels = labels or Labels.now()
    if row["index"] is None:
        key = "none"
    elif row["can_host"]:
        key = "host"
    elif row["can_join"]:
        key = "join"
    else:
        key = "not"
    return key, labels.readiness[key]


@dataclass
class Labels:
    """Every label a row needs, translated once per page (not once per row and column)."""

    kinds: dict[str, str]
    statuses: dict[str, str]
    levels: dict[str, str]
    readiness: dict[str, str]
    response_url: str

    @classmethod
    def now(cls) -> Labels:
        return cls(
            kinds={k: str(label) for k, label in InstitutionKind.choices},
            statuses={k: str(label) for k, label in Response.Status.choices},
            levels={k: str(label) for k, label in Level.choices},
            readiness={
                "none": str(NO_DATA),
                "host": str(CAN_HOST),
                "join": str(CAN_JOIN),
                "not": str(CANNOT),
            },
            response_url=reverse("readiness:response", args=[PLACEHOLDER]),
        )


PLACEHOLDER = 987654321


def _decorate(row: dict[str, Any], labels: Labels) -> dict[str, Any]:
    kind = row["institution__kind"]
    row["name"] = row["institution__short_name"]
    row["slug"] = row["institution__slug"]
    row["kind_label"] = labels.kinds.get(kind, "")
    row["group"] = str(KIND_GROUP.get(kind, ""))
    row["status_label"] = labels.statuses[row["status"]]
    row["readiness"], row["readiness_label"] = readiness_of(row, labels)
    row["bandwidth"] = row["bandwidth_mbps"]
    row["url"] = labels.response_url.replace(str(PLACEHOLDER), str(row["pk"]))
    for form in selectors.FORM_FIELDS:
        row[f"{form}_label"] = labels.levels.get(row[form], "")
    row["index_class"] = score_class(row["index"])
    row["dims"] = [
        {"value": row[d], "cls": score_class(row[d])} for d in selectors.DIMENSION_FIELDS
    ]
    row["levels"] = [(row[f], row[f"{f}_label"]) for f in selectors.FORM_FIELDS]
    return row


def score_class(value: float | None) -> str:
    """How a score is coloured: 70 and above good, 40–69 middling, below 40 poor."""
    if value is None:
        return "none"
    return "high" if value >= HIGH else "mid" if value >= MID else "low"


def _matches(row: dict[str, Any], f: Filters) -> bool:
    if f.group and row["group"] != f.group:
        return False
    if f.status and row["status"] != f.status:
        return False
    if f.form and f.level and row[f.form] != f.level:
        return False
    return not (f.q and f.q.casefold() not in row["name"].casefold())


def _sorted(rows: list[dict[str, Any]], f: Filters) -> list[dict[str, Any]]:
    if f.sort in NUMERIC:
        present = [r for r in rows if r[f.sort] is not None]
        missing = [r for r in rows if r[f.sort] is None]
        present.sort(key=lambda r: (r[f.sort], r["name"]), reverse=f.desc)
        return present + missing  # no data: always last
    key = (lambda r: (r["status"], r["name"])) if f.sort == "status" else (lambda r: r["name"])
    return sorted(rows, key=key, reverse=f.desc)


@dataclass
class Dashboard:
    campaign: Campaign
    filters: Filters
    rows: list[dict[str, Any]]
    all_rows: list[dict[str, Any]]
    progress: dict[str, int]
    averages: dict[str, float | None]
    previous: dict[str, Any] | None
    levels: dict[str, dict[str, int]]
    competence: selectors.Distribution
    trend: list[dict[str, Any]]
    not_submitted: list[dict[str, Any]] = field(default_factory=list)


def rows(campaign: Campaign, filters: Filters) -> list[dict[str, Any]]:
    """The institutions of the campaign, filtered and sorted."""
    return build(campaign, filters).rows


def memo(campaign: Campaign, part: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per campaign revision and language (``revision.py``): the dashboard's
    data and drawings change only when a write gives the campaign a new revision."""
    key = f"readiness:{part}:{campaign.pk}:{campaign.revision}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


def data(campaign: Campaign) -> dict[str, Any]:
    """The dashboard's data, cached per campaign revision."""
    return memo(campaign, "board", lambda: _data(campaign))


def _data(campaign: Campaign) -> dict[str, Any]:
    labels = Labels.now()
    all_rows = [_decorate(r, labels) for r in selectors.campaign_rows(campaign.pk)]
    trend = selectors.trend(campaign.municipality_id)
    earlier = [t for t in trend if t["starts_on"] < campaign.starts_on]
    return {
        "all_rows": all_rows,
        "progress": selectors.progress(all_rows),
        "averages": selectors.averages(all_rows),
        "previous": earlier[-1] if earlier else None,
        "levels": selectors.form_levels(all_rows),
        "competence": selectors.competence(campaign),
        "trend": trend,
        "not_submitted": [r for r in all_rows if r["status"] != Response.Status.SUBMITTED],
    }


def build(
    campaign: Campaign, filters: Filters | None = None, *, cached: dict[str, Any] | None = None
) -> Dashboard:
    filters = filters or Filters()
    found = cached if cached is not None else data(campaign)
    rows = _sorted([r for r in found["all_rows"] if _matches(r, filters)], filters)
    return Dashboard(campaign=campaign, filters=filters, rows=rows, **found)


def dimension_labels() -> list[tuple[str, str]]:
    from .models import Dimension

    return [(d.value, str(d.label)) for d in Dimension]


def skill_labels() -> list[tuple[str, str]]:
    from .models import Skill

    return [(s.value, str(s.label)) for s in Skill]


def level_labels() -> list[tuple[str, str]]:
    return [(lv.value, str(lv.label)) for lv in Level]


def form_labels() -> list[tuple[str, str]]:
    return [(f.value, str(f.label)) for f in Form]
