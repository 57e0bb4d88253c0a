"""Sending texts to phones, through the backend named by ``TIAOJIE_SMS_BACKEND``.

A backend is a class with one method, ``send(phone, text) -> None``, which raises
``SmsFailed`` when the gateway refuses. Two ship: ``ConsoleBackend`` (prints, for development)
and ``OutboxBackend`` (keeps every text in ``SmsMessage``, for development and tests, which
read the codes from there). A real gateway is a class of the same shape in its own module,
named by its dotted path (docs/public.md). Texts never carry personal data: no names, no
numbers other than the code, no case details.
"""

from __future__ import annotations

import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from tiaojie.core.crypto import refresh_blind_indexes
from tiaojie.public.models import SmsMessage


class SmsFailed(Exception):
    """The gateway did not take the text."""


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    """Prints each text to standard output (development)."""

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"[SMS to {phone}] {text}\n")


class OutboxBackend:
    """Keeps each text in the database (development and tests)."""

    def send(self, phone: str, text: str) -> None:
        message = SmsMessage(phone=phone, text=text)
        refresh_blind_indexes(message)
        message.save()


def backend() -> SmsBackend:
    cls = import_string(settings.TIAOJIE_SMS_BACKEND)
    instance: SmsBackend = cls()
    return instance


def send(phone: str, text: str) -> None:
    backend().send(phone, text)
