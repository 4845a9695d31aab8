"""Applications: the family's and what the person's institutions have to decide; one
application with its steps and the actions the person may take on it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setka.network.roles import user_roles

from .. import access
from ..forms.offers import ConfirmForm, DecisionForm, ReasonForm
from ..models import Application
from ..selectors import applications as selectors
from ..services import applications as service

PAGE_SIZE = 50


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    show = request.GET.get("show", "")
    if show not in ("decide", "all") or not roles.admin_of:
        show = (
            "mine"
            if (roles.person_id and (roles.student_of or roles.children))
            else ("decide" if roles.admin_of else "mine")
        )
    if show == "decide":
        qs = selectors.to_decide(roles)
    elif show == "all":
        qs = selectors.visible_applications(roles)
    else:
        qs = selectors.family_applications(roles)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": show,
        "admin": bool(roles.admin_of),
        "family": bool(roles.student_of or roles.children),
    }
    return render(request, "programs/applications/list.html", context)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.application_for_user(request.user, pk)
    user = request.user
    status = application.status
    context = {
        "application": application,
        "offer": application.offer,
        "can_confirm": status == Application.Status.HOME_REVIEW
        and user.has_perm("programs.confirm_application", application),
        "can_decide": status in Application.DECIDABLE
        and user.has_perm("programs.decide_application", application),
        "can_withdraw": application.is_live
        and user.has_perm("programs.withdraw_application", application),
        "confirm_form": ConfirmForm(),
        "decision_form": DecisionForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "programs/applications/detail.html", context)


def _act(request: HttpRequest, pk: int, form_class, act) -> HttpResponse:
    application = access.application_for_user(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form is not filled in correctly."))
        return redirect("programs:application", application.pk)
    try:
        done = act(application, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The application is %(status)s.") % {"status": done.get_status_display()},
        )
    target = str(request.POST.get("next", ""))
    if target.startswith("/programs/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect("programs:application", application.pk)


@login_required
@require_POST
def application_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ConfirmForm,
        lambda a, data: service.application_confirm(
            actor=request.user, application=a, approve=data["approve"], reason=data["reason"]
        ),
    )


@login_required
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        DecisionForm,
        lambda a, data: service.application_decide(
            actor=request.user, application=a, decision=data["decision"], reason=data["reason"]
        ),
    )


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ReasonForm,
        lambda a, data: service.application_withdraw(
            actor=request.user, application=a, reason=data["reason"]
        ),
    )
