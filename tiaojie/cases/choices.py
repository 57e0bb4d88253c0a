"""The vocabularies of a case, named as in the glossary and the statistics forms."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStatus(models.TextChoices):
    """Where a case stands. Moves only through ``workflow.transition``."""

    QUEUED = "queued", _("Awaiting triage")
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_MEDIATION = "in_mediation", _("In mediation")
    AGREED = "agreed", _("Agreed")
    FAILED = "failed", _("Mediation failed")
    TERMINATED = "terminated", _("Terminated")
    ARCHIVED = "archived", _("Archived")


# One meaning for each set of statuses, used everywhere (docs/workflows.md, "Status sets").
# OPEN: the work on the case is not over. An agreed case is open (its performance and judicial
# confirmation are still followed) and also ended (mediation is over): the sets overlap.
OPEN_STATUSES = frozenset(
    {
        CaseStatus.QUEUED,
        CaseStatus.REGISTERED,
        CaseStatus.ACCEPTED,
        CaseStatus.IN_MEDIATION,
        CaseStatus.AGREED,
    }
)
# ENDED: the case left mediation one way or another, or never entered it (declined); the
# ledger closes it out and counts it.
ENDED_STATUSES = frozenset(
    {
        CaseStatus.DECLINED,
        CaseStatus.AGREED,
        CaseStatus.FAILED,
        CaseStatus.TERMINATED,
        CaseStatus.ARCHIVED,
    }
)
# CLOSED: mediated and ended (declined cases were never mediated): the files a review samples.
CLOSED_STATUSES = ENDED_STATUSES - {CaseStatus.DECLINED}


class CaseSource(models.TextChoices):
    """How the dispute reached the committee (案件来源)."""

    APPLICATION = "application", _("Party's application")
    INITIATIVE = "initiative", _("Committee's own initiative")
    COURT = "court", _("Referred by a court")
    POLICE = "police", _("Referred by the police")
    PETITION = "petition", _("Referred by a petition office")
    PROCURATORATE = "procuratorate", _("Referred by a procuratorate")
    OTHER_DEPARTMENT = "other_department", _("Referred by another department")
    GRID = "grid", _("Grid report")
    # A committee's own screening round found it (排查发现): the finding stays linked.
    SCREENING = "screening", _("Screening finding")
    HOTLINE = "hotline", _("12345 hotline")
    ONLINE = "online", _("Online application")


REFERRAL_SOURCES = frozenset(
    {
        CaseSource.COURT,
        CaseSource.POLICE,
        CaseSource.PETITION,
        CaseSource.PROCURATORATE,
        CaseSource.OTHER_DEPARTMENT,
    }
)


class DeclineReason(models.TextChoices):
    """Why a committee may not accept a dispute (人民调解工作若干规定)."""

    BEFORE_OTHER_BODY = (
        "before_other_body",
        _("Already accepted or resolved by a court, arbitration or administrative body"),
    )
    LEGALLY_BARRED = "legally_barred", _("Reserved by law to a specialised body, or barred")
    PARTY_REFUSES = "party_refuses", _("A party refuses mediation")
    NOT_CIVIL = "not_civil", _("Not a civil dispute")
    OTHER = "other", _("Other reason")


class EndReason(models.TextChoices):
    """Why mediation stopped without agreement."""

    PARTY_REFUSES = "party_refuses", _("A party refuses to continue")
    PARTY_WITHDRAWS = "party_withdraws", _("A party withdraws the application")
    NO_AGREEMENT = "no_agreement", _("The parties could not agree")
    OTHER = "other", _("Other reason")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
    THIRD_PARTY = "third_party", _("Third party")


class PartyKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    ORGANISATION = "organisation", pgettext_lazy("party kind", "Organisation")


class Gender(models.TextChoices):
    """GB/T 2261.1 sex codes."""

    MALE = "1", _("Male")
    FEMALE = "2", _("Female")
    UNKNOWN = "0", _("Unknown")


class AgreementKind(models.TextChoices):
    WRITTEN = "written", _("Written agreement")
    ORAL = "oral", _("Oral agreement")


class Performance(models.TextChoices):
    """How far an agreement has been performed (履行情况)."""

    PENDING = "pending", _("Not yet due")
    PERFORMED = "performed", _("Performed")
    PARTLY = "partly", _("Partly performed")
    NOT_PERFORMED = "not_performed", _("Not performed")


class ConfirmationOutcome(models.TextChoices):
    PENDING = "pending", _("Applied, awaiting the court")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class FollowUpMethod(models.TextChoices):
    VISIT = "visit", _("Home visit")
    PHONE = "phone", _("Telephone")
    VIDEO = "video", _("Video")
    OTHER = "other", _("Other")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class LedgerImportStatus(models.TextChoices):
    """Where the background import of a historical ledger stands."""

    QUEUED = "queued", _("Waiting to start")
    VALIDATING = "validating", _("Checking the rows")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class TransferKind(models.TextChoices):
    """How a case changes hands between committees (the case's ``transfer`` move; routing's
    transfer requests): sideways, or up a level."""

    TRANSFER = "transfer", _("Transfer")
    ESCALATION = "escalation", _("Escalation")
