"""A bureau's own DOCX templates, and the status of whole-file renders a page polls."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.documents.kinds import Kind


class DocumentTemplate(models.Model):
    """A DOCX template a justice bureau uploaded for one kind of document. For a case, the
    active template of the nearest bureau above its committee wins, else the built-in one.
    Replaced templates stay, inactive, as a record of what was used when."""

    kind = models.CharField(_("document"), max_length=32, choices=Kind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        related_name="document_templates",
    )
    file = models.FileField(_("file"), upload_to="document_templates/")
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=models.Q(active=True),
                name="one_active_template_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.kind}"

    @property
    def audit_label(self) -> str:
        return f"{Kind(self.kind).label} · {self.original_name}"


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    # Stopped at its time or memory limit (core.isolation); ``error`` holds what the user reads.
    STOPPED = "stopped", _("Stopped at its limit")


class CaseFileRender(models.Model):
    """One request to render a whole case file as PDF, in the background. The case's documents
    page polls it; the file stays under MEDIA_ROOT/case_files/ and is served through a check."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="file_renders")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Rendered with the parties' identity in full (only for someone who may see it).
    full_identity = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=RenderStatus.choices, default=RenderStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    file = models.CharField(max_length=255, blank=True)  # relative to MEDIA_ROOT
    # SHA-256 of everything the file prints and of how it is laid out (``pdf.fingerprint``):
    # a later render with the same one takes the stored file instead of laying it out again.
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    # When the stored file was laid out: this render's own finish, or that of the earlier
    # render whose file it took (nothing the file prints had changed since).
    laid_out_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="render_progress_percent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status} {self.progress}%"

    @property
    def finished(self) -> bool:
        return self.status in (RenderStatus.DONE, RenderStatus.FAILED, RenderStatus.STOPPED)

    @property
    def reused(self) -> bool:
        """The file was laid out for an earlier render, and nothing in it has changed since."""
        return (
            self.laid_out_at is not None
            and self.finished_at is not None
            and self.laid_out_at < self.finished_at
        )


class DrawnSignature(models.Model):
    """A party's signature drawn on the phone (a PNG), printed in that party's block of the
    agreement. It extends the party's signature record (``cases.AgreementSignature``) with
    the drawing and the signing log: when, from which address, which device."""

    signature = models.OneToOneField(
        "cases.AgreementSignature", on_delete=models.CASCADE, related_name="drawn"
    )
    png = models.BinaryField()
    png_sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    source = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"drawn signature {self.pk}"


class SignedDocument(models.Model):
    """A document signed on the phone, as sealed: the PDF's bytes and their SHA-256, which the
    public verification page looks up (it answers only the kind and the date)."""

    kind = models.CharField(_("document"), max_length=32, choices=Kind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    agreement = models.OneToOneField(
        "cases.Agreement", on_delete=models.CASCADE, related_name="signed_document"
    )
    sha256 = models.CharField(max_length=64, unique=True)
    pdf = models.BinaryField()
    sealed_on = models.DateField(_("sealed on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"signed document {self.pk}"
