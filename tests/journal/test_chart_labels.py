"""The municipal chart's labels: a school's short name is shown whole, not cut to
«МБОУ ШР «Баклашин…»; only a much longer name is cut, with the full name kept."""

from __future__ import annotations

from decimal import Decimal

from setka.journal.exports import charts


def test_municipal_chart_shows_school_names_whole():
    name = "МБОУ ШР «Баклашинская СОШ»"
    long = "Муниципальное бюджетное общеобразовательное учреждение Шелеховского района"
    chart = charts.percent_bars(
        "chart-rates",
        "Успеваемость",
        [(name, Decimal(90), Decimal(50)), (long, Decimal(80), Decimal(40))],
        ("Успеваемость", "Качество"),
    )

    assert chart.rows[0].label == name
    assert chart.rows[1].label.endswith("…")
    assert chart.rows[1].full_label == long
    assert chart.plot_x >= 7 * len(name)  # ~7 px a character at 13 px
