"""Pages of the readiness survey (``urls.py`` lists them)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def form_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form: on its field, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
