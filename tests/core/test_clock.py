"""The one clock: code asks ``setka.core.clock`` for "now" and "today", and the tests freeze it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from setka.core import clock

from .. import clock as test_clock

SRC = Path(__file__).resolve().parents[2] / "src" / "setka"
# Asking the machine (or the database) for the time anywhere but core/clock.py.
DIRECT = re.compile(
    r"timezone\.now\(\)|timezone\.localdate\(\)|timezone\.localtime\(\)|date\.today\(\)"
    r"|datetime\.now\(|datetime\.utcnow\(|time\.time\(\)|CURRENT_DATE|CURRENT_TIMESTAMP"
    r"|\bnow\(\)\s*::|date\('now'\)"
)


def test_clock_is_frozen_on_the_suites_day():
    assert clock.today() == test_clock.TODAY
    assert clock.localnow().hour == test_clock.HOUR
    assert clock.now().tzinfo is not None


def test_clock_today_follows_the_municipal_time_zone(frozen_clock):
    # 20:30 UTC is already the next morning in Irkutsk (UTC+8).
    frozen_clock.move_to(dt.datetime.combine(test_clock.TODAY, dt.time(20, 30), tzinfo=dt.UTC))

    assert clock.today() == test_clock.TODAY + dt.timedelta(days=1)


def test_fixture_dates_keep_their_weekday():
    assert test_clock.d(2026, 11, 23).weekday() == 0
    assert test_clock.TODAY.weekday() == test_clock.REFERENCE.weekday()


def test_code_asks_the_one_clock():
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and path.name != "clock.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if DIRECT.search(line)
    ]

    assert offenders == []
