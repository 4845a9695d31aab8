"""Charts drawn on the server as inline SVG — no JavaScript library, no ``style=`` (the strict
CSP allows SVG presentation attributes such as ``fill``). This module computes the geometry;
the templates ``journal/reports/_bar_chart.html`` and ``_distribution_chart.html`` draw it.
Every chart carries a ``<title>`` and a ``<desc>`` with its numbers, and the page shows the same
numbers in a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format

# Colours with enough contrast against white (WCAG AA for large graphics).
SUCCESS = "#2e7d32"
QUALITY = "#1565c0"
MARK_FILLS = {"2": "#c62828", "3": "#ef6c00", "4": "#1565c0", "5": "#2e7d32"}

# The labels' column holds a school's short name whole («МБОУ ШР «Баклашинская СОШ»», 26
# characters); only a longer one is cut, and its full name is the label's tooltip.
LABEL_WIDTH = 250
PLOT_WIDTH = 400
BAR_HEIGHT = 16
ROW_GAP = 10
TOP = 34
MAX_LABEL = 34


def _fmt(value: Decimal | None, suffix: str = " %") -> str:
    if value is None:
        return "—"
    return number_format(value, 1) + suffix


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


@dataclass
class Bar:
    x: int
    y: int
    width: float
    height: int
    fill: str
    text: str
    text_x: float
    text_y: float


@dataclass
class Row:
    label: str
    full_label: str
    label_y: float
    bars: list[Bar]


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class LegendItem:
    label: str
    fill: str
    x: int
    text_x: int


@dataclass
class BarChart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    rows: list[Row]
    ticks: list[Tick]
    legend: list[LegendItem]
    plot_x: int = LABEL_WIDTH
    plot_top: int = TOP
    plot_bottom: int = 0
    legend_y: int = 14


def percent_bars(
    chart_id: str,
    title: str,
    items: list[tuple[str, Decimal | None, Decimal | None]],
    series: tuple[str, str],
) -> BarChart | None:
    """Horizontal bars of two shares (0–100 %) per item: (label, first, second)."""
    if not items:
        return None
    rows = []
    row_height = 2 * BAR_HEIGHT + ROW_GAP
    fills = (SUCCESS, QUALITY)
    for i, (label, *values) in enumerate(items):
        top = TOP + i * row_height
        bars = []
        for j, value in enumerate(values):
            y = top + j * BAR_HEIGHT
            width = float(value or 0) * PLOT_WIDTH / 100
            bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=y,
                    width=round(width, 1),
                    height=BAR_HEIGHT - 2,
                    fill=fills[j],
                    text=_fmt(value),
                    text_x=round(LABEL_WIDTH + width + 4, 1),
                    text_y=y + BAR_HEIGHT - 4,
                )
            )
        rows.append(Row(_short(label), label, top + BAR_HEIGHT + 5, bars))
    bottom = TOP + len(items) * row_height
    ticks = [Tick(LABEL_WIDTH + p * PLOT_WIDTH / 100, f"{p} %") for p in (0, 25, 50, 75, 100)]
    legend = [
        LegendItem(series[0], fills[0], LABEL_WIDTH, LABEL_WIDTH + 16),
        LegendItem(series[1], fills[1], LABEL_WIDTH + 200, LABEL_WIDTH + 216),
    ]
    desc = "; ".join(
        f"{label}: {series[0]} {_fmt(a)}, {series[1]} {_fmt(b)}" for label, a, b in items
    )
    return BarChart(
        id=chart_id,
        title=title,
        desc=desc,
        width=LABEL_WIDTH + PLOT_WIDTH + 70,
        height=bottom + 24,
        rows=rows,
        ticks=ticks,
        legend=legend,
        plot_bottom=bottom,
    )


@dataclass
class Column:
    label: str
    count: int
    share: str
    x: float
    y: float
    width: float
    height: float
    fill: str
    label_x: float
    text_y: float


@dataclass
class DistributionChart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    base_y: int
    columns: list[Column] = field(default_factory=list)


def distribution(
    chart_id: str, title: str, counts: list[tuple[str, int]]
) -> DistributionChart | None:
    """Vertical bars of how many results were 2, 3, 4 and 5."""
    total = sum(c for _, c in counts)
    if not total:
        return None
    top, plot_height, col_width, gap, left = 28, 160, 72, 28, 20
    biggest = max(c for _, c in counts)
    columns = []
    for i, (label, count) in enumerate(counts):
        height = count * plot_height / biggest
        x = left + i * (col_width + gap)
        share = _fmt(Decimal(count * 100) / total)
        columns.append(
            Column(
                label=label,
                count=count,
                share=share,
                x=x,
                y=round(top + plot_height - height, 1),
                width=col_width,
                height=round(height, 1),
                fill=MARK_FILLS.get(label, QUALITY),
                label_x=x + col_width / 2,
                text_y=round(top + plot_height - height - 6, 1),
            )
        )
    desc = "; ".join(f"«{c.label}»: {c.count} ({c.share})" for c in columns)
    return DistributionChart(
        id=chart_id,
        title=title,
        desc=desc,
        width=left * 2 + len(counts) * (col_width + gap) - gap,
        height=top + plot_height + 24,
        base_y=top + plot_height,
        columns=columns,
    )
