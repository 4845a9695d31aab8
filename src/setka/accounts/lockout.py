"""Sign-in failures are counted per account. Sign-in takes the login in any case or the
account's e-mail address (``backends.UsernameOrEmailBackend``); django-axes sees the account's
own login instead of what was typed (``AXES_USERNAME_CALLABLE``), so ``TEACHER``, ``teacher``
and ``teacher@example.org`` share one counter. A login that matches no account is counted in
lower case, so its spellings share one counter too."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model


def typed_login(request, credentials: dict | None) -> str:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials is not None:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field)
    return value if isinstance(value, str) else ""


def canonical_login(typed: str) -> str:
    """The login of the account that ``typed`` signs in to, or ``typed`` in lower case."""
    typed = typed.strip()
    if not typed:
        return ""
    lookup = {"email__iexact": typed} if "@" in typed else {"username__iexact": typed}
    found = list(get_user_model()._default_manager.filter(**lookup).values_list("username")[:2])
    if len(found) == 1:  # the backend signs in only to a single match
        return found[0][0]
    return typed.lower()


def axes_username(request, credentials: dict | None = None) -> str:
    return canonical_login(typed_login(request, credentials))
