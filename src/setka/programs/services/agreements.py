"""Network agreements: the base institution's administrators draft one with its partners and
the parts of the programme; every party approves it (draft → agreed); the base puts it in
force (active) and ends it (ended), which ends the enrolments under it. Any change of a draft
asks every party to approve it again. Signed copies are attached by any party."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core.audit import audit_log, diff, snapshot
from setka.core.clock import now, today
from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import notify, rules
from ..models import Agreement, AgreementPart, AgreementParty, AgreementScan, Application
from .common import Conflict
from .enrolment import lock_offer, unenrol

FIELDS = [
    "number",
    "programme",
    "level",
    "place",
    "student_status",
    "credit_rules",
    "documents",
    "changes_rules",
    "termination_rules",
    "starts_on",
    "ends_on",
]
PART_FIELDS = ["title", "hours", "staff", "premises", "equipment"]
MAX_PARTNERS = 30
MAX_YEARS = 10
MAX_SCAN = 10 * 1024 * 1024
MAX_SCANS = 20
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def _require_base(actor, agreement: Agreement) -> None:
    if not rules.base_admin(actor, agreement):
        raise PermissionDenied(_("Only the administration of the base institution may do this."))


def _require_draft(agreement: Agreement) -> None:
    if agreement.status != Agreement.Status.DRAFT:
        raise Conflict(
            _("The agreement is %(status)s: only a draft can be changed.")
            % {"status": agreement.get_status_display()},
            agreement,
        )


def _check(agreement: Agreement) -> None:
    errors: dict[str, str] = {}
    if agreement.starts_on and agreement.ends_on:
        if agreement.ends_on < agreement.starts_on:
            errors["ends_on"] = _("The agreement ends before it begins.")
        elif (agreement.ends_on - agreement.starts_on).days > MAX_YEARS * 366:
            errors["ends_on"] = ngettext(
                "An agreement lasts at most %(n)s year.",
                "An agreement lasts at most %(n)s years.",
                MAX_YEARS,
            ) % {"n": MAX_YEARS}
    try:
        agreement.full_clean(
            exclude=["municipality", "institution", "created_by"], validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)


def _partners(base: Institution, partner_ids: Sequence[int]) -> list[int]:
    ids = sorted(set(partner_ids) - {base.pk})
    if not ids:
        raise ValidationError({"partners": _("Choose at least one partner.")})
    if len(ids) > MAX_PARTNERS:
        raise ValidationError(
            {
                "partners": ngettext(
                    "At most %(n)s partner.", "At most %(n)s partners.", MAX_PARTNERS
                )
                % {"n": MAX_PARTNERS}
            }
        )
    found = set(
        Institution.objects.active()
        .filter(pk__in=ids, municipality_id=base.municipality_id)
        .values_list("pk", flat=True)
    )
    if found != set(ids):
        raise ValidationError({"partners": _("Choose active institutions of the municipality.")})
    return ids


def _reset_approvals(agreement: Agreement, actor) -> None:
    approved = agreement.parties.filter(approved_at__isnull=False).update(
        approved_at=None, approved_by=None
    )
    if approved:
        notify.agreement_step(agreement, "changed", actor=actor)


@transaction.atomic
def agreement_create(
    *, actor, institution: Institution, data: dict[str, Any], partner_ids: Sequence[int]
) -> Agreement:
    """A draft agreement of ``institution`` (the base) with its partners."""
    if institution.pk not in user_roles(actor).admin_of:
        raise PermissionDenied(_("Only the administration of the base institution may do this."))
    agreement = Agreement(
        municipality_id=institution.municipality_id, institution=institution, created_by=actor
    )
    for name in FIELDS:
        if name in data:
            setattr(agreement, name, data[name])
    _check(agreement)
    ids = _partners(institution, partner_ids)
    agreement.save()
    AgreementParty.objects.bulk_create(
        [
            AgreementParty(
                agreement=agreement, institution=institution, role=AgreementParty.Role.BASE
            ),
            *(AgreementParty(agreement=agreement, institution_id=i) for i in ids),
        ]
    )
    rules.remember_party_ids(agreement, [institution.pk, *ids])
    audit_log(
        "programs.agreement.create",
        actor=actor,
        obj=agreement,
        changes={**snapshot(agreement, FIELDS), "partners": ids},
    )
    return agreement


@transaction.atomic
def agreement_update(
    *, actor, agreement: Agreement, data: dict[str, Any], partner_ids: Sequence[int] | None = None
) -> Agreement:
    """Change a draft (its parties too); every party approves it again."""
    _require_base(actor, agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _require_draft(agreement)
    before = snapshot(agreement, FIELDS)
    for name in FIELDS:
        if name in data:
            setattr(agreement, name, data[name])
    _check(agreement)
    changes: dict[str, Any] = diff(before, snapshot(agreement, FIELDS))
    if partner_ids is not None:
        ids = set(_partners(agreement.institution, partner_ids))
        current = set(
            agreement.parties.filter(role=AgreementParty.Role.PARTNER).values_list(
                "institution_id", flat=True
            )
        )
        if ids != current:
            gone = current - ids
            if agreement.offers.filter(institution_id__in=gone).exists():
                raise ValidationError(
                    {"partners": _("A partner with offers under this agreement cannot leave it.")}
                )
            agreement.parties.filter(institution_id__in=gone).delete()
            agreement.parts.filter(institution_id__in=gone).delete()
            AgreementParty.objects.bulk_create(
                AgreementParty(agreement=agreement, institution_id=i) for i in ids - current
            )
            rules.remember_party_ids(agreement, [agreement.institution_id, *ids])
            changes["partners"] = [sorted(current), sorted(ids)]
    agreement.save()
    audit_log("programs.agreement.update", actor=actor, obj=agreement, changes=changes)
    if changes:
        _reset_approvals(agreement, actor)
    return agreement


@transaction.atomic
def agreement_part_add(
    *, actor, agreement: Agreement, institution_id: int, data: dict[str, Any]
) -> AgreementPart:
    """Who implements a part of the programme, with which staff, premises and equipment."""
    _require_base(actor, agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _require_draft(agreement)
    if institution_id not in rules.party_ids(agreement):
        raise ValidationError({"institution": _("Choose a party of the agreement.")})
    part = AgreementPart(
        agreement=agreement,
        institution_id=institution_id,
        order=agreement.parts.count() + 1,
        **{k: v for k, v in data.items() if k in PART_FIELDS},
    )
    part.full_clean(exclude=["agreement", "institution"])
    part.save()
    audit_log(
        "programs.agreement.part_add",
        actor=actor,
        obj=agreement,
        changes={"part": [None, part.title], "institution": institution_id},
    )
    _reset_approvals(agreement, actor)
    return part


@transaction.atomic
def agreement_part_remove(*, actor, part: AgreementPart) -> None:
    agreement = part.agreement
    _require_base(actor, agreement)
    _require_draft(agreement)
    audit_log(
        "programs.agreement.part_remove",
        actor=actor,
        obj=agreement,
        changes={"part": [part.title, None]},
    )
    part.delete()
    _reset_approvals(agreement, actor)


@transaction.atomic
def agreement_approve(*, actor, agreement: Agreement) -> Agreement:
    """The actor approves the draft for every party they administer; when every party has
    approved, the agreement is agreed."""
    if not rules.party_admin(actor, agreement):
        raise PermissionDenied(_("Only the administration of a party approves the agreement."))
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _require_draft(agreement)
    if not agreement.parts.exists():
        raise ValidationError(
            {"parts": _("Add the parts of the programme first: who implements what.")}
        )
    mine = user_roles(actor).admin_of
    moment = now()
    parties = list(agreement.parties.select_related("institution"))
    names = []
    for party in parties:
        if party.institution_id in mine and party.approved_at is None:
            party.approved_at, party.approved_by = moment, actor
            party.save(update_fields=["approved_at", "approved_by"])
            names.append(party.institution.short_name)
    audit_log("programs.agreement.approve", actor=actor, obj=agreement, changes={"by": names})
    if all(p.approved_at is not None for p in parties):
        agreement.status, agreement.agreed_at = Agreement.Status.AGREED, moment
        agreement.save(update_fields=["status", "agreed_at", "updated_at"])
        audit_log(
            "programs.agreement.status",
            actor=actor,
            obj=agreement,
            changes={"status": [Agreement.Status.DRAFT, Agreement.Status.AGREED]},
        )
        notify.agreement_step(agreement, "agreed", actor=actor)
    elif names:
        notify.agreement_step(agreement, "approved", actor=actor, party=", ".join(names))
    return agreement


@transaction.atomic
def agreement_activate(*, actor, agreement: Agreement) -> Agreement:
    """Put an agreed agreement in force."""
    _require_base(actor, agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != Agreement.Status.AGREED:
        raise Conflict(
            _("Only an agreement approved by every party can be put in force."), agreement
        )
    if agreement.ends_on < today():
        raise ValidationError({"ends_on": _("The term of the agreement is over.")})
    agreement.status, agreement.activated_at = Agreement.Status.ACTIVE, now()
    agreement.save(update_fields=["status", "activated_at", "updated_at"])
    audit_log(
        "programs.agreement.status",
        actor=actor,
        obj=agreement,
        changes={"status": [Agreement.Status.AGREED, Agreement.Status.ACTIVE]},
    )
    notify.agreement_step(agreement, "active", actor=actor)
    return agreement


@transaction.atomic
def agreement_end(
    *, actor, agreement: Agreement, on: dt.date | None = None, reason: str = ""
) -> Agreement:
    """End an agreed or active agreement on ``on`` (today by default): the enrolments under it
    end that day, and the applications still waiting are withdrawn."""
    _require_base(actor, agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in (Agreement.Status.AGREED, Agreement.Status.ACTIVE):
        raise Conflict(
            _("The agreement is %(status)s: it cannot be ended.")
            % {"status": agreement.get_status_display()},
            agreement,
        )
    day = on or today()
    if day < today() or day > agreement.ends_on:
        raise ValidationError({"on": _("Choose a day from today to the end of the term.")})
    before = agreement.status
    agreement.status, agreement.ended_at = Agreement.Status.ENDED, now()
    agreement.save(update_fields=["status", "ended_at", "updated_at"])
    withdrawn = []
    for offer_id in agreement.offers.values_list("pk", flat=True):
        offer = lock_offer(offer_id)
        for application in Application.objects.filter(
            offer=offer, status__in=Application.LIVE
        ).select_related("member", "student", "home_institution", "offer__institution"):
            if application.status == Application.Status.ACCEPTED:
                unenrol(application, offer, actor=actor, day=day)
                application.save(update_fields=["member", "updated_at"])
                continue
            application.status = Application.Status.WITHDRAWN
            application.reason = _("The network agreement has ended.")
            application.save(update_fields=["status", "reason", "updated_at"])
            withdrawn.append(application)
    audit_log(
        "programs.agreement.status",
        actor=actor,
        obj=agreement,
        changes={"status": [before, Agreement.Status.ENDED], "on": day},
        reason=reason,
    )
    notify.agreement_step(agreement, "ended", actor=actor)
    for application in withdrawn:
        notify.application_withdrawn(application, actor=actor, by_provider=True)
    return agreement


def _content_type(file) -> str | None:
    head = file.read(8)
    file.seek(0)
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


@transaction.atomic
def scan_add(*, actor, agreement: Agreement, file) -> AgreementScan:
    """Attach a signed copy (PDF, JPEG or PNG, at most 10 MB)."""
    if not rules.party_admin(actor, agreement):
        raise PermissionDenied(_("Only the administration of a party attaches signed copies."))
    name = os.path.basename(getattr(file, "name", "") or "").strip()[-200:]
    if not name:
        raise ValidationError({"file": _("The file has no name.")}, code="bad_file")
    if file.size > MAX_SCAN:
        raise ValidationError({"file": _("The file is larger than 10 MB.")}, code="too_large")
    if file.size == 0:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    content_type = _content_type(file)
    if content_type is None:
        raise ValidationError(
            {"file": _("Attach a PDF, JPEG or PNG file: this one is of another kind.")},
            code="bad_type",
        )
    if agreement.scans.count() >= MAX_SCANS:
        raise ValidationError(
            {
                "file": ngettext("At most %(n)s file.", "At most %(n)s files.", MAX_SCANS)
                % {"n": MAX_SCANS}
            }
        )
    scan = AgreementScan(
        agreement=agreement, name=name, size=file.size, content_type=content_type, uploaded_by=actor
    )
    scan.file.save(name, file, save=False)
    scan.save()
    audit_log(
        "programs.agreement.scan_add",
        actor=actor,
        obj=agreement,
        changes={"scan": [None, name], "size": file.size},
    )
    return scan


@transaction.atomic
def scan_remove(*, actor, scan: AgreementScan) -> None:
    """Remove a signed copy attached by mistake: only before the agreement is in force."""
    agreement = scan.agreement
    if not rules.party_admin(actor, agreement):
        raise PermissionDenied(_("Only the administration of a party removes signed copies."))
    if agreement.status in (Agreement.Status.ACTIVE, Agreement.Status.ENDED):
        raise Conflict(_("The signed copies of an agreement in force are kept."), agreement)
    audit_log(
        "programs.agreement.scan_remove",
        actor=actor,
        obj=agreement,
        changes={"scan": [scan.name, None]},
    )
    stored, storage = scan.file.name, scan.file.storage
    scan.delete()
    transaction.on_commit(lambda: storage.delete(stored) if stored else None)
