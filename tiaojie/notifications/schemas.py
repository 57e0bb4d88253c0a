"""API schemas of notifications."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema

from tiaojie.core.api import codes
from tiaojie.notifications.models import NotificationKind


class NotificationOut(Schema):
    id: int
    kind: Annotated[str, codes(NotificationKind)]
    title: str
    body: str
    url: str
    case_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None


class UnreadCountOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int
