"""Fixtures of the documents tests: files under a temporary MEDIA_ROOT, and cases built as
users build them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tiaojie.accounts.models import User
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories
from tiaojie.documents.tests.sample import full_case


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mediator(db: None) -> User:
    return User.objects.get(username="demo_mediator")


@pytest.fixture
def full(mediator: User) -> Case:
    """A committee-A case with something in every document."""
    return full_case(mediator)


@pytest.fixture
def registered(mediator: User) -> Case:
    return factories.register(mediator)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
