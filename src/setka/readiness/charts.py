"""The dashboard's charts, drawn on the server as inline SVG (no JavaScript library, no
``style=``: the strict CSP allows SVG presentation attributes). This module computes the
geometry; ``jinja2/readiness/svg.html`` draws it (``render.py``). Every chart has a
``<title>`` and a ``<desc>`` with its numbers, and the page shows the same numbers in a
table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.formats import number_format

READY, PARTLY, NOT_READY, NO_DATA = "#2e7d32", "#ef6c00", "#c62828", "#8a96a3"
LEVEL_FILLS = ["#c62828", "#ef6c00", "#1565c0", "#2e7d32"]  # skill levels 0..3
SERIES = ["#1565c0", "#8a96a3", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f"]
LABEL_WIDTH, PLOT_WIDTH, BAR, GAP, TOP = 170, 380, 18, 10, 30
MAX_LABEL = 22


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def fmt(value: float | None) -> str:
    return "—" if value is None else number_format(round(value, 1), 1)


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str = ""
    text: str = ""
    text_x: float = 0
    text_y: float = 0
    inside: bool = False


@dataclass
class Label:
    x: float
    y: float
    text: str
    full: str = ""
    anchor: str = "end"


@dataclass
class Legend:
    label: str
    fill: str
    x: float
    y: float

    @property
    def text_x(self) -> float:
        return self.x + 16

    @property
    def text_y(self) -> float:
        return self.y + 10

    @property
    def cx(self) -> float:
        return self.x + 6

    @property
    def cy(self) -> float:
        return self.y + 6


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: float
    height: float
    rects: list[Rect] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    legend: list[Legend] = field(default_factory=list)
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)
    paths: list[tuple[str, str]] = field(default_factory=list)  # (points, stroke)
    dots: list[Rect] = field(default_factory=list)  # x, y as centre; width as radius


def _legend(items: Sequence[tuple[str, str]], y: float = 6) -> list[Legend]:
    out, x = [], float(LABEL_WIDTH)
    for label, fill in items:
        out.append(Legend(label, fill, x, y))
        x += 26 + 7.5 * len(label)
    return out


def stacked(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[tuple[str, int, str]]]],
) -> Chart | None:
    """A 100 % horizontal bar per row, split in segments (label, count, fill)."""
    if not rows or not any(c for _label, segments in rows for _s, c, _f in segments):
        return None
    chart = Chart(chart_id, title, "", LABEL_WIDTH + PLOT_WIDTH + 20, 0)
    descs = []
    for i, (label, segments) in enumerate(rows):
        y = TOP + i * (BAR + GAP)
        total = sum(c for _s, c, _f in segments)
        chart.labels.append(Label(LABEL_WIDTH - 6, y + BAR - 5, _short(label), label))
        x = float(LABEL_WIDTH)
        parts = []
        for name, count, fill in segments:
            width = PLOT_WIDTH * count / total if total else 0
            if width:
                share = f"{round(100 * count / total)} %"
                chart.rects.append(Rect(round(x, 1), y, round(width, 1), BAR, fill,
                                        f"{label}: {name} — {count} ({share})",
                                        share if width >= 34 else "", round(x + width / 2, 1),
                                        y + BAR - 5, inside=True))  # fmt: skip
            x += width
            parts.append(f"{name} {count}")
        descs.append(f"{label}: {', '.join(parts)}")
    chart.legend = _legend([(name, fill) for name, _c, fill in rows[0][1]])
    chart.height = TOP + len(rows) * (BAR + GAP) + 4
    chart.desc = "; ".join(descs)
    return chart


def bars(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[float | None]]],
    series: Sequence[tuple[str, str]],
) -> Chart | None:
    """Horizontal bars on a 0–100 scale, one per series in each row."""
    if not rows:
        return None
    chart = Chart(chart_id, title, "", LABEL_WIDTH + PLOT_WIDTH + 60, 0)
    n = len(series)
    row_height = n * BAR + GAP
    descs = []
    for i, (label, values) in enumerate(rows):
        top = TOP + i * row_height
        chart.labels.append(Label(LABEL_WIDTH - 6, top + n * BAR / 2 + 4, _short(label), label))
        texts = []
        for j, (name, fill) in enumerate(series):
            value = values[j] if j < len(values) else None
            width = PLOT_WIDTH * (value or 0) / 100
            y = top + j * BAR
            chart.rects.append(Rect(LABEL_WIDTH, y, round(width, 1), BAR - 3, fill,
                                    f"{label}, {name}: {fmt(value)}", fmt(value),
                                    round(LABEL_WIDTH + width + 4, 1), y + BAR - 6))  # fmt: skip
            texts.append(f"{name} {fmt(value)}")
        descs.append(f"{label}: {', '.join(texts)}")
    bottom = TOP + len(rows) * row_height
    for p in (0, 50, 100):
        x = LABEL_WIDTH + p * PLOT_WIDTH / 100
        chart.lines.append((x, TOP - 4, x, bottom))
        chart.labels.append(Label(x, bottom + 14, str(p), anchor="middle"))
    chart.legend = _legend(series) if n > 1 else []
    chart.height = bottom + 22
    chart.desc = "; ".join(descs)
    return chart


def line(
    chart_id: str,
    title: str,
    columns: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
) -> Chart | None:
    """A line per series over the columns (campaigns), on a 0–100 scale."""
    if len(columns) < 1 or not series:
        return None
    left, width, top, height = 50, 460, 40, 180
    chart = Chart(chart_id, title, "", left + width + 40, top + height + 40)
    step = width / max(len(columns) - 1, 1)
    for p in (0, 25, 50, 75, 100):
        y = top + height - p * height / 100
        chart.lines.append((left, y, left + width, y))
        chart.labels.append(Label(left - 6, y + 4, str(p)))
    for i, column in enumerate(columns):
        x = left + i * step if len(columns) > 1 else left + width / 2
        chart.labels.append(Label(round(x, 1), top + height + 18, _short(column), column, "middle"))
    descs = []
    for k, (name, values) in enumerate(series):
        stroke = SERIES[k % len(SERIES)]
        points = []
        for i, value in enumerate(values):
            if value is None:
                continue
            x = left + i * step if len(columns) > 1 else left + width / 2
            y = top + height - value * height / 100
            points.append(f"{round(x, 1)},{round(y, 1)}")
            chart.dots.append(Rect(round(x, 1), round(y, 1), 4 if k == 0 else 3, 0, stroke,
                                   f"{name}, {columns[i]}: {fmt(value)}"))  # fmt: skip
        if len(points) > 1:
            chart.paths.append((" ".join(points), stroke))
        descs.append(f"{name}: " + ", ".join(
            f"{c} {fmt(v)}" for c, v in zip(columns, values, strict=False)))  # fmt: skip
    chart.legend = [Legend(name, SERIES[k % len(SERIES)], left + (k % 3) * 170, 6 + (k // 3) * 16)
                    for k, (name, _v) in enumerate(series)]  # fmt: skip
    chart.desc = "; ".join(descs)
    return chart


@dataclass
class MapPoint:
    name: str
    latitude: float
    longitude: float
    fill: str
    status: str
    url: str = ""
    x: float = 0
    y: float = 0


@dataclass
class MapChart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    points: list[MapPoint]
    legend: list[Legend]

    @property
    def plot_height(self) -> int:
        return self.height - 26


def scatter_map(
    chart_id: str, title: str, points: list[MapPoint], legend: Sequence[tuple[str, str]]
) -> MapChart | None:
    """Institutions placed by their coordinates (an equirectangular projection scaled by the
    cosine of the latitude, which is true enough for a municipality), no tiles."""
    placed = [p for p in points if p.latitude is not None and p.longitude is not None]
    if not placed:
        return None
    width, height, pad, top = 560, 360, 24, 30
    lats = [p.latitude for p in placed]
    lons = [p.longitude for p in placed]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * scale_x, 1e-4)
    span_y = max(max(lats) - min(lats), 1e-4)
    k = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    for p in placed:
        p.x = round(pad + (p.longitude - min(lons)) * scale_x * k, 1)
        p.y = round(top + pad + (max(lats) - p.latitude) * k, 1)
    desc = "; ".join(f"{p.name}: {p.status}" for p in placed)
    items = [Legend(label, fill, 10 + i * 150, 8) for i, (label, fill) in enumerate(legend)]
    return MapChart(chart_id, title, desc, width, height + top, placed, items)
