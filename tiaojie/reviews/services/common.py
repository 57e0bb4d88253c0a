"""Checks shared by the review services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.core.errors import Conflict, NotPermitted
from tiaojie.reviews.error_codes import ReviewsErrorCode as E

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


class Versioned(Protocol):
    version: int


def check_version(obj: Versioned, version: int | None) -> None:
    """A stale form (someone saved in between) is refused, never silently overwritten."""
    if version is not None and obj.version != version:
        raise Conflict(
            E.STALE_VERSION,
            _("Someone else changed this while you were working on it. Reload to see it."),
        )


def require_manager(actor: User, owner_path: str) -> None:
    """The actor runs reviews (REVIEW_MANAGE) over the bureau that owns the object."""
    if not actor.can(Capability.REVIEW_MANAGE) or not owner_path.startswith(
        actor.organisation.path
    ):
        raise NotPermitted(E.NOT_PERMITTED, _("Only the bureau running the review may do this."))
