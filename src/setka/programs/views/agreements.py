"""Network agreements: the list, drafting and changing one, its parts, approvals, putting in
force and ending, the printable agreement and the signed copies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import access, rules
from ..documents.pdf import agreement_pdf
from ..forms.agreements import AgreementForm, EndForm, PartForm, ScanForm
from ..forms.common import apply_errors
from ..models import Agreement, AgreementPart
from ..selectors.agreements import visible_agreements
from ..services import agreements as service


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    if not (roles.employee_of or roles.is_registry_manager):
        raise Http404
    agreements = list(
        visible_agreements(roles)
        .select_related("institution")
        .prefetch_related("parties__institution")
        .order_by("-starts_on", "-id")
    )
    bases = Institution.objects.filter(pk__in=roles.admin_of).order_by("short_name")
    return render(
        request,
        "programs/agreements/list.html",
        {"agreements": agreements, "bases": list(bases)},
    )


def _base_for(request) -> Institution:
    roles = user_roles(request.user)
    raw = request.GET.get("institution") or request.POST.get("institution") or ""
    if raw.isdigit() and len(raw) < 18 and int(raw) in roles.admin_of:
        return Institution.objects.get(pk=int(raw))
    if len(roles.admin_of) == 1:
        return Institution.objects.get(pk=next(iter(roles.admin_of)))
    raise Http404


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    base = _base_for(request)
    form = AgreementForm(request.POST or None, base=base)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = service.agreement_create(
                actor=request.user,
                institution=base,
                data=form.data_for_service(),
                partner_ids=form.partner_ids(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft is saved. Add the parts of the programme."))
            return redirect("programs:agreement", agreement.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "base": base, "agreement": None}
    return render(request, "programs/agreements/form.html", context, status=status)


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.agreement_for_user(request.user, pk)
    if not rules.base_admin(request.user, agreement):
        raise Http404
    form = AgreementForm(request.POST or None, instance=agreement, base=agreement.institution)
    if request.method == "POST" and form.is_valid():
        try:
            service.agreement_update(
                actor=request.user,
                agreement=Agreement.objects.get(pk=agreement.pk),
                data=form.data_for_service(),
                partner_ids=form.partner_ids(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("programs:agreement", agreement.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "base": agreement.institution, "agreement": agreement}
    return render(request, "programs/agreements/form.html", context, status=status)


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.agreement_for_user(request.user, pk)
    user = request.user
    parties = access.parties_of(agreement)
    is_base = rules.base_admin(user, agreement)
    is_party = rules.party_admin(user, agreement)
    draft = agreement.status == Agreement.Status.DRAFT
    mine = user_roles(user).admin_of
    context = {
        "agreement": agreement,
        "parties": parties,
        "parts": list(agreement.parts.select_related("institution")),
        "offers": list(agreement.offers.select_related("institution").order_by("title")),
        "scans": list(agreement.scans.all()) if rules.reads_scans(user, agreement) else None,
        "is_base": is_base,
        "can_edit": is_base and draft,
        "can_approve": is_party
        and draft
        and any(p.institution_id in mine and p.approved_at is None for p in parties),
        "can_activate": is_base and agreement.status == Agreement.Status.AGREED,
        "can_end": is_base
        and agreement.status in (Agreement.Status.AGREED, Agreement.Status.ACTIVE),
        "can_upload": is_party,
        "can_remove_scans": is_party
        and agreement.status in (Agreement.Status.DRAFT, Agreement.Status.AGREED),
        "part_form": PartForm(parties=parties) if is_base and draft else None,
        "end_form": EndForm(),
        "scan_form": ScanForm(),
    }
    return render(request, "programs/agreements/detail.html", context)


def _step(request: HttpRequest, pk: int, act, done: str) -> HttpResponse:
    agreement = access.agreement_for_user(request.user, pk)
    try:
        act(agreement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("programs:agreement", agreement.pk)


@login_required
@require_POST
def agreement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda a: service.agreement_approve(actor=request.user, agreement=a),
        _("Your approval is recorded."),
    )


@login_required
@require_POST
def agreement_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda a: service.agreement_activate(actor=request.user, agreement=a),
        _("The agreement is in force."),
    )


@login_required
@require_POST
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("programs:agreement", pk)
    return _step(
        request,
        pk,
        lambda a: service.agreement_end(
            actor=request.user,
            agreement=a,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
        ),
        _("The agreement has ended; the enrolments under it end too."),
    )


@login_required
@require_POST
def part_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.agreement_for_user(request.user, pk)
    if not rules.base_admin(request.user, agreement):
        raise PermissionDenied
    form = PartForm(request.POST, parties=access.parties_of(agreement))
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in service.PART_FIELDS}
        try:
            service.agreement_part_add(
                actor=request.user,
                agreement=agreement,
                institution_id=form.cleaned_data["institution"],
                data=data,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The part is added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("programs:agreement", agreement.pk)


@login_required
@require_POST
def part_remove(request: HttpRequest, pk: int) -> HttpResponse:
    part = AgreementPart.objects.filter(pk=pk).first()
    if part is None:
        raise Http404
    agreement = access.agreement_for_user(request.user, part.agreement_id)
    part.agreement = agreement
    return _step(
        request,
        agreement.pk,
        lambda a: service.agreement_part_remove(actor=request.user, part=part),
        _("The part is removed."),
    )


@login_required
def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.agreement_for_user(request.user, pk)
    parts = list(agreement.parts.select_related("institution"))
    data = agreement_pdf(agreement, access.parties_of(agreement), parts)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"agreement-{agreement.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_POST
def scan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.agreement_for_user(request.user, pk)
    if not rules.party_admin(request.user, agreement):
        raise PermissionDenied
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the file of the signed copy."))
        return redirect("programs:agreement", agreement.pk)
    try:
        service.scan_add(actor=request.user, agreement=agreement, file=form.cleaned_data["file"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The signed copy is attached."))
    return redirect("programs:agreement", agreement.pk)


@login_required
def scan_download(request: HttpRequest, pk: int) -> FileResponse:
    scan = access.scan_for_user(request.user, pk)
    try:
        handle = scan.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=scan.name)
    response["Content-Type"] = scan.content_type
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def scan_remove(request: HttpRequest, pk: int) -> HttpResponse:
    scan = access.scan_for_user(request.user, pk)
    return _step(
        request,
        scan.agreement_id,
        lambda a: service.scan_remove(actor=request.user, scan=scan),
        _("The file is removed."),
    )
