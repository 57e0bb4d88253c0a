"""The kinds of document, with their stable slugs and official Chinese titles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """One unified document format. The value is the slug used in URLs, the API and templates."""

    COVER = "cover", _("Case file cover")
    CONTENTS = "contents", _("Contents list")
    APPLICATION = "application", _("Application for mediation")
    REGISTRATION = "registration", _("Acceptance register form")
    RIGHTS_NOTICE = "rights_notice", _("Notice of parties' rights and duties")
    DECLINE_NOTICE = "decline_notice", _("Notice of declining")
    INVESTIGATION = "investigation", _("Investigation record")
    MEDIATION_RECORD = "mediation_record", _("Mediation record")
    AGREEMENT = "agreement", _("Mediation agreement")
    ORAL_AGREEMENT = "oral_agreement", _("Oral agreement register")
    FOLLOW_UP = "follow_up", _("Follow-up record")
    CONFIRMATION_APPLICATION = (
        "confirmation_application",
        _("Application for judicial confirmation"),
    )
    TERMINATION_NOTICE = "termination_notice", _("Notice of termination")
    BACK_COVER = "back_cover", _("Back cover")


# The title printed on the document and in the contents list: a fixed official text.
OFFICIAL_TITLES: dict[Kind, str] = {
    Kind.COVER: "卷宗封面",
    Kind.CONTENTS: "卷内目录",
    Kind.APPLICATION: "人民调解申请书",
    Kind.REGISTRATION: "人民调解受理登记表",
    Kind.RIGHTS_NOTICE: "人民调解当事人权利义务告知书",
    Kind.DECLINE_NOTICE: "不予受理告知书",
    Kind.INVESTIGATION: "人民调解调查记录",
    Kind.MEDIATION_RECORD: "人民调解记录",
    Kind.AGREEMENT: "人民调解协议书",
    Kind.ORAL_AGREEMENT: "口头调解协议登记表",
    Kind.FOLLOW_UP: "人民调解回访记录",
    Kind.CONFIRMATION_APPLICATION: "司法确认申请书",
    Kind.TERMINATION_NOTICE: "终止调解告知书",
    Kind.BACK_COVER: "封底",
}

# Kinds of which a case has one per record; the record is chosen with ``?record=<id>``.
# An agreement defaults to the current one when no record is given.
PER_RECORD = frozenset(
    {
        Kind.INVESTIGATION,
        Kind.MEDIATION_RECORD,
        Kind.FOLLOW_UP,
        Kind.CONFIRMATION_APPLICATION,
        Kind.AGREEMENT,
        Kind.ORAL_AGREEMENT,
    }
)
RECORD_REQUIRED = PER_RECORD - {Kind.AGREEMENT, Kind.ORAL_AGREEMENT}

# Documents where the law needs the parties' identity in full (art. 29, the application, and
# the court's confirmation procedure); everywhere else ID numbers and phones are masked.
FULL_IDENTITY = frozenset({Kind.APPLICATION, Kind.AGREEMENT, Kind.CONFIRMATION_APPLICATION})

# The contents list only exists inside the whole file; every other kind also comes as DOCX.
DOCX_KINDS = tuple(kind for kind in Kind if kind != Kind.CONTENTS)

# Not numbered in the file: the cover, the contents list and the back cover (archival practice:
# page numbers run over the documents only).
UNNUMBERED = frozenset({Kind.COVER, Kind.CONTENTS, Kind.BACK_COVER})


class Format(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


CONTENT_TYPES = {
    Format.PDF: "application/pdf",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
