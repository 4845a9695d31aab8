"""Setka's URLs plus the benchmark's floor view (``bench/floor.py``)."""

from django.urls import path

from setka.config.urls import handler400, handler403, handler404, handler500, urlpatterns

from . import events_floor, floor, programs_floor, readiness_floor, resources_floor

urlpatterns = [
    path(
        "bench/floor/<int:group_id>/<int:subject_id>/<int:period_id>/",
        floor.floor,
        name="bench_floor",
    ),
    path(
        "bench/resources/<int:resource_id>/month/<int:year>/<int:month>/",
        resources_floor.month_floor,
        name="bench_resources_month",
    ),
    path(
        "bench/resources/<int:resource_id>/feed.ics",
        resources_floor.feed_floor,
        name="bench_resources_feed",
    ),
    path("bench/events/month/<int:year>/<int:month>/", events_floor.month_floor),
    path("bench/events/list/", events_floor.list_floor),
    path("bench/events/<int:event_id>/", events_floor.event_floor),
    path("bench/events/feed.ics", events_floor.feed_floor),
    path("bench/events/personal/<int:person_id>.ics", events_floor.personal_floor),
    path("bench/readiness/dashboard/<int:campaign_id>/", readiness_floor.dashboard_floor),
    path("bench/readiness/api/<int:campaign_id>/", readiness_floor.dashboard_api_floor),
    path("bench/readiness/institution/<int:institution_id>/", readiness_floor.institution_floor),
    path("bench/programs/offers/", programs_floor.catalogue_floor),
    path("bench/programs/offers/<int:offer_id>/", programs_floor.offer_floor),
    path("bench/programs/map/<int:municipality_id>/<int:year>/", programs_floor.map_floor),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
