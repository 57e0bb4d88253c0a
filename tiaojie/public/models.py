"""The public side's tables: citizens (no staff accounts), their one-time codes, the SMS outbox,
online applications with their evidence, respondents' invitations and answers, and the messages
between a party and the mediator. Phones and ID numbers are encrypted at rest with blind
indexes, as parties' are (docs/decisions/0006)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.core.crypto import EncryptedTextField
from tiaojie.public.choices import Answer, CodePurpose, ReminderVariant, Sender, Weekday


class Citizen(models.Model):
    """A member of the public known by their mobile number; real-named once they give their
    name and ID number. Not a ``accounts.User``: a citizen never reaches a staff page."""

    blind_indexes: ClassVar[dict[str, tuple[str, str]]] = {
        "phone_index": ("phone", "citizen.phone"),
        "id_number_index": ("id_number", "citizen.id_number"),
    }

    phone = EncryptedTextField(_("mobile number"), purpose="citizen.phone")
    phone_index = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=60, blank=True)
    id_number = EncryptedTextField(_("ID number"), purpose="citizen.id_number", blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    verified_at = models.DateTimeField(_("real name given at"), null=True, blank=True)
    # Signing out raises it: every signed session cookie carrying the old value stops working.
    session_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")

    def __str__(self) -> str:
        return f"citizen {self.pk}"

    @property
    def audit_label(self) -> str:
        # The trail never names the person or their number.
        return f"citizen #{self.pk}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class CitizenToken(models.Model):
    """A bearer token of the citizen API (the mini-program), apart from staff tokens
    (``accounts.ApiToken``): only its keyed hash is kept, it expires, and signing out revokes
    it. A staff token is not found here, and a citizen token is not found there."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"citizen token {self.pk}"

    @property
    def audit_label(self) -> str:
        return f"citizen #{self.citizen_id} · token {self.pk}"


class OneTimeCode(models.Model):
    """A six-digit code sent by SMS, kept only as a keyed hash; it expires, and dies after a
    few wrong tries. Its rows are also the counts the send limits read (per phone, per
    source)."""

    phone_index = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=16, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=64)
    source = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"code {self.pk}"


class SmsMessage(models.Model):
    """The outbox backend's store: every text "sent" in development and tests, read by the
    tests and the developer (a real gateway keeps nothing here)."""

    phone = EncryptedTextField(purpose="sms.phone")
    phone_index = models.CharField(max_length=64, db_index=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    blind_indexes: ClassVar[dict[str, tuple[str, str]]] = {
        "phone_index": ("phone", "sms.phone"),
    }

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"text {self.pk}"


class Application(models.Model):
    """An online application (网上申请): who applied, the case it became, and the interview's
    questions with the answers given."""

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="applications")
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="online_application"
    )
    party = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    # [[question, answer], …] as shown to the applicant (the wording of that day).
    answers = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    # The mediator the applicant asked for from the directory (人民调解法 art. 19 lets parties
    # choose); the committee still assigns. Empty: the committee or routing decides.
    preferred_mediator = models.ForeignKey(
        "mediators.Mediator",
        verbose_name=_("mediator asked for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set once, when the case closed and the applicant was texted to rate the service.
    rating_invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.case.number

    @property
    def audit_label(self) -> str:
        return self.case.number


class Evidence(models.Model):
    """A file a citizen sent from the phone: checked like staff attachments (type by name and
    content, size), stored outside the web root, served after a scope check."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """The respondent's invitation: an SMS with an unguessable link (only the token's hash is
    kept), and the answers given on its one-question screens, by the respondent or entered by
    a mediator on their behalf (``proxy_by``)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="invitations")
    party = models.OneToOneField("cases.Party", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    agrees = models.CharField(
        _("agrees to mediation"), max_length=3, choices=Answer.choices, blank=True
    )
    proposed_time = models.CharField(_("a time that suits"), max_length=100, blank=True)
    statement = models.TextField(_("their side"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    proxy_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    # The link's token, encrypted, so that a reminder can text the same link again.
    token = EncryptedTextField(purpose="invitation.token", blank=True, editable=False)
    reminder_variant = models.CharField(
        _("reminder variant"), max_length=1, choices=ReminderVariant.choices, blank=True
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"invitation {self.pk}"

    @property
    def audit_label(self) -> str:
        return f"{self.case.number} · invitation"


class Message(models.Model):
    """One message on a case between a party (a citizen) and the case's staff."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    sender = models.CharField(max_length=8, choices=Sender.choices)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, null=True, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk}"


class Draft(models.Model):
    """The application being written: its dispute type and the interview's answers so far
    (``[{"id", "value"}, …]``), one per citizen, dropped when the application is sent."""

    citizen = models.OneToOneField(Citizen, on_delete=models.CASCADE, related_name="draft")
    dispute_type = models.ForeignKey(
        "cases.DisputeType", on_delete=models.PROTECT, null=True, related_name="+"
    )
    answers = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"draft {self.pk}"


class OpeningHours(models.Model):
    """When a committee receives people, one row per weekday span (shown in the directory)."""

    committee = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="opening_hours_order"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="opening_hours_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"


class Slot(models.Model):
    """A mediator's free time that a party may book."""

    committee = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mediator", "starts_at"], name="slot_unique_start")
        ]

    def __str__(self) -> str:
        return f"slot {self.pk}"


class Booking(models.Model):
    """A party's booking of a slot for their case. The one-to-one column is the database's
    guarantee that a slot is never booked twice, whatever two phones do at the same moment."""

    slot = models.OneToOneField(Slot, on_delete=models.PROTECT, related_name="booking")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="bookings")
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["slot__starts_at"]

    def __str__(self) -> str:
        return f"booking {self.pk}"


class Rating(models.Model):
    """The applicant's rating of the service after the case closed, and any complaint (which
    the committee's director is told of). Read with the case's mediators for their evaluation."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    is_complaint = models.BooleanField(_("complaint"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_range"
            )
        ]

    def __str__(self) -> str:
        return f"rating {self.pk}"
