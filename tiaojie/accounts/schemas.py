from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from tiaojie.core.api import InputSchema


class TokenIn(InputSchema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class OrganisationRef(Schema):
    id: int
    name: str
    kind: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[str]
    role_labels: list[str]
    capabilities: list[str]
    organisation: OrganisationRef


class AccountOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    title: str
    is_active: bool
    organisation: OrganisationRef
    version: int
    pending: str = Field(description="What awaits approval: '', 'create' or 'role'.")
    pending_role: str


class AccountIn(InputSchema):
    username: str = Field(min_length=1, max_length=150)
    full_name: str = Field(min_length=1, max_length=60)
    organisation_id: int
    role: str
    title: str = ""
    email: str = Field(
        min_length=3,
        max_length=254,
        description="The person's one-time link to choose a password is sent here.",
    )


class RoleIn(InputSchema):
    role: str
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
