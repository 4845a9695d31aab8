"""The events module through the API (one router per resource)."""
