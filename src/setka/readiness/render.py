"""The heavy parts of the survey's pages rendered with Jinja2 (the charts' SVG, the rows of the
dashboard's tables): for 50 institutions the Django templates cost several times more (see
docs/benchmarks.md, Readiness). Each returns safe HTML for a Django template."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import get_template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe


def formatters() -> tuple[Callable[[Any], str], Callable[[Any], str]]:
    """Scores to one decimal and speeds, with the language's decimal separator (asked once:
    Django's number_format asks it for every number)."""
    sep = str(get_format("DECIMAL_SEPARATOR"))

    def fmt(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}".replace(".", sep)

    def mbps(value: float | None) -> str:
        if value is None:
            return "—"
        text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
        return text.replace(".", sep)

    return fmt, mbps


def _render(name: str, context: dict[str, Any]) -> SafeString:
    fmt, mbps = formatters()
    html = get_template(name, using="jinja2").render({**context, "fmt": fmt, "mbps": mbps})
    return mark_safe(html)  # rendered by Jinja2 with autoescaping


def chart(chart: Any) -> SafeString:
    return (
        _render("readiness/svg.html", {"chart": chart, "kind": "chart"}) if chart else mark_safe("")
    )


def scatter(chart: Any) -> SafeString:
    return (
        _render("readiness/svg.html", {"chart": chart, "kind": "map"}) if chart else mark_safe("")
    )


def charts(found: dict[str, Any]) -> dict[str, SafeString]:
    return {name: scatter(c) if name == "map" else chart(c) for name, c in found.items()}


def board_rows(rows: list[dict[str, Any]]) -> SafeString:
    institution_url = reverse("readiness:institution", args=["SLUG"])
    return _render("readiness/board_rows.html", {"rows": rows, "institution_url": institution_url})


def map_rows(rows: list[dict[str, Any]]) -> SafeString:
    return _render("readiness/map_rows.html", {"rows": rows})
