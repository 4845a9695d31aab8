"""Screenshots of each demo role's «Сегодня» (desktop 1366×900 and phone 390×844) for
``docs/screenshots/`` and the README.

    .venv/bin/python scripts/screenshots.py            # build a throw-away demo and shoot it
    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8000   # a running demo

Without ``--url`` the script builds the demo municipality into a throw-away SQLite database
(``--db``, default: a temporary directory; an existing one is reused), serves it with
``runserver`` on a free port, signs in as each demo login (password ``setka-demo``) with
Playwright driving Debian's Chromium (``SETKA_CHROMIUM``, default ``/usr/bin/chromium``),
and writes ``<role>-desktop.png`` and ``<role>-phone.png``: the first screen of the home page,
as a person sees it on opening Setka. The PNGs are reduced to a 128-colour palette (Pillow) so
each stays well under 150 KB."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "setka-demo"  # noqa: S105 - the demo logins' published password
ROLES = ["teacher", "student", "parent", "director", "admin", "metodist", "partner"]
SCREENS = {"desktop": (1366, 900), "phone": (390, 844)}
CHROMIUM = os.environ.get("SETKA_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DEBUG": "1",  # runserver serves the static files
        "SECRET_KEY": os.environ.get("SECRET_KEY", "screenshots-only-not-a-secret-0123456789"),
    }


def _serve(db: Path) -> tuple[subprocess.Popen, str]:
    env = _env(db)
    setka = [PYTHON, "-m", "setka"]
    subprocess.run([*setka, "migrate", "--no-input", "-v", "0"], env=env, check=True)  # noqa: S603
    subprocess.run([*setka, "demo", "--no-progress", "-v", "0"], env=env, check=True)  # noqa: S603
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [*setka, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310 - our own server
            return server, url
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the demo server did not start")


def _shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def shoot(url: str, out: Path, roles: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"]
        )
        for role in roles:
            for screen, (width, height) in SCREENS.items():
                context = browser.new_context(
                    locale="ru-RU",
                    viewport={"width": width, "height": height},
                    is_mobile=screen == "phone",
                    has_touch=screen == "phone",
                )
                page = context.new_page()
                page.goto(f"{url}/accounts/login/")
                page.get_by_label("Логин или e-mail").fill(role)
                page.get_by_label("Пароль").fill(PASSWORD)
                with page.expect_navigation():
                    page.locator("#main").get_by_role("button", name="Войти").click()
                page.goto(f"{url}/")
                path = out / f"{role}-{screen}.png"
                page.screenshot(path=str(path))
                _shrink(path)
                print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                      f"{path.stat().st_size // 1024} KB")  # fmt: skip
                context.close()
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Setka with the demo data")
    parser.add_argument("--db", type=Path, help="the throw-away SQLite database to build or reuse")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--roles", nargs="*", default=ROLES)
    args = parser.parse_args()
    if args.url:
        shoot(args.url.rstrip("/"), args.out, args.roles)
        return 0
    with tempfile.TemporaryDirectory(prefix="setka-screenshots-") as tmp:
        server, url = _serve(args.db or Path(tmp) / "demo.sqlite3")
        try:
            shoot(url, args.out, args.roles)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
