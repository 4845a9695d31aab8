"""Writes for accounts: API tokens. Every function takes the acting user."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction

from setka.core import clock, sqlrows
from setka.core.audit import audit_log, audit_log_many

from . import sql
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
        expires_at = clock.now() + dt.timedelta(days=expires_in_days)
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
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_log("accounts.token.revoke", actor=actor, obj=token)
    return token


@transaction.atomic
def tokens_revoke_all(*, actor: User, user: User) -> int:
    """Revoke every API token of ``user`` in force (after a new password); how many."""
    tokens = list(ApiToken.objects.active().filter(user=user).select_for_update())
    if not tokens:
        return 0
    now = clock.now()
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now)
    reason = {"reason": "password"}
    audit_log_many("accounts.token.revoke", actor=actor, objects=[(t, reason) for t in tokens])
    return len(tokens)


def token_authenticate(raw: str) -> User | None:
    """The user a raw token belongs to, if the token is valid; marks it used. Every API call
    with a token runs it: one SQL query (``sql.TOKEN``)."""
    if not raw or not raw.startswith(ApiToken.PREFIX) or len(raw) > 100:
        return None
    now = clock.now()
    found = sqlrows.rows(sql.TOKEN, {"hash": token_hash(raw), "now": now})
    if not found:
        return None
    token = sqlrows.instance(ApiToken, found[0][: sql.TOKEN_SIZE])
    user = sqlrows.instance(User, found[0][sql.TOKEN_SIZE :])
    if not user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user
