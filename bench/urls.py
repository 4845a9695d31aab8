"""Setka's URLs plus the benchmark's floor view (``bench/floor.py``)."""

from django.urls import path

from setka.config.urls import handler400, handler403, handler404, handler500, urlpatterns

from . import floor

urlpatterns = [
    path(
        "bench/floor/<int:group_id>/<int:subject_id>/<int:period_id>/",
        floor.floor,
        name="bench_floor",
    ),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
