"""Carry a service's refusal back onto the form, so the page shows it next to what was typed."""

from __future__ import annotations

from django import forms

from tiaojie.core.errors import DomainError


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put each field error on its field (or on the form if it has no such field)."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    for field, messages in error.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def show_refusal(form: forms.Form, message: str) -> None:
    """Show, on a form not yet sent, why sending it would be refused (the case cannot be
    flagged, closed out, …), so the user reads the reason before typing anything.

    Django's ``add_error`` expects a cleaned form; an unbound one has no ``cleaned_data`` and
    raised AttributeError (a 500) here before.
    """
    if not form.is_bound:
        form.errors  # noqa: B018 - an unbound form's (empty) errors, made once
        form.cleaned_data = {}
    form.add_error(None, message)
