"""What the dashboards show is cached (``dashboard.memo``) under each campaign's ``revision``;
every write that changes it gives the municipality's campaigns a new revision, so no cache
entry is ever stale, in any process, whatever the cache backend (the trend of one campaign
shows the others)."""

from __future__ import annotations

from .models import Campaign
from .models.campaign import new_revision


def changed(municipality_id: int) -> None:
    Campaign.objects.filter(municipality_id=municipality_id).update(revision=new_revision())
