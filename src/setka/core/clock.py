"""The one clock: every "now" and "today" of Setka's code comes from here.

Tests freeze it (``time-machine`` in ``tests/conftest.py``) and build their school years
relative to it, so the suite holds on any date. Code never calls ``timezone.now()``,
``timezone.localdate()``, ``date.today()`` or ``datetime.now()`` itself; the database's own
clock (``CURRENT_DATE``, ``now()``) is never asked either: pass ``today()`` as a parameter.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current moment, aware (UTC)."""
    return timezone.now()


def localnow() -> dt.datetime:
    """The current moment in the active time zone (the municipality's)."""
    return timezone.localtime(now())


def today() -> dt.date:
    """Today's date in the active time zone."""
    return localnow().date()
