"""The public side's vocabularies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodePurpose(models.TextChoices):
    SIGN_IN = "sign_in", _("Sign in")
    SIGN = "sign", _("Sign the agreement")


class Sender(models.TextChoices):
    """Who wrote a message on a case: a party (citizen), or the case's staff."""

    PARTY = "party", _("Party")
    STAFF = "staff", _("Mediator")


class Answer(models.TextChoices):
    YES = "yes", _("Agrees to mediation")
    NO = "no", _("Does not agree to mediation")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReminderVariant(models.TextChoices):
    """The respondent's reminder, assigned at random when invited (an A/B test of what makes
    the other side take part): the wording and when it is sent."""

    GENTLE = "a", _("A: a gentle reminder after one day")
    TIMETABLE = "b", _("B: the committee's timetable, after two days")
