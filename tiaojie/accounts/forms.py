"""Forms for login and account management. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.roles import ADMIN_ROLES, Role
from tiaojie.organisations.models import Organisation

BUSINESS_ROLE_CHOICES = [(r.value, r.label) for r in Role if r not in ADMIN_ROLES]


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{'　' * obj.depth}{obj.name}"


class AccountCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=60)
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Role"), choices=BUSINESS_ROLE_CHOICES)
    title = forms.CharField(label=_("Job title"), max_length=60, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_(
            "After a security administrator approves the account, the person receives a "
            "one-time link here to choose their password."
        ),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class AccountProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=60)
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Job title"), max_length=60, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=BUSINESS_ROLE_CHOICES)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class PasswordResetForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ApprovalForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("refuse", "refuse")])


class PasswordSetForm(forms.Form):
    new_password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), strip=False, widget=forms.PasswordInput
    )
    new_password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))],
    )


class CodeForm(forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "text"}
        ),
    )
