from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Login or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Wrong login or password. Check the keyboard layout and Caps Lock, and try again."
        ),
        "inactive": _("This account is disabled. Ask your institution's administrator."),
    }


class PasswordResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        # Accounts created by invitation have no usable password yet: they may set one too.
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        return (
            u
            for u in user_model._default_manager.filter(email__iexact=email, is_active=True)
            if u.email
        )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “export script”."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[
            (30, _("30 days")),
            (90, _("90 days")),
            (365, _("a year")),
            (0, _("no expiry")),
        ],
        initial=90,
    )


class _KeepTokensMixin:
    """A new password revokes the account's API tokens: a token taken with the old password
    would outlive it. The user may keep them (``keep_tokens``, off by default); the field is
    offered only when the account has tokens in force."""

    user: object
    fields: dict

    def _offer_keep_tokens(self) -> None:
        if ApiToken.objects.active().filter(user=self.user).exists():
            self.fields["keep_tokens"] = forms.BooleanField(
                label=_("Keep my API tokens working"),
                required=False,
                help_text=_(
                    "Without this, every API token of the account stops working now, and "
                    "scripts or apps that use one need a new token."
                ),
            )

    @property
    def revoke_tokens(self) -> bool:
        return not getattr(self, "cleaned_data", {}).get("keep_tokens", False)


class PasswordChangeTokensForm(_KeepTokensMixin, PasswordChangeForm):
    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self._offer_keep_tokens()


class SetPasswordTokensForm(_KeepTokensMixin, SetPasswordForm):
    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self._offer_keep_tokens()
