"""The upload form of the ledger import: one file, refused early if of the wrong type or size."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.cases.ledger_jobs import SMALL_LEDGER_ROWS
from tiaojie.core.errors import ValidationFailed
from tiaojie.core.imports import MAX_FILE_BYTES, check_upload


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Ledger file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx or .csv file of at most %(size)s MB, laid out like the template. Up to "
            "%(rows)s rows are imported at once; a larger ledger is imported in the background."
        ) % {"size": MAX_FILE_BYTES // (1024 * 1024), "rows": SMALL_LEDGER_ROWS}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload.name or "", upload.size)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload
