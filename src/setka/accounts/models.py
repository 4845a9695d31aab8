"""Sign-in accounts and personal API tokens. Who a user *is* (name, roles) lives in
``network.Person`` and its memberships; an account is only the key to sign in with."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from setka.core import clock


class User(AbstractUser):
    # «Сегодня» shows what is new "since the last visit": the moment the visit before this
    # one began (``setka.accounts.visits``). A visit lasts ``visits.GAP``, so reloading the page
    # does not hide what was new a minute ago.
    today_visit_at = models.DateTimeField(_("this visit of «Сегодня» began"), null=True, blank=True)
    today_since = models.DateTimeField(
        _("the last visit of «Сегодня» began"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def greeting_name(self) -> str:
        """How to address the user: by given name and patronymic («Андрей Викторович»)."""
        person = getattr(self, "person", None)
        if person is not None:
            return " ".join(p for p in (person.given_name, person.patronymic) if p)
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        person = getattr(self, "person", None)
        if person is not None:
            return person.short_name
        return self.get_full_name() or self.username


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        now = clock.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal token for the API (``Authorization: Bearer stk_…``). Only its SHA-256 is
    stored; the token itself is shown once, when it is created."""

    PREFIX = "stk_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("beginning"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > clock.now()
