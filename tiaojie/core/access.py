"""Scoped access: who may reach which view, and which rows they see.

Two pieces, used everywhere:

* ``@access(...)`` on every view declares its rule: public, any signed-in staff, or a
  capability. A test walks the URLconf and fails on any view without a declared rule.
* ``ScopePolicy`` per model gives, from one ``scope()`` definition, both the queryset of rows
  a user may see (``visible``) and the per-object check (``get_or_404`` / ``allows``).
  Rows out of scope answer exactly like rows that do not exist: 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    # Types only: at run time core names capabilities by value and asks ``user.can``.
    from tiaojie.accounts.models import User
    from tiaojie.accounts.roles import Capability

M = TypeVar("M", bound=models.Model)
ViewFunc = Callable[..., HttpResponseBase]

PUBLIC = "public"
SIGNED_IN = "signed_in"


def access(rule: str | Capability) -> Callable[[ViewFunc], ViewFunc]:
    """Declare and enforce who may call a view.

    ``PUBLIC``: anyone. ``SIGNED_IN``: any active staff account. A ``Capability``: a signed-in
    account whose role grants it (403 otherwise; rows are then scoped by a policy).
    """

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if rule != PUBLIC:
                user = request.user
                if not user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if rule != SIGNED_IN and not user.can(str(rule)):
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.access_rule = str(rule)  # type: ignore[attr-defined]
        return wrapper

    return decorate


class ScopePolicy(Generic[M]):
    """Which rows of ``model`` a user may act on. Subclasses define ``scope`` only."""

    model: type[M]

    def scope(self, user: User, capability: Capability) -> models.Q | None:
        """The filter of rows ``user`` may use ``capability`` on, or None for none at all."""
        raise NotImplementedError

    def visible(
        self, user: User, capability: Capability, base: models.QuerySet[M] | None = None
    ) -> models.QuerySet[M]:
        queryset = base if base is not None else self.model._default_manager.all()
        if not user.is_authenticated or not user.can(capability):
            return queryset.none()
        condition = self.scope(user, capability)
        return queryset.none() if condition is None else queryset.filter(condition)

    def get_or_404(
        self,
        user: User,
        capability: Capability,
        base: models.QuerySet[M] | None = None,
        **lookup: Any,
    ) -> M:
        """The row, if it exists and is in scope; 404 alike whether missing or not yours."""
        try:
            return self.visible(user, capability, base).get(**lookup)
        except self.model.DoesNotExist as exc:  # type: ignore[attr-defined]
            raise Http404 from exc

    def allows(self, user: User, capability: Capability, obj: M) -> bool:
        return self.visible(user, capability).filter(pk=obj.pk).exists()
