from .agreements import Agreement, AgreementPart, AgreementParty, AgreementScan, ProgrammeLevel
from .applications import Application
from .offers import (
    MAX_CAPACITY,
    Admission,
    Area,
    Offer,
    OfferKind,
    OfferSlot,
    StudyForm,
    Venue,
)

__all__ = [
    "MAX_CAPACITY",
    "Admission",
    "Agreement",
    "AgreementPart",
    "AgreementParty",
    "AgreementScan",
    "Application",
    "Area",
    "Offer",
    "OfferKind",
    "OfferSlot",
    "ProgrammeLevel",
    "StudyForm",
    "Venue",
]
