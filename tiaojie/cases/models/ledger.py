"""The import of a historical case ledger that is too large to run within a request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.cases.choices import LedgerImportStatus


class LedgerImport(models.Model):
    """One uploaded ledger, imported in the background (``cases.ledger_jobs``). The page polls
    this row for progress, then shows the errors or the cases created. The file is kept under
    MEDIA_ROOT/imports/ only until the import has finished: it holds parties' ID numbers."""

    committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.CharField(max_length=255, blank=True)  # relative to MEDIA_ROOT
    file_name = models.CharField(_("file"), max_length=200)
    # The uploader's interface language: the errors are written in it.
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=LedgerImportStatus.choices,
        default=LedgerImportStatus.QUEUED,
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows done"), default=0)
    # Every problem found: [{"row": 5 or null, "column": "登记日期", "reason": "…"}].
    errors = models.JSONField(default=list, blank=True)
    created_cases = models.PositiveIntegerField(_("cases created"), default=0)
    # The registration dates the created cases span, for the link to them in the case list.
    registered_from = models.DateField(null=True, blank=True)
    registered_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}: {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (LedgerImportStatus.DONE, LedgerImportStatus.FAILED)

    @property
    def progress(self) -> int:
        """Percent of the rows imported: 100 once done."""
        if self.status == LedgerImportStatus.DONE:
            return 100
        if self.status != LedgerImportStatus.IMPORTING or not self.total_rows:
            return 0
        return min(99, self.done_rows * 100 // self.total_rows)
