"""/api/v1/docs: ninja's vendored Swagger UI, served from our own static files, working under
the strict CSP of the site (no CDN, no inline script or style)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SETKA_CHROMIUM", "/usr/bin/chromium")


def test_docs_page_uses_only_own_static_files(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(s.startswith("/static/") for s in sources), sources
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))", html)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_docs_static_files_exist(client, db):
    html = client.get("/api/v1/docs").content.decode()

    for source in re.findall(r'src="(/static/[^"]+)"', html):
        response = client.get(source)
        if response.streaming:  # read the file, so that it gets closed
            b"".join(response.streaming_content)
        assert response.status_code == 200, source


@pytest.mark.browser
def test_docs_work_in_browser_without_csp_violations(live_server, world, monkeypatch):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        console: list[str] = []
        foreign: list[str] = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: console.append(str(exc)))
        page.on(
            "request",
            lambda r: None if r.url.startswith(live_server.url) else foreign.append(r.url),
        )

        page.goto(live_server.url + "/api/v1/docs")
        page.locator(".opblock-summary-get", has_text="/api/v1/institutions").first.click()
        page.get_by_role("button", name="Try it out").click()
        page.get_by_role("button", name="Execute").click()
        cell = page.locator(".live-responses-table tbody .response-col_status").first
        cell.wait_for()
        status = cell.inner_text()
        browser.close()

    assert status.strip() == "200"
    assert console == []
    assert foreign == []
