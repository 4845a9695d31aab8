"""Settings of the benchmark server (``bench/journal.py``): Setka's own settings with one more
URL, the floor view of ``bench/floor.py``. Everything else — the database, Redis, DEBUG off —
comes from the environment, as in production."""

from setka.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
