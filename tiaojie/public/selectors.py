"""What a citizen may see (their own applications only; "not yours" is 404) and what the staff
see of the public side (the cases in their scope, as the case list scopes them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.roles import Capability
from tiaojie.cases.choices import CaseStatus, PartyRole
from tiaojie.cases.models import Agreement, Case
from tiaojie.cases.rules import case_policy
from tiaojie.core.masking import mask_name, mask_phone
from tiaojie.organisations.choices import OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation
from tiaojie.public.choices import Answer, ReminderVariant
from tiaojie.public.models import Application, Citizen, Evidence, Invitation, Message

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from tiaojie.accounts.models import User

# The case's status in the words a citizen uses (docs/public.md).
PLAIN_STATUS: dict[str, Promise] = {
    CaseStatus.QUEUED: _("Received; being passed to a mediation committee"),
    CaseStatus.REGISTERED: _("Registered by the committee"),
    CaseStatus.ACCEPTED: _("Accepted; a mediator will contact you"),
    CaseStatus.DECLINED: _("Not accepted"),
    CaseStatus.IN_MEDIATION: _("Being mediated"),
    CaseStatus.AGREED: _("Agreement reached"),
    CaseStatus.FAILED: _("Mediation did not succeed"),
    CaseStatus.TERMINATED: _("Mediation ended"),
    CaseStatus.ARCHIVED: _("Closed"),
}
# The steps shown as a progress line; a case that ended otherwise shows its own last step.
PROGRESS = [
    CaseStatus.QUEUED,
    CaseStatus.REGISTERED,
    CaseStatus.ACCEPTED,
    CaseStatus.IN_MEDIATION,
    CaseStatus.AGREED,
    CaseStatus.ARCHIVED,
]


def plain_status(status: str) -> str:
    return str(PLAIN_STATUS.get(status, status))


def applications_of(citizen: Citizen) -> QuerySet[Application]:
    return Application.objects.filter(citizen=citizen).select_related(
        "case", "case__dispute_type", "case__committee", "case__wished_committee"
    )


def application_or_404(citizen: Citizen, case_id: int) -> Application:
    """The citizen's own application for the case; anyone else's answers like none at all."""
    found = applications_of(citizen).filter(case_id=case_id).first()
    if found is None:
        raise Http404
    return found


@dataclass
class OtherParty:
    """The other side as a party sees it: masked name, role, masked phone. Never the ID number
    or address."""

    role: str
    name: str
    phone: str


def other_parties(application: Application) -> list[OtherParty]:
    return [
        OtherParty(
            role=party.get_role_display(),
            name=mask_name(party.name),
            phone=mask_phone(party.phone) if party.phone else "",
        )
        for party in application.case.parties.exclude(pk=application.party_id)
    ]


def current_agreement(case: Case) -> Agreement | None:
    return case.agreements.filter(superseded_at__isnull=True).order_by("-id").first()


def messages_of(case: Case) -> QuerySet[Message]:
    return Message.objects.filter(case=case).select_related("author")


def evidence_of(case: Case) -> QuerySet[Evidence]:
    return Evidence.objects.filter(case=case)


def directory() -> QuerySet[Organisation]:
    """The public directory: active committees, by district and street (public fields only)."""
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.COMMITTEE, status=OrganisationStatus.ACTIVE
        )
        .select_related("parent")
        .prefetch_related("opening_hours")
        .order_by("path")
    )


def online_centres() -> list[Organisation]:
    """Active governance centres that take online applications (``centre_channels``)."""
    return [
        org
        for org in Organisation.objects.filter(
            is_governance_centre=True, status=OrganisationStatus.ACTIVE
        ).order_by("path")
        if "online" in (org.centre_channels or [])
    ]


# --- Staff side ---------------------------------------------------------------------------------


def staff_case_or_404(user: User, case_id: int) -> Case:
    """A case in the user's scope, as the case page scopes it (CASE_CONTENT)."""
    return case_policy.get_or_404(
        user,
        Capability.CASE_CONTENT,
        base=Case.objects.select_related("committee", "dispute_type"),
        pk=case_id,
    )


def staff_online_cases(user: User) -> QuerySet[Case]:
    """The online cases (applied on the phone, or with a texted respondent) in scope.

    Their ids come from the applications and invitations, a few among all the cases: joining
    both to every case of the scope and keeping the distinct ones read a district's whole
    history (700,000 cases generated: 0.9–1.0 s a page)."""
    online = (
        Application.objects.order_by()
        .values("case_id")
        .union(Invitation.objects.order_by().values("case_id"))
    )
    return (
        case_policy.visible(user, Capability.CASE_CONTENT)
        .filter(pk__in=online)
        .select_related("committee", "dispute_type")
        .order_by("-registered_at", "-id")
    )


@dataclass
class Engagement:
    """Of the online cases in scope with an invited respondent: how many respondents answered,
    and how many agreed to mediate (both sides taking part)."""

    invited: int
    answered: int
    both: int
    proxy: int

    @property
    def rate(self) -> float | None:
        return self.both / self.invited if self.invited else None


def engagement(user: User) -> Engagement:
    visible = case_policy.visible(user, Capability.CASE_CONTENT).values("pk")
    invitations = Invitation.objects.filter(case__in=visible, party__role=PartyRole.RESPONDENT)
    counts = invitations.aggregate(
        invited=Count("id"),
        answered=Count("id", filter=Q(agrees__gt="")),
        both=Count("id", filter=Q(agrees=Answer.YES)),
        proxy=Count("id", filter=Q(proxy_by__isnull=False)),
    )
    return Engagement(**counts)


@dataclass
class VariantEngagement:
    """One reminder variant's respondents: invited, reminded, agreed (both sides taking part)."""

    variant: str
    label: str
    invited: int
    reminded: int
    both: int

    @property
    def rate(self) -> float | None:
        return self.both / self.invited if self.invited else None


def engagement_by_variant(user: User) -> list[VariantEngagement]:
    """The engagement rate per reminder variant, in the user's scope (one query)."""
    visible = case_policy.visible(user, Capability.CASE_CONTENT).values("pk")
    rows = {
        row["reminder_variant"]: row
        for row in Invitation.objects.filter(
            case__in=visible, party__role=PartyRole.RESPONDENT, reminder_variant__gt=""
        )
        .values("reminder_variant")
        .annotate(
            invited=Count("id"),
            reminded=Count("id", filter=Q(reminded_at__isnull=False)),
            both=Count("id", filter=Q(agrees=Answer.YES)),
        )
    }
    return [
        VariantEngagement(
            variant=variant.value,
            label=str(variant.label),
            invited=rows.get(variant.value, {}).get("invited", 0),
            reminded=rows.get(variant.value, {}).get("reminded", 0),
            both=rows.get(variant.value, {}).get("both", 0),
        )
        for variant in ReminderVariant
    ]
