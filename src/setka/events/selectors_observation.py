"""The aggregated result of an open lesson's observation protocols."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from .models import MAX_SCORE, Criterion, Event, Protocol, Score


def summary(event: Event, *, with_protocols: bool) -> dict:
    """Per criterion: the average score, the number of observers and their comments; the
    total as a share of the maximum. Three queries, whatever the number of protocols."""
    criteria = list(Criterion.objects.filter(municipality_id=event.municipality_id))
    scores = list(
        Score.objects.filter(protocol__event=event)
        .select_related("protocol__observer")
        .order_by("protocol_id", "criterion_id")
    )
    protocols = list(Protocol.objects.filter(event=event).select_related("observer"))
    by_criterion: dict[int, list[Score]] = defaultdict(list)
    for score in scores:
        by_criterion[score.criterion_id].append(score)
    rows = []
    total = possible = 0
    for criterion in criteria:
        found = by_criterion.get(criterion.pk, [])
        if not found and not criterion.is_active:
            continue
        values = [s.value for s in found]
        total += sum(values)
        possible += MAX_SCORE * len(values)
        rows.append({
            "criterion": criterion,
            "average": (
                (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None
            ),
            "count": len(values),
            "comments": [s.comment for s in found if s.comment],
        })  # fmt: skip
    by_protocol: dict[int, dict[int, Score]] = defaultdict(dict)
    for score in scores:
        by_protocol[score.protocol_id][score.criterion_id] = score
    return {
        "rows": rows,
        "observers": len(protocols),
        "percent": round(100 * total / possible) if possible else None,
        "general_comments": [p.comment for p in protocols if p.comment],
        "protocols": [
            {"protocol": p, "scores": [by_protocol[p.pk].get(r["criterion"].pk) for r in rows]}
            for p in protocols
        ]
        if with_protocols
        else [],
    }
