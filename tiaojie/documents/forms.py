"""The upload form of a bureau's DOCX template; the service decides whether it is usable."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.documents.kinds import DOCX_KINDS


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Document"), choices=[(kind.value, kind.label) for kind in DOCX_KINDS]
    )
    file = forms.FileField(
        label=_("DOCX template"),
        help_text=_("Start from the built-in template and keep to the fields listed for it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )
