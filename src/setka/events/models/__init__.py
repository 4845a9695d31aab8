from .event import JOIN_EARLY, Event, Kind, Provider, Series, Status
from .participation import (
    MAX_SCORE,
    Certificate,
    Criterion,
    FeedToken,
    Mode,
    Protocol,
    Registration,
    Score,
)

__all__ = [
    "JOIN_EARLY",
    "MAX_SCORE",
    "Certificate",
    "Criterion",
    "Event",
    "FeedToken",
    "Kind",
    "Mode",
    "Protocol",
    "Provider",
    "Registration",
    "Score",
    "Series",
    "Status",
]
