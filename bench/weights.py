"""Page weights over the wire (issue 8, "Light on slow links"). Writes the `## Page weights`
section of docs/benchmarks.md.

    .venv/bin/python bench/weights.py [--reuse | --rebuild] [--database-url postgres://…]

The data: the demo municipality (`python -m setka demo`, ~20 institutions, ~3,000 students,
the journal of school №3 up to today) in its own PostgreSQL database (default
postgres://root@127.0.0.1:5432/setka_bench_weights), built when missing (or with --rebuild).
The static files are collected as in production (`CompressedManifestStaticFilesStorage`:
hashed names, gzip and brotli copies) and served by whitenoise, DEBUG off.

For each role's main pages (the teacher's grid and lesson, the student's and the parent's
diary, the director's school report, the home of each) the script, in process with Django's
test client signed in as the demo login:

- gets the page with `Accept-Encoding: gzip` (Setka's GZipMiddleware) and counts the bytes of
  the body as sent;
- gets every stylesheet, script and icon the page links with `Accept-Encoding: gzip, br`
  (what browsers send) and counts the bytes whitenoise sends, with their `Cache-Control`;
- the first visit is the page and all of its files; a repeat visit is the page and the files
  a browser may not keep (none, when each has a far-future `immutable` lifetime).

Exit status 1 when a repeat visit of a page weighs 50 KB or more (the doc is written anyway).
Sessions made by the run are deleted at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import platform
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import bench.* as a package

import psycopg  # noqa: E402
from bench.demo_build import (  # noqa: E402
    machine,
    postgres_version,
    recreate_database,
    server_url,
    setka,
    write_section,
)

DEFAULT_URL = "postgres://root@127.0.0.1:5432/setka_bench_weights"
SECTION = "## Page weights"
MARKER = "setka bench weights: demo"
STATIC_ROOT = ROOT / "var" / "bench-static-weights"
LIMIT = 50 * 1024  # a repeat visit of a main page, over the wire
ASSET = re.compile(
    r'<(?:link[^>]+rel="(?:stylesheet|icon)"[^>]+href|script[^>]+src)="(/static/[^"]+)"'
)


@dataclass
class Asset:
    url: str
    sent: int
    encoding: str
    cache_control: str

    @property
    def kept(self) -> bool:
        """A browser keeps it between visits without asking again."""
        return "immutable" in self.cache_control or _max_age(self.cache_control) >= 86400


@dataclass
class Page:
    role: str
    name: str
    path: str
    status: int
    html: int  # bytes uncompressed
    html_sent: int  # bytes as sent (gzip)
    assets: list[Asset] = field(default_factory=list)

    @property
    def first_visit(self) -> int:
        return self.html_sent + sum(a.sent for a in self.assets)

    @property
    def repeat_visit(self) -> int:
        return self.html_sent + sum(a.sent for a in self.assets if not a.kept)


def _max_age(cache_control: str) -> int:
    found = re.search(r"max-age=(\d+)", cache_control)
    return int(found.group(1)) if found else 0


# --- the data ---------------------------------------------------------------------------------


def database_ready(url: str) -> bool:
    admin, name = server_url(url)
    with psycopg.connect(admin) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    return bool(row and row[0] == MARKER)


def build_database(url: str) -> None:
    print(f"building {url.rsplit('/', 1)[-1]}: `setka demo` …", flush=True)
    recreate_database(url)
    setka(["migrate", "--no-input", "-v", "0"], url)
    setka(["demo", "--no-progress"], url)
    admin, name = server_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE {name} IS '{MARKER}'")


def collect_static(url: str) -> None:
    os.environ["STATIC_ROOT"] = str(STATIC_ROOT)
    setka(["collectstatic", "--no-input", "--clear", "-v", "0"], url)


# --- the measures -----------------------------------------------------------------------------


def _django(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "STATIC_ROOT": str(STATIC_ROOT),
            "DJANGO_SETTINGS_MODULE": "setka.config.settings",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "DEBUG": "0",
        }
    )
    os.environ.setdefault("SECRET_KEY", "bench-weights-" + "x" * 40)
    os.environ.pop("SETKA_TESTING", None)
    import django

    django.setup()


def _pages() -> list[tuple[str, str, str]]:
    """(role, page, address) of each role's main pages in the demo."""
    from django.urls import reverse

    from setka.journal.models import Lesson, TeachingAssignment
    from setka.network.models import Membership, Person

    teacher = Person.objects.get(user__username="teacher")
    assignment = (
        TeachingAssignment.objects.filter(teacher=teacher)
        .select_related("group")
        .order_by("group__grade", "group__name")
        .first()
    )
    assert assignment is not None, "the demo teacher teaches nothing"
    from setka.core.clock import today

    lesson = (
        Lesson.objects.filter(group=assignment.group, subject=assignment.subject, date__lte=today())
        .order_by("-date", "-number")
        .first()
    )
    director = Person.objects.get(user__username="director")
    school = (
        Membership.objects.filter(person=director, role=Membership.Role.INSTITUTION_ADMIN)
        .select_related("institution")
        .first()
    )
    assert school is not None, "the demo director administers nothing"
    grid = reverse("journal:grid", args=[assignment.group_id, assignment.subject_id])
    report = reverse("journal:report_school", args=[school.institution.slug])
    pages = [
        ("teacher", "home", reverse("home")),
        ("teacher", "journal grid", grid),
        ("student", "home", reverse("home")),
        ("student", "diary (week)", reverse("journal:diary")),
        ("parent", "home", reverse("home")),
        ("parent", "diary (week)", reverse("journal:diary")),
        ("director", "home", reverse("home")),
        ("director", "school report", report),
        ("metodist", "home", reverse("home")),
        ("metodist", "municipal report", reverse("journal:report_municipality")),
    ]  # fmt: skip
    if lesson is not None:
        pages.insert(2, ("teacher", "lesson", reverse("journal:lesson", args=[lesson.pk])))
    return pages


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def measure() -> list[Page]:
    from django.contrib.sessions.models import Session
    from django.test import Client

    from setka.accounts.models import User

    results: list[Page] = []
    clients: dict[str, Client] = {}
    assets: dict[str, Asset] = {}
    try:
        for role, name, path in _pages():
            if role not in clients:
                clients[role] = Client()
                clients[role].force_login(User.objects.get(username=role))
            client = clients[role]
            response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
            sent = _body(response)
            html = gzip.decompress(sent) if response.get("Content-Encoding") == "gzip" else sent
            page = Page(role, name, path, response.status_code, len(html), len(sent))
            for url in dict.fromkeys(ASSET.findall(html.decode())):
                if url not in assets:
                    got = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
                    assets[url] = Asset(
                        url,
                        len(_body(got)),
                        got.get("Content-Encoding", ""),
                        got.get("Cache-Control", ""),
                    )
                page.assets.append(assets[url])
            results.append(page)
            print(
                f"{role:9} {name:18} {response.status_code} html {len(html) / 1024:6.1f} KB "
                f"→ {len(sent) / 1024:5.1f} KB; first visit {page.first_visit / 1024:6.1f} KB, "
                f"repeat {page.repeat_visit / 1024:5.1f} KB",
                flush=True,
            )
    finally:
        keys = [c.session.session_key for c in clients.values() if c.session.session_key]
        Session.objects.filter(session_key__in=keys).delete()
    return results


# --- the doc ----------------------------------------------------------------------------------


def _unhashed(url: str) -> str:
    """``setka.3f2a….css`` → ``setka.….css``: the hash changes with every edit."""
    return re.sub(r"\.[0-9a-f]{12}\.", ".….", url)


def render(pages: list[Page], pg: str) -> str:
    kb = lambda n: f"{n / 1024:.1f}"  # noqa: E731
    lines = [
        SECTION,
        "",
        f"`bench/weights.py`, {dt.date.today():%Y-%m-%d}, {machine()}, Python "  # noqa: DTZ011
        f"{platform.python_version()}, PostgreSQL {pg}. The demo municipality (`setka demo`), "
        "DEBUG off, static files collected as in production and served by whitenoise. Each "
        "page is fetched signed in as the demo login with `Accept-Encoding: gzip`, each of "
        "its CSS, JS and icon files with `gzip, br`. A repeat visit loads the page and only "
        "the files a browser may not keep; the target is under 50 KB.",
        "",
        "| role | page | HTML | HTML sent (gzip) | CSS, JS, icons sent | first visit "
        "| repeat visit |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for p in pages:
        files = sum(a.sent for a in p.assets)
        mark = "" if p.repeat_visit < LIMIT and p.status == 200 else " **over**"
        status = "" if p.status == 200 else f" ({p.status})"
        lines.append(
            f"| {p.role} | {p.name}{status} | {kb(p.html)} KB | {kb(p.html_sent)} KB | "
            f"{kb(files)} KB ({len(p.assets)} files) | {kb(p.first_visit)} KB | "
            f"{kb(p.repeat_visit)} KB{mark} |"
        )
    seen: dict[str, Asset] = {}
    for p in pages:
        for a in p.assets:
            seen[a.url] = a
    lines += [
        "",
        "The files, as whitenoise sends them to a browser that accepts gzip and brotli (brotli "
        "copies are written only when the `Brotli` package is installed; without it, gzip):",
        "",
    ]
    lines += [
        f"- `{_unhashed(a.url)}`: {kb(a.sent)} KB{' ' + a.encoding if a.encoding else ''}, "
        f"`Cache-Control: {a.cache_control or '—'}`"
        for a in seen.values()
    ]
    worst = max(pages, key=lambda p: p.repeat_visit)
    lines += [
        "",
        f"The heaviest repeat visit: {worst.role}'s {worst.name}, {kb(worst.repeat_visit)} KB. "
        "Hashed static names are sent with a ten-year `immutable` lifetime, so a repeat visit "
        "costs "
        "the compressed HTML alone; the HTMX requests a page makes later (the bell once a "
        "minute, a saved cell) are a few hundred bytes each and not counted.",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_WEIGHTS_URL", DEFAULT_URL))
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--reuse", action="store_true", help="Never build the database.")
    mode.add_argument("--rebuild", action="store_true", help="Build the database afresh.")
    args, _rest = parser.parse_known_args()
    url = args.database_url
    if args.rebuild or not database_ready(url):
        if args.reuse:
            sys.exit(f"{url}: no demo database (run without --reuse to build it)")
        build_database(url)
    collect_static(url)
    _django(url)
    pages = measure()
    write_section(render(pages, postgres_version(url)), SECTION)
    bad = [p for p in pages if p.status != 200 or p.repeat_visit >= LIMIT]
    for p in bad:
        print(f"over the target: {p.role} {p.name} ({p.status}, {p.repeat_visit} bytes)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
