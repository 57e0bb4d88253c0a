from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The unified mediation documents (人民调解文书格式) generated from case data: each
    document as PDF and DOCX, the whole case file as one PDF, and bureaus' own DOCX templates."""

    name = "tiaojie.documents"
    label = "documents"
    verbose_name = _("Documents")
