"""The resource centres' API: ``resources`` (the catalogue and calendars) and ``bookings``."""
