from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.accounts.models import Pending
from tiaojie.accounts.roles import Role
from tiaojie.core.api import InputSchema, codes
from tiaojie.organisations.choices import OrganisationKind


class TokenIn(InputSchema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    otp: str = Field(
        default="",
        max_length=20,
        description="The authenticator code (or a recovery code) when the account has a "
        "second factor.",
    )


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class OrganisationRef(Schema):
    id: int
    name: str
    kind: Annotated[str, codes(OrganisationKind)]


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[Annotated[str, codes(Role)]]
    role_labels: list[str]
    capabilities: list[str]
    organisation: OrganisationRef


class AccountOut(Schema):
    id: int
    username: str
    full_name: str
    role: Annotated[str, codes(Role)]
    title: str
    is_active: bool
    organisation: OrganisationRef
    version: int
    pending: Annotated[
        str, codes(Pending, blank=True, note="What awaits a second administrator's approval.")
    ]
    pending_role: Annotated[str, codes(Role, blank=True)]


class AccountIn(InputSchema):
    username: str = Field(min_length=1, max_length=150)
    full_name: str = Field(min_length=1, max_length=60)
    organisation_id: int
    role: Annotated[str, codes(Role)]
    title: str = ""
    email: str = Field(
        min_length=3,
        max_length=254,
        description="The person's one-time link to choose a password is sent here.",
    )


class RoleIn(InputSchema):
    role: Annotated[str, codes(Role)]
    reason: str = Field(min_length=1, max_length=200)
    version: int


class ActiveIn(InputSchema):
    active: bool
    reason: str = Field(min_length=1, max_length=200)


class ApprovalIn(InputSchema):
    approve: bool
    reason: str = Field(min_length=1, max_length=200)


class ReasonIn(InputSchema):
    reason: str = Field(min_length=1, max_length=200)


class PasswordChangeIn(InputSchema):
    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class PasswordSetIn(InputSchema):
    token: str = Field(min_length=1, max_length=100)
    new_password: str = Field(min_length=1, max_length=256)
