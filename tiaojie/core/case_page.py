"""The case page's registry of contributed actions and panels.

The case page belongs to ``cases``, but apps that watch cases (screening, ...) have things to
offer on it: an action button ("record a prevented escalation"), a panel loaded after the page.
``cases`` may not import them, and ``core`` knows no domain app, so the apps register here at
start-up (from their ``listeners.py``) and the case page asks ``actions_for`` and ``panels``.
Like the menu (``core.menu``), keyed so that registering twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class CaseAction:
    """A button in the case page's head, to a page of the contributing app."""

    key: str
    label: str | Promise
    url_name: str  # reversed with the case's id as its only argument
    capability: str | None  # a capability's value; ``user.can`` decides (None: anyone)
    # A further condition on (user, case): the case's state, the user's scope.
    when: Callable[[Any, Any], bool] | None = None

    def url(self, case: Any) -> str:
        return reverse(self.url_name, args=[case.pk])


@dataclass(frozen=True)
class CasePanel:
    """A fragment of the contributing app, loaded by htmx after the case page (the fragment's
    own view scopes it: not the reader's case, 404)."""

    key: str
    url_name: str  # reversed with the case's id as its only argument

    def url(self, case: Any) -> str:
        return reverse(self.url_name, args=[case.pk])


_ACTIONS: dict[str, CaseAction] = {}
_PANELS: dict[str, CasePanel] = {}


def register_action(action: CaseAction) -> None:
    _ACTIONS[action.key] = action


def register_panel(panel: CasePanel) -> None:
    _PANELS[panel.key] = panel


def actions_for(user: Any, case: Any) -> list[tuple[CaseAction, str]]:
    """The contributed actions ``user`` may use on ``case``, with their URLs, in key order."""
    return [
        (action, action.url(case))
        for action in sorted(_ACTIONS.values(), key=lambda a: a.key)
        if (action.capability is None or user.can(action.capability))
        and (action.when is None or action.when(user, case))
    ]


def panels_for(case: Any) -> list[tuple[CasePanel, str]]:
    """Every contributed panel with its URL for ``case``, in key order."""
    return [(panel, panel.url(case)) for panel in sorted(_PANELS.values(), key=lambda p: p.key)]
