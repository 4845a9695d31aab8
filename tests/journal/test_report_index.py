"""The school report (a long page) opens with its contents: a link to each section, and each
link's target is on the page."""

from __future__ import annotations

import re

from .test_reports import _empty_cache, _school_url, rd  # noqa: F401 (the reports' world)


def test_school_report_has_an_index_of_its_sections(client_for, world, rd):
    html = client_for("director").get(_school_url(world), HTTP_ACCEPT_LANGUAGE="ru").content
    html = html.decode()

    index = html[html.index('<nav class="report-index"') :]
    index = index[: index.index("</nav>")]
    targets = re.findall(r'href="#([\w-]+)"', index)
    assert targets == [
        "report-charts",
        "report-classes",
        "report-subjects",
        "report-matrix",
        "report-definitions",
    ]
    for target in targets:
        assert f'id="{target}"' in html
    assert "Содержание" in index
