"""API of the public side for the staff (the same services and scope as the pages): the
engagement figure, a case's messages with its party, the respondents' answers. Citizens use
the pages under /m/ with their own session; no bearer token is a citizen."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router

from tiaojie.accounts.roles import Capability
from tiaojie.cases.rules import may_work_on
from tiaojie.core.api import ERRORS, caller
from tiaojie.public import selectors, services
from tiaojie.public.models import Invitation, Message
from tiaojie.public.schemas import EngagementOut, InvitationOut, MessageIn, MessageOut

router = Router(tags=["Public side"])


def _message(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "sender": message.sender,
        "author_name": message.author.full_name if message.author else "",
        "text": message.text,
        "created_at": message.created_at,
    }


@router.get(
    "/public/engagement",
    response={200: EngagementOut, **ERRORS},
    operation_id="public_engagement",
)
def public_engagement(request: HttpRequest) -> dict[str, Any]:
    """Of the respondents invited in the caller's scope: answered, agreed (both sides taking
    part), answered through a mediator."""
    figures = selectors.engagement(caller(request, Capability.CASE_CONTENT))
    return {**figures.__dict__, "rate": figures.rate}


@router.get(
    "/public/cases/{id:case_id}/messages",
    response={200: list[MessageOut], **ERRORS},
    operation_id="public_messages_list",
)
def public_messages_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.staff_case_or_404(caller(request, Capability.CASE_CONTENT), case_id)
    return [_message(m) for m in selectors.messages_of(case)]


@router.post(
    "/public/cases/{id:case_id}/messages",
    response={200: MessageOut, **ERRORS},
    operation_id="public_message_send",
)
def public_message_send(request: HttpRequest, case_id: int, body: MessageIn) -> dict[str, Any]:
    """A message to the case's party (who reads it on the phone)."""
    actor = caller(request, Capability.CASE_HANDLE)
    case = selectors.staff_case_or_404(actor, case_id)
    if not may_work_on(actor, case):
        raise PermissionDenied
    return _message(services.message_from_staff(actor=actor, case=case, text=body.text))


@router.get(
    "/public/cases/{id:case_id}/invitations",
    response={200: list[InvitationOut], **ERRORS},
    operation_id="public_invitations_list",
)
def public_invitations_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """The respondents' invitations and answers (``by_proxy``: entered by a mediator)."""
    case = selectors.staff_case_or_404(caller(request, Capability.CASE_CONTENT), case_id)
    return [
        {
            "id": i.pk,
            "party_id": i.party_id,
            "sent_at": i.sent_at,
            "opened_at": i.opened_at,
            "agrees": i.agrees or None,
            "proposed_time": i.proposed_time,
            "statement": i.statement,
            "answered_at": i.answered_at,
            "by_proxy": i.proxy_by_id is not None,
        }
        for i in Invitation.objects.filter(case=case)
    ]
