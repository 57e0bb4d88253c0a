"""The coded values of the mediator registry, as the bureaus' roster forms ask for them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Employment(models.TextChoices):
    """专职 or 兼职: a full-time mediator is paid for mediating; the staffing norms count them."""

    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")


class Source(models.TextChoices):
    """Where a mediator comes from (the roster's 人员来源)."""

    RETIRED_JUDGE = "retired_judge", _("Retired judge")
    RETIRED_PROSECUTOR = "retired_prosecutor", _("Retired prosecutor")
    RETIRED_POLICE = "retired_police", _("Retired police officer")
    LAWYER = "lawyer", _("Lawyer")
    TEACHER = "teacher", _("Teacher")
    DEPUTY = "deputy", _("Deputy or committee member (两代表一委员)")
    ELDER = "elder", _("One of the five elders (五老)")
    OTHER = "other", _("Other")


class Education(models.TextChoices):
    """Highest education completed."""

    POSTGRADUATE = "postgraduate", _("Postgraduate")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("College (大专)")
    HIGH_SCHOOL = "high_school", _("High school or technical school")
    BELOW = "below", _("Junior secondary or below")


class PoliticalStatus(models.TextChoices):
    """政治面貌."""

    PARTY_MEMBER = "party_member", _("Communist Party member")
    LEAGUE_MEMBER = "league_member", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "democratic_party", _("Member of a democratic party")
    MASSES = "masses", _("No party affiliation (群众)")


class MediatorStatus(models.TextChoices):
    """Where a mediator stands in the registry."""

    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")


class MediatorAction(models.TextChoices):
    """The moves of a mediator's status (``mediators.workflow``)."""

    SUSPEND = "suspend", _("Suspend")
    REINSTATE = "reinstate", _("Reinstate")
    LEAVE = "leave", _("Record leaving")
    REJOIN = "rejoin", _("Record rejoining")


class MembershipRole(models.TextChoices):
    """A mediator's role in one committee."""

    DIRECTOR = "director", _("Committee director")
    DEPUTY = "deputy", _("Deputy director")
    CHIEF = "chief", _("Chief mediator")
    MEMBER = "member", _("Member")


class CourseKind(models.TextChoices):
    """Which training a course is (岗前/初任, 进阶, 年度)."""

    INITIAL = "initial", _("Initial training")
    ADVANCED = "advanced", _("Advanced training")
    ANNUAL = "annual", _("Annual training")


class CourseMode(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on_site", _("On site")


class Criterion(models.TextChoices):
    """What a periodic evaluation (考核) weighs, each scored 0–100 before weighting."""

    CASE_COUNT = "case_count", _("Cases ended")
    SUCCESS_RATE = "success_rate", _("Success rate")
    PERFORMANCE_RATE = "performance_rate", _("Performance rate")
    REVIEW_SCORE = "review_score", _("Case-review score")
    SATISFACTION = "satisfaction", _("Satisfaction")
    TRAINING_HOURS = "training_hours", _("Training hours")


class PromotionStatus(models.TextChoices):
    """A grade-promotion proposal (晋级申报): proposed, then approved or rejected by a bureau."""

    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PromotionAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class HonourTitle(models.TextChoices):
    """Honours a mediator is given (荣誉称号)."""

    MODEL = "model", _("Model mediator (模范调解员)")
    GOLD = "gold", _("Gold-medal mediator (金牌调解员)")
    OTHER = "other", _("Other honour")


class CriterionPurpose(models.TextChoices):
    """What a bureau's committee checklist is for."""

    STANDARD = "standard", _("Standardisation (规范化建设)")
    STAR = "star", _("Star rating (星级评定)")


class StarStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Profession(models.TextChoices):
    """What an expert of a pool (专家库) is by trade."""

    MEDIATOR = "mediator", _("Registered mediator")
    LAWYER = "lawyer", _("Lawyer")
    DOCTOR = "doctor", _("Doctor")
    ENGINEER = "engineer", _("Engineer")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    ACCOUNTANT = "accountant", _("Accountant")
    TEACHER = "teacher", _("Teacher or scholar")
    OTHER = "other", _("Other profession")


class ExpertStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")


class ExpertAction(models.TextChoices):
    SUSPEND = "suspend", _("Suspend")
    REINSTATE = "reinstate", _("Reinstate")
    LEAVE = "leave", _("Record leaving")


class OpinionFollowed(models.TextChoices):
    """Whether the mediation followed the expert's opinion."""

    PENDING = "", _("Not yet decided")
    FOLLOWED = "followed", _("Followed")
    PARTLY = "partly", _("Partly followed")
    NOT_FOLLOWED = "not_followed", _("Not followed")


class AssociationRole(models.TextChoices):
    """An individual member's office in a mediators' association (人民调解协会)."""

    PRESIDENT = "president", _("Association president")
    VICE_PRESIDENT = "vice_president", _("Association vice-president")
    SECRETARY_GENERAL = "secretary_general", _("Association secretary-general")
    COUNCIL = "council", _("Council member")
    MEMBER = "member", _("Association member")


class StudioKind(models.TextChoices):
    """调解工作室: a committee's brand room or a mediator's personal studio."""

    BRAND = "brand", _("Brand mediation room")
    PERSONAL = "personal", _("Personal mediation studio")
