"""Shared base models and the audit log ("nothing is lost": who, when, old -> new)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change of one object. Written by services inside the same transaction as the
    change itself, so a change without its record (or the reverse) cannot exist."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.BigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    municipality_id = models.BigIntegerField(null=True, blank=True)
    institution_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class Change(models.Model):
    """One write to a table of a domain (an app): appended by a database trigger on every
    INSERT, UPDATE and DELETE of the tables of ``core.changes.DOMAINS`` (installed after
    ``migrate``), whoever writes them — the ORM, ``.update()``, ``bulk_create`` or SQL. A
    domain's stamp is its highest id with the sum of its weights (``core.changes.stamps``):
    what was shown under another stamp may be stale (``core.pagecache``). Rows are only
    appended, so writers never wait for each other here; ``core.changes.prune`` folds the rows
    of each domain into its last one (which then weighs as much as they did)."""

    domain = models.CharField(max_length=32)
    weight = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        indexes = [models.Index(fields=["domain", "id"], name="core_change_domain_idx")]

    def __str__(self) -> str:
        return f"{self.domain} #{self.pk}"
