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
