"""The director opens the school report (charts and tables), opens a class from it, and
downloads the report as XLSX."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from setka.journal import reports

from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 - the journal fixture, reused here
from ..journal.test_reports import ON, _empty_cache, build_report_data  # noqa: F401
from .conftest import assert_accessible, sign_in


@pytest.fixture
def report_data(world, jw, monkeypatch):
    monkeypatch.setattr(reports, "today", lambda: ON)
    return build_report_data(world, jw)


def test_director_opens_school_report_and_downloads_xlsx(page, live_server, world, report_data):
    sign_in(page, live_server, "director", PASSWORD)

    page.goto(f"{live_server.url}/journal/reports/school/{world.school.slug}/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Школа № 3")
    classes = page.locator("table").first
    expect(classes.get_by_role("rowheader", name="7Б")).to_be_visible()
    expect(page.get_by_role("img").first).to_be_visible()  # the SVG chart
    assert_accessible(page, context="#main")
    with page.expect_download() as download_info:
        page.locator("a[href*='report.xlsx']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(download.path().read_bytes()))
    names = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert "7Б" in names
    assert "8А" in names

    page.get_by_role("link", name="7Б").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("7Б")
    expect(page.get_by_role("rowheader", name="Ученикова Дарья")).to_be_visible()
