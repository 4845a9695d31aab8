from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from setka.network.models import Guardianship, Membership, MunicipalRole, Person

from . import services, throttle
from .forms import PasswordChangeTokensForm, SetPasswordTokensForm, TokenCreateForm
from .models import ApiToken


def _profile_context(request, form: TokenCreateForm | None = None, new_token: str = "") -> dict:
    person = Person.objects.filter(user=request.user).first()
    context = {
        "person": person,
        "tokens": list(request.user.api_tokens.all()),
        "token_form": form or TokenCreateForm(),
        "new_token": new_token,
    }
    if person is not None:
        context["memberships"] = list(
            Membership.objects.filter(person=person)
            .select_related("institution")
            .order_by("-starts_on")
        )
        context["municipal_roles"] = list(
            MunicipalRole.objects.filter(person=person).select_related("municipality")
        )
        context["children"] = list(
            Guardianship.objects.active().filter(guardian=person).select_related("student")
        )
        context["guardians"] = list(
            Guardianship.objects.active().filter(student=person).select_related("guardian")
        )
    return context


@login_required
def profile(request):
    return render(request, "accounts/profile.html", _profile_context(request))


@login_required
@require_POST
def token_create(request):
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/profile.html", _profile_context(request, form), status=400)
    _token, raw = services.token_create(
        actor=request.user,
        name=form.cleaned_data["name"],
        expires_in_days=form.cleaned_data["expires_in_days"] or None,
    )
    # The token is shown once, in this response: it is never stored or sent anywhere else
    # (like every answer to a signed-in user, it is "private, no-store": core.middleware).
    return render(request, "accounts/profile.html", _profile_context(request, new_token=raw))


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:profile")


# --- passwords ------------------------------------------------------------------------------


def _revoke_tokens(request, form) -> None:
    """After a new password: revoke the account's API tokens unless the form keeps them."""
    if not form.revoke_tokens:
        return
    count = services.tokens_revoke_all(actor=form.user, user=form.user)
    if count:
        messages.info(
            request,
            ngettext(
                "%(count)s API token of the account is revoked.",
                "%(count)s API tokens of the account are revoked.",
                count,
            )
            % {"count": count},
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeTokensForm

    def form_valid(self, form):
        response = super().form_valid(form)
        _revoke_tokens(self.request, form)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordTokensForm

    def form_valid(self, form):
        response = super().form_valid(form)
        _revoke_tokens(self.request, form)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Sends nothing past the limits of ``throttle`` (per address and per client), with the
    same answer whether or not an account has the address."""

    def form_valid(self, form):
        if not throttle.reset_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(
                None,
                _(
                    "Too many requests to reset a password for this address or from this "
                    "connection. Wait an hour and try again; a link that was already sent is "
                    "valid for three days."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
