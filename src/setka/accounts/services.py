"""Writes for accounts: API tokens. Every function takes the acting user."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from setka.core.audit import audit_log

from .models import ApiToken, User, token_hash


@transaction.atomic
def token_create(
    *, actor: User, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a personal API token for ``actor``; returns the token and its one-time text."""
    secret = secrets.token_urlsafe(32)
    raw = f"{ApiToken.PREFIX}{secret}"
    expires_at = None
    if expires_in_days:
        expires_at = timezone.now() + dt.timedelta(days=expires_in_days)
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip(),
        key_prefix=raw[: len(ApiToken.PREFIX) + 6],
        key_hash=token_hash(raw),
        expires_at=expires_at,
    )
    audit_log("accounts.token.create", actor=actor, obj=token, changes={"name": token.name})
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log("accounts.token.revoke", actor=actor, obj=token)
    return token


def token_authenticate(raw: str) -> User | None:
    """The user a raw token belongs to, if the token is valid; marks it used."""
    if not raw or not raw.startswith(ApiToken.PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.active().select_related("user").filter(key_hash=token_hash(raw)).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
